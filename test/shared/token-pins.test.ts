/**
 * Pinned ClientRequestTokens: the contract that a refactor cannot silently change the token of an
 * existing stack (a changed token is a duplicate job for every stack already deployed). If this
 * test fails, the change to the derivation or normalization is a breaking one: restore the old
 * behaviour, or bump TOKEN_FORMAT in src/shared/token.ts, add new pins here and record the change
 * in CHANGELOG.md (docs/identity.md, "Token stability").
 */
import { App, TerraformStack } from 'cdktf';
import { BatchJob, BatchJobProps, BatchOperation, JobManifest, ObjectAcl, ReportScope, RestoreTier } from '../../src';
import { parseEvent } from '../../src/handler/event';
import type { BatchJobEvent } from '../../src/shared/contract';
import { jobToken, TOKEN_FORMAT } from '../../src/shared/token';

const ROLE = 'acs:ram::1234567890123456:role/BatchRole';
const base = { region: 'cn-hangzhou', roleArn: ROLE, priority: 10, report: { bucket: 'ops' } };

const PINS: [string, BatchJobProps, string][] = [
  ['tagging over a key prefix, defaults',
    { ...base, operation: BatchOperation.putObjectTagging({ env: 'prod' }), manifest: JobManifest.fromKeyPrefix({ sourceBucket: 'photos', prefix: 'raw/' }) },
    'ossb2-db13886855f3aad30b8efa7543c062436b6093ca0d5239ea013d6709c3'],
  ['ACL over a pinned CSV with every identity prop set',
    {
      ...base, region: 'ap-southeast-1', description: 'nightly <acl> & more', confirmationRequired: true, rerunToken: 'r1',
      operation: BatchOperation.putObjectAcl(ObjectAcl.PRIVATE),
      manifest: JobManifest.fromCsv({ bucket: 'ops', key: 'lists/m.csv', etag: '"5B3C1A2D"', versionId: 'v1', fields: 'Bucket,Key,VersionId' }),
      report: { bucket: 'ops', prefix: 'r/', scope: ReportScope.FAILED_TASKS_ONLY },
    },
    'ossb2-6781dcc9368816f29e9bcf1b71f6d7b897f0eb7bf882acf7f3ab3857b3'],
  ['restore over an inventory, report off',
    {
      ...base, priority: 0, operation: BatchOperation.restoreObject({ days: 3, tier: RestoreTier.BULK }),
      manifest: JobManifest.fromInventoryReport({ bucket: 'inv', manifestKey: 'inventory/photos/manifest.json' }), report: { bucket: 'ops', enabled: false },
    },
    'ossb2-328c50e97d17b536b8243aa8cfa1540a8097b1b0f34c182d5b0cbc7281'],
  ['non-ASCII tag keys and values, an empty value',
    { ...base, operation: BatchOperation.addObjectTagging({ 'ünïcode': 'välue', a: '' }), manifest: JobManifest.fromKeyPrefix({ sourceBucket: 'photos' }) },
    'ossb2-6b564e7607f5a3ca20f186b47a9ec672f37be8a39e905ab7174b595994'],
];

describe(`pinned tokens (format ${TOKEN_FORMAT})`, () => {
  test.each(PINS)('%s: synth', (_name, props, token) => {
    expect(new BatchJob(new TerraformStack(new App(), 's'), 'J', props).clientRequestToken).toBe(token);
  });

  test.each(PINS)('%s: the handler computes the same from the event it receives', (_name, props, token) => {
    const stack = new TerraformStack(new App(), 's');
    const job = new BatchJob(stack, 'J', props);
    const input = (job.node.findChild('job') as unknown as { config: { input: string } }).config.input;
    const event = parseEvent(input.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{')) as BatchJobEvent;
    expect(jobToken(event.identity)).toBe(token);
  });

  test('the format is part of the prefix', () => {
    expect(TOKEN_FORMAT).toBe(2);
    for (const [, , token] of PINS) expect(token.startsWith(`ossb${TOKEN_FORMAT}-`)).toBe(true);
  });
});
