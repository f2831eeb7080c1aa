/**
 * Pure side of `oss-batch report summary`: read the report's manifest.json tolerantly and
 * summarize result rows (layout: docs/report-format.md — ours, since OSS has not published one).
 */
import type { ReportRow } from '../oss/csv';

/** What we use from manifest.json; every count is optional so a differing report still reads. */
export interface ReportMeta {
  jobId: string;
  status?: string;
  reportScope?: string;
  totalTasks?: number;
  succeededTasks?: number;
  failedTasks?: number;
  resultFiles: string[];
}

export class ReportFormatError extends Error {}

/** Parse manifest.json text; unknown fields are ignored, wrongly typed known ones are dropped. */
export function parseReportMeta(text: string, jobId: string, where: string): ReportMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ReportFormatError(`${where} is not JSON (${(err as Error).message}); is it a completion report of this tool's layout (docs/report-format.md)?`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ReportFormatError(`${where} is not a JSON object`);
  const o = raw as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
  return {
    jobId: str(o.jobId) ?? jobId,
    status: str(o.status),
    reportScope: str(o.reportScope),
    totalTasks: count(o.totalTasks),
    succeededTasks: count(o.succeededTasks),
    failedTasks: count(o.failedTasks),
    resultFiles: Array.isArray(o.resultFiles) ? o.resultFiles.filter((f): f is string => typeof f === 'string') : [],
  };
}

export interface ReportSummary {
  jobId: string;
  /** Empty when the manifest does not say. */
  status: string;
  reportScope?: string;
  /** From manifest.json when present (they cover every task), else counted from the rows. */
  totalTasks: number;
  succeededTasks: number;
  failedTasks: number;
  rowsRead: number;
  /** Report rows per task status (with ReportScope FailedTasksOnly only failures have rows). */
  byStatus: Record<string, number>;
  /** Failed rows per error code, most frequent first. */
  byErrorCode: Record<string, number>;
  /** The first N failed rows, in report order. */
  failures: ReportRow[];
}

export function summarizeReport(meta: Omit<ReportMeta, 'resultFiles'>, rows: ReportRow[], maxFailures: number): ReportSummary {
  const byStatus: Record<string, number> = {};
  const codeCounts = new Map<string, number>();
  const failures: ReportRow[] = [];
  for (const r of rows) {
    byStatus[r.taskStatus] = (byStatus[r.taskStatus] ?? 0) + 1;
    if (r.taskStatus !== 'failed') continue;
    const code = r.errorCode ?? 'Unknown';
    codeCounts.set(code, (codeCounts.get(code) ?? 0) + 1);
    if (failures.length < maxFailures) failures.push(r);
  }
  const succeeded = meta.succeededTasks ?? byStatus.succeeded ?? 0;
  const failed = meta.failedTasks ?? byStatus.failed ?? 0;
  return {
    jobId: meta.jobId, status: meta.status ?? '', reportScope: meta.reportScope,
    totalTasks: meta.totalTasks ?? succeeded + failed, succeededTasks: succeeded, failedTasks: failed,
    rowsRead: rows.length, byStatus,
    // Sorted once here so text and JSON agree; ties by code for a stable order.
    byErrorCode: Object.fromEntries([...codeCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    failures,
  };
}

export function reportSummaryText(s: ReportSummary): string {
  const lines = [
    `Job ${s.jobId}${s.status ? `: ${s.status}` : ''}`,
    `Tasks: ${s.succeededTasks} succeeded, ${s.failedTasks} failed, ${s.totalTasks} total`,
    `Report rows: ${s.rowsRead}${s.rowsRead ? ` (${Object.entries(s.byStatus).map(([status, n]) => `${n} ${status}`).join(', ')})` : ''}${s.reportScope ? `, scope ${s.reportScope}` : ''}`,
  ];
  const codes = Object.entries(s.byErrorCode);
  if (codes.length) lines.push('Failures by error code:', ...codes.map(([code, n]) => `  ${code}: ${n}`));
  if (s.failures.length) {
    lines.push(`First ${s.failures.length} failed objects:`);
    lines.push(...s.failures.map((r) => `  oss://${r.bucket}/${r.key}${r.versionId ? ` (version ${r.versionId})` : ''}: ${r.errorCode ?? 'failed'}${r.message ? ` — ${r.message}` : ''}`));
  }
  return lines.join('\n');
}
