/**
 * Property-based fuzzing of BatchJob and ManifestFromPrefix props: every generated combination is
 * either accepted (when an independent oracle says it is valid) or rejected at synth with a
 * ValidationError that names one of the invalid props. No crash, no accepted invalid spec.
 * Identity props may be Terraform references (synth defers them to the handler's checks at apply);
 * settings must be literals. 1,000 cases each in `npm test`, 10,000 in the soak.
 */
import fc from 'fast-check';
import {
  BatchJob, BatchJobProps, BatchOperation, JobManifest, ManifestFromPrefix, ManifestFromPrefixProps, ObjectAcl, ReportScope, RestoreTier,
} from '../../src';
import { bad, endpoint, filter, fuzzTest, ok, pathStyle, ref, rerunToken, RUNS, settings, stack } from './fuzz-helpers';

const fromPrefix = new ManifestFromPrefix(stack, 'Listing', { region: 'cn-hangzhou', sourceBucket: 'photos', manifestBucket: 'ops' });

const region = fc.oneof(ok(fc.constantFrom('cn-hangzhou', 'ap-southeast-1', 'oss-cn-shanghai', 'eu-central-1', ref.string)), bad('', 'Hangzhou', 'cn_hangzhou', 'x'));

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
  ...settings,
  rerunToken,
};

const prefixFields = {
  region,
  endpoint,
  pathStyle,
  sourceBucket: fc.oneof(ok(fc.constantFrom('photos', 'src-1', ref.string, ref.inText)), bad('', 'ab', 'Bad_Bucket', '-src')),
  prefix: fc.oneof(ok(fc.constantFrom(undefined, '', 'raw/', 'raw', 'ünïcode/', ref.string)), bad('/raw/', '\\raw', 'p'.repeat(1024))),
  manifestBucket: fc.oneof(ok(fc.constantFrom('ops', ref.string)), bad('OPS', 'o')),
  manifestPrefix: fc.oneof(ok(fc.constantFrom(undefined, '', 'manifests/', 'a/b/', ref.string)), bad('/manifests/', 'm'.repeat(1024))),
  filter: filter([['Standard', 'IA'], ['Archive', 'ColdArchive', 'DeepColdArchive']], 'Glacier'),
  includeVersionIds: fc.oneof(ok(fc.constantFrom(undefined, true, false, ref.bool)), bad('yes' as unknown as boolean)),
  rerunToken,
};

describe(`props fuzzing (${RUNS} cases each)`, () => {
  fuzzTest('BatchJob', 'Job', (id, props) => new BatchJob(stack, id, props as unknown as BatchJobProps), fields, 20261125);
  fuzzTest('ManifestFromPrefix', 'Manifest', (id, props) => new ManifestFromPrefix(stack, id, props as unknown as ManifestFromPrefixProps), prefixFields, 20261202);
});
