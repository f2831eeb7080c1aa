/** Exit codes and refused status changes (a job's outcome is judged in src/jobs/verdict.ts: test/jobs). */
import { EXIT, explainRefusedStatusChange } from '../../src/cli/exit-codes';
import { VERDICT_EXIT } from '../../src/jobs/verdict';
import { JOB_STATUSES } from '../../src/oss/model';

test('the verdict codes mean the same in the CLI', () => {
  expect(VERDICT_EXIT).toEqual({ OK: EXIT.OK, OUTCOME: EXIT.OUTCOME, TIMEOUT: EXIT.TIMEOUT });
});

describe('explainRefusedStatusChange', () => {
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
