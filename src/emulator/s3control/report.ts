/**
 * The completion report in S3's layout: `<prefix>/job-<id>/manifest.json` naming CSV result files
 * under `<prefix>/job-<id>/results/` (one for succeeded, one for failed tasks; no header row, keys
 * URL-encoded, columns Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage).
 */
import { createHash } from 'node:crypto';
import { encodeReportCsv } from '../../oss/csv';
import type { ReportInput, ReportObject } from '../engine/report';
import { s3ReportFolder, S3_REPORT_FORMAT } from '../../shared/s3-identity';


export function buildS3ReportObjects(input: ReportInput, createdAt: Date): ReportObject[] {
  const { report, jobId } = input;
  if (!report.enabled) return [];
  const dir = s3ReportFolder(report.prefix, jobId);
  const failedOnly = report.reportScope === 'FailedTasksOnly';
  const objects: ReportObject[] = [];
  const results: { TaskExecutionStatus: string; Bucket: string; MD5Checksum: string; Key: string }[] = [];
  for (const status of ['succeeded', 'failed'] as const) {
    if (status === 'succeeded' && failedOnly) continue;
    const rows = input.rows.filter((r) => r.taskStatus === status);
    if (!rows.length) continue;
    const body = encodeReportCsv(rows, false);
    const key = `${dir}results/${createHash('sha1').update(`${jobId}/${status}`).digest('hex')}.csv`;
    objects.push({ key, body, contentType: 'text/csv' });
    results.push({ TaskExecutionStatus: status, Bucket: report.bucket, MD5Checksum: createHash('md5').update(body).digest('hex'), Key: key });
  }
  const manifest = {
    Format: S3_REPORT_FORMAT, ReportCreationDate: createdAt.toISOString(), Results: results,
    ReportSchema: 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
  };
  objects.push({ key: `${dir}manifest.json`, body: JSON.stringify(manifest), contentType: 'application/json' });
  return objects;
}
