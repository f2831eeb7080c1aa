/** Every synth-time check: the message starts with the construct path and names the prop and what is allowed. */
import { Construct } from 'constructs';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import {
  BatchJob, BatchJobProps, BatchOperation, DeletionBehavior, JobManifest, ManifestFromPrefix, ManifestFromPrefixProps, ObjectAcl, ReportScope, RestoreTier,
} from '../../src';
import { ValidationError } from '../../src/constructs/errors';
import { base, errorOf } from './helpers';

const jobError = (overrides: Partial<BatchJobProps>) => errorOf(() => new BatchJob(new TerraformStack(new App(), 'v'), 'Job', base(overrides)));

const manifestProps = (overrides: Partial<ManifestFromPrefixProps> = {}): ManifestFromPrefixProps => ({
  region: 'cn-hangzhou', sourceBucket: 'photos', manifestBucket: 'ops', ...overrides,
});
const manifestError = (overrides: Partial<ManifestFromPrefixProps>) => errorOf(() => new ManifestFromPrefix(new TerraformStack(new App(), 'm'), 'M', manifestProps(overrides)));

describe('BatchJob props', () => {
  const cases: [string, Partial<BatchJobProps>, RegExp][] = [
    ['region shape', { region: 'Hangzhou' }, /^v\/Job: region must be a region id such as cn-hangzhou or ap-southeast-1 \(got "Hangzhou"\)/],
    ['region missing', { region: undefined as unknown as string }, /^v\/Job: region is required and must be a string/],
    ['endpoint not a URL', { endpoint: 'nope' }, /^v\/Job: endpoint must be an http or https URL/],
    ['endpoint scheme', { endpoint: 'ftp://127.0.0.1/' }, /^v\/Job: endpoint must be an http or https URL .*\(got "ftp:\/\/127.0.0.1\/"\)/],
    ['pathStyle type', { pathStyle: 'yes' as unknown as boolean }, /^v\/Job: pathStyle must be true or false/],
    ['roleArn shape', { roleArn: 'arn:aws:iam::1:role/x' }, /^v\/Job: roleArn must look like acs:ram::<account id>:role\/<role name>/],
    ['roleArn account', { roleArn: 'acs:ram::abc:role/x' }, /^v\/Job: roleArn must look like/],
    ['roleArn user', { roleArn: 'acs:ram::1:user/x' }, /^v\/Job: roleArn must look like/],
    ['priority below range', { priority: -1 }, /^v\/Job: priority must be an integer from 0 to 2147483647 \(got -1\)/],
    ['priority above range', { priority: 2147483648 }, /^v\/Job: priority must be an integer from 0 to 2147483647/],
    ['priority fraction', { priority: 1.5 }, /^v\/Job: priority must be an integer/],
    ['priority NaN', { priority: Number.NaN }, /^v\/Job: priority must be an integer/],
    ['description', { description: 'd'.repeat(257) }, /^v\/Job: description must be 0-256 characters long \(got 257\)/],
    ['rerunToken empty', { rerunToken: '' }, /^v\/Job: rerunToken must be 1-64 characters long \(got 0\)/],
    ['rerunToken long', { rerunToken: 'r'.repeat(65) }, /^v\/Job: rerunToken must be 1-64 characters long/],
    ['rerunToken control char', { rerunToken: 'a\nb' }, /^v\/Job: rerunToken must contain only printable ASCII/],
    ['rerunToken non-ASCII', { rerunToken: 'zweimal-ü' }, /^v\/Job: rerunToken must contain only printable ASCII/],
    ['timeoutSeconds zero', { timeoutSeconds: 0 }, /^v\/Job: timeoutSeconds must be an integer from 1 to 604800 \(got 0\); 7 days at most/],
    ['timeoutSeconds above 7 days', { timeoutSeconds: 604801 }, /^v\/Job: timeoutSeconds must be an integer from 1 to 604800/],
    ['maxFailedTasks negative', { maxFailedTasks: -1 }, /^v\/Job: maxFailedTasks must be an integer from 0/],
    ['maxFailedTasks fraction', { maxFailedTasks: 0.5 }, /^v\/Job: maxFailedTasks must be an integer/],
    ['deletionBehavior', { deletionBehavior: 'destroy' as DeletionBehavior }, /^v\/Job: deletionBehavior must be one of retain, cancel \(got "destroy"\)/],
    ['report missing', { report: undefined as any }, /^v\/Job: report is required/],
    ['report.bucket uppercase', { report: { bucket: 'Bad_Bucket' } }, /^v\/Job: report.bucket must be a bucket name: 3-63 lowercase letters, digits or hyphens/],
    ['report.bucket short', { report: { bucket: 'ab' } }, /^v\/Job: report.bucket must be a bucket name/],
    ['report.bucket long', { report: { bucket: 'a'.repeat(64) } }, /^v\/Job: report.bucket must be a bucket name/],
    ['report.bucket leading hyphen', { report: { bucket: '-ops' } }, /^v\/Job: report.bucket must be a bucket name/],
    ['report.bucket trailing hyphen', { report: { bucket: 'ops-' } }, /^v\/Job: report.bucket must be a bucket name/],
    ['report.prefix leading slash', { report: { bucket: 'ops', prefix: '/x' } }, /^v\/Job: report.prefix starts with "\/".*must not start with "\/"/],
    ['report.prefix too long', { report: { bucket: 'ops', prefix: 'p'.repeat(1024) } }, /^v\/Job: report.prefix is 1024 bytes long/],
    ['report.scope', { report: { bucket: 'ops', scope: 'Some' as ReportScope } }, /^v\/Job: report.scope must be one of AllTasks, FailedTasksOnly \(got "Some"\)/],
    ['operation missing', { operation: undefined as any }, /^v\/Job: operation must be built with a BatchOperation factory/],
    ['operation not from a factory', { operation: { type: 'PutObjectTagging' } as any }, /^v\/Job: operation must be built with a BatchOperation factory/],
    ['manifest not from a factory', { manifest: {} as any }, /^v\/Job: manifest must be built with JobManifest.fromCsv, fromKeyPrefix, fromInventoryReport or fromManifestFromPrefix/],
  ];
  test.each(cases)('%s', (_name, overrides, message) => {
    expect(jobError(overrides)).toMatch(message);
  });

  test('errors are ValidationErrors', () => {
    expect(() => new BatchJob(new TerraformStack(new App(), 'v'), 'Job', base({ priority: -1 }))).toThrow(ValidationError);
  });

  test('the error names the nested construct path', () => {
    const group = new Construct(new TerraformStack(new App(), 'v'), 'Photos');
    expect(errorOf(() => new BatchJob(group, 'Nightly', base({ priority: -1 })))).toMatch(/^v\/Photos\/Nightly: priority/);
  });

  test('boundaries are accepted', () => {
    for (const overrides of [
      { priority: 0 }, { priority: 2147483647 }, { description: 'd'.repeat(256) }, { rerunToken: 'r'.repeat(64) }, { rerunToken: ' !~' },
      { timeoutSeconds: 1 }, { timeoutSeconds: 604800 }, { report: { bucket: 'a'.repeat(63), prefix: 'p'.repeat(1023) } }, { report: { bucket: 'a-1' } },
      { region: 'oss-ap-southeast-1' }, { endpoint: 'https://oss-cn-hangzhou.aliyuncs.com' }, { roleArn: 'acs:ram::1:role/a.b-c@d_e+f=g,h' },
      { autoConfirm: true }, // without confirmationRequired: accepted, a documented no-op
    ] as Partial<BatchJobProps>[]) {
      expect(() => new BatchJob(new TerraformStack(new App(), 'v'), 'Job', base(overrides))).not.toThrow();
    }
  });
});

describe('BatchOperation', () => {
  const cases: [string, BatchOperation, RegExp][] = [
    ['no tags', BatchOperation.putObjectTagging({}), /^v\/Job: operation PutObjectTagging needs 1-10 tags \(got 0\); OSS allows at most 10 tags per object/],
    ['11 tags', BatchOperation.addObjectTagging(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']))), /^v\/Job: operation AddObjectTagging needs 1-10 tags \(got 11\)/],
    ['tag key too long', BatchOperation.putObjectTagging({ ['k'.repeat(129)]: 'v' }), /^v\/Job: operation tag key "k{40}…" must be 1-128 characters \(got 129\)/],
    ['tag key empty', BatchOperation.putObjectTagging({ '': 'v' }), /^v\/Job: operation tag key "" must be 1-128 characters \(got 0\)/],
    ['tag value too long', BatchOperation.putObjectTagging({ k: 'v'.repeat(257) }), /^v\/Job: operation tag value of "k" must be at most 256 characters \(got 257\) \(OSS tag keys are 1-128 characters, values 0-256\)/],
    ['acl', BatchOperation.putObjectAcl('bogus' as ObjectAcl), /^v\/Job: operation acl must be one of default, private, public-read, public-read-write \(got "bogus"\)/],
    ['restore days 0', BatchOperation.restoreObject({ days: 0 }), /^v\/Job: operation days must be an integer from 1 to 365 \(got 0\); OSS allows 1-7 for Archive objects/],
    ['restore days 366', BatchOperation.restoreObject({ days: 366 }), /^v\/Job: operation days must be an integer from 1 to 365 \(got 366\)/],
    ['restore days fraction', BatchOperation.restoreObject({ days: 1.5 }), /^v\/Job: operation days must be an integer/],
    ['restore tier', BatchOperation.restoreObject({ days: 3, tier: 'Fast' as RestoreTier }), /^v\/Job: operation tier must be one of Expedited, Standard, Bulk \(got "Fast"\)/],
  ];
  test.each(cases)('%s', (_name, operation, message) => {
    expect(jobError({ operation })).toMatch(message);
  });

  test('boundaries are accepted', () => {
    const tenTags = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, '']));
    for (const operation of [
      BatchOperation.putObjectTagging(tenTags), BatchOperation.putObjectTagging({ ['k'.repeat(128)]: 'v'.repeat(256) }),
      BatchOperation.deleteObjectTagging(), BatchOperation.restoreObject({ days: 1 }), BatchOperation.restoreObject({ days: 365, tier: RestoreTier.BULK }),
      ...Object.values(ObjectAcl).map((acl) => BatchOperation.putObjectAcl(acl)),
    ]) expect(() => new BatchJob(new TerraformStack(new App(), 'v'), 'Job', base({ operation }))).not.toThrow();
  });
});

describe('JobManifest', () => {
  const cases: [string, JobManifest, RegExp][] = [
    ['csv bucket', JobManifest.fromCsv({ bucket: 'x', key: 'm.csv' }), /^v\/Job: manifest.bucket must be a bucket name/],
    ['csv key empty', JobManifest.fromCsv({ bucket: 'ops', key: '' }), /^v\/Job: manifest.key must not be empty: OSS object keys are 1-1023 bytes/],
    ['csv key slash', JobManifest.fromCsv({ bucket: 'ops', key: '/m.csv' }), /^v\/Job: manifest.key starts with "\/"/],
    ['csv key bytes', JobManifest.fromCsv({ bucket: 'ops', key: 'é'.repeat(512) }), /^v\/Job: manifest.key is 1024 bytes long/],
    ['csv etag empty', JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', etag: '""' }), /^v\/Job: manifest.etag must be 1-128 characters long without quotes \(got 0\)/],
    ['csv versionId long', JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', versionId: 'v'.repeat(257) }), /^v\/Job: manifest.versionId must be 1-256 characters/],
    ['csv fields without Key', JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', fields: 'Bucket' }), /^v\/Job: manifest.fields must be a comma-separated list of Bucket, Key, VersionId, Ignore that includes Bucket and Key \(got "Bucket"\)/],
    ['csv fields unknown', JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', fields: 'Bucket,Key,Size' }), /^v\/Job: manifest.fields must be/],
    ['key prefix bucket', JobManifest.fromKeyPrefix({ sourceBucket: 'Photos' }), /^v\/Job: manifest.sourceBucket must be a bucket name/],
    ['key prefix slash', JobManifest.fromKeyPrefix({ sourceBucket: 'photos', prefix: '/raw/' }), /^v\/Job: manifest.prefix starts with "\/"/],
  ];
  test.each(cases)('%s', (_name, manifest, message) => {
    expect(jobError({ manifest })).toMatch(message);
  });
});

describe('ManifestFromPrefix props', () => {
  const cases: [string, Partial<ManifestFromPrefixProps>, RegExp][] = [
    ['region', { region: 'x' }, /^m\/M: region must be a region id/],
    ['endpoint', { endpoint: 'localhost:9000' }, /^m\/M: endpoint must be an http or https URL/],
    ['sourceBucket', { sourceBucket: 'Photos' }, /^m\/M: sourceBucket must be a bucket name/],
    ['manifestBucket', { manifestBucket: 'o' }, /^m\/M: manifestBucket must be a bucket name/],
    ['prefix', { prefix: '\\raw' }, /^m\/M: prefix starts with "\\"/],
    ['manifestPrefix slash', { manifestPrefix: '/m/' }, /^m\/M: manifestPrefix starts with "\/"/],
    ['manifestPrefix long', { manifestPrefix: 'k'.repeat(1024) }, /^m\/M: manifestPrefix is 1024 bytes long/],
    ['rerunToken', { rerunToken: 'r'.repeat(65) }, /^m\/M: rerunToken must be 1-64 characters long/],
    ['rerunToken printable', { rerunToken: 'tab\there' }, /^m\/M: rerunToken must contain only printable ASCII/],
    ['min > max', { filter: { minSizeBytes: 10, maxSizeBytes: 1 } }, /^m\/M: filter.minSizeBytes must not exceed filter.maxSizeBytes \(10 > 1\)/],
    ['min negative', { filter: { minSizeBytes: -1 } }, /^m\/M: filter.minSizeBytes must be an integer from 0 to 9007199254740991 \(got -1\)/],
    ['max fraction', { filter: { maxSizeBytes: 1.5 } }, /^m\/M: filter.maxSizeBytes must be an integer from 0 to 9007199254740991 \(got 1.5\)/],
    ['modifiedAfter words', { filter: { modifiedAfter: 'yesterday' } }, /^m\/M: filter.modifiedAfter must be an ISO-8601 date such as 2025-01-01, or a date-time with its zone/],
    ['modifiedAfter without zone', { filter: { modifiedAfter: '2025-01-01T10:00:00' } }, /^m\/M: filter.modifiedAfter must be an ISO-8601/],
    ['modifiedAfter impossible date', { filter: { modifiedAfter: '2025-13-45' } }, /^m\/M: filter.modifiedAfter must be an ISO-8601/],
    ['storageClasses', { filter: { storageClasses: ['Glacier'] } }, /^m\/M: filter.storageClasses must be one of Standard, IA, Archive, ColdArchive, DeepColdArchive \(got "Glacier"\)/],
    ['suffixes empty item', { filter: { suffixes: ['.jpg', ''] } }, /^m\/M: filter.suffixes must not contain an empty suffix/],
    ['suffixes not a list', { filter: { suffixes: '.jpg' as unknown as string[] } }, /^m\/M: filter.suffixes must be a list of strings/],
  ];
  test.each(cases)('%s', (_name, overrides, message) => {
    expect(manifestError(overrides)).toMatch(message);
  });

  test('valid filters are accepted', () => {
    for (const filter of [
      { suffixes: ['.jpg'], storageClasses: ['Archive', 'ColdArchive'], modifiedAfter: '2025-01-01T00:00:00Z' },
      { modifiedAfter: '2025-01-01' }, { modifiedAfter: '2025-01-01T08:00:00.123+08:00' }, { minSizeBytes: 0, maxSizeBytes: 0 },
    ]) expect(() => new ManifestFromPrefix(new TerraformStack(new App(), 'm'), 'M', manifestProps({ filter }))).not.toThrow();
  });
});

describe('references: identity props accept them, settings do not', () => {
  const stack = () => new TerraformStack(new App(), 'v');
  const cases: [string, (s: TerraformStack) => Partial<BatchJobProps>][] = [
    ['region', (s) => ({ region: new TerraformVariable(s, 'x', {}).stringValue })],
    ['priority', (s) => ({ priority: new TerraformVariable(s, 'x', {}).numberValue })],
    ['description', (s) => ({ description: new TerraformVariable(s, 'x', {}).stringValue })],
    ['rerunToken', (s) => ({ rerunToken: new TerraformVariable(s, 'x', {}).stringValue })],
    ['report.prefix', (s) => ({ report: { bucket: 'ops', prefix: new TerraformVariable(s, 'x', {}).stringValue } })],
    ['tag value', (s) => ({ operation: BatchOperation.putObjectTagging({ env: new TerraformVariable(s, 'x', {}).stringValue }) })],
    ['tag key', (s) => ({ operation: BatchOperation.putObjectTagging({ [new TerraformVariable(s, 'x', {}).stringValue]: 'v' }) })],
    ['restore days', (s) => ({ operation: BatchOperation.restoreObject({ days: new TerraformVariable(s, 'x', {}).numberValue }) })],
    ['manifest key', (s) => ({ manifest: JobManifest.fromCsv({ bucket: 'ops', key: new TerraformVariable(s, 'x', {}).stringValue }) })],
    ['key prefix', (s) => ({ manifest: JobManifest.fromKeyPrefix({ sourceBucket: 'photos', prefix: new TerraformVariable(s, 'x', {}).stringValue }) })],
    ['endpoint', (s) => ({ endpoint: new TerraformVariable(s, 'x', {}).stringValue })],
  ];
  test.each(cases)('%s as a reference is accepted and reaches the event as ${jsonencode(var.x)}', (_name, overrides) => {
    const s = stack();
    const job = new BatchJob(s, 'Job', base(overrides(s)));
    expect(job.node.findChild('job')).toBeDefined();
    const json = JSON.parse(Testing.synth(s));
    expect(Object.values(json.resource.terraform_data).some((r: any) => String(r.input).includes('${jsonencode(var.x)}'))).toBe(true);
  });

  test('settings must be literals (they are validated at synth)', () => {
    const s = stack();
    expect(errorOf(() => new BatchJob(s, 'Job', base({ timeoutSeconds: new TerraformVariable(s, 'x', {}).numberValue }))))
      .toMatch(/^v\/Job: timeoutSeconds must be a literal value \(got an unresolved token\): it is a setting/);
  });

  test('ManifestFromPrefix identity inputs accept references', () => {
    const s = stack();
    expect(() => new ManifestFromPrefix(s, 'M', manifestProps({ prefix: new TerraformVariable(s, 'x', {}).stringValue }))).not.toThrow();
  });

  test('literal parts are still checked when other parts are references', () => {
    const s = stack();
    expect(errorOf(() => new BatchJob(s, 'Job', base({ roleArn: new TerraformVariable(s, 'x', {}).stringValue, priority: -1 }))))
      .toMatch(/^v\/Job: priority must be an integer from 0 to 2147483647 \(got -1\)/);
  });
});
