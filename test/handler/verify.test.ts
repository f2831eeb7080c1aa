/** The handler's outcome check: the core verdict as exit 1, the rerun hint, and the report command last. */
import { EXIT, RERUN_HINT } from '../../src/handler/errors';
import { ReportSettings, verifyOutcome } from '../../src/handler/verify';
import { MAX_LISTED_FAILURES } from '../../src/jobs/verdict';
import { OssClient } from '../../src/oss/client';
import { encodeReportCsv, reportManifestKey, reportResultKey, ReportRow } from '../../src/oss/csv';
import type { JobDescriptor } from '../../src/oss/model';
import { expectFailed, FakeOss } from './mocks';

const ID = 'JOB=';
const report: ReportSettings = { enabled: true, bucket: 'ops', prefix: 'r/' };
const job = (status: string, failed = 0, total = 10, extra: Partial<JobDescriptor> = {}): JobDescriptor => ({
  jobId: ID, status, failureReasons: [], progressSummary: { totalNumberOfTasks: total, numberOfTasksFailed: failed, numberOfTasksSucceeded: total - failed }, ...extra,
});
const failedRow = (i: number): ReportRow => ({ bucket: 'src', key: `k${i}`, taskStatus: 'failed', errorCode: 'NoSuchKey' });
const lastLine = (text: string) => text.split('\n').at(-1);

describe('verifyOutcome', () => {
  test('Complete within maxFailedTasks passes; the report is read to cross-check the counts', async () => {
    const oss = new FakeOss();
    oss.putRaw('ops', reportResultKey('r/', ID, 0), encodeReportCsv([failedRow(1), failedRow(2)]));
    oss.putRaw('ops', reportManifestKey('r/', ID), JSON.stringify({ totalTasks: 10, succeededTasks: 8, failedTasks: 2, resultFiles: [reportResultKey('r/', ID, 0)] }));
    await expect(verifyOutcome(job('Complete', 2), report, 2, oss)).resolves.toBeUndefined();
    expect(oss.calls.getObject).toBeGreaterThan(0);
    // No report (e.g. the real service's layout differs): nothing to contradict the counts.
    await expect(verifyOutcome(job('Complete', 0), report, 0, new FakeOss())).resolves.toBeUndefined();
  });

  test('Complete with unprocessed tasks fails naming both numbers (e.g. an emulator restart lost them)', async () => {
    const text = await expectFailed(verifyOutcome(job('Complete', 0, 20, { progressSummary: { totalNumberOfTasks: 20, numberOfTasksFailed: 0, numberOfTasksSucceeded: 0 } }), report, 0, new FakeOss()),
      EXIT.OUTCOME, /^job JOB= is Complete but only 0 of 20 tasks were processed \(0 succeeded, 0 failed\): 20 never ran\./);
    expect(text).toContain(RERUN_HINT);
    expect(lastLine(text)).toBe(`The whole report: oss-batch report summary --job ${ID}`);
  });

  test('a report that contradicts DescribeJob fails', async () => {
    const oss = new FakeOss();
    oss.putRaw('ops', reportResultKey('r/', ID, 0), encodeReportCsv([]));
    oss.putRaw('ops', reportManifestKey('r/', ID), JSON.stringify({ totalTasks: 10, succeededTasks: 0, failedTasks: 0, resultFiles: [reportResultKey('r/', ID, 0)] }));
    await expectFailed(verifyOutcome(job('Complete'), report, 0, oss), EXIT.OUTCOME, /report disagrees with DescribeJob: the report says 0 succeeded, 0 failed of 10 tasks, DescribeJob says 10 succeeded, 0 failed of 10 tasks/);
  });

  test('Failed lists every failure reason; none given is said', async () => {
    const oss = new FakeOss();
    await expectFailed(verifyOutcome(job('Failed', 6, 10, { failureReasons: [{ failureCode: 'A', failureReason: 'x' }, { failureCode: 'B', failureReason: 'y' }] }), report, 0, oss),
      EXIT.OUTCOME, /job JOB= Failed \(A: x; B: y\); 10 of 10 tasks processed \(4 succeeded, 6 failed\)\.[^]*The job has finished and will not run again/);
    await expectFailed(verifyOutcome(job('Failed'), report, 100, oss), EXIT.OUTCOME, /no failure reason given/);
  });

  test('Cancelled is an error with the reason OSS recorded', async () => {
    await expectFailed(verifyOutcome(job('Cancelled', 0, 10, { statusUpdateReason: 'ops said so' }), report, 0, new FakeOss()), EXIT.OUTCOME,
      /was Cancelled \(ops said so\) outside this deployment.*change the job spec or set a new `rerunToken`/s);
  });

  test('more failures than allowed: the first 10 from the report, the hint, and the report command for this region and endpoint last', async () => {
    const oss = new FakeOss();
    oss.putRaw('ops', reportResultKey('r/', ID, 0), encodeReportCsv(Array.from({ length: 8 }, (_, i) => failedRow(i))));
    oss.putRaw('ops', reportResultKey('r/', ID, 1), encodeReportCsv(Array.from({ length: 8 }, (_, i) => failedRow(i + 8))));
    oss.putRaw('ops', reportManifestKey('r/', ID), JSON.stringify({ resultFiles: [reportResultKey('r/', ID, 0), reportResultKey('r/', ID, 1)] }));
    const message = await expectFailed(verifyOutcome(job('Complete', 16, 20), report, 3, oss, { region: 'cn-beijing', endpoint: 'http://127.0.0.1:1' }), EXIT.OUTCOME,
      /16 of 20 tasks failed \(maxFailedTasks is 3\)\.\nFirst failed objects \(10 of 16\):/);
    expect(message.match(/^ {2}- oss:\/\/src\/k\d+: NoSuchKey$/gm)).toHaveLength(MAX_LISTED_FAILURES);
    expect(message).toContain('oss://src/k9: NoSuchKey');
    expect(message).not.toContain('oss://src/k10:');
    expect(message.indexOf(RERUN_HINT)).toBeGreaterThan(message.indexOf('oss://src/k9'));
    expect(lastLine(message)).toBe(`The whole report: oss-batch report summary --job ${ID} --region cn-beijing --endpoint http://127.0.0.1:1`);
  });

  test('with a real client the report command names its region and endpoint', async () => {
    const client = new OssClient({ region: 'cn-shanghai', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'a', accessKeySecret: 'b' }, retry: { maxAttempts: 1 } });
    const message = await expectFailed(verifyOutcome(job('Failed', 1, 1), report, 0, client), EXIT.OUTCOME, /Failed/);
    expect(lastLine(message)).toBe(`The whole report: oss-batch report summary --job ${ID} --region cn-shanghai --endpoint http://127.0.0.1:1`);
  });

  test('report disabled: the counts, why there are no keys, and no report command', async () => {
    const message = await expectFailed(verifyOutcome(job('Complete', 1), { ...report, enabled: false }, 0, new FakeOss()), EXIT.OUTCOME,
      /Failed keys are not listed: the completion report is disabled; the counts come from DescribeJob/);
    expect(message).not.toContain('oss-batch report summary');
  });
});
