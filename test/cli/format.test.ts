/** Pure rendering: the jobs table and the DescribeJob key/value view. */
import type { JobDescriptor, JobListEntry } from '../../src/oss/model';

// cli-table3's color library makes its own decision from the environment when it loads (it turns
// colors off when CI is set, as in CI runs). The CLI decides colors itself (context.useColor), so
// pin the library's side before it loads to test our decision alone.
process.env.FORCE_COLOR = '1';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { describeText, isoTime, jobsTable, progressText } = require('../../src/cli/format') as typeof import('../../src/cli/format');

const progress = { numberOfTasksSucceeded: 7, numberOfTasksFailed: 2, totalNumberOfTasks: 10 };

test('isoTime: epoch seconds → ISO-8601 UTC without milliseconds; absent → empty', () => {
  expect(isoTime(1749983400)).toBe('2025-06-15T10:30:00Z');
  expect(isoTime(0)).toBe('1970-01-01T00:00:00Z');
  expect(isoTime(undefined)).toBe('');
  expect(progressText(progress)).toBe('7/2/10');
});

describe('jobsTable', () => {
  const jobs: JobListEntry[] = [
    { jobId: 'J1', status: 'Active', operation: 'PutObjectTagging', priority: 10, creationTime: 1749983400, description: 'tag logs', progressSummary: progress },
    { jobId: 'J2', status: 'New', progressSummary: { numberOfTasksSucceeded: 0, numberOfTasksFailed: 0, totalNumberOfTasks: 0 } },
  ];

  test('one row per job with every column, in order', () => {
    const rows = jobsTable(jobs, false).split('\n');
    const cells = (line: string) => line.split('│').map((c) => c.trim()).slice(1, -1);
    expect(cells(rows[1])).toEqual(['JobId', 'Status', 'Operation', 'Priority', 'Succeeded/Failed/Total', 'Created', 'Description']);
    const body = rows.filter((r) => r.includes('J1') || r.includes('J2')).map(cells);
    expect(body).toEqual([
      ['J1', 'Active', 'PutObjectTagging', '10', '7/2/10', '2025-06-15T10:30:00Z', 'tag logs'],
      ['J2', 'New', '', '', '0/0/0', '', ''],
    ]);
  });

  test('colors only when asked', () => {
    expect(jobsTable(jobs, false)).not.toContain('\u001b[');
    const colored = jobsTable(jobs, true);
    expect(colored).toContain('\u001b[');
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(jobsTable(jobs, false));
  });
});

describe('describeText', () => {
  const base: JobDescriptor = { jobId: 'J1', status: 'Complete', failureReasons: [], progressSummary: progress };
  const valueOf = (text: string, key: string) => text.split('\n').find((l) => l.startsWith(`${key} `))?.slice(key.length).trim();

  test('a full job: every field on its own aligned line', () => {
    const text = describeText({
      ...base, status: 'Failed', statusUpdateReason: 'too many failures', priority: 3, description: 'd', roleArn: 'acs:ram::1:role/R',
      confirmationRequired: true, creationTime: 1749983400, terminationDate: 1749983460,
      operation: { type: 'PutObjectTagging', tags: [{ key: 'env', value: 'prod' }, { key: 'team', value: 'ops' }] },
      manifest: { location: { bucket: 'm', object: 'list.csv', etag: 'abc', versionId: 'v1' }, spec: { format: 'OSS_BatchOperations_CSV_20250611' } },
      report: { bucket: 'r', enabled: true, prefix: 'reports/', reportScope: 'FailedTasksOnly' },
      failureReasons: [{ failureCode: 'TooManyFailures', failureReason: 'more than half failed' }],
      progressSummary: { ...progress, elapsedTimeInActiveSeconds: 42 },
    });
    expect(valueOf(text, 'Status')).toBe('Failed (too many failures)');
    expect(valueOf(text, 'Operation')).toBe('PutObjectTagging env=prod, team=ops');
    expect(valueOf(text, 'Tasks (succeeded/failed/total)')).toBe('7/2/10');
    expect(valueOf(text, 'Active for')).toBe('42 s');
    expect(valueOf(text, 'Confirmation required')).toBe('true');
    expect(valueOf(text, 'Created')).toBe('2025-06-15T10:30:00Z');
    expect(valueOf(text, 'Terminated')).toBe('2025-06-15T10:31:00Z');
    expect(valueOf(text, 'Manifest')).toBe('oss://m/list.csv (version v1) ETag abc, OSS_BatchOperations_CSV_20250611 [Bucket,Key]');
    expect(valueOf(text, 'Report')).toBe('oss://r/reports/ (FailedTasksOnly)');
    expect(valueOf(text, 'Failure')).toBe('TooManyFailures: more than half failed');
    // Values start two columns after the longest key, on every line.
    const width = 'Tasks (succeeded/failed/total)'.length;
    for (const line of text.split('\n')) expect(line.slice(width, width + 3)).toMatch(/^ {2}\S$/);
  });

  test('empty fields are left out; generator, disabled report and other operations render', () => {
    const text = describeText({ ...base, keyPrefixManifestGenerator: { sourceBucket: 'src', prefix: 'logs/' }, report: { bucket: 'r', enabled: false }, operation: { type: 'RestoreObject', days: 2, tier: 'Bulk' } });
    expect(valueOf(text, 'Manifest generator')).toBe('oss://src/logs/');
    expect(valueOf(text, 'Report')).toBe('disabled');
    expect(valueOf(text, 'Operation')).toBe('RestoreObject 2 days Bulk');
    expect(text).not.toMatch(/^(Description|Role|Created|Terminated|Active for|Manifest {2}|Failure)/m);
    expect(valueOf(describeText({ ...base, operation: { type: 'RestoreObject' } }), 'Operation')).toBe('RestoreObject');
    expect(valueOf(describeText({ ...base, operation: { type: 'PutObjectAcl', acl: 'private' } }), 'Operation')).toBe('PutObjectAcl private');
    expect(valueOf(describeText({ ...base, operation: { type: 'DeleteObjectTagging' } }), 'Operation')).toBe('DeleteObjectTagging');
  });
});
