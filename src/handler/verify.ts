/**
 * Outcome verification (design §4): Complete is not success by itself. Failed and Cancelled are
 * errors; Complete with more failed tasks than allowed is an error that lists the first failures
 * from the completion report (falling back to the DescribeJob counts when there is no report).
 */
import type { ObjectApi } from '../oss/api';
import { parseReportCsv, ReportManifest, reportJobPrefix, reportManifestKey, ReportRow } from '../oss/csv';
import type { JobDescriptor } from '../oss/model';
import type { ReportSpec } from '../shared/contract';
import { EXIT, HandlerError, RERUN_HINT } from './errors';

export const MAX_LISTED_FAILURES = 10;

export async function verifyOutcome(job: JobDescriptor, report: ReportSpec, maxFailedTasks: number, objects: ObjectApi): Promise<void> {
  const { numberOfTasksFailed: failed, totalNumberOfTasks: total } = job.progressSummary;
  if (job.status === 'Failed') {
    const reasons = job.failureReasons.map((f) => `${f.failureCode}: ${f.failureReason}`).join('; ') || 'no failure reason given';
    throw new HandlerError(EXIT.OUTCOME, `job ${job.jobId} Failed (${reasons}); ${failed} of ${total} tasks failed. ${RERUN_HINT}`);
  }
  if (job.status === 'Cancelled') {
    throw new HandlerError(EXIT.OUTCOME, `job ${job.jobId} was Cancelled${job.statusUpdateReason ? ` (${job.statusUpdateReason})` : ''} outside this deployment. ${RERUN_HINT}`);
  }
  if (failed <= maxFailedTasks) return;
  const listing = report.enabled ? await firstFailures(objects, report, job.jobId) : { rows: [], note: 'the completion report is disabled' };
  const lines = listing.rows.map((r) => `  - oss://${r.bucket}/${r.key}${r.versionId ? ` (version ${r.versionId})` : ''}: ${r.errorCode ?? 'failed'}${r.message ? ` — ${r.message}` : ''}`);
  const detail = lines.length ? `First failed objects:\n${lines.join('\n')}` : `Failed keys are not listed: ${listing.note}; the counts come from DescribeJob.`;
  throw new HandlerError(
    EXIT.OUTCOME,
    `job ${job.jobId} is Complete but ${failed} of ${total} tasks failed (maxFailedTasks is ${maxFailedTasks}).\n${detail}\n${RERUN_HINT}`,
  );
}

/** Read failed rows from our report layout (docs/report-format.md), tolerating anything unexpected. */
export async function firstFailures(objects: ObjectApi, report: ReportSpec, jobId: string): Promise<{ rows: ReportRow[]; note: string }> {
  try {
    const manifest = JSON.parse((await objects.getObject(report.bucket, reportManifestKey(report.prefix, jobId))).body.toString('utf8')) as ReportManifest;
    const rows: ReportRow[] = [];
    for (const file of manifest.resultFiles ?? []) {
      const body = (await objects.getObject(report.bucket, file)).body.toString('utf8');
      rows.push(...parseReportCsv(body).filter((r) => r.taskStatus === 'failed'));
      if (rows.length >= MAX_LISTED_FAILURES) break;
    }
    return { rows: rows.slice(0, MAX_LISTED_FAILURES), note: rows.length ? '' : 'the report lists no failed task' };
  } catch (err) {
    return { rows: [], note: `the report under oss://${report.bucket}/${reportJobPrefix(report.prefix, jobId)} could not be read (${(err as Error).message})` };
  }
}
