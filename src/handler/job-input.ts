/**
 * Pure mappings between the normalized `JobIdentity` of the event and the wire model: the
 * CreateJob request, the result file, and the identity comparison used to recognise our job among
 * live jobs when the result file is gone (delete on a fresh runner).
 */
import { reportJobPrefix } from '../oss/csv';
import type { CreateJobInput, JobDescriptor, JobOperation } from '../oss/model';
import type { BatchJobEvent, BatchJobResult } from '../shared/contract';
import type { JobIdentity } from '../shared/identity';
import { canonicalJson } from '../shared/token';

export function toCreateJobInput(spec: JobIdentity, token: string): CreateJobInput {
  const input: CreateJobInput = {
    confirmationRequired: spec.confirmationRequired,
    operation: toOperation(spec.operation),
    report: { bucket: spec.report.bucket, enabled: spec.report.enabled, prefix: spec.report.prefix, reportScope: spec.report.scope },
    clientRequestToken: token,
    description: spec.description || undefined,
    priority: spec.priority,
    roleArn: spec.roleArn,
  };
  if (spec.manifest.csv) {
    const c = spec.manifest.csv;
    input.manifest = {
      location: { bucket: c.bucket, object: c.key, etag: c.etag || undefined, versionId: c.versionId || undefined },
      spec: { fields: c.fields, format: c.format },
    };
  } else if (spec.manifest.inventory) {
    const i = spec.manifest.inventory;
    input.manifest = { location: { bucket: i.bucket, object: i.manifestKey, etag: i.etag || undefined }, spec: { format: i.format } };
  } else if (spec.manifest.keyPrefix) {
    input.keyPrefixManifestGenerator = { sourceBucket: spec.manifest.keyPrefix.sourceBucket, prefix: spec.manifest.keyPrefix.prefix };
  }
  return input;
}

export function toOperation(op: JobIdentity['operation']): JobOperation {
  switch (op.type) {
    case 'PutObjectTagging':
    case 'AddObjectTagging':
      return { type: op.type, tags: op.tags ?? [] };
    case 'DeleteObjectTagging':
      return { type: op.type };
    case 'PutObjectAcl':
      return { type: op.type, acl: op.acl ?? 'default' };
    case 'RestoreObject':
      return { type: op.type, days: op.days, tier: op.tier };
  }
}

/** The result file's content for a job (BatchJobResult in src/shared/contract.ts). */
export function resultOf(job: JobDescriptor, event: BatchJobEvent, token: string): BatchJobResult {
  const p = job.progressSummary;
  const report = event.identity.report;
  return {
    jobId: job.jobId,
    status: job.status,
    totalTasks: p.totalNumberOfTasks,
    succeededTasks: p.numberOfTasksSucceeded,
    failedTasks: p.numberOfTasksFailed,
    reportLocation: report.enabled ? `oss://${report.bucket}/${reportJobPrefix(report.prefix, job.jobId)}` : '',
    clientRequestToken: token,
  };
}

type SpecFields = Pick<CreateJobInput, 'operation' | 'report' | 'priority' | 'roleArn' | 'description' | 'manifest' | 'keyPrefixManifestGenerator'>;

/**
 * Does a described job carry this spec (operation, manifest, report, priority, role,
 * description)? Both sides are reduced to the same canonical form first, because a service may
 * echo an empty string where we sent nothing, quote an ETag, or leave out a default.
 */
export function jobMatchesSpec(job: Partial<SpecFields>, spec: JobIdentity): boolean {
  return canonicalJson(comparable(job)) === canonicalJson(comparable(toCreateJobInput(spec, '')));
}

function comparable(j: Partial<SpecFields>): unknown {
  const m = j.manifest;
  return clean({
    operation: j.operation,
    // A disabled report's bucket and prefix are not part of what the job does.
    report: j.report && (j.report.enabled ? j.report : { enabled: false }),
    priority: j.priority,
    roleArn: j.roleArn,
    description: j.description,
    manifest: m && {
      location: { ...m.location, etag: m.location.etag?.replace(/"/g, '').toLowerCase() },
      spec: { format: m.spec.format, fields: (m.spec.fields || 'Bucket,Key').replace(/\s/g, '') },
    },
    keyPrefixManifestGenerator: j.keyPrefixManifestGenerator,
  });
}

/** Drop undefined, null and empty strings at every depth so "absent" has one spelling. */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const c = clean(v);
      if (c !== undefined && c !== null && c !== '') out[k] = c;
    }
    return out;
  }
  return value;
}
