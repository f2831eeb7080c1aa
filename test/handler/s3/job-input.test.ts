/** The S3 CreateJob request from the identity, and the spec comparison used to find our job on delete. */
import type { JobDescriptor as AwsJob } from '@aws-sdk/client-s3-control';
import { manifestToHead, s3JobMatchesSpec, toS3CreateJobInput } from '../../../src/handler/s3/job-input';
import type { S3JobIdentity } from '../../../src/shared/s3-identity';

const identity = (overrides: Partial<S3JobIdentity> = {}): S3JobIdentity => ({
  region: 'cn-north-1', accountId: '123456789012', roleArn: 'arn:aws-cn:iam::123456789012:role/r', priority: 5, description: '', confirmationRequired: false,
  operation: { type: 'S3PutObjectTagging', tags: [{ key: 'a', value: '1' }] },
  manifest: { csv: { bucket: 'lists', key: 'm/x.csv', fields: 'Bucket,Key,VersionId', format: 'S3BatchOperations_CSV_20180820' } },
  report: { enabled: true, bucket: 'rpt', prefix: 'reports', scope: 'FailedTasksOnly' },
  ...overrides,
});

test('CreateJob names buckets by ARN in the region\'s partition and takes the ETag read by HeadObject when none is pinned', () => {
  expect(manifestToHead(identity())).toEqual({ bucket: 'lists', key: 'm/x.csv' });
  expect(toS3CreateJobInput(identity(), 's3b1-tok', 'abc')).toEqual({
    ClientRequestToken: 's3b1-tok', ConfirmationRequired: false, Priority: 5, RoleArn: 'arn:aws-cn:iam::123456789012:role/r', Description: undefined,
    Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'a', Value: '1' }] } },
    Manifest: {
      Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key', 'VersionId'] },
      Location: { ObjectArn: 'arn:aws-cn:s3:::lists/m/x.csv', ETag: 'abc', ObjectVersionId: undefined },
    },
    Report: { Bucket: 'arn:aws-cn:s3:::rpt', Format: 'Report_CSV_20180820', Enabled: true, Prefix: 'reports', ReportScope: 'FailedTasksOnly' },
  });
  const generator = toS3CreateJobInput(identity({ manifest: { generator: { sourceBucket: 'src', prefix: '' } }, report: { enabled: false, bucket: '', prefix: 'x', scope: 'AllTasks' } }), 't');
  expect(generator.ManifestGenerator).toEqual({ S3JobManifestGenerator: { SourceBucket: 'arn:aws-cn:s3:::src', EnableManifestOutput: false, Filter: undefined } });
  expect(generator.Report).toEqual({ Enabled: false });
  expect(manifestToHead(identity({ manifest: { inventory: { bucket: 'inv', manifestKey: 'a/manifest.json', etag: 'e', format: 'S3InventoryReport_CSV_20161130' } } }))).toBeUndefined();
});

test('a described job matches its spec through S3\'s echoes (empty strings, quoted ETag) but not with another value', () => {
  const spec = identity();
  const echoed: AwsJob = {
    ...(toS3CreateJobInput(spec, 'tok', '"ABC"') as AwsJob), Description: '', JobId: 'j', Status: 'Active',
    Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'a', Value: '1' }], ObjectLockLegalHold: undefined } as never },
  };
  expect(s3JobMatchesSpec(echoed, spec)).toBe(true);
  expect(s3JobMatchesSpec({ ...echoed, Priority: 6 }, spec)).toBe(false);
  expect(s3JobMatchesSpec({ ...echoed, Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'a', Value: '2' }] } } }, spec)).toBe(false);
  expect(s3JobMatchesSpec({ ...echoed, Report: { ...echoed.Report!, ReportScope: 'AllTasks' } }, spec)).toBe(false);
  // A pinned ETag is part of the spec; an unpinned one is not (it was read when the job was made).
  const pinned = identity({ manifest: { csv: { ...spec.manifest.csv!, etag: 'abc' } } });
  expect(s3JobMatchesSpec(echoed, pinned)).toBe(true);
  expect(s3JobMatchesSpec({ ...echoed, Manifest: { ...echoed.Manifest!, Location: { ...echoed.Manifest!.Location!, ETag: 'other' } } }, pinned)).toBe(false);
});
