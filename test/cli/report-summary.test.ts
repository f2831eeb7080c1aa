/** Rendering of a report reading as `report summary` text and JSON. */
import type { ReportReading } from '../../src/jobs/report';
import { reportSummaryText, summaryOf } from '../../src/cli/report-summary';
import type { ReportRow } from '../../src/oss/csv';

const failed = (key: string, errorCode?: string): ReportRow => ({ bucket: 'b', key, taskStatus: 'failed', ...(errorCode ? { errorCode } : {}) });
const reading = (o: Partial<ReportReading> = {}): ReportReading => ({
  where: 'oss://b/r/job-J/', meta: { jobId: 'J' }, countsFromManifest: false, complete: true, rowsRead: 0, byStatus: {}, byErrorCode: {}, failures: [], notes: [], ...o,
});

test('summaryOf: the manifest counts when present, else counted from the rows; notes only when there are some', () => {
  const counted = summaryOf(reading({ meta: { jobId: 'J', status: 'Complete', totalTasks: 9, succeededTasks: 5, failedTasks: 4 }, countsFromManifest: true, rowsRead: 5, byStatus: { succeeded: 1, failed: 4 } }));
  expect(counted).toMatchObject({ jobId: 'J', status: 'Complete', totalTasks: 9, succeededTasks: 5, failedTasks: 4, rowsRead: 5 });
  expect(counted).not.toHaveProperty('notes');
  const fromRows = summaryOf(reading({ rowsRead: 5, byStatus: { succeeded: 1, failed: 4 }, notes: ['manifest.json is not JSON'] }));
  expect(fromRows).toMatchObject({ status: '', totalTasks: 5, succeededTasks: 1, failedTasks: 4, notes: ['manifest.json is not JSON'] });
  expect(summaryOf(reading())).toMatchObject({ totalTasks: 0, succeededTasks: 0, failedTasks: 0, rowsRead: 0, byStatus: {}, byErrorCode: {} });
});

test('reportSummaryText', () => {
  const s = summaryOf(reading({
    meta: { jobId: 'J', status: 'Complete', reportScope: 'AllTasks', totalTasks: 3, succeededTasks: 1, failedTasks: 2 }, countsFromManifest: true,
    rowsRead: 3, byStatus: { succeeded: 1, failed: 2 }, byErrorCode: { NoSuchKey: 2 }, failures: [{ ...failed('dir/b', 'NoSuchKey'), versionId: 'v1', message: 'gone' }],
  }));
  expect(reportSummaryText(s)).toBe([
    'Job J: Complete',
    'Tasks: 1 succeeded, 2 failed, 3 total',
    'Report rows: 3 (1 succeeded, 2 failed), scope AllTasks',
    'Failures by error code:',
    '  NoSuchKey: 2',
    'First 1 failed objects:',
    '  oss://b/dir/b (version v1): NoSuchKey — gone',
  ].join('\n'));
  expect(reportSummaryText(summaryOf(reading({ notes: ['n1'] })))).toBe('Job J\nTasks: 0 succeeded, 0 failed, 0 total\nReport rows: 0\nNote: n1');
});
