/**
 * Credentials come from an explicit value or from @alicloud/credentials' default chain
 * (environment ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / _SECURITY_TOKEN, profiles, the aliyun CLI
 * config, ECS RAM role, …). They are resolved at apply time only and never logged.
 */
import Credential from '@alicloud/credentials';
import type { OssCredentials } from './signer';

export type CredentialsProvider = () => Promise<OssCredentials>;

/** The part of @alicloud/credentials' `Credential` client we use (injectable for tests). */
export interface CredentialSource {
  getCredential(): Promise<{ accessKeyId?: string; accessKeySecret?: string; securityToken?: string }>;
}

export class CredentialsError extends Error {
  constructor(cause: string) {
    super(
      'no Alibaba Cloud credentials found. Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET ' +
      '(plus ALIBABA_CLOUD_SECURITY_TOKEN for STS) in the environment Terraform runs in, or configure a profile or ' +
      `an ECS RAM role. Details: ${cause}`,
    );
    this.name = 'CredentialsError';
  }
}

/**
 * The default chain, resolved lazily. One client is kept so its providers' own cache applies:
 * STS sessions (ECS RAM role, RAM role ARN, OIDC) are reused until 15 minutes before they
 * expire and then refreshed, so caching here as well could only serve an expired token.
 * After a failure the client is dropped: the chain remembers its last-tried provider even
 * when every provider failed, and would otherwise never look at the environment again.
 */
export function defaultCredentialsProvider(createSource: () => CredentialSource = () => new Credential()): CredentialsProvider {
  let source: CredentialSource | undefined;
  let inFlight: Promise<OssCredentials> | undefined;

  async function resolve(): Promise<OssCredentials> {
    source ??= createSource();
    let model;
    try {
      model = await source.getCredential();
    } catch (err) {
      source = undefined;
      throw new CredentialsError((err as Error).message);
    }
    if (!model.accessKeyId || !model.accessKeySecret) {
      source = undefined;
      throw new CredentialsError('the credential chain returned no access key');
    }
    const value: OssCredentials = { accessKeyId: model.accessKeyId, accessKeySecret: model.accessKeySecret };
    if (model.securityToken) value.securityToken = model.securityToken;
    return value;
  }

  // Concurrent requests share one lookup, so a cold chain is walked once, not once per request.
  return () => (inFlight ??= resolve().finally(() => { inFlight = undefined; }));
}

/** Explicit credentials as a provider; nothing given means the default chain. */
export function toCredentialsProvider(credentials?: OssCredentials | CredentialsProvider): CredentialsProvider {
  if (!credentials) return defaultCredentialsProvider();
  if (typeof credentials === 'function') return credentials;
  if (!credentials.accessKeyId || !credentials.accessKeySecret) {
    throw new CredentialsError('explicit credentials were given without an accessKeyId or accessKeySecret');
  }
  const fixed = { ...credentials };
  return async () => fixed;
}

/** Resolve once: the explicit value, or the default chain. */
export function resolveCredentials(explicit?: OssCredentials | CredentialsProvider): Promise<OssCredentials> {
  return toCredentialsProvider(explicit)();
}
