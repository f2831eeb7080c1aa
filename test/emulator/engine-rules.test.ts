/**
 * Pure engine rules: the too-many-failures threshold and the report objects a job writes.
 */
import { exceedsFailureThreshold, FAILURE_SAMPLE, tooManyFailuresReason } from '../../src/emulator/engine/failure-threshold';
import { buildReportObjects, REPORT_ROWS_PER_PART, ReportInput } from '../../src/emulator/engine/report';
import { parseReportCsv, REPORT_FORMAT, ReportManifest, ReportRow } from '../../src/oss/csv';

describe('exceedsFailureThreshold (S3 rule: > 50% failed once min(total, 1000) tasks were attempted)', () => {
  test.each([
    // attempted, failed, total, expected
    [0, 0, 0, false],
    [0, 0, 10, false],
    [3, 3, 3, true], // small job: judged once every task was attempted
    [2, 2, 3, false], // ... not before
    [10, 5, 10, false], // exactly half is not more than half
    [10, 6, 10, true],
    [999, 999, 5000, false], // big job: not before 1,000 attempts
    [1000, 501, 5000, true],
    [1000, 500, 5000, false],
    [5000, 2501, 1_000_000, true], // checked after every batch, not only at 1,000
    [5000, 2500, 1_000_000, false],
  ])('attempted %i, failed %i of %i → %s', (attempted, failed, total, expected) => {
    expect(exceedsFailureThreshold(attempted, failed, total)).toBe(expected);
  });

  test('the sample size is 1,000 tasks', () => {
    expect(FAILURE_SAMPLE).toBe(1000);
    expect(exceedsFailureThreshold(FAILURE_SAMPLE - 1, FAILURE_SAMPLE - 1, 10 * FAILURE_SAMPLE)).toBe(false);
    expect(exceedsFailureThreshold(FAILURE_SAMPLE, FAILURE_SAMPLE, 10 * FAILURE_SAMPLE)).toBe(true);
  });

  test('the reason names the counts', () => {
    expect(tooManyFailuresReason(1000, 600)).toBe('Too many failures: 600 of the first 1000 tasks failed.');
  });
});

const row = (i: number, failed = false): ReportRow => failed
  ? { bucket: 'src', key: `k/${i}`, taskStatus: 'failed', errorCode: 'NoSuchKey', httpStatus: 404, message: `The specified key does not exist: k/${i}` }
  : { bucket: 'src', key: `k/${i}`, taskStatus: 'succeeded', httpStatus: 200 };

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  const rows = overrides.rows ?? [row(1), row(2, true), row(3)];
  return {
    jobId: 'J'.repeat(44), finalStatus: 'Complete', report: { bucket: 'reports', enabled: true, prefix: 'out/' },
    totalTasks: rows.length, succeededTasks: rows.filter((r) => r.taskStatus === 'succeeded').length,
    failedTasks: rows.filter((r) => r.taskStatus === 'failed').length, rows, ...overrides,
  };
}

const manifestOf = (objects: ReturnType<typeof buildReportObjects>) => JSON.parse(objects[objects.length - 1].body) as ReportManifest;

describe('buildReportObjects', () => {
  const prefix = `out/job-${'J'.repeat(44)}/`;

  test('AllTasks: one result part with every row, then manifest.json with the counts', () => {
    const objects = buildReportObjects(input());
    expect(objects.map((o) => [o.key, o.contentType])).toEqual([[`${prefix}results/part-00000.csv`, 'text/csv'], [`${prefix}manifest.json`, 'application/json']]);
    expect(parseReportCsv(objects[0].body)).toEqual(input().rows);
    expect(manifestOf(objects)).toEqual({
      format: REPORT_FORMAT, jobId: 'J'.repeat(44), status: 'Complete', reportScope: 'AllTasks', totalTasks: 3, succeededTasks: 2, failedTasks: 1,
      resultFiles: [`${prefix}results/part-00000.csv`],
    });
  });

  test('FailedTasksOnly keeps only failed rows; the counts still cover every task', () => {
    const objects = buildReportObjects(input({ report: { bucket: 'reports', enabled: true, prefix: 'out/', reportScope: 'FailedTasksOnly' } }));
    expect(parseReportCsv(objects[0].body).map((r) => r.key)).toEqual(['k/2']);
    expect(manifestOf(objects)).toMatchObject({ reportScope: 'FailedTasksOnly', totalTasks: 3, succeededTasks: 2, failedTasks: 1 });
  });

  test('no rows still gives one (header-only) part, so readers always find a file', () => {
    const objects = buildReportObjects(input({ rows: [], finalStatus: 'Cancelled' }));
    expect(objects).toHaveLength(2);
    expect(objects[0].body.trim()).toBe('Bucket,Key,VersionId,TaskStatus,ErrorCode,HTTPStatusCode,ResultMessage');
    expect(manifestOf(objects)).toMatchObject({ status: 'Cancelled', totalTasks: 0, resultFiles: [`${prefix}results/part-00000.csv`] });
  });

  test(`rows are split into parts of ${REPORT_ROWS_PER_PART.toLocaleString('en')}, in task order`, () => {
    const rows = Array.from({ length: 2 * REPORT_ROWS_PER_PART + 1 }, (_, i) => row(i, i % 3 === 0));
    const objects = buildReportObjects(input({ rows }));
    const parts = objects.slice(0, -1);
    expect(parts.map((o) => o.key)).toEqual([0, 1, 2].map((p) => `${prefix}results/part-0000${p}.csv`));
    expect(parts.map((o) => parseReportCsv(o.body).length)).toEqual([REPORT_ROWS_PER_PART, REPORT_ROWS_PER_PART, 1]);
    expect(parts.flatMap((o) => parseReportCsv(o.body))).toEqual(rows);
    expect(manifestOf(objects).resultFiles).toEqual(parts.map((o) => o.key));
  });

  test('an empty prefix puts the job folder at the bucket root', () => {
    const objects = buildReportObjects(input({ report: { bucket: 'reports', enabled: true } }));
    expect(objects.map((o) => o.key)).toEqual([`job-${'J'.repeat(44)}/results/part-00000.csv`, `job-${'J'.repeat(44)}/manifest.json`]);
  });

  test('a disabled report writes nothing', () => {
    expect(buildReportObjects(input({ report: { bucket: 'reports', enabled: false, prefix: 'out/' } }))).toEqual([]);
  });
});
