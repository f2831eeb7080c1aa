/**
 * The one outcome verdict, for the handler and `oss-batch jobs wait`. Complete is not success by
 * itself: every task must have been processed, the completion report must agree with the counts,
 * and failed tasks must stay within the budget. Failures quote the first per-object causes from
 * the report and end with the command that shows the whole report.
 */
import type { ObjectApi } from '../oss/api';
import type { ReportRow } from '../oss/csv';
import { isTerminalStatus, JobDescriptor } from '../oss/model';
import type { Connection } from './deps';
import { readReport, ReportError, ReportLocation, ReportReading, reportCounts, reportFolderUrl } from './report';

/** Exit codes a verdict can pick (the same numbers in the handler and the CLI). */
export const VERDICT_EXIT = { OK: 0, OUTCOME: 1, TIMEOUT: 3 } as const;
export type VerdictExit = (typeof VERDICT_EXIT)[keyof typeof VERDICT_EXIT];

export const MAX_LISTED_FAILURES = 10;

export interface Verdict {
  ok: boolean;
  exitCode: VerdictExit;
  /** What happened, in one paragraph (the failed objects on their own lines). */
  message: string;
  /** `oss-batch report summary …` for this job, when a report is worth reading. */
  reportCommand?: string;
}

/** The report as far as the verdict knows it: read, or why not. */
export type ReportEvidence = { reading: ReportReading } | { unavailable: string };

export interface OutcomeRules {
  maxFailedTasks: number;
  /** How the failed-task budget is set where the user sets it, e.g. `maxFailedTasks` or `--max-failed-tasks`. */
  budgetName: string;
  /** Said after "was Cancelled", e.g. "outside this deployment". */
  cancelledNote?: string;
  /** Where the job runs, so the printed report command works as is. */
  connection?: Connection;
  /** The command that shows the whole report, for a backend other than OSS; default `reportSummaryCommand`. */
  reportCommand?: string;
  /** URL scheme of the failed objects' lines. @default 'oss' */
  scheme?: string;
}

/** `oss-batch report summary --job <id>` plus the region and a non-default endpoint. */
export function reportSummaryCommand(jobId: string, connection?: Connection): string {
  const parts = ['oss-batch', 'report', 'summary', '--job', jobId];
  if (connection) {
    parts.push('--region', connection.region);
    const publicEndpoint = `https://oss-${connection.region.replace(/^oss-/, '')}.aliyuncs.com`;
    if (connection.endpoint && connection.endpoint.replace(/\/+$/, '') !== publicEndpoint) parts.push('--endpoint', connection.endpoint);
  }
  return parts.join(' ');
}

const REPORT_DISABLED = 'the completion report is disabled';

const countsText = (s: number, f: number, t: number) => `${s} succeeded, ${f} failed of ${t}`;

/** Pure: the verdict on a job given the report evidence (undefined when there was nothing to read). */
export function judgeOutcome(job: JobDescriptor, rules: OutcomeRules, evidence?: ReportEvidence): Verdict {
  const { numberOfTasksSucceeded: s, numberOfTasksFailed: f, totalNumberOfTasks: t } = job.progressSummary;
  const id = job.jobId;
  const processed = s + f;
  const command = rules.reportCommand ?? reportSummaryCommand(id, rules.connection);
  const reportEnabled = evidence !== undefined && !('unavailable' in evidence && evidence.unavailable === REPORT_DISABLED);
  const fail = (message: string): Verdict => ({ ok: false, exitCode: VERDICT_EXIT.OUTCOME, message, reportCommand: reportEnabled ? command : undefined });
  if (!isTerminalStatus(job.status)) {
    return { ok: false, exitCode: VERDICT_EXIT.TIMEOUT, message: `job ${id} is still ${job.status}: ${s}/${f}/${t} tasks (succeeded/failed/total)` };
  }
  if (job.status === 'Failed') {
    const reasons = job.failureReasons.map((r) => `${r.failureCode}: ${r.failureReason}`).join('; ') || 'no failure reason given';
    return fail(`job ${id} Failed (${reasons}); ${processed} of ${t} tasks processed (${s} succeeded, ${f} failed).${causes(f, evidence, rules.scheme)}`);
  }
  if (job.status === 'Cancelled') {
    const reason = job.statusUpdateReason ? ` (${job.statusUpdateReason})` : '';
    return fail(`job ${id} was Cancelled${reason}${rules.cancelledNote ? ` ${rules.cancelledNote}` : ''}; ${processed} of ${t} tasks processed (${s} succeeded, ${f} failed).`);
  }
  if (processed < t) {
    return fail(`job ${id} is Complete but only ${processed} of ${t} tasks were processed (${s} succeeded, ${f} failed): ${t - processed} never ran.${causes(f, evidence, rules.scheme)}`);
  }
  const disagreement = evidence && 'reading' in evidence ? disagrees(evidence.reading, s, f, t) : undefined;
  if (disagreement) {
    return fail(`job ${id} is Complete but its completion report disagrees with DescribeJob: the report says ${disagreement}, DescribeJob says ${countsText(s, f, t)} tasks.`);
  }
  if (f > rules.maxFailedTasks) {
    return fail(`job ${id} is Complete but ${f} of ${t} tasks failed (${rules.budgetName} is ${rules.maxFailedTasks}).${causes(f, evidence, rules.scheme)}`);
  }
  const unchecked = evidence && 'unavailable' in evidence && evidence.unavailable !== REPORT_DISABLED ? ` (report not checked: ${evidence.unavailable})` : '';
  return { ok: true, exitCode: VERDICT_EXIT.OK, message: `job ${id} Complete: ${s}/${f}/${t} tasks (succeeded/failed/total)${unchecked}` };
}

/** The counts of a report that contradict DescribeJob's, as text; undefined when they agree or cannot be compared. */
function disagrees(r: ReportReading, s: number, f: number, t: number): string | undefined {
  const c = reportCounts(r);
  if (r.countsFromManifest) return c.total !== t || c.succeeded !== s || c.failed !== f ? `${countsText(c.succeeded, c.failed, c.total)} tasks` : undefined;
  // Without the manifest's counts only the failures can be compared: succeeded rows depend on the report scope.
  const failedRows = r.byStatus.failed ?? 0;
  return r.complete && failedRows !== f ? `${failedRows} failed tasks` : undefined;
}


function causes(failed: number, evidence?: ReportEvidence, scheme = 'oss'): string {
  if (failed === 0 || !evidence) return '';
  if ('unavailable' in evidence) return `\nFailed keys are not listed: ${evidence.unavailable}; the counts come from DescribeJob.`;
  const rows = evidence.reading.failures.slice(0, MAX_LISTED_FAILURES);
  if (!rows.length) return `\nFailed keys are not listed: the report under ${evidence.reading.where} lists no failed task; the counts come from DescribeJob.`;
  const codes = Object.entries(evidence.reading.byErrorCode);
  const byCode = evidence.reading.complete && codes.length ? `\nBy error code: ${codes.map(([code, n]) => `${code} ${n}`).join(', ')}.` : '';
  return `\nFirst failed objects${failed > rows.length ? ` (${rows.length} of ${failed})` : ''}:\n${rows.map((r) => failureLine(r, scheme)).join('\n')}${byCode}`;
}

function failureLine(r: ReportRow, scheme: string): string {
  const version = r.versionId ? ` (version ${r.versionId})` : '';
  const http = r.httpStatus !== undefined ? ` (HTTP ${r.httpStatus})` : '';
  return `  - ${scheme}://${r.bucket}/${r.key}${version}: ${r.errorCode ?? 'failed'}${http}${r.message ? ` — ${r.message}` : ''}`;
}

/** The whole text of a verdict: the message, the front end's hint, then the report command last. */
export function verdictText(v: Verdict, hint?: string): string {
  return [v.message, hint, v.reportCommand ? `The whole report: ${v.reportCommand}` : undefined].filter(Boolean).join('\n');
}

/** Read what the verdict needs from the report (never throws for a missing or unreadable one), then judge. */
export async function checkOutcome(job: JobDescriptor, objects: ObjectApi, rules: OutcomeRules, report?: ReportLocation & { enabled: boolean }): Promise<Verdict> {
  return judgeOutcome(job, rules, await gatherEvidence(job, objects, report));
}

function gatherEvidence(job: JobDescriptor, objects: ObjectApi, report?: ReportLocation & { enabled: boolean }): Promise<ReportEvidence | undefined> {
  return reportEvidence(job, report?.enabled ?? false, () => reportFolderUrl(report!, job.jobId),
    () => readReport(objects, report!, job.jobId, { maxFailures: MAX_LISTED_FAILURES, stopEarly: true }));
}

/**
 * The evidence for a job from any backend's report reader (`read`, which throws ReportError for a
 * missing or unreadable report); `where` names the report folder. Never throws.
 */
export async function reportEvidence(job: JobDescriptor, enabled: boolean, where: () => string, read: () => Promise<ReportReading>): Promise<ReportEvidence | undefined> {
  if (!isTerminalStatus(job.status)) return undefined;
  if (!enabled) return { unavailable: REPORT_DISABLED };
  try {
    return { reading: await read() };
  } catch (err) {
    if (err instanceof ReportError && err.kind === 'missing') return { unavailable: `no report was found under ${where()}` };
    return { unavailable: `the report under ${where()} could not be read (${(err as Error).message})` };
  }
}
