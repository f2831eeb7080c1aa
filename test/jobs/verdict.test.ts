/** The one outcome verdict: pure rules over a DescribeJob answer and the report evidence. */
import fc from 'fast-check';
import type { ReportReading } from '../../src/jobs/report';
import { judgeOutcome, MAX_LISTED_FAILURES, OutcomeRules, ReportEvidence, reportSummaryCommand, VERDICT_EXIT, verdictText } from '../../src/jobs/verdict';
import type { ReportRow } from '../../src/oss/csv';
import { isTerminalStatus, JOB_STATUSES, JobDescriptor } from '../../src/oss/model';

const job = (status: string, s: number, f: number, t: number, extra: Partial<JobDescriptor> = {}): JobDescriptor => ({
  jobId: 'J', status, failureReasons: [], progressSummary: { numberOfTasksSucceeded: s, numberOfTasksFailed: f, totalNumberOfTasks: t }, ...extra,
});
const rules = (o: Partial<OutcomeRules> = {}): OutcomeRules => ({ maxFailedTasks: 0, budgetName: '--max-failed-tasks', ...o });
const row = (i: number, errorCode = 'NoSuchKey', message?: string): ReportRow => ({ bucket: 'src', key: `k${i}`, taskStatus: 'failed', errorCode, ...(message ? { message } : {}) });
const reading = (o: Partial<ReportReading> = {}): ReportReading => ({
  where: 'oss://ops/r/job-J/', meta: { jobId: 'J' }, countsFromManifest: false, complete: true, rowsRead: 0, byStatus: {}, byErrorCode: {}, failures: [], notes: [], ...o,
});
const withCounts = (s: number, f: number, t: number, o: Partial<ReportReading> = {}): ReportEvidence => ({
  reading: reading({ meta: { jobId: 'J', totalTasks: t, succeededTasks: s, failedTasks: f }, countsFromManifest: true, ...o }),
});

describe('judgeOutcome', () => {
  test('Complete with every task processed, within the budget and agreeing with the report: success', () => {
    const v = judgeOutcome(job('Complete', 10, 0, 10), rules(), withCounts(10, 0, 10));
    expect(v).toEqual({ ok: true, exitCode: VERDICT_EXIT.OK, message: 'job J Complete: 10/0/10 tasks (succeeded/failed/total)' });
  });

  test('Complete with tasks never processed is a failure naming both numbers', () => {
    const v = judgeOutcome(job('Complete', 0, 0, 20), rules(), { unavailable: 'no report was found under oss://ops/r/job-J/' });
    expect(v.ok).toBe(false);
    expect(v.exitCode).toBe(VERDICT_EXIT.OUTCOME);
    expect(v.message).toBe('job J is Complete but only 0 of 20 tasks were processed (0 succeeded, 0 failed): 20 never ran.');
    expect(judgeOutcome(job('Complete', 15, 2, 20), rules({ maxFailedTasks: 100 })).message).toMatch(/only 17 of 20 tasks were processed \(15 succeeded, 2 failed\): 3 never ran/);
  });

  test('a report whose manifest counts disagree with DescribeJob is a failure naming both', () => {
    const v = judgeOutcome(job('Complete', 20, 0, 20), rules(), withCounts(0, 0, 20));
    expect(v.ok).toBe(false);
    expect(v.message).toBe('job J is Complete but its completion report disagrees with DescribeJob: the report says 0 succeeded, 0 failed of 20 tasks, DescribeJob says 20 succeeded, 0 failed of 20 tasks.');
  });

  test('without manifest counts only the failed rows are compared, and only from a complete read', () => {
    const rows = { byStatus: { failed: 1, succeeded: 1 }, failures: [row(1)] };
    expect(judgeOutcome(job('Complete', 8, 2, 10), rules({ maxFailedTasks: 5 }), { reading: reading(rows) }).message)
      .toMatch(/report disagrees with DescribeJob: the report says 1 failed tasks, DescribeJob says 8 succeeded, 2 failed of 10 tasks/);
    expect(judgeOutcome(job('Complete', 9, 1, 10), rules({ maxFailedTasks: 5 }), { reading: reading(rows) }).ok).toBe(true);
    expect(judgeOutcome(job('Complete', 8, 2, 10), rules({ maxFailedTasks: 5 }), { reading: reading({ ...rows, complete: false }) }).ok).toBe(true);
  });

  test('too many failed tasks: the first causes from the report, the error codes, then the report command last', () => {
    const failures = Array.from({ length: 12 }, (_, i) => row(i, 'OperationNotSupported', 'the storage class is Standard'));
    const v = judgeOutcome(job('Complete', 0, 16, 16), rules({ connection: { region: 'cn-hangzhou', endpoint: 'http://127.0.0.1:9000' } }),
      withCounts(0, 16, 16, { failures, byErrorCode: { OperationNotSupported: 16 } }));
    expect(v.message).toMatch(/^job J is Complete but 16 of 16 tasks failed \(--max-failed-tasks is 0\)\.\nFirst failed objects \(10 of 16\):\n {2}- oss:\/\/src\/k0: OperationNotSupported — the storage class is Standard\n/);
    expect(v.message.match(/^ {2}- oss:/gm)).toHaveLength(MAX_LISTED_FAILURES);
    expect(v.message).toMatch(/\nBy error code: OperationNotSupported 16\.$/);
    expect(v.reportCommand).toBe('oss-batch report summary --job J --region cn-hangzhou --endpoint http://127.0.0.1:9000');
    const text = verdictText(v, 'HINT');
    expect(text.split('\n').slice(-2)).toEqual(['HINT', 'The whole report: oss-batch report summary --job J --region cn-hangzhou --endpoint http://127.0.0.1:9000']);
  });

  test('Failed: the reasons, the processed counts and the per-object causes', () => {
    const failed = job('Failed', 1, 6, 20, { failureReasons: [{ failureCode: 'TooManyFailures', failureReason: 'x' }, { failureCode: 'B', failureReason: 'y' }] });
    const v = judgeOutcome(failed, rules({ maxFailedTasks: 100 }), withCounts(1, 6, 20, { failures: [row(1, 'OperationNotSupported', 'Standard')] }));
    expect(v.exitCode).toBe(VERDICT_EXIT.OUTCOME);
    expect(v.message).toMatch(/^job J Failed \(TooManyFailures: x; B: y\); 7 of 20 tasks processed \(1 succeeded, 6 failed\)\.\nFirst failed objects \(1 of 6\):\n {2}- oss:\/\/src\/k1: OperationNotSupported — Standard/);
    expect(v.reportCommand).toBe('oss-batch report summary --job J');
    expect(judgeOutcome(job('Failed', 0, 0, 0), rules()).message).toContain('(no failure reason given)');
  });

  test('Cancelled: the recorded reason and the front end\'s note', () => {
    const v = judgeOutcome(job('Cancelled', 2, 0, 5, { statusUpdateReason: 'ops said so' }), rules({ cancelledNote: 'outside this deployment' }));
    expect(v.message).toBe('job J was Cancelled (ops said so) outside this deployment; 2 of 5 tasks processed (2 succeeded, 0 failed).');
  });

  test('no report to read: the counts, and why the keys are missing; no report command when the report is disabled', () => {
    const v = judgeOutcome(job('Complete', 2, 1, 3), rules(), { unavailable: 'the completion report is disabled' });
    expect(v.message).toMatch(/Failed keys are not listed: the completion report is disabled; the counts come from DescribeJob\.$/);
    expect(v.reportCommand).toBeUndefined();
    const missing = judgeOutcome(job('Complete', 2, 1, 3), rules(), { unavailable: 'no report was found under oss://ops/r/job-J/' });
    expect(missing.reportCommand).toBe('oss-batch report summary --job J');
  });

  test('a success whose report could not be checked says so', () => {
    expect(judgeOutcome(job('Complete', 3, 0, 3), rules(), { unavailable: 'no report was found under X' }).message).toBe('job J Complete: 3/0/3 tasks (succeeded/failed/total) (report not checked: no report was found under X)');
    expect(judgeOutcome(job('Complete', 3, 0, 3), rules(), { unavailable: 'the completion report is disabled' }).message).toBe('job J Complete: 3/0/3 tasks (succeeded/failed/total)');
  });

  test('a job that is not terminal is a timeout', () => {
    expect(judgeOutcome(job('Active', 1, 0, 3), rules())).toEqual({ ok: false, exitCode: VERDICT_EXIT.TIMEOUT, message: 'job J is still Active: 1/0/3 tasks (succeeded/failed/total)' });
  });

  test('properties: success exactly when Complete, all processed, within the budget and not contradicted', () => {
    fc.assert(fc.property(
      fc.constantFrom(...JOB_STATUSES), fc.nat(50), fc.nat(50), fc.nat(20), fc.nat(30), fc.option(fc.tuple(fc.nat(60), fc.nat(60), fc.nat(120)), { nil: undefined }),
      (status, s, f, missing, max, counts) => {
        const t = s + f + missing;
        const evidence = counts ? withCounts(counts[0], counts[1], counts[2]) : undefined;
        const v = judgeOutcome(job(status, s, f, t), rules({ maxFailedTasks: max }), evidence);
        const agrees = !counts || (counts[0] === s && counts[1] === f && counts[2] === t);
        expect(v.ok).toBe(status === 'Complete' && missing === 0 && f <= max && agrees);
        expect(v.exitCode).toBe(v.ok ? 0 : isTerminalStatus(status) ? 1 : 3);
        if (status === 'Complete' && missing > 0) expect(v.message).toContain(`only ${s + f} of ${t} tasks`);
      },
    ), { numRuns: 2000 });
  });
});

test('reportSummaryCommand: region always, the endpoint only when it is not the public one', () => {
  expect(reportSummaryCommand('J')).toBe('oss-batch report summary --job J');
  expect(reportSummaryCommand('J', { region: 'cn-beijing' })).toBe('oss-batch report summary --job J --region cn-beijing');
  expect(reportSummaryCommand('J', { region: 'cn-beijing', endpoint: 'https://oss-cn-beijing.aliyuncs.com' })).toBe('oss-batch report summary --job J --region cn-beijing');
  expect(reportSummaryCommand('J', { region: 'cn-beijing', endpoint: 'http://127.0.0.1:9' })).toBe('oss-batch report summary --job J --region cn-beijing --endpoint http://127.0.0.1:9');
});
