/**
 * The one completion-report reader (layout: docs/report-format.md — ours, since OSS has not
 * published one), used by the outcome verdict and `oss-batch report summary`.
 *
 * Tolerant of what we cannot know about the real service: unknown manifest fields and CSV columns
 * are ignored, columns may come in any order, and without a usable manifest.json every CSV in the
 * job's folder is read in key order (the counts then come from the rows). Rows are counted as they
 * stream by; only the first failures are kept, so memory does not grow with the job.
 */
import type { ObjectApi } from '../oss/api';
import { CsvFormatError, parseReportCsv, reportJobPrefix, reportManifestKey, ReportRow } from '../oss/csv';
import { OssError } from '../oss/errors';
import { listKeys } from './pagination';

export interface ReportLocation {
  bucket: string;
  prefix: string;
}

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

export interface ReportReading {
  /** `oss://bucket/<prefix>job-<id>/`. */
  where: string;
  meta: Omit<ReportMeta, 'resultFiles'>;
  /** True when manifest.json gave the task counts. */
  countsFromManifest: boolean;
  /** False when reading stopped early (enough failures, and the manifest had the counts). */
  complete: boolean;
  rowsRead: number;
  /** Rows per task status. */
  byStatus: Record<string, number>;
  /** Failed rows per error code, most frequent first. */
  byErrorCode: Record<string, number>;
  /** The first failed rows, in report order. */
  failures: ReportRow[];
  /** Things the reader worked around, e.g. an unreadable manifest.json. */
  notes: string[];
}

export class ReportFormatError extends Error {}

/** A report that is not there (`missing`) or cannot be read (`unreadable`). */
export class ReportError extends Error {
  constructor(readonly kind: 'missing' | 'unreadable', message: string) {
    super(message);
    this.name = 'ReportError';
  }
}

export interface ReadReportOptions {
  /** Failed rows to keep. @default 10 */
  maxFailures?: number;
  /** Stop once `maxFailures` failures are kept, when manifest.json gave the counts. @default false */
  stopEarly?: boolean;
}

export const reportFolderUrl = (loc: ReportLocation, jobId: string): string => `oss://${loc.bucket}/${reportJobPrefix(loc.prefix, jobId)}`;

const isMissing = (err: unknown) => err instanceof OssError && (err.code === 'NoSuchKey' || (err.status === 404 && err.code !== 'NoSuchBucket'));

/** Read a job's report. Throws ReportError when it is missing or unreadable; OSS errors (e.g. NoSuchBucket) pass through. */
export async function readReport(objects: ObjectApi, loc: ReportLocation, jobId: string, options: ReadReportOptions = {}): Promise<ReportReading> {
  const where = reportFolderUrl(loc, jobId);
  const notes: string[] = [];
  const manifestKey = reportManifestKey(loc.prefix, jobId);
  let meta: ReportMeta | undefined;
  try {
    meta = parseReportMeta(await readText(objects, loc.bucket, manifestKey), jobId, `oss://${loc.bucket}/${manifestKey}`);
  } catch (err) {
    if (err instanceof ReportFormatError) notes.push(`${err.message}; reading every CSV in the job's folder instead`);
    else if (!isMissing(err)) throw err;
  }
  if (!meta || meta.resultFiles.length === 0) {
    const keys = (await listKeys(objects, loc.bucket, reportJobPrefix(loc.prefix, jobId))).filter((k) => k.toLowerCase().endsWith('.csv')).sort();
    if (keys.length === 0) {
      // OSS uses the prefix verbatim, so "reports" and "reports/" are different places.
      const slash = loc.prefix && !loc.prefix.endsWith('/') ? ` (did you mean the prefix ${loc.prefix}/ ?)` : '';
      throw new ReportError('missing', `no completion report at ${where}${slash}${notes.length ? `; ${notes.join('; ')}` : ''}`);
    }
    meta = { ...(meta ?? { jobId }), resultFiles: keys };
  }
  const files: ResultFileSource = { read: (file) => readText(objects, loc.bucket, file), isMissing, url: (file) => `oss://${loc.bucket}/${file}` };
  return tallyResultFiles(where, meta, notes, files, options);
}

/** Where a report's result files are read from: the part of reading a report that depends on the backend. */
export interface ResultFileSource {
  read(file: string): Promise<string>;
  /** The error `read` throws for a file that is not there. */
  isMissing(err: unknown): boolean;
  /** The file's URL for messages, e.g. `oss://bucket/key`. */
  url(file: string): string;
}

/** Counts the rows of the result files `meta` names: whatever the backend, the same tally. */
export async function tallyResultFiles(where: string, meta: ReportMeta, notes: string[], files: ResultFileSource, options: ReadReportOptions = {}): Promise<ReportReading> {
  const maxFailures = options.maxFailures ?? 10;
  const { resultFiles, ...rest } = meta;
  const reading: ReportReading = {
    where, meta: rest, countsFromManifest: rest.totalTasks !== undefined && rest.succeededTasks !== undefined && rest.failedTasks !== undefined,
    complete: true, rowsRead: 0, byStatus: {}, byErrorCode: {}, failures: [], notes,
  };
  const codes = new Map<string, number>();
  for (const [i, file] of resultFiles.entries()) {
    let rows: ReportRow[];
    try {
      rows = parseReportCsv(await files.read(file));
    } catch (err) {
      if (files.isMissing(err)) throw new ReportError('unreadable', `the report names ${files.url(file)}, which does not exist: the report is incomplete`);
      if (err instanceof CsvFormatError) throw new ReportError('unreadable', `${files.url(file)}: ${err.message}`);
      throw err;
    }
    for (const r of rows) {
      reading.byStatus[r.taskStatus] = (reading.byStatus[r.taskStatus] ?? 0) + 1;
      if (r.taskStatus !== 'failed') continue;
      const code = r.errorCode ?? 'Unknown';
      codes.set(code, (codes.get(code) ?? 0) + 1);
      if (reading.failures.length < maxFailures) reading.failures.push(r);
    }
    reading.rowsRead += rows.length;
    if (options.stopEarly && reading.countsFromManifest && reading.failures.length >= maxFailures && i < resultFiles.length - 1) {
      reading.complete = false;
      break;
    }
  }
  // Sorted once here so text and JSON agree; ties by code for a stable order.
  reading.byErrorCode = Object.fromEntries([...codes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
  return reading;
}

/** Task counts of a reading: the manifest's when it has them, else counted from the rows. */
export function reportCounts(r: ReportReading): { total: number; succeeded: number; failed: number } {
  const succeeded = r.meta.succeededTasks ?? r.byStatus.succeeded ?? 0;
  const failed = r.meta.failedTasks ?? r.byStatus.failed ?? 0;
  return { total: r.meta.totalTasks ?? succeeded + failed, succeeded, failed };
}

async function readText(objects: ObjectApi, bucket: string, key: string): Promise<string> {
  return (await objects.getObject(bucket, key)).body.toString('utf8');
}

/** A report's JSON object (`where` names it in the ReportFormatError otherwise). */
export function parseReportJson(text: string, where: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ReportFormatError(`${where} is not JSON (${(err as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ReportFormatError(`${where} is not a JSON object`);
  return raw as Record<string, unknown>;
}

/** Parse manifest.json text; unknown fields are ignored, wrongly typed known ones are dropped. */
export function parseReportMeta(text: string, jobId: string, where: string): ReportMeta {
  const o = parseReportJson(text, where);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
  const meta: ReportMeta = {
    jobId: str(o.jobId) ?? jobId,
    status: str(o.status),
    reportScope: str(o.reportScope),
    totalTasks: count(o.totalTasks),
    succeededTasks: count(o.succeededTasks),
    failedTasks: count(o.failedTasks),
    resultFiles: Array.isArray(o.resultFiles) ? o.resultFiles.filter((f): f is string => typeof f === 'string') : [],
  };
  return Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined)) as unknown as ReportMeta;
}
