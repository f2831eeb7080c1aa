/**
 * The handler's outcome check: the lifecycle core's verdict (src/jobs/verdict.ts) as a
 * HandlerError (exit 1) with the rerun hint, followed by the command that shows the report.
 */
import { connectionOf, Connection } from '../jobs/deps';
import type { ReportLocation } from '../jobs/report';
import { checkOutcome, verdictText } from '../jobs/verdict';
import type { ObjectApi } from '../oss/api';
import type { JobDescriptor } from '../oss/model';
import { EXIT, HandlerError, RERUN_HINT } from './errors';

/** The report settings of the job's identity. */
export type ReportSettings = ReportLocation & { enabled: boolean };

/** Throws a HandlerError (exit 1) unless the job ended well enough. */
export async function verifyOutcome(job: JobDescriptor, report: ReportSettings, maxFailedTasks: number, objects: ObjectApi, connection?: Connection): Promise<void> {
  const verdict = await checkOutcome(job, objects, {
    maxFailedTasks, budgetName: 'maxFailedTasks', cancelledNote: 'outside this deployment', connection: connection ?? connectionOf(objects),
  }, report);
  if (verdict.ok) return;
  throw new HandlerError(verdict.exitCode === EXIT.TIMEOUT ? EXIT.TIMEOUT : EXIT.OUTCOME, verdictText(verdict, RERUN_HINT));
}
