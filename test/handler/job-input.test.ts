/** The pure spec ↔ wire mappings: CreateJob input, result file, and spec matching for delete. */
import { jobMatchesSpec, resultOf, toCreateJobInput } from '../../src/handler/job-input';
import { MANIFEST_FORMAT_CSV, MANIFEST_FORMAT_INVENTORY } from '../../src/oss/model';
import type { BatchJobEvent, JobIdentity } from '../../src/shared/contract';

const spec = (over: Partial<JobIdentity> = {}): JobIdentity => ({
  region: 'cn-hangzhou', roleArn: 'acs:ram::1:role/r', priority: 5, description: 'tag photos', confirmationRequired: true,
  operation: { type: 'PutObjectAcl', acl: 'private' },
  manifest: { csv: { bucket: 'ops', key: 'm.csv', etag: 'ABC', fields: 'Bucket,Key', format: MANIFEST_FORMAT_CSV } },
  report: { enabled: true, bucket: 'ops', prefix: 'r/', scope: 'FailedTasksOnly' },
  ...over,
});

test('toCreateJobInput: csv manifest, report, flags, token', () => {
  expect(toCreateJobInput(spec(), 'tok')).toEqual({
    confirmationRequired: true, operation: { type: 'PutObjectAcl', acl: 'private' },
    report: { bucket: 'ops', enabled: true, prefix: 'r/', reportScope: 'FailedTasksOnly' }, clientRequestToken: 'tok',
    description: 'tag photos', priority: 5, roleArn: 'acs:ram::1:role/r',
    manifest: { location: { bucket: 'ops', object: 'm.csv', etag: 'ABC', versionId: undefined }, spec: { fields: 'Bucket,Key', format: MANIFEST_FORMAT_CSV } },
  });
});

test('toCreateJobInput: key-prefix generator, empty description left out, each operation', () => {
  const input = toCreateJobInput(spec({ description: '', manifest: { keyPrefix: { sourceBucket: 'src', prefix: 'p/' } } }), 't');
  expect(input.keyPrefixManifestGenerator).toEqual({ sourceBucket: 'src', prefix: 'p/' });
  expect(input.manifest).toBeUndefined();
  expect(input.description).toBeUndefined();
  const op = (operation: JobIdentity['operation']) => toCreateJobInput(spec({ operation }), 't').operation;
  expect(op({ type: 'PutObjectTagging' })).toEqual({ type: 'PutObjectTagging', tags: [] });
  expect(op({ type: 'AddObjectTagging', tags: [{ key: 'k', value: 'v' }] })).toEqual({ type: 'AddObjectTagging', tags: [{ key: 'k', value: 'v' }] });
  expect(op({ type: 'DeleteObjectTagging', tags: [{ key: 'k', value: 'v' }] })).toEqual({ type: 'DeleteObjectTagging' });
  expect(op({ type: 'PutObjectAcl' })).toEqual({ type: 'PutObjectAcl', acl: 'default' });
  expect(op({ type: 'RestoreObject', days: 3, tier: 'Bulk' })).toEqual({ type: 'RestoreObject', days: 3, tier: 'Bulk' });
});

test('toCreateJobInput: an inventory report manifest is the manifest.json location with the inventory format, no fields', () => {
  const inventory = spec({ manifest: { inventory: { bucket: 'inv', manifestKey: 'src/daily/2025-06-01T00-00Z/manifest.json', etag: 'D41D8', format: MANIFEST_FORMAT_INVENTORY } } });
  const input = toCreateJobInput(inventory, 'tok');
  expect(input.manifest).toEqual({
    location: { bucket: 'inv', object: 'src/daily/2025-06-01T00-00Z/manifest.json', etag: 'D41D8' },
    spec: { format: MANIFEST_FORMAT_INVENTORY },
  });
  expect(input.manifest!.spec).not.toHaveProperty('fields');
  expect(input.keyPrefixManifestGenerator).toBeUndefined();
  expect(input).toMatchObject({ clientRequestToken: 'tok', priority: 5, roleArn: 'acs:ram::1:role/r', confirmationRequired: true });
  // Without a pinned ETag none is sent.
  const unpinned = toCreateJobInput(spec({ manifest: { inventory: { bucket: 'inv', manifestKey: 'm.json', format: MANIFEST_FORMAT_INVENTORY } } }), 't');
  expect(unpinned.manifest!.location).toEqual({ bucket: 'inv', object: 'm.json', etag: undefined });
  // The job created from it is recognised by delete; another manifest.json, or the CSV format on the same key, is not.
  expect(jobMatchesSpec(input, inventory)).toBe(true);
  expect(jobMatchesSpec({ ...input, manifest: { ...input.manifest!, location: { ...input.manifest!.location, object: 'other.json' } } }, inventory)).toBe(false);
  expect(jobMatchesSpec({ ...input, manifest: { ...input.manifest!, spec: { format: MANIFEST_FORMAT_CSV } } }, inventory)).toBe(false);
});

test('resultOf: counts and the report location, empty when the report is off', () => {
  const event = { identity: spec() } as BatchJobEvent;
  const job = { jobId: 'J=', status: 'Complete', failureReasons: [], progressSummary: { totalNumberOfTasks: 4, numberOfTasksSucceeded: 3, numberOfTasksFailed: 1 } };
  expect(resultOf(job, event, 'tok')).toEqual({ jobId: 'J=', status: 'Complete', totalTasks: 4, succeededTasks: 3, failedTasks: 1, reportLocation: 'oss://ops/r/job-J=/', clientRequestToken: 'tok' });
  expect(resultOf(job, { identity: spec({ report: { ...spec().report, enabled: false } }) } as BatchJobEvent, 'tok').reportLocation).toBe('');
});

describe('jobMatchesSpec', () => {
  const described = () => toCreateJobInput(spec(), 'ignored');

  test('the job created from a spec matches it; any identity field that differs does not', () => {
    expect(jobMatchesSpec(described(), spec())).toBe(true);
    expect(jobMatchesSpec({ ...described(), priority: 6 }, spec())).toBe(false);
    expect(jobMatchesSpec({ ...described(), roleArn: 'acs:ram::2:role/r' }, spec())).toBe(false);
    expect(jobMatchesSpec({ ...described(), description: 'other' }, spec())).toBe(false);
    expect(jobMatchesSpec({ ...described(), operation: { type: 'PutObjectAcl', acl: 'public-read' } }, spec())).toBe(false);
    expect(jobMatchesSpec({ ...described(), report: { ...described().report, prefix: 'x/' } }, spec())).toBe(false);
    expect(jobMatchesSpec({ ...described(), manifest: { ...described().manifest!, location: { bucket: 'ops', object: 'other.csv' } } }, spec())).toBe(false);
  });

  test('spelling differences a service may introduce still match', () => {
    const d = described();
    expect(jobMatchesSpec({
      ...d, description: 'tag photos',
      manifest: { location: { bucket: 'ops', object: 'm.csv', etag: '"abc"', versionId: '' }, spec: { format: MANIFEST_FORMAT_CSV, fields: 'Bucket, Key' } },
    }, spec())).toBe(true);
    expect(jobMatchesSpec({ ...d, manifest: { ...d.manifest!, spec: { format: MANIFEST_FORMAT_CSV } } }, spec())).toBe(true); // default fields
    const noDescription = spec({ description: '' });
    expect(jobMatchesSpec({ ...toCreateJobInput(noDescription, ''), description: '' }, noDescription)).toBe(true);
    const noReport = spec({ report: { enabled: false, bucket: 'ops', prefix: 'r/', scope: 'AllTasks' } });
    expect(jobMatchesSpec({ ...toCreateJobInput(noReport, ''), report: { enabled: false, bucket: '' } }, noReport)).toBe(true);
  });
});
