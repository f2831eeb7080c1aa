/**
 * Property-based fuzzing of BatchJob props: every generated combination is either accepted (when an
 * independent oracle says it is valid) or rejected at synth with a ValidationError that names one
 * of the invalid props. No crash, no accepted invalid spec. 1,000 cases in `npm test`, 10,000 in the soak.
 */
import fc from 'fast-check';
import { App, TerraformStack } from 'cdktf';
import {
  BatchJob, BatchJobProps, BatchOperation, DeletionBehavior, JobManifest, ObjectAcl, ReportScope, RestoreTier,
} from '../../src';
import { ValidationError } from '../../src/constructs/errors';

const RUNS = process.env.SOAK ? 10_000 : 1_000;

/** A value for one prop and whether it is valid: the oracle is the union of these flags. */
type Field<T> = fc.Arbitrary<{ value: T; valid: boolean }>;
const ok = <T>(arb: fc.Arbitrary<T>): Field<T> => arb.map((value) => ({ value, valid: true }));
const bad = <T>(...values: T[]): Field<T> => fc.constantFrom(...values).map((value) => ({ value, valid: false }));

const fields = {
  region: fc.oneof(ok(fc.constantFrom('cn-hangzhou', 'ap-southeast-1', 'oss-cn-shanghai', 'eu-central-1')), bad('', 'Hangzhou', 'cn_hangzhou', 'x')),
  endpoint: fc.oneof(ok(fc.constantFrom(undefined, 'http://127.0.0.1:9000', 'https://oss-cn-hangzhou.aliyuncs.com')), bad('not a url', 'ftp://host/x')),
  roleArn: fc.oneof(ok(fc.constantFrom('acs:ram::1234567890123456:role/BatchRole', 'acs:ram::1:role/a.b-c')), bad('', 'arn:aws:iam::1:role/x', 'acs:ram::abc:role/x', 'acs:ram::1:user/x')),
  priority: fc.oneof(ok(fc.integer({ min: 0, max: 2147483647 })), bad(-1, 1.5, 2147483648, Number.NaN)),
  description: fc.oneof(ok(fc.option(fc.string({ maxLength: 256 }), { nil: undefined })), bad('d'.repeat(257))),
  operation: fc.oneof(
    ok(fc.dictionary(fc.string({ minLength: 1, maxLength: 128 }), fc.string({ maxLength: 256 }), { minKeys: 1, maxKeys: 10 }).map((t) => BatchOperation.putObjectTagging(t))),
    ok(fc.constantFrom(BatchOperation.deleteObjectTagging(), BatchOperation.putObjectAcl(ObjectAcl.PRIVATE), BatchOperation.addObjectTagging({ a: 'b' }))),
    ok(fc.record({ days: fc.integer({ min: 1, max: 365 }), tier: fc.constantFrom(undefined, RestoreTier.BULK, RestoreTier.STANDARD) }).map((o) => BatchOperation.restoreObject(o))),
    bad(
      BatchOperation.putObjectTagging({}),
      BatchOperation.putObjectTagging(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']))),
      BatchOperation.putObjectTagging({ ['k'.repeat(129)]: 'v' }),
      BatchOperation.addObjectTagging({ k: 'v'.repeat(257) }),
      BatchOperation.putObjectAcl('bogus' as ObjectAcl),
      BatchOperation.restoreObject({ days: 0 }),
      BatchOperation.restoreObject({ days: 366 }),
      BatchOperation.restoreObject({ days: 1.5 }),
      BatchOperation.restoreObject({ days: 3, tier: 'Fast' as RestoreTier }),
    ),
  ),
  manifest: fc.oneof(
    ok(fc.constantFrom(
      JobManifest.fromCsv({ bucket: 'ops-bucket', key: 'm.csv' }),
      JobManifest.fromCsv({ bucket: 'ops', key: 'a/b.csv', etag: '"ABC"', versionId: 'v1', fields: 'Bucket,Key,VersionId' }),
      JobManifest.fromKeyPrefix({ sourceBucket: 'photos' }),
      JobManifest.fromKeyPrefix({ sourceBucket: 'photos', prefix: 'raw/' }),
    )),
    bad(
      JobManifest.fromCsv({ bucket: 'Bad_Bucket', key: 'm.csv' }),
      JobManifest.fromCsv({ bucket: 'ops', key: '' }),
      JobManifest.fromCsv({ bucket: 'ops', key: '/abs.csv' }),
      JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', fields: 'Name,Key' }),
      JobManifest.fromKeyPrefix({ sourceBucket: 'x' }),
      JobManifest.fromKeyPrefix({ sourceBucket: 'photos', prefix: '/raw' }),
    ),
  ),
  report: fc.oneof(
    ok(fc.record({ bucket: fc.constantFrom('ops', 'report-bucket-1'), prefix: fc.constantFrom(undefined, '', 'reports/'), scope: fc.constantFrom(undefined, ReportScope.ALL_TASKS, ReportScope.FAILED_TASKS_ONLY), enabled: fc.constantFrom(undefined, true, false) })),
    bad({ bucket: '-ops' }, { bucket: 'ops', prefix: '/reports' }, { bucket: 'ops', scope: 'Some' as ReportScope }),
  ),
  timeoutSeconds: fc.oneof(ok(fc.option(fc.integer({ min: 1, max: 604800 }), { nil: undefined })), bad(0, 604801, 1.5)),
  maxFailedTasks: fc.oneof(ok(fc.option(fc.nat(), { nil: undefined })), bad(-1, 0.5)),
  deletionBehavior: fc.oneof(ok(fc.constantFrom(undefined, DeletionBehavior.RETAIN, DeletionBehavior.CANCEL)), bad('destroy' as DeletionBehavior)),
  rerunToken: fc.oneof(ok(fc.option(fc.string({ minLength: 1, maxLength: 64 }), { nil: undefined })), bad('', 'r'.repeat(65))),
};

type Name = keyof typeof fields;
const NAMES = Object.keys(fields) as Name[];

describe(`BatchJob props fuzzing (${RUNS} cases)`, () => {
  test('valid specs synthesize, invalid ones fail with an error naming an invalid prop', () => {
    const stack = new TerraformStack(new App(), 'fuzz');
    let n = 0;
    let rejected = 0;
    fc.assert(fc.property(fc.record(fields), (generated) => {
      const props = Object.fromEntries(NAMES.map((name) => [name, generated[name].value])) as unknown as BatchJobProps;
      const invalid = NAMES.filter((name) => !generated[name].valid);
      const id = `Job${n++}`;
      let error: unknown;
      try {
        new BatchJob(stack, id, props);
      } catch (err) {
        error = err;
      }
      if (invalid.length === 0) {
        expect(error).toBeUndefined();
        return;
      }
      rejected++;
      expect(error).toBeInstanceOf(ValidationError);
      const message = (error as Error).message;
      expect(message.startsWith(`fuzz/${id}: `)).toBe(true);
      expect(invalid.some((name) => message.startsWith(`fuzz/${id}: ${name}`))).toBe(true);
    }), { numRuns: RUNS, seed: 20261125 });
    expect(rejected).toBeGreaterThan(RUNS / 4);
  });
});
