/**
 * Credentials come from an explicit value or from @alicloud/credentials' default chain
 * (environment ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / _SECURITY_TOKEN, profiles, the aliyun CLI
 * config, ECS RAM role, …). They are resolved at apply time only and never logged.
 */
import Credential from '@alicloud/credentials';
import type { OssCredentials } from './signer';

export type CredentialsProvider = () => Promise<OssCredentials>;

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

/** How long to reuse credentials from the chain before asking again (STS tokens rotate). */
const CACHE_MS = 5 * 60 * 1000;

export function defaultCredentialsProvider(): CredentialsProvider {
  let cached: { value: OssCredentials; at: number } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.value;
    let model;
    try {
      model = await new Credential().getCredential();
    } catch (err) {
      throw new CredentialsError((err as Error).message);
    }
    if (!model.accessKeyId || !model.accessKeySecret) throw new CredentialsError('the credential chain returned no access key');
    const value: OssCredentials = { accessKeyId: model.accessKeyId, accessKeySecret: model.accessKeySecret };
    if (model.securityToken) value.securityToken = model.securityToken;
    cached = { value, at: Date.now() };
    return value;
  };
}

export function toCredentialsProvider(credentials?: OssCredentials | CredentialsProvider): CredentialsProvider {
  if (!credentials) return defaultCredentialsProvider();
  if (typeof credentials === 'function') return credentials;
  return async () => credentials;
}
