/** Rendering of `oss-batch report summary`: a report reading (src/jobs/report.ts) as text or JSON. */
import { ReportReading, reportCounts } from '../jobs/report';

/** The `--json` document: the reading's counters, with the task counts resolved. */
export type ReportSummary = Pick<ReportReading, 'rowsRead' | 'byStatus' | 'byErrorCode' | 'failures'> & {
  jobId: string;
  /** Empty when the manifest does not say. */
  status: string;
  reportScope?: string;
  /** From manifest.json when present (they cover every task), else counted from the rows. */
  totalTasks: number;
  succeededTasks: number;
  failedTasks: number;
  /** What the reader worked around (e.g. an unreadable manifest.json); absent when nothing. */
  notes?: string[];
};

export function summaryOf(r: ReportReading): ReportSummary {
  const c = reportCounts(r);
  return {
    jobId: r.meta.jobId, status: r.meta.status ?? '', reportScope: r.meta.reportScope,
    totalTasks: c.total, succeededTasks: c.succeeded, failedTasks: c.failed,
    rowsRead: r.rowsRead, byStatus: r.byStatus, byErrorCode: r.byErrorCode, failures: r.failures,
    ...(r.notes.length ? { notes: r.notes } : {}),
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
  for (const note of s.notes ?? []) lines.push(`Note: ${note}`);
  return lines.join('\n');
}
