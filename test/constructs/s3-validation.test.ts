/** Every synth-time check of the S3 constructs: the message starts with the construct path and names the prop and what is allowed. */
import { App, TerraformStack } from 'cdktf';
import {
  BatchOperation, DeletionBehavior, JobManifest, ReportScope, S3BatchJob, S3BatchJobProps, S3BatchOperation, S3CannedAcl, S3JobManifest,
  S3ManifestFromPrefix, S3ManifestFromPrefixProps, S3RestoreTier, S3StorageClass,
} from '../../src';
import { ValidationError } from '../../src/constructs/errors';
import { errorOf } from './helpers';
import { s3Base } from './s3-helpers';

const jobError = (overrides: Partial<S3BatchJobProps>) => errorOf(() => new S3BatchJob(new TerraformStack(new App(), 'v'), 'Job', s3Base(overrides)));
const accepted = (overrides: Partial<S3BatchJobProps>) => expect(() => new S3BatchJob(new TerraformStack(new App(), 'v'), 'Job', s3Base(overrides))).not.toThrow();

describe('S3BatchJob props', () => {
  const cases: [string, Partial<S3BatchJobProps>, RegExp][] = [
    ['accountId short', { accountId: '12345' }, /^v\/Job: accountId must be a 12-digit AWS account id, written as a string \(got "12345"\)$/],
    ['accountId letters', { accountId: '12345678901a' }, /^v\/Job: accountId must be a 12-digit AWS account id/],
    ['accountId as a number', { accountId: 123456789012 as unknown as string }, /^v\/Job: accountId is required and must be a string \(got number\)/],
    ['accountId missing', { accountId: undefined as unknown as string }, /^v\/Job: accountId is required and must be a string \(got nothing\)/],
    ['roleArn of OSS', { roleArn: 'acs:ram::1234567890123456:role/BatchRole' }, /^v\/Job: roleArn must look like arn:aws:iam::<12-digit account id>:role\/<role name> \(got "acs:ram::/],
    ['roleArn short account', { roleArn: 'arn:aws:iam::1234:role/BatchRole' }, /^v\/Job: roleArn must look like arn:aws:iam::/],
    ['roleArn of a user', { roleArn: 'arn:aws:iam::123456789012:user/alice' }, /^v\/Job: roleArn must look like arn:aws:iam::/],
    // Found by test/reliability/s3-props-fuzz.test.ts: IAM role names are 1-64 characters, paths have no empty segment, partitions are aws(-word)*.
    ['roleArn name of 65 characters', { roleArn: `arn:aws:iam::123456789012:role/${'r'.repeat(65)}` }, /^v\/Job: roleArn must look like arn:aws:iam::/],
    ['roleArn empty path segment', { roleArn: 'arn:aws:iam::123456789012:role//Batch' }, /^v\/Job: roleArn must look like arn:aws:iam::/],
    ['roleArn without a name', { roleArn: 'arn:aws:iam::123456789012:role/ops/' }, /^v\/Job: roleArn must look like arn:aws:iam::/],
    ['roleArn path over 512 characters', { roleArn: `arn:aws:iam::123456789012:role/${'p'.repeat(511)}/Batch` }, /^v\/Job: roleArn must look like arn:aws:iam::/],
    ['roleArn partition awsx', { roleArn: 'arn:awsx:iam::123456789012:role/BatchRole' }, /^v\/Job: roleArn must look like arn:aws:iam::/],
    ['roleArn partition aws-', { roleArn: 'arn:aws-:iam::123456789012:role/BatchRole' }, /^v\/Job: roleArn must look like arn:aws:iam::/],
    ['region of OSS', { region: 'cn-hangzhou' }, /^v\/Job: region must be an AWS region id such as us-east-1 or eu-central-1 \(got "cn-hangzhou"\)$/],
    ['region upper case', { region: 'US-EAST-1' }, /^v\/Job: region must be an AWS region id/],
    ['priority', { priority: -1 }, /^v\/Job: priority must be an integer from 0 to 2147483647 \(got -1\); higher runs first$/],
    ['description', { description: 'd'.repeat(257) }, /^v\/Job: description must be 0-256 characters long \(got 257\)/],
    ['rerunToken', { rerunToken: 'tab\there' }, /^v\/Job: rerunToken must contain only printable ASCII characters \(space to ~\), because S3 rejects other characters in it$/],
    ['endpoint', { endpoint: 's3.amazonaws.com' }, /^v\/Job: endpoint must be an http or https URL/],
    ['timeoutSeconds', { timeoutSeconds: 0 }, /^v\/Job: timeoutSeconds must be an integer from 1 to 604800 \(got 0\)/],
    ['deletionBehavior', { deletionBehavior: 'destroy' as DeletionBehavior }, /^v\/Job: deletionBehavior must be one of retain, cancel \(got "destroy"\)/],
    ['report missing', { report: undefined as any }, /^v\/Job: report is required: \{ bucket \} for a completion report/],
    ['report without bucket', { report: { prefix: 'r' } }, /^v\/Job: report.bucket is required while the report is enabled \(or set report.enabled to false\)$/],
    ['report.bucket upper case', { report: { bucket: 'Ops' } }, /^v\/Job: report.bucket must be an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens/],
    ['report.bucket IP address', { report: { bucket: '192.168.1.1' } }, /^v\/Job: report.bucket must be an S3 bucket name/],
    ['report.bucket two dots', { report: { bucket: 'a..b' } }, /^v\/Job: report.bucket must be an S3 bucket name/],
    ['report.prefix slash', { report: { bucket: 'ops', prefix: '/r' } }, /^v\/Job: report.prefix starts with "\/"/],
    ['report.scope', { report: { bucket: 'ops', scope: 'Some' as ReportScope } }, /^v\/Job: report.scope must be one of AllTasks, FailedTasksOnly \(got "Some"\)/],
    ['operation missing', { operation: undefined as any }, /^v\/Job: operation must be built with an S3BatchOperation factory, e\.g\. S3BatchOperation\.putObjectTagging/],
    ['operation of OSS', { operation: BatchOperation.putObjectTagging({ env: 'prod' }) as any }, /^v\/Job: operation must be one of S3PutObjectTagging, S3DeleteObjectTagging, S3PutObjectAcl, S3InitiateRestoreObject, S3PutObjectCopy \(got "PutObjectTagging"\)/],
    ['manifest missing', { manifest: {} as any }, /^v\/Job: manifest must be built with S3JobManifest.fromCsv, fromInventoryReport, fromGenerator or fromManifestFromPrefix$/],
    ['manifest of OSS', { manifest: JobManifest.fromKeyPrefix({ sourceBucket: 'photos' }) as any }, /^v\/Job: manifest must be built with S3JobManifest.fromCsv/],
  ];
  test.each(cases)('%s', (_name, overrides, message) => {
    expect(jobError(overrides)).toMatch(message);
  });

  test('errors are ValidationErrors', () => {
    expect(() => new S3BatchJob(new TerraformStack(new App(), 'v'), 'Job', s3Base({ accountId: '1' }))).toThrow(ValidationError);
  });

  test('boundaries are accepted', () => {
    for (const overrides of [
      { priority: 0 }, { priority: 2147483647 }, { accountId: '000000000000' }, { region: 'us-gov-west-1' }, { region: 'cn-north-1' }, { region: 'ap-southeast-5' },
      { roleArn: 'arn:aws:iam::123456789012:role/service-role/Batch+Ops=1,a.b@c-d' }, { roleArn: 'arn:aws-cn:iam::123456789012:role/BatchRole' },
      { roleArn: 'arn:aws-us-gov:iam::123456789012:role/a/b/BatchRole' }, { roleArn: `arn:aws:iam::123456789012:role/${'p'.repeat(510)}/${'r'.repeat(64)}` },
      { report: { bucket: 'my.bucket-1' } }, { report: { bucket: 'a'.repeat(63), prefix: 'p'.repeat(1023) } }, { report: { enabled: false } },
      { endpoint: '' }, { endpoint: 'https://s3.us-east-1.amazonaws.com' }, { autoConfirm: true },
    ] as Partial<S3BatchJobProps>[]) accepted(overrides);
  });
});

describe('S3BatchOperation', () => {
  const elevenTags = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
  const cases: [string, S3BatchOperation, RegExp][] = [
    ['11 tags', S3BatchOperation.putObjectTagging(elevenTags), /^v\/Job: operation S3PutObjectTagging needs 0-10 tags \(got 11\); S3 allows at most 10 tags per object$/],
    ['tag key empty', S3BatchOperation.putObjectTagging({ '': 'v' }), /^v\/Job: operation tag key "" must be 1-128 characters \(got 0\) \(S3 tag keys are 1-128 characters, values 0-256\)$/],
    ['tag key too long', S3BatchOperation.putObjectTagging({ ['k'.repeat(129)]: 'v' }), /^v\/Job: operation tag key "k{40}…" must be 1-128 characters \(got 129\) \(S3 tag keys are 1-128 characters, values 0-256\)$/],
    ['tag value too long', S3BatchOperation.putObjectTagging({ k: 'v'.repeat(257) }), /^v\/Job: operation tag value of "k" must be at most 256 characters \(got 257\)/],
    ['acl', S3BatchOperation.putObjectAcl('default' as S3CannedAcl), /^v\/Job: operation cannedAcl must be one of private, public-read, public-read-write, aws-exec-read, authenticated-read, bucket-owner-read, bucket-owner-full-control \(got "default"\)$/],
    ['restore days 0', S3BatchOperation.initiateRestoreObject({ days: 0 }), /^v\/Job: operation days must be an integer from 1 to 2147483647 \(got 0\); days the restored copy stays available$/],
    ['restore days fraction', S3BatchOperation.initiateRestoreObject({ days: 1.5 }), /^v\/Job: operation days must be an integer from 1/],
    ['restore days missing', S3BatchOperation.initiateRestoreObject(undefined as any), /^v\/Job: operation days must be an integer from 1/],
    ['restore tier of OSS', S3BatchOperation.initiateRestoreObject({ days: 1, tier: 'Expedited' as S3RestoreTier }), /^v\/Job: operation tier must be one of BULK, STANDARD \(got "Expedited"\)$/],
    ['copy without target', S3BatchOperation.putObjectCopy({} as any), /^v\/Job: operation targetBucket is required and must be a string \(got nothing\)$/],
    ['copy target not a bucket', S3BatchOperation.putObjectCopy({ targetBucket: 'Backup_1' }), /^v\/Job: operation targetBucket must be an S3 bucket name: .*\(got "Backup_1"\)$/],
    ['copy target prefix slash', S3BatchOperation.putObjectCopy({ targetBucket: 'backup', targetKeyPrefix: '/copy/' }), /^v\/Job: operation targetKeyPrefix starts with "\/"/],
    ['copy storage class', S3BatchOperation.putObjectCopy({ targetBucket: 'backup', storageClass: 'IA' as S3StorageClass }), /^v\/Job: operation storageClass must be one of STANDARD, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER, DEEP_ARCHIVE, GLACIER_IR \(got "IA"\)$/],
    ['copy acl', S3BatchOperation.putObjectCopy({ targetBucket: 'backup', cannedAcl: 'public' as S3CannedAcl }), /^v\/Job: operation cannedAcl must be one of private/],
  ];
  test.each(cases)('%s', (_name, operation, message) => {
    expect(jobError({ operation })).toMatch(message);
  });

  test('boundaries are accepted', () => {
    const tenTags = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, '']));
    for (const operation of [
      S3BatchOperation.putObjectTagging({}), S3BatchOperation.putObjectTagging(tenTags), S3BatchOperation.putObjectTagging({ ['k'.repeat(128)]: 'v'.repeat(256) }),
      S3BatchOperation.deleteObjectTagging(), S3BatchOperation.initiateRestoreObject({ days: 1 }), S3BatchOperation.initiateRestoreObject({ days: 2147483647, tier: S3RestoreTier.BULK }),
      S3BatchOperation.putObjectCopy({ targetBucket: 'photos', targetKeyPrefix: 'k'.repeat(1023) }),
      ...Object.values(S3CannedAcl).map((acl) => S3BatchOperation.putObjectAcl(acl)),
      ...Object.values(S3StorageClass).map((storageClass) => S3BatchOperation.putObjectCopy({ targetBucket: 'backup', storageClass })),
    ]) accepted({ operation });
  });
});

describe('S3JobManifest', () => {
  const cases: [string, S3JobManifest, RegExp][] = [
    ['csv bucket', S3JobManifest.fromCsv({ bucket: 'x', key: 'm.csv' }), /^v\/Job: manifest.bucket must be an S3 bucket name/],
    ['csv key empty', S3JobManifest.fromCsv({ bucket: 'ops', key: '' }), /^v\/Job: manifest.key must not be empty: S3 object keys are 1-1023 bytes of UTF-8/],
    ['csv key slash', S3JobManifest.fromCsv({ bucket: 'ops', key: '/m.csv' }), /^v\/Job: manifest.key starts with "\/"/],
    ['csv etag empty', S3JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', etag: '""' }), /^v\/Job: manifest.etag must be 1-128 characters long without quotes \(got 0\)/],
    ['csv versionId long', S3JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', versionId: 'v'.repeat(1025) }), /^v\/Job: manifest.versionId must be 1-1024 characters/],
    ['csv includesVersionIds not a boolean', S3JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', includesVersionIds: 'yes' as unknown as boolean }), /^v\/Job: manifest.fields must be one of Bucket,Key, Bucket,Key,VersionId \(got "yes"\)/],
    ['inventory key missing', S3JobManifest.fromInventoryReport({ bucket: 'inv' } as any), /^v\/Job: manifest.manifestKey is required and must be a string/],
    ['inventory bucket', S3JobManifest.fromInventoryReport({ bucket: 'Inv', manifestKey: 'm.json' }), /^v\/Job: manifest.bucket must be an S3 bucket name/],
    ['generator bucket', S3JobManifest.fromGenerator({ sourceBucket: 'Photos' }), /^v\/Job: manifest.sourceBucket must be an S3 bucket name/],
    ['generator prefix slash', S3JobManifest.fromGenerator({ sourceBucket: 'photos', prefix: '/raw/' }), /^v\/Job: manifest.prefix starts with "\/"/],
  ];
  test.each(cases)('%s', (_name, manifest, message) => {
    expect(jobError({ manifest })).toMatch(message);
  });
});

describe('S3ManifestFromPrefix props', () => {
  const props = (overrides: Partial<S3ManifestFromPrefixProps> = {}): S3ManifestFromPrefixProps => ({ region: 'us-east-1', sourceBucket: 'photos', manifestBucket: 'ops', ...overrides });
  const manifestError = (overrides: Partial<S3ManifestFromPrefixProps>) => errorOf(() => new S3ManifestFromPrefix(new TerraformStack(new App(), 'm'), 'M', props(overrides)));
  const cases: [string, Partial<S3ManifestFromPrefixProps>, RegExp][] = [
    ['props missing', undefined as any, /^m\/M: props are required/],
    ['region', { region: 'cn-hangzhou' }, /^m\/M: region must be an AWS region id/],
    ['endpoint', { endpoint: 'localhost:9000' }, /^m\/M: endpoint must be an http or https URL/],
    ['sourceBucket', { sourceBucket: 'Photos' }, /^m\/M: sourceBucket must be an S3 bucket name/],
    ['manifestBucket', { manifestBucket: 'o' }, /^m\/M: manifestBucket must be an S3 bucket name/],
    ['prefix', { prefix: '/raw' }, /^m\/M: prefix starts with "\/"/],
    ['manifestPrefix', { manifestPrefix: 'k'.repeat(1024) }, /^m\/M: manifestPrefix is 1024 bytes long/],
    ['rerunToken', { rerunToken: 'r'.repeat(65) }, /^m\/M: rerunToken must be 1-64 characters long/],
    ['storage class of OSS', { filter: { storageClasses: ['Archive'] } }, /^m\/M: filter.storageClasses must be one of STANDARD, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER, DEEP_ARCHIVE, GLACIER_IR, REDUCED_REDUNDANCY, OUTPOSTS, SNOW, EXPRESS_ONEZONE \(got "Archive"\)/],
    ['min > max', { filter: { minSizeBytes: 10, maxSizeBytes: 1 } }, /^m\/M: filter.minSizeBytes must not exceed filter.maxSizeBytes/],
    ['includeVersionIds', { includeVersionIds: 'yes' as unknown as boolean }, /^m\/M: includeVersionIds must be true or false/],
  ];
  test.each(cases)('%s', (_name, overrides, message) => {
    expect(overrides === undefined
      ? errorOf(() => new S3ManifestFromPrefix(new TerraformStack(new App(), 'm'), 'M', undefined as any))
      : manifestError(overrides)).toMatch(message);
  });

  test('S3 storage classes and the other filters are accepted', () => {
    for (const filter of [
      { storageClasses: ['GLACIER', 'DEEP_ARCHIVE', 'EXPRESS_ONEZONE'], suffixes: ['.log'] }, { modifiedAfter: '2025-01-01T00:00:00Z', minSizeBytes: 0, maxSizeBytes: 0 },
    ]) expect(() => new S3ManifestFromPrefix(new TerraformStack(new App(), 'm'), 'M', props({ filter }))).not.toThrow();
  });
});
