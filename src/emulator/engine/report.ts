/**
 * The completion report of a job as objects: CSV result parts of REPORT_ROWS_PER_PART rows and a
 * manifest.json naming them (layout helpers and codec from src/oss/csv.ts, documented in
 * docs/report-format.md). Pure: the engine stores what this returns.
 */
import { encodeReportCsv, REPORT_FORMAT, ReportManifest, reportManifestKey, ReportRow, reportResultKey } from '../../oss/csv';
import type { JobReportConfig } from '../../oss/model';

export const REPORT_ROWS_PER_PART = 10_000;

export interface ReportObject {
  key: string;
  body: string;
  contentType: string;
}

export interface ReportInput {
  jobId: string;
  /** The status the job ends in: Complete, Cancelled or Failed. */
  finalStatus: string;
  report: JobReportConfig;
  totalTasks: number;
  succeededTasks: number;
  failedTasks: number;
  /** One row per task done, in task order. */
  rows: readonly ReportRow[];
}

/** The objects to write, result parts first and manifest.json last; none when the report is disabled. */
export function buildReportObjects(input: ReportInput): ReportObject[] {
  const { report, jobId } = input;
  if (!report.enabled) return [];
  const prefix = report.prefix ?? '';
  const scope = report.reportScope ?? 'AllTasks';
  const selected = scope === 'FailedTasksOnly' ? input.rows.filter((r) => r.taskStatus === 'failed') : input.rows;
  const objects: ReportObject[] = [];
  // Always at least one part (header only when no row qualifies), so readers find a file.
  for (let part = 0; part === 0 || part * REPORT_ROWS_PER_PART < selected.length; part++) {
    const rows = selected.slice(part * REPORT_ROWS_PER_PART, (part + 1) * REPORT_ROWS_PER_PART);
    objects.push({ key: reportResultKey(prefix, jobId, part), body: encodeReportCsv(rows), contentType: 'text/csv' });
  }
  const manifest: ReportManifest = {
    format: REPORT_FORMAT, jobId, status: input.finalStatus, reportScope: scope,
    totalTasks: input.totalTasks, succeededTasks: input.succeededTasks, failedTasks: input.failedTasks,
    resultFiles: objects.map((o) => o.key),
  };
  objects.push({ key: reportManifestKey(prefix, jobId), body: JSON.stringify(manifest, null, 2), contentType: 'application/json' });
  return objects;
}
