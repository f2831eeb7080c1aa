/** The verdicts behind exit codes: `jobs wait` and refused status changes. */
import { EXIT, explainRefusedStatusChange, judgeWait } from '../../src/cli/exit-codes';
import { isTerminalStatus, JOB_STATUSES, JobDescriptor } from '../../src/oss/model';

const job = (status: string, failed: number, extra: Partial<JobDescriptor> = {}): JobDescriptor => ({
  jobId: 'J', status, failureReasons: [], progressSummary: { numberOfTasksSucceeded: 10 - failed, numberOfTasksFailed: failed, totalNumberOfTasks: 10 }, ...extra,
});

describe('judgeWait', () => {
  test.each([
    ['Complete', 0, 0, EXIT.OK],
    ['Complete', 3, 3, EXIT.OK],
    ['Complete', 4, 3, EXIT.OUTCOME],
    ['Complete', 1, 0, EXIT.OUTCOME],
    ['Failed', 0, 100, EXIT.OUTCOME],
    ['Cancelled', 0, 100, EXIT.OUTCOME],
    ['Active', 0, 0, EXIT.TIMEOUT],
    ['Suspended', 0, 0, EXIT.TIMEOUT],
  ])('%s with %i failed tasks, %i allowed → exit %i', (status, failed, allowed, exitCode) => {
    expect(judgeWait(job(status, failed), allowed).exitCode).toBe(exitCode);
  });

  test('every status: Complete succeeds, other ends are outcomes, the rest are still running', () => {
    for (const status of JOB_STATUSES) {
      const verdict = judgeWait(job(status, 0), 0);
      const expected = status === 'Complete' ? EXIT.OK : isTerminalStatus(status) ? EXIT.OUTCOME : EXIT.TIMEOUT;
      expect({ status, exitCode: verdict.exitCode }).toEqual({ status, exitCode: expected });
      expect(verdict.message).toContain(status);
    }
  });

  test('messages say what happened and what to change', () => {
    expect(judgeWait(job('Complete', 0), 0).message).toBe('job J Complete: 10/0/10 tasks (succeeded/failed/total)');
    expect(judgeWait(job('Complete', 4), 3).message).toBe('job J Complete but 4 tasks failed (allowed: 3, raise --max-failed-tasks to accept more): 6/4/10 tasks (succeeded/failed/total)');
    const failed = job('Failed', 6, { failureReasons: [{ failureCode: 'TooManyFailures', failureReason: 'x' }, { failureCode: 'B', failureReason: 'y' }] });
    expect(judgeWait(failed, 0).message).toBe('job J Failed (TooManyFailures: x; B: y): 4/6/10 tasks (succeeded/failed/total)');
    expect(judgeWait(job('Cancelled', 0, { statusUpdateReason: 'wrong prefix' }), 0).message).toContain('job J Cancelled (wrong prefix)');
  });
});

describe('explainRefusedStatusChange (reference §4)', () => {
  test('confirm: only Suspended and Preparing are accepted', () => {
    const refused = JOB_STATUSES.filter((s) => explainRefusedStatusChange('J', 'Ready', s) !== undefined);
    expect(JOB_STATUSES.filter((s) => !refused.includes(s))).toEqual(['Preparing', 'Suspended']);
    expect(explainRefusedStatusChange('J', 'Ready', 'Active')).toBe('cannot confirm job J: it is Active, and only a Suspended or Preparing job can be confirmed.');
  });

  test('cancel: refused once the job is finishing or finished', () => {
    const refused = JOB_STATUSES.filter((s) => explainRefusedStatusChange('J', 'Cancelled', s) !== undefined);
    expect([...refused].sort()).toEqual(['Cancelled', 'Cancelling', 'Complete', 'Completing', 'Failed', 'Failing']);
    expect(explainRefusedStatusChange('J', 'Cancelled', 'Complete')).toBe('cannot cancel job J: it is Complete, and a job that is Complete can no longer be cancelled.');
  });
});
