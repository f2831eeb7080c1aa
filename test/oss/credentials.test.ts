import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CredentialSource, CredentialsError, defaultCredentialsProvider, resolveCredentials, toCredentialsProvider,
} from '../../src/oss/credentials';

describe('explicit credentials and providers', () => {
  test('explicit values are returned as given (a copy), providers are used as they are', async () => {
    const explicit = { accessKeyId: 'AK', accessKeySecret: 'SK', securityToken: 'T' };
    await expect(resolveCredentials(explicit)).resolves.toEqual(explicit);
    const provider = async () => ({ accessKeyId: 'P', accessKeySecret: 'Q' });
    expect(toCredentialsProvider(provider)).toBe(provider);
  });

  test('explicit values without a key are refused clearly', () => {
    expect(() => toCredentialsProvider({ accessKeyId: '', accessKeySecret: 'SK' })).toThrow(CredentialsError);
    expect(() => toCredentialsProvider({ accessKeyId: 'AK', accessKeySecret: '' })).toThrow(/without an accessKeyId or accessKeySecret/);
  });
});

describe('defaultCredentialsProvider with an injected source', () => {
  test('one client is reused (its own cache handles STS expiry); concurrent calls share one lookup', async () => {
    let created = 0;
    let lookups = 0;
    const provider = defaultCredentialsProvider(() => {
      created++;
      return { getCredential: async () => { lookups++; return { accessKeyId: 'AK', accessKeySecret: 'SK', securityToken: `T${lookups}` }; } };
    });
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a).toEqual({ accessKeyId: 'AK', accessKeySecret: 'SK', securityToken: 'T1' });
    expect(b).toBe(a);
    expect(await provider()).toEqual({ accessKeyId: 'AK', accessKeySecret: 'SK', securityToken: 'T2' });
    expect({ created, lookups }).toEqual({ created: 1, lookups: 2 });
  });

  test('a failure is a CredentialsError naming the env vars, and the next call starts a fresh chain', async () => {
    let created = 0;
    const sources: CredentialSource[] = [
      { getCredential: async () => { throw new Error('unable to get credentials from any of the providers in the chain'); } },
      { getCredential: async () => ({ accessKeyId: '', accessKeySecret: '' }) },
      { getCredential: async () => ({ accessKeyId: 'AK', accessKeySecret: 'SK' }) },
    ];
    const provider = defaultCredentialsProvider(() => sources[created++]);
    const first = await provider().catch((e) => e);
    expect(first).toBeInstanceOf(CredentialsError);
    expect(first.message).toMatch(/ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET/);
    // The chain's own text (every provider's failure) stays out of the message, for debugging only.
    expect(first.message).not.toContain('unable to get credentials');
    expect(first.details).toContain('unable to get credentials');
    expect(first.message).toContain('in the environment Terraform runs in');
    expect(first.messageFor('cli')).toContain('in the environment oss-batch runs in');
    expect(first.messageFor('cli')).not.toContain('Terraform');
    await expect(provider()).rejects.toMatchObject({ details: 'the credential chain returned no access key' });
    await expect(provider()).resolves.toEqual({ accessKeyId: 'AK', accessKeySecret: 'SK' });
    expect(created).toBe(3);
  });
});

test('the chain\'s network noise never reaches the message', async () => {
  const noise = 'get role name failed: GET http://100.100.100.200/latest/meta-data/ram/security-credentials/ 404, getaddrinfo ENOTFOUND undefinedGET https://undefined/ failed.';
  const err = await defaultCredentialsProvider(() => ({ getCredential: async () => { throw new Error(noise); } }))().catch((e) => e);
  expect(err).toBeInstanceOf(CredentialsError);
  for (const message of [err.message, err.messageFor('cli'), err.messageFor('terraform')]) {
    expect(message).not.toMatch(/ENOTFOUND|undefined|100\.100\.100\.200/);
  }
});

describe('the real @alicloud/credentials default chain', () => {
  const saved = { ...process.env };
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'oss-creds-'));
    for (const name of Object.keys(process.env)) if (name.startsWith('ALIBABA_CLOUD_')) delete process.env[name];
    // An empty home (no profiles) and no metadata service, so the chain ends quickly and offline.
    Object.assign(process.env, { HOME: home, USERPROFILE: home, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' });
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(home, { recursive: true, force: true });
  });

  test('reads the access key, secret and STS token from the environment', async () => {
    Object.assign(process.env, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-ak', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'env-sk', ALIBABA_CLOUD_SECURITY_TOKEN: 'env-token' });
    await expect(resolveCredentials()).resolves.toEqual({ accessKeyId: 'env-ak', accessKeySecret: 'env-sk', securityToken: 'env-token' });
  });

  test('nothing configured: a CredentialsError that says what to set and never echoes a secret', async () => {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = 'do-not-print-me'; // a secret without its id is not usable
    const err = await resolveCredentials().catch((e) => e);
    expect(err).toBeInstanceOf(CredentialsError);
    expect(err.message).toMatch(/^no Alibaba Cloud credentials found\. Set ALIBABA_CLOUD_ACCESS_KEY_ID/);
    expect(err.message).not.toContain('do-not-print-me');
  });
});
