/**
 * CSV manifest (`OSS_BatchOperations_CSV_20250611`) and completion-report codecs,
 * shared by the handler (writes manifests, reads reports) and the emulator (reads
 * manifests, writes reports).
 *
 * Keys are URL-encoded as S3 Batch requires (docs/oss-api.md §8: unconfirmed for OSS; the
 * emulator decodes them), so keys with commas, quotes or newlines survive a CSV line.
 * The report layout is not published; ours is documented in docs/report-format.md,
 * and the reader is tolerant: header-driven, unknown extra columns ignored.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export interface ManifestEntry {
  bucket: string;
  key: string;
  versionId?: string;
}

/** Column names accepted in `Spec.Fields`. `Ignore` skips a column. */
export const MANIFEST_FIELDS = ['Bucket', 'Key', 'VersionId', 'Ignore'] as const;

export class CsvFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvFormatError';
  }
}

/** URL-encode a key for a manifest line, keeping `/` readable as S3's examples do. */
export function encodeManifestKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/');
}

export function decodeManifestKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new CsvFormatError(`manifest key "${encoded}" is not valid URL encoding`);
  }
}

/** One manifest line, newline-terminated. */
export function encodeManifestLine(bucket: string, key: string, versionId?: string): string {
  const cells = [bucket, encodeManifestKey(key)];
  if (versionId !== undefined) cells.push(versionId);
  return stringify([cells]);
}

/** Parse a `Spec.Fields` value such as `Bucket,Key,VersionId`. */
export function parseManifestFields(fields = 'Bucket,Key'): string[] {
  const names = fields.split(',').map((f) => f.trim());
  for (const name of names) {
    if (!(MANIFEST_FIELDS as readonly string[]).includes(name)) {
      throw new CsvFormatError(`unknown manifest field "${name}" in "${fields}" (allowed: ${MANIFEST_FIELDS.join(', ')})`);
    }
  }
  if (!names.includes('Bucket') || !names.includes('Key')) {
    throw new CsvFormatError(`manifest fields "${fields}" must include Bucket and Key`);
  }
  return names;
}

/**
 * Parse a whole CSV manifest. Without a VersionId field, a third column is read as a
 * version id (S3's convention); version ids must be given for all lines or none.
 */
export function parseManifestCsv(text: string, fields?: string): ManifestEntry[] {
  const names = parseManifestFields(fields);
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true });
  } catch (err) {
    throw new CsvFormatError(`manifest is not valid CSV: ${(err as Error).message}`);
  }
  const entries = rows.map((row, index) => toEntry(row, names, index + 1));
  const withVersion = entries.filter((e) => e.versionId !== undefined).length;
  if (withVersion !== 0 && withVersion !== entries.length) {
    throw new CsvFormatError(
      `manifest mixes lines with and without version ids (${withVersion} of ${entries.length} have one): give them for all objects or none`,
    );
  }
  return entries;
}

function toEntry(row: string[], names: string[], line: number): ManifestEntry {
  const hasVersionField = names.includes('VersionId');
  if (row.length < names.length || row.length > names.length + (hasVersionField ? 0 : 1)) {
    throw new CsvFormatError(`manifest line ${line} has ${row.length} columns, expected ${names.join(',')}`);
  }
  const cell = (name: string) => row[names.indexOf(name)];
  const bucket = cell('Bucket').trim();
  const encodedKey = cell('Key');
  if (!bucket || !encodedKey) throw new CsvFormatError(`manifest line ${line} has an empty bucket or key`);
  const versionId = hasVersionField ? cell('VersionId') : row[names.length];
  const entry: ManifestEntry = { bucket, key: decodeManifestKey(encodedKey) };
  if (versionId !== undefined && versionId !== '') entry.versionId = versionId;
  return entry;
}

// ---- completion report ----------------------------------------------------

export type TaskStatus = 'succeeded' | 'failed';

export interface ReportRow {
  bucket: string;
  key: string;
  versionId?: string;
  taskStatus: TaskStatus;
  errorCode?: string;
  httpStatus?: number;
  message?: string;
}

export const REPORT_COLUMNS = ['Bucket', 'Key', 'VersionId', 'TaskStatus', 'ErrorCode', 'HTTPStatusCode', 'ResultMessage'] as const;
export const REPORT_FORMAT = 'cdktf-oss-batch-report-v1';

/** Written next to the result CSVs so readers know the counts without parsing every file. */
export interface ReportManifest {
  format: string;
  jobId: string;
  status: string;
  reportScope: string;
  totalTasks: number;
  succeededTasks: number;
  failedTasks: number;
  /** Object keys of the result CSV files, in order. */
  resultFiles: string[];
}

/** Encode rows as CSV with a header line. Keys are URL-encoded like manifest keys. */
export function encodeReportCsv(rows: ReportRow[], withHeader = true): string {
  const records = rows.map((r) => [
    r.bucket, encodeManifestKey(r.key), r.versionId ?? '', r.taskStatus, r.errorCode ?? '',
    r.httpStatus === undefined ? '' : String(r.httpStatus), r.message ?? '',
  ]);
  return stringify(withHeader ? [[...REPORT_COLUMNS], ...records] : records);
}

/**
 * Parse a result CSV. Header-driven when the first row names the columns (extra columns are
 * ignored, order may differ); otherwise the columns are taken in REPORT_COLUMNS order.
 */
export function parseReportCsv(text: string): ReportRow[] {
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true });
  } catch (err) {
    throw new CsvFormatError(`report is not valid CSV: ${(err as Error).message}`);
  }
  if (rows.length === 0) return [];
  const header = rows[0].map((c) => c.trim().toLowerCase());
  const hasHeader = header.includes('key') && header.includes('taskstatus');
  const columns = hasHeader ? header : REPORT_COLUMNS.map((c) => c.toLowerCase());
  const at = (row: string[], name: string) => {
    const i = columns.indexOf(name.toLowerCase());
    return i >= 0 && i < row.length ? row[i] : undefined;
  };
  return rows.slice(hasHeader ? 1 : 0).map((row, index) => {
    const status = (at(row, 'TaskStatus') ?? '').trim().toLowerCase();
    if (status !== 'succeeded' && status !== 'failed') {
      throw new CsvFormatError(`report row ${index + 1} has task status "${status}" (expected succeeded or failed)`);
    }
    const httpText = at(row, 'HTTPStatusCode');
    const result: ReportRow = {
      bucket: at(row, 'Bucket') ?? '',
      key: decodeManifestKey(at(row, 'Key') ?? ''),
      taskStatus: status,
    };
    const versionId = at(row, 'VersionId');
    if (versionId) result.versionId = versionId;
    const errorCode = at(row, 'ErrorCode');
    if (errorCode) result.errorCode = errorCode;
    if (httpText && /^\d+$/.test(httpText)) result.httpStatus = Number(httpText);
    const message = at(row, 'ResultMessage');
    if (message) result.message = message;
    return result;
  });
}

/** `<prefix>job-<jobId>/`: one folder per job under the configured report prefix. */
export function reportJobPrefix(prefix: string, jobId: string): string {
  return `${prefix}job-${jobId}/`;
}

export function reportManifestKey(prefix: string, jobId: string): string {
  return `${reportJobPrefix(prefix, jobId)}manifest.json`;
}

export function reportResultKey(prefix: string, jobId: string, part: number): string {
  return `${reportJobPrefix(prefix, jobId)}results/part-${String(part).padStart(5, '0')}.csv`;
}
