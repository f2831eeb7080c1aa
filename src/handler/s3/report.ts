/**
 * S3's completion report (`Report_CSV_20180820`): `<prefix>/job-<id>/manifest.json`, whose
 * `Results[]` name CSV files without a header row (Bucket, Key URL-encoded, VersionId, TaskStatus,
 * ErrorCode, HTTPStatusCode, ResultMessage). Read as tolerantly as the OSS report: unknown fields
 * are ignored, and without a usable manifest.json every CSV under the job's folder is read in key
 * order. S3's manifest has no task counts, so the verdict compares the failed rows only.
 */
import { parseReportJson, ReportError, ReportFormatError, ReportMeta, ReportReading, tallyResultFiles } from '../../jobs/report';
import { s3ReportFolder } from '../../shared/s3-identity';
import { isMissingObject, S3Objects } from './objects';

export interface S3ReportLocation {
  bucket: string;
  /** Without a trailing slash (S3 adds `/job-<id>/`); '' for the bucket's root. */
  prefix: string;
}

export const s3ReportUrl = (loc: S3ReportLocation, jobId: string): string => `s3://${loc.bucket}/${s3ReportFolder(loc.prefix, jobId)}`;

/** The result files manifest.json names (keys in the report bucket); unknown fields are ignored. */
export function parseS3ReportManifest(text: string, where: string): string[] {
  const results = parseReportJson(text, where).Results;
  if (!Array.isArray(results)) throw new ReportFormatError(`${where} has no Results list`);
  return results
    .map((r) => (r && typeof r === 'object' ? (r as Record<string, unknown>).Key : undefined))
    .filter((k): k is string => typeof k === 'string' && k !== '');
}

export async function readS3Report(objects: S3Objects, loc: S3ReportLocation, jobId: string, options: { maxFailures?: number; stopEarly?: boolean } = {}): Promise<ReportReading> {
  const folder = s3ReportFolder(loc.prefix, jobId);
  const where = `s3://${loc.bucket}/${folder}`;
  const notes: string[] = [];
  let files: string[] = [];
  let manifestRead = false;
  try {
    files = parseS3ReportManifest(await objects.getText(loc.bucket, `${folder}manifest.json`), `${where}manifest.json`);
    manifestRead = true;
  } catch (err) {
    if (err instanceof ReportFormatError) notes.push(`${err.message}; reading every CSV in the job's folder instead`);
    else if (!isMissingObject(err)) throw err;
  }
  // A FailedTasksOnly report of a job without failures names no file: that is a complete, empty report.
  if (files.length === 0 && !manifestRead) {
    files = (await objects.listKeys(loc.bucket, folder)).filter((k) => k.toLowerCase().endsWith('.csv')).sort();
    if (files.length === 0) throw new ReportError('missing', `no completion report at ${where}${notes.length ? `; ${notes.join('; ')}` : ''}`);
  }
  const meta: ReportMeta = { jobId, resultFiles: files };
  return tallyResultFiles(where, meta, notes, {
    read: (file) => objects.getText(loc.bucket, file), isMissing: isMissingObject, url: (file) => `s3://${loc.bucket}/${file}`,
  }, options);
}
