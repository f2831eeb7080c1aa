/** Pure rendering for the CLI: typed values in, text out (tables for people, JSON for machines). */
import Table from 'cli-table3';
import type { JobDescriptor, JobListEntry } from '../oss/model';

export function isoTime(epochSeconds?: number): string {
  return epochSeconds === undefined ? '' : new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** A job (or list entry) for --json: times in the same ISO-8601 form as the tables, not epoch seconds. */
export function jsonJob<T extends { creationTime?: number; terminationDate?: number }>(job: T): Omit<T, 'creationTime' | 'terminationDate'> & { creationTime?: string; terminationDate?: string } {
  const { creationTime, terminationDate, ...rest } = job;
  return {
    ...rest,
    ...(creationTime === undefined ? {} : { creationTime: isoTime(creationTime) }),
    ...(terminationDate === undefined ? {} : { terminationDate: isoTime(terminationDate) }),
  };
}

export function progressText(p: { numberOfTasksSucceeded: number; numberOfTasksFailed: number; totalNumberOfTasks: number }): string {
  return `${p.numberOfTasksSucceeded}/${p.numberOfTasksFailed}/${p.totalNumberOfTasks}`;
}

export function jobsTable(jobs: JobListEntry[], color: boolean): string {
  const table = new Table({
    head: ['JobId', 'Status', 'Operation', 'Priority', 'Succeeded/Failed/Total', 'Created', 'Description'],
    style: color ? {} : { head: [], border: [] },
  });
  for (const j of jobs) {
    table.push([j.jobId, j.status, j.operation ?? '', String(j.priority ?? ''), progressText(j.progressSummary), isoTime(j.creationTime), j.description ?? '']);
  }
  return table.toString();
}

function operationText(job: JobDescriptor): string {
  const op = job.operation;
  if (!op) return '';
  switch (op.type) {
    case 'PutObjectTagging':
    case 'AddObjectTagging':
      return `${op.type} ${op.tags.map((t) => `${t.key}=${t.value}`).join(', ')}`;
    case 'PutObjectAcl':
      return `PutObjectAcl ${op.acl}`;
    case 'RestoreObject':
      return ['RestoreObject', op.days === undefined ? '' : `${op.days} days`, op.tier ?? ''].filter(Boolean).join(' ');
    default:
      return op.type;
  }
}

/** Key/value view of DescribeJob. */
export function describeText(job: JobDescriptor): string {
  const rows: [string, string][] = [
    ['JobId', job.jobId],
    ['Status', job.status + (job.statusUpdateReason ? ` (${job.statusUpdateReason})` : '')],
    ['Operation', operationText(job)],
    ['Priority', String(job.priority ?? '')],
    ['Description', job.description ?? ''],
    ['Role', job.roleArn ?? ''],
    ['Tasks (succeeded/failed/total)', progressText(job.progressSummary)],
    ['Active for', job.progressSummary.elapsedTimeInActiveSeconds === undefined ? '' : `${job.progressSummary.elapsedTimeInActiveSeconds} s`],
    ['Confirmation required', String(job.confirmationRequired ?? false)],
    ['Created', isoTime(job.creationTime)],
    ['Terminated', isoTime(job.terminationDate)],
  ];
  if (job.manifest) {
    const l = job.manifest.location;
    rows.push(['Manifest', `oss://${l.bucket}/${l.object}${l.versionId ? ` (version ${l.versionId})` : ''}${l.etag ? ` ETag ${l.etag}` : ''}, ${job.manifest.spec.format} [${job.manifest.spec.fields ?? 'Bucket,Key'}]`]);
  }
  if (job.keyPrefixManifestGenerator) rows.push(['Manifest generator', `oss://${job.keyPrefixManifestGenerator.sourceBucket}/${job.keyPrefixManifestGenerator.prefix ?? ''}`]);
  if (job.report) rows.push(['Report', job.report.enabled ? `oss://${job.report.bucket}/${job.report.prefix ?? ''} (${job.report.reportScope ?? 'AllTasks'})` : 'disabled']);
  for (const f of job.failureReasons) rows.push(['Failure', `${f.failureCode}: ${f.failureReason}`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.filter(([, v]) => v !== '').map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
