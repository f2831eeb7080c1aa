/** Pure report summary: tolerant manifest.json reading, counting, text. */
import { parseReportMeta, ReportFormatError, reportSummaryText, summarizeReport } from '../../src/cli/report-summary';
import { encodeReportCsv, parseReportCsv, ReportRow } from '../../src/oss/csv';

const failed = (key: string, errorCode?: string): ReportRow => ({ bucket: 'b', key, taskStatus: 'failed', ...(errorCode ? { errorCode } : {}) });
const ok = (key: string): ReportRow => ({ bucket: 'b', key, taskStatus: 'succeeded' });

describe('parseReportMeta', () => {
  test('reads the fields we use, ignores unknown ones', () => {
    const meta = parseReportMeta(JSON.stringify({
      format: 'cdktf-oss-batch-report-v1', jobId: 'J', status: 'Complete', reportScope: 'AllTasks', totalTasks: 3, succeededTasks: 2, failedTasks: 1,
      resultFiles: ['r/job-J/results/part-00000.csv'], future: { anything: true },
    }), 'fallback', 'where');
    expect(meta).toEqual({ jobId: 'J', status: 'Complete', reportScope: 'AllTasks', totalTasks: 3, succeededTasks: 2, failedTasks: 1, resultFiles: ['r/job-J/results/part-00000.csv'] });
  });

  test('drops wrongly typed fields instead of trusting them', () => {
    const meta = parseReportMeta(JSON.stringify({ status: 7, totalTasks: '3', failedTasks: -1, succeededTasks: 1.5, resultFiles: ['a.csv', 5, null] }), 'J', 'where');
    expect(meta).toEqual({ jobId: 'J', resultFiles: ['a.csv'] });
  });

  test('not JSON, or not an object: a ReportFormatError naming the file', () => {
    expect(() => parseReportMeta('{', 'J', 'oss://b/m.json')).toThrow(ReportFormatError);
    expect(() => parseReportMeta('{', 'J', 'oss://b/m.json')).toThrow(/^oss:\/\/b\/m\.json is not JSON/);
    expect(() => parseReportMeta('[1]', 'J', 'oss://b/m.json')).toThrow('oss://b/m.json is not a JSON object');
    expect(() => parseReportMeta('null', 'J', 'oss://b/m.json')).toThrow(ReportFormatError);
  });
});

describe('summarizeReport', () => {
  const rows = [failed('k1', 'NoSuchKey'), ok('k2'), failed('k3', 'AccessDenied'), failed('k4', 'NoSuchKey'), failed('k5')];

  test('counts by status and by error code (most frequent first), caps the listed failures', () => {
    const s = summarizeReport({ jobId: 'J', status: 'Complete', totalTasks: 9, succeededTasks: 5, failedTasks: 4 }, rows, 2);
    expect(s).toMatchObject({ jobId: 'J', status: 'Complete', totalTasks: 9, succeededTasks: 5, failedTasks: 4, rowsRead: 5 });
    expect(s.byStatus).toEqual({ failed: 4, succeeded: 1 });
    expect(Object.entries(s.byErrorCode)).toEqual([['NoSuchKey', 2], ['AccessDenied', 1], ['Unknown', 1]]);
    expect(s.failures.map((f) => f.key)).toEqual(['k1', 'k3']);
    expect(summarizeReport({ jobId: 'J' }, rows, 0).failures).toEqual([]);
  });

  test('without manifest counts, the rows are counted', () => {
    const s = summarizeReport({ jobId: 'J' }, rows, 20);
    expect(s).toMatchObject({ status: '', totalTasks: 5, succeededTasks: 1, failedTasks: 4 });
    expect(summarizeReport({ jobId: 'J' }, [], 20)).toMatchObject({ totalTasks: 0, succeededTasks: 0, failedTasks: 0, rowsRead: 0, byStatus: {}, byErrorCode: {} });
  });

  test('rows survive the CSV codec, with unknown columns in any order ignored', () => {
    const csv = encodeReportCsv(rows).split('\n').map((line, i) => (line ? `${i === 0 ? 'Shard' : 'x'},${line}` : line)).join('\n');
    expect(summarizeReport({ jobId: 'J' }, parseReportCsv(csv), 20)).toEqual(summarizeReport({ jobId: 'J' }, rows, 20));
  });
});

test('reportSummaryText', () => {
  const s = summarizeReport({ jobId: 'J', status: 'Complete', reportScope: 'AllTasks', totalTasks: 3, succeededTasks: 1, failedTasks: 2 },
    [ok('a'), { ...failed('dir/b', 'NoSuchKey'), versionId: 'v1', message: 'gone' }, failed('c', 'NoSuchKey')], 1);
  expect(reportSummaryText(s)).toBe([
    'Job J: Complete',
    'Tasks: 1 succeeded, 2 failed, 3 total',
    'Report rows: 3 (1 succeeded, 2 failed), scope AllTasks',
    'Failures by error code:',
    '  NoSuchKey: 2',
    'First 1 failed objects:',
    '  oss://b/dir/b (version v1): NoSuchKey — gone',
  ].join('\n'));
  expect(reportSummaryText(summarizeReport({ jobId: 'J' }, [], 5))).toBe('Job J\nTasks: 0 succeeded, 0 failed, 0 total\nReport rows: 0');
});
