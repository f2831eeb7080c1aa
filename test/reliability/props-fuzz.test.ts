/**
 * Property-based fuzzing of BatchJob and ManifestFromPrefix props: every generated combination is
 * either accepted (when an independent oracle says it is valid) or rejected at synth with a
 * ValidationError that names one of the invalid props. No crash, no accepted invalid spec.
 * Identity props may be Terraform references (synth defers them to the handler's checks at apply);
 * settings must be literals. 1,000 cases each in `npm test`, 10,000 in the soak.
 */
import fc from 'fast-check';
import { App, TerraformStack, TerraformVariable, Token } from 'cdktf';
import {
  BatchJob, BatchJobProps, BatchOperation, DeletionBehavior, JobManifest, ManifestFromPrefix, ManifestFromPrefixProps, ObjectAcl, ReportScope, RestoreTier,
} from '../../src';
import { ValidationError } from '../../src/constructs/errors';

const RUNS = process.env.SOAK ? 10_000 : 1_000;

/** A value for one prop and whether it is valid: the oracle is the union of these flags. */
type Field<T> = fc.Arbitrary<{ value: T; valid: boolean }>;
type Choice<T> = fc.WeightedArbitrary<{ value: T; valid: boolean }>;
// Valid values are drawn 5 times as often as invalid ones, so that with a dozen props some cases are
// entirely valid (they must synthesize) and most have one or two invalid props (the error must name one).
const ok = <T>(arb: fc.Arbitrary<T>): Choice<T> => ({ arbitrary: arb.map((value) => ({ value, valid: true })), weight: 5 });
const bad = <T>(...values: T[]): Choice<T> => ({ arbitrary: fc.constantFrom(...values).map((value) => ({ value, valid: false })), weight: 1 });

// References (known only at apply): valid at synth for identity and connection props, refused for settings.
const stack = new TerraformStack(new App(), 'fuzz');
const variable = (id: string, type: string) => new TerraformVariable(stack, id, { type });
const ref = {
  string: variable('s', 'string').stringValue,
  number: variable('n', 'number').numberValue,
  bool: Token.asAny(variable('b', 'bool').booleanValue) as unknown as boolean,
  inText: `photos-${variable('suffix', 'string').stringValue}`,
};
const fromPrefix = new ManifestFromPrefix(stack, 'Listing', { region: 'cn-hangzhou', sourceBucket: 'photos', manifestBucket: 'ops' });

const region = fc.oneof(ok(fc.constantFrom('cn-hangzhou', 'ap-southeast-1', 'oss-cn-shanghai', 'eu-central-1', ref.string)), bad('', 'Hangzhou', 'cn_hangzhou', 'x'));
const endpoint = fc.oneof(ok(fc.constantFrom(undefined, 'http://127.0.0.1:9000', 'https://oss-cn-hangzhou.aliyuncs.com', ref.string)), bad('not a url', 'ftp://host/x'));
const rerunToken = fc.oneof(
  ok(fc.option(fc.stringMatching(/^[\x20-\x7e]{1,64}$/), { nil: undefined })), ok(fc.constant(ref.string)),
  bad('', 'r'.repeat(65), 'café', 'tab\there'),
);

const fields = {
  region,
  endpoint,
  roleArn: fc.oneof(ok(fc.constantFrom('acs:ram::1234567890123456:role/BatchRole', 'acs:ram::1:role/a.b-c', ref.string)), bad('', 'arn:aws:iam::1:role/x', 'acs:ram::abc:role/x', 'acs:ram::1:user/x')),
  priority: fc.oneof(ok(fc.integer({ min: 0, max: 2147483647 })), ok(fc.constant(ref.number)), bad(-1, 1.5, 2147483648, Number.NaN)),
  description: fc.oneof(ok(fc.option(fc.string({ maxLength: 256 }), { nil: undefined })), ok(fc.constant(ref.string)), bad('d'.repeat(257))),
  confirmationRequired: fc.oneof(ok(fc.constantFrom(undefined, true, false, ref.bool)), bad('yes' as unknown as boolean)),
  operation: fc.oneof(
    ok(fc.dictionary(fc.string({ minLength: 1, maxLength: 128 }), fc.string({ maxLength: 256 }), { minKeys: 1, maxKeys: 10 }).map((t) => BatchOperation.putObjectTagging(t))),
    ok(fc.constantFrom(BatchOperation.deleteObjectTagging(), BatchOperation.putObjectAcl(ObjectAcl.PRIVATE), BatchOperation.addObjectTagging({ a: 'b' }))),
    ok(fc.constantFrom(BatchOperation.putObjectTagging({ env: ref.string }), BatchOperation.addObjectTagging({ [ref.string]: 'v' }))),
    ok(fc.record({ days: fc.integer({ min: 1, max: 365 }), tier: fc.constantFrom(undefined, RestoreTier.BULK, RestoreTier.STANDARD) }).map((o) => BatchOperation.restoreObject(o))),
    ok(fc.constant(BatchOperation.restoreObject({ days: ref.number }))),
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
      JobManifest.fromCsv({ bucket: ref.string, key: ref.inText, etag: ref.string }),
      JobManifest.fromKeyPrefix({ sourceBucket: 'photos' }),
      JobManifest.fromKeyPrefix({ sourceBucket: 'photos', prefix: 'raw/' }),
      JobManifest.fromKeyPrefix({ sourceBucket: ref.inText, prefix: ref.string }),
      JobManifest.fromInventoryReport({ bucket: 'inventory', manifestKey: 'photos/daily/2025-06-01T00-00Z/manifest.json' }),
      JobManifest.fromInventoryReport({ bucket: ref.string, manifestKey: ref.string, etag: 'E' }),
      JobManifest.fromManifestFromPrefix(fromPrefix),
    )),
    bad(
      JobManifest.fromCsv({ bucket: 'Bad_Bucket', key: 'm.csv' }),
      JobManifest.fromCsv({ bucket: 'ops', key: '' }),
      JobManifest.fromCsv({ bucket: 'ops', key: '/abs.csv' }),
      JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', fields: 'Name,Key' }),
      JobManifest.fromCsv({ bucket: ref.string, key: 'm.csv', fields: 'Key' }),
      JobManifest.fromKeyPrefix({ sourceBucket: 'x' }),
      JobManifest.fromKeyPrefix({ sourceBucket: 'photos', prefix: '/raw' }),
      JobManifest.fromInventoryReport({ bucket: 'inventory', manifestKey: '' }),
      JobManifest.fromInventoryReport({ bucket: 'in', manifestKey: 'manifest.json' }),
    ),
  ),
  report: fc.oneof(
    ok(fc.record({
      bucket: fc.constantFrom('ops', 'report-bucket-1', ref.string), prefix: fc.constantFrom(undefined, '', 'reports/', ref.string),
      scope: fc.constantFrom(undefined, ReportScope.ALL_TASKS, ReportScope.FAILED_TASKS_ONLY), enabled: fc.constantFrom(undefined, true, false, ref.bool),
    })),
    bad({ bucket: '-ops' }, { bucket: 'ops', prefix: '/reports' }, { bucket: 'ops', scope: 'Some' as ReportScope }),
  ),
  // Settings: checked at synth, so a reference is refused.
  autoConfirm: fc.oneof(ok(fc.constantFrom(undefined, true, false)), bad(ref.bool)),
  waitForCompletion: fc.oneof(ok(fc.constantFrom(undefined, true, false)), bad(ref.bool)),
  timeoutSeconds: fc.oneof(ok(fc.option(fc.integer({ min: 1, max: 604800 }), { nil: undefined })), bad(0, 604801, 1.5, ref.number)),
  maxFailedTasks: fc.oneof(ok(fc.option(fc.nat(), { nil: undefined })), bad(-1, 0.5, ref.number)),
  deletionBehavior: fc.oneof(ok(fc.constantFrom(undefined, DeletionBehavior.RETAIN, DeletionBehavior.CANCEL)), bad('destroy' as DeletionBehavior, ref.string as DeletionBehavior)),
  rerunToken,
};

const prefixFields = {
  region,
  endpoint,
  pathStyle: fc.oneof(ok(fc.constantFrom(undefined, true, false, ref.bool)), bad('yes' as unknown as boolean)),
  sourceBucket: fc.oneof(ok(fc.constantFrom('photos', 'src-1', ref.string, ref.inText)), bad('', 'ab', 'Bad_Bucket', '-src')),
  prefix: fc.oneof(ok(fc.constantFrom(undefined, '', 'raw/', 'raw', 'ünïcode/', ref.string)), bad('/raw/', '\\raw', 'p'.repeat(1024))),
  manifestBucket: fc.oneof(ok(fc.constantFrom('ops', ref.string)), bad('OPS', 'o')),
  manifestPrefix: fc.oneof(ok(fc.constantFrom(undefined, '', 'manifests/', 'a/b/', ref.string)), bad('/manifests/', 'm'.repeat(1024))),
  filter: fc.oneof(
    ok(fc.record({
      suffixes: fc.constantFrom(undefined, [], ['.jpg'], ['.png', '.jpg', '.jpg'], [ref.string]),
      minSizeBytes: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
      maxSizeBytes: fc.option(fc.integer({ min: 1000, max: 10_000 }), { nil: undefined }),
      modifiedAfter: fc.constantFrom(undefined, '2025-01-01', '2025-01-01T08:00:00+08:00', '2025-06-01T00:00:00.123Z', ref.string),
      storageClasses: fc.constantFrom(undefined, [], ['Standard', 'IA'], ['Archive', 'ColdArchive', 'DeepColdArchive']),
    }, { requiredKeys: [] })),
    ok(fc.constantFrom(undefined, { minSizeBytes: ref.number, maxSizeBytes: 1 })),
    bad({ suffixes: [''] }, { minSizeBytes: 10, maxSizeBytes: 5 }, { minSizeBytes: -1 }, { maxSizeBytes: 1.5 }, { modifiedAfter: 'yesterday' },
      { modifiedAfter: '2025-01-01T00:00:00' }, { storageClasses: ['Glacier'] }, { suffixes: '.jpg' as unknown as string[] }),
  ),
  includeVersionIds: fc.oneof(ok(fc.constantFrom(undefined, true, false, ref.bool)), bad('yes' as unknown as boolean)),
  rerunToken,
};

/**
 * Builds each generated combination: valid ones must synthesize, invalid ones must throw a
 * ValidationError whose message starts with the construct path and one of the invalid props.
 */
function fuzz<F extends Record<string, Field<unknown>>>(kind: string, make: (id: string, props: Record<string, unknown>) => void, arbitraries: F, seed: number): number {
  const names = Object.keys(arbitraries);
  let n = 0;
  let rejected = 0;
  fc.assert(fc.property(fc.record(arbitraries), (generated) => {
    const props = Object.fromEntries(names.map((name) => [name, (generated[name] as { value: unknown }).value]));
    const invalid = names.filter((name) => !(generated[name] as { valid: boolean }).valid);
    const id = `${kind}${n++}`;
    let error: unknown;
    try {
      make(id, props);
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
    if (!invalid.some((name) => message.startsWith(`fuzz/${id}: ${name}`))) throw new Error(`invalid ${invalid.join(', ')}, but the error names another prop: ${message}`);
  }), { numRuns: RUNS, seed });
  return rejected;
}

describe(`props fuzzing (${RUNS} cases each)`, () => {
  test('BatchJob: valid specs synthesize (references included), invalid ones fail with an error naming an invalid prop', () => {
    const rejected = fuzz('Job', (id, props) => new BatchJob(stack, id, props as unknown as BatchJobProps), fields, 20261125);
    expect(rejected).toBeGreaterThan(RUNS / 4);
    expect(rejected).toBeLessThan(RUNS * 0.97); // and valid ones are generated too
  });

  test('ManifestFromPrefix: valid props synthesize (references included), invalid ones fail with an error naming an invalid prop', () => {
    const rejected = fuzz('Manifest', (id, props) => new ManifestFromPrefix(stack, id, props as unknown as ManifestFromPrefixProps), prefixFields, 20261202);
    expect(rejected).toBeGreaterThan(RUNS / 4);
    expect(rejected).toBeLessThan(RUNS * 0.97); // and valid ones are generated too
  });
});
