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

/** Where the credentials were looked for: the shell running `oss-batch`, or the one running Terraform. */
export type CredentialsContext = 'cli' | 'terraform';

/**
 * No usable credentials. The message says what to set and where, without the chain's own text
 * (it lists every provider's failure, e.g. `getaddrinfo ENOTFOUND undefined` from the RAM-role
 * lookup off ECS); that text stays in `details` for debugging.
 */
export class CredentialsError extends Error {
  /** `fixed`: a message that does not depend on the environment (e.g. bad explicit credentials). */
  constructor(readonly details: string, private readonly fixed?: string) {
    super(fixed ?? credentialsMessage('terraform'));
    this.name = 'CredentialsError';
  }

  /** The message for the environment the lookup ran in. */
  messageFor(context: CredentialsContext): string {
    return this.fixed ?? credentialsMessage(context);
  }
}

function credentialsMessage(context: CredentialsContext): string {
  const where = context === 'cli' ? 'the environment oss-batch runs in (this shell)' : 'the environment Terraform runs in (the shell or CI job running terraform)';
  return 'no Alibaba Cloud credentials found. Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET ' +
    `(plus ALIBABA_CLOUD_SECURITY_TOKEN for STS) in ${where}, or configure a profile (~/.alibabacloud/credentials) or an ECS RAM role.`;
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
    throw new CredentialsError('', 'explicit credentials were given without an accessKeyId or accessKeySecret');
  }
  const fixed = { ...credentials };
  return async () => fixed;
}

/** Resolve once: the explicit value, or the default chain. */
export function resolveCredentials(explicit?: OssCredentials | CredentialsProvider): Promise<OssCredentials> {
  return toCredentialsProvider(explicit)();
}
