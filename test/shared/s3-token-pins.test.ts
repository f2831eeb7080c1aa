/**
 * Pinned S3 ClientRequestTokens: the contract that a refactor cannot silently change the token of
 * an existing stack (a changed token is a duplicate S3 Batch Operations job for every stack already
 * deployed). If this test fails, the change to the derivation or normalization is a breaking one:
 * restore the old behaviour, or bump S3_TOKEN_FORMAT in src/shared/token.ts, add new pins here
 * and record the change in CHANGELOG.md (docs/identity.md, "Token stability").
 */
import { createHash } from 'node:crypto';
import { App, TerraformStack } from 'cdktf';
import {
  ReportScope, S3BatchJob, S3BatchJobProps, S3BatchOperation, S3CannedAcl, S3JobManifest, S3RestoreTier, S3StorageClass,
} from '../../src';
import { parseS3Event } from '../../src/handler/s3/event';
import { S3_TOKEN_FORMAT, s3JobToken } from '../../src/shared/token';
// Builds the handler bundles the constructs ship when a plain `jest` run lacks them.
import '../constructs/helpers';

const base = { region: 'us-east-1', accountId: '123456789012', roleArn: 'arn:aws:iam::123456789012:role/BatchRole', priority: 10, report: { bucket: 'ops' } };

const PINS: [string, S3BatchJobProps, string][] = [
  ['tagging over a generator, defaults',
    { ...base, operation: S3BatchOperation.putObjectTagging({ env: 'prod' }), manifest: S3JobManifest.fromGenerator({ sourceBucket: 'photos', prefix: 'raw/' }) },
    's3b1-f8f118307e2680a61dd2318d20dd1d940e1cd9406f95e55572e2cc08a22'],
  ['ACL over a pinned CSV with every identity prop set',
    {
      ...base, region: 'eu-central-1', accountId: '012345678901', roleArn: 'arn:aws:iam::012345678901:role/ops/Batch', description: 'nightly <acl> & more',
      confirmationRequired: true, rerunToken: 'r1', operation: S3BatchOperation.putObjectAcl(S3CannedAcl.BUCKET_OWNER_FULL_CONTROL),
      manifest: S3JobManifest.fromCsv({ bucket: 'ops', key: 'lists/m.csv', etag: '"5b3c1a2d"', versionId: 'v1', includesVersionIds: true }),
      report: { bucket: 'ops', prefix: 'r/', scope: ReportScope.FAILED_TASKS_ONLY },
    },
    's3b1-4c483e2a79bf539990a03b79ce4012ea8d62c2f39b32552fa504f75a340'],
  ['restore over an inventory, report off without a bucket',
    {
      ...base, priority: 0, operation: S3BatchOperation.initiateRestoreObject({ days: 3, tier: S3RestoreTier.BULK }),
      manifest: S3JobManifest.fromInventoryReport({ bucket: 'inv', manifestKey: 'inventory/photos/daily/2026-12-01T01-00Z/manifest.json' }), report: { enabled: false },
    },
    's3b1-adcc908e5e072870ec0f7568ca05b8a97d06c68a0f93972d1a18560f74f'],
  ['copy with every option',
    {
      ...base, operation: S3BatchOperation.putObjectCopy({ targetBucket: 'backup.example', targetKeyPrefix: 'copy/', storageClass: S3StorageClass.DEEP_ARCHIVE, cannedAcl: S3CannedAcl.PRIVATE }),
      manifest: S3JobManifest.fromGenerator({ sourceBucket: 'photos' }),
    },
    's3b1-906400d4b0f8c7a3736abc7b55cf2a29b58ca79f2c00836601fa817b339'],
  ['non-ASCII tag keys and values, an empty value',
    { ...base, operation: S3BatchOperation.putObjectTagging({ 'ünïcode': 'välue', a: '' }), manifest: S3JobManifest.fromGenerator({ sourceBucket: 'photos' }) },
    's3b1-d7e301db61327d15681f90ca8578b26a95d6082ad3c5bf83cc622e7c7fc'],
  ['no tags (removes them), delete-tagging is another job',
    { ...base, operation: S3BatchOperation.putObjectTagging({}), manifest: S3JobManifest.fromGenerator({ sourceBucket: 'photos' }) },
    's3b1-5715831b80520580b815f98e5ec852f90828c64d0b5b9208c3b987c8635'],
];

describe(`pinned S3 tokens (format ${S3_TOKEN_FORMAT})`, () => {
  test.each(PINS)('%s: synth', (_name, props, token) => {
    expect(new S3BatchJob(new TerraformStack(new App(), 's'), 'J', props).clientRequestToken).toBe(token);
  });

  test.each(PINS)('%s: the S3 handler computes the same from the event it receives', (_name, props, token) => {
    const job = new S3BatchJob(new TerraformStack(new App(), 's'), 'J', props);
    const input = (job.node.findChild('job') as unknown as { config: { input: string } }).config.input;
    const event = parseS3Event(input.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{'));
    expect(event.kind === 's3-batch-job' && s3JobToken(event.identity)).toBe(token);
  });

  test('the first pin is SHA-256 of the canonical text written out by hand (independent of canonicalJson)', () => {
    const text = '{"backend":"s3","job":{"accountId":"123456789012","confirmationRequired":false,"description":"",' +
      '"manifest":{"generator":{"prefix":"raw/","sourceBucket":"photos"}},"operation":{"tags":[{"key":"env","value":"prod"}],"type":"S3PutObjectTagging"},' +
      '"priority":10,"region":"us-east-1","report":{"bucket":"ops","enabled":true,"prefix":"s3-batch-reports","scope":"AllTasks"},' +
      '"roleArn":"arn:aws:iam::123456789012:role/BatchRole"},"tokenFormat":1}';
    expect(`s3b1-${createHash('sha256').update(text, 'utf8').digest('hex')}`.slice(0, 64)).toBe(PINS[0][2]);
  });

  test('the format is part of the prefix; S3 tokens never look like OSS ones', () => {
    expect(S3_TOKEN_FORMAT).toBe(1);
    for (const [, , token] of PINS) expect(token).toMatch(/^s3b1-[0-9a-f]{59}$/);
    expect(new Set(PINS.map(([, , token]) => token)).size).toBe(PINS.length);
  });
});
