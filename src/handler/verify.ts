/**
 * Outcome verification (design §4): Complete is not success by itself. Failed and Cancelled are
 * errors; Complete with more failed tasks than allowed is an error that lists the first failures
 * from the completion report (falling back to the DescribeJob counts when there is no report).
 */
import type { ObjectApi } from '../oss/api';
import { listAllObjects } from '../oss/client';
import { parseReportCsv, ReportManifest, reportJobPrefix, reportManifestKey, ReportRow } from '../oss/csv';
import type { JobDescriptor } from '../oss/model';
import type { ReportSpec } from '../shared/contract';
import { EXIT, HandlerError, RERUN_HINT } from './errors';

export const MAX_LISTED_FAILURES = 10;

/** Throws a HandlerError (exit 1) unless the job ended well enough. */
export async function verifyOutcome(job: JobDescriptor, report: ReportSpec, maxFailedTasks: number, objects: ObjectApi): Promise<void> {
  const { numberOfTasksFailed: failed, totalNumberOfTasks: total } = job.progressSummary;
  if (job.status === 'Failed') {
    const reasons = job.failureReasons.map((f) => `${f.failureCode}: ${f.failureReason}`).join('; ') || 'no failure reason given';
    throw new HandlerError(EXIT.OUTCOME, `job ${job.jobId} Failed (${reasons}); ${failed} of ${total} tasks failed. ${RERUN_HINT}`);
  }
  if (job.status === 'Cancelled') {
    const reason = job.statusUpdateReason ? ` (${job.statusUpdateReason})` : '';
    throw new HandlerError(EXIT.OUTCOME, `job ${job.jobId} was Cancelled${reason} outside this deployment. ${RERUN_HINT}`);
  }
  if (failed <= maxFailedTasks) return;
  const listing = report.enabled ? await firstFailures(objects, report, job.jobId) : { rows: [], note: 'the completion report is disabled' };
  const lines = listing.rows.map(formatFailure);
  const detail = lines.length
    ? `First failed objects${failed > lines.length ? ` (${lines.length} of ${failed})` : ''}:\n${lines.join('\n')}`
    : `Failed keys are not listed: ${listing.note}; the counts come from DescribeJob.`;
  throw new HandlerError(
    EXIT.OUTCOME,
    `job ${job.jobId} is Complete but ${failed} of ${total} tasks failed (maxFailedTasks is ${maxFailedTasks}).\n${detail}\n${RERUN_HINT}`,
  );
}

function formatFailure(r: ReportRow): string {
  const version = r.versionId ? ` (version ${r.versionId})` : '';
  const http = r.httpStatus !== undefined ? ` (HTTP ${r.httpStatus})` : '';
  return `  - oss://${r.bucket}/${r.key}${version}: ${r.errorCode ?? 'failed'}${http}${r.message ? ` — ${r.message}` : ''}`;
}

/**
 * The first failed rows of the job's report (docs/report-format.md), tolerating what we cannot
 * know about the real service's layout: the job folder is listed; its manifest.json names the
 * result files when it is there and readable, otherwise every CSV in the folder is read in key
 * order. Never throws: an unreadable report becomes a note.
 */
export async function firstFailures(objects: ObjectApi, report: ReportSpec, jobId: string): Promise<{ rows: ReportRow[]; note: string }> {
  const where = `oss://${report.bucket}/${reportJobPrefix(report.prefix, jobId)}`;
  try {
    const files = await resultFiles(objects, report, jobId);
    if (!files.length) return { rows: [], note: `no report was found under ${where}` };
    const rows: ReportRow[] = [];
    for (const file of files) {
      const body = (await objects.getObject(report.bucket, file)).body.toString('utf8');
      rows.push(...parseReportCsv(body).filter((r) => r.taskStatus === 'failed'));
      if (rows.length >= MAX_LISTED_FAILURES) break;
    }
    return { rows: rows.slice(0, MAX_LISTED_FAILURES), note: rows.length ? '' : `the report under ${where} lists no failed task` };
  } catch (err) {
    return { rows: [], note: `the report under ${where} could not be read (${(err as Error).message})` };
  }
}

async function resultFiles(objects: ObjectApi, report: ReportSpec, jobId: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of listAllObjects(objects, report.bucket, { prefix: reportJobPrefix(report.prefix, jobId) })) {
    keys.push(...page.map((o) => o.key));
  }
  const manifestKey = reportManifestKey(report.prefix, jobId);
  if (keys.includes(manifestKey)) {
    const manifest = parseManifest((await objects.getObject(report.bucket, manifestKey)).body.toString('utf8'));
    if (manifest) return manifest.resultFiles;
  }
  return keys.filter((k) => k.toLowerCase().endsWith('.csv')).sort();
}

/** The report manifest when it has the one field we need; undefined otherwise. */
function parseManifest(text: string): Pick<ReportManifest, 'resultFiles'> | undefined {
  try {
    const value = JSON.parse(text) as Partial<ReportManifest>;
    if (Array.isArray(value.resultFiles) && value.resultFiles.every((f) => typeof f === 'string')) return { resultFiles: value.resultFiles };
  } catch {
    // fall through: the folder listing names the CSVs
  }
  return undefined;
}
