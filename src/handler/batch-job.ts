/** Lifecycle of a BatchJob event: create (idempotent) → wait → verify → result file; delete. */
import { listAllJobs } from '../oss/client';
import { reportJobPrefix } from '../oss/csv';
import type { CreateJobInput, JobDescriptor, JobOperation } from '../oss/model';
import { isTerminalStatus } from '../oss/model';
import type { BatchJobEvent, BatchJobResult, JobSpec } from '../shared/contract';
import { canonicalJson, deriveEffectiveToken } from '../shared/token';
import type { HandlerDeps } from './deps';
import { readResultFile, removeResultFile, writeResultFile } from './result-file';
import { verifyOutcome } from './verify';
import { waitForTerminal } from './wait';

export function toCreateJobInput(spec: JobSpec, token: string): CreateJobInput {
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
    input.manifest = { location: { bucket: c.bucket, object: c.key, etag: c.etag || undefined, versionId: c.versionId || undefined }, spec: { fields: c.fields, format: c.format } };
  } else if (spec.manifest.keyPrefix) {
    input.keyPrefixManifestGenerator = { sourceBucket: spec.manifest.keyPrefix.sourceBucket, prefix: spec.manifest.keyPrefix.prefix };
  }
  return input;
}

function toOperation(op: JobSpec['operation']): JobOperation {
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

export function resultOf(job: JobDescriptor, event: BatchJobEvent, token: string): BatchJobResult {
  const p = job.progressSummary;
  const report = event.spec.report;
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

export async function createBatchJob(event: BatchJobEvent, resultFile: string, deps: HandlerDeps): Promise<BatchJobResult> {
  const token = deriveEffectiveToken(event.token, event.manifestIdentity);
  // A result from an earlier token must not survive a failed run for this one.
  const previous = readResultFile<BatchJobResult>(resultFile);
  if (previous && previous.clientRequestToken !== token) removeResultFile(resultFile);
  const { jobId } = await deps.batch.createJob(toCreateJobInput(event.spec, token));
  deps.log(`[${event.name}] job ${jobId} (ClientRequestToken ${token})`);
  const settings = event.settings;
  let job: JobDescriptor;
  if (!settings.waitForCompletion) {
    job = await deps.batch.describeJob(jobId);
  } else {
    job = await waitForTerminal(jobId, deps, {
      name: event.name, timeoutSeconds: settings.timeoutSeconds, autoConfirm: settings.autoConfirm,
      timeoutHint: 'The job keeps running in OSS; the next `terraform apply` finds the same job (same ClientRequestToken) and resumes waiting. Raise timeoutSeconds for long jobs.',
    });
    await verifyOutcome(job, event.spec.report, settings.maxFailedTasks, deps.objects);
  }
  const result = resultOf(job, event, token);
  writeResultFile(resultFile, result);
  return result;
}

/** Statuses in which a job can still be cancelled (reference §4). */
const CANCELLABLE = ['New', 'Preparing', 'Ready', 'Suspended', 'Active', 'Pausing', 'Paused'];

export async function deleteBatchJob(event: BatchJobEvent, resultFile: string, deps: HandlerDeps): Promise<void> {
  const known = readResultFile<BatchJobResult>(resultFile);
  if (event.settings.deletionBehavior !== 'cancel') {
    deps.log(`[${event.name}] retained job ${known?.jobId ?? '(id not recorded on this machine)'}: OSS jobs cannot be deleted`);
    return;
  }
  const jobId = known?.jobId ?? (await findLiveJob(event, deps));
  if (!jobId) return;
  const job = await deps.batch.describeJob(jobId);
  if (isTerminalStatus(job.status)) {
    deps.log(`[${event.name}] job ${jobId} is already ${job.status}; nothing to cancel`);
  } else if (CANCELLABLE.includes(job.status)) {
    await deps.batch.updateJobStatus(jobId, 'Cancelled', 'cancelled by cdktf-oss-batch on destroy');
    deps.log(`[${event.name}] cancel requested for job ${jobId}`);
    const final = await waitForTerminal(jobId, deps, {
      name: event.name, timeoutSeconds: event.settings.timeoutSeconds, autoConfirm: false, timeoutHint: 'The cancel request was accepted; OSS finishes it on its own.',
    });
    deps.log(`[${event.name}] job ${jobId} ${final.status}`);
  } else {
    // Completing/Failing/Cancelling cannot be cancelled: wait for the end instead of failing the destroy.
    await waitForTerminal(jobId, deps, { name: event.name, timeoutSeconds: event.settings.timeoutSeconds, autoConfirm: false, timeoutHint: '' });
  }
  removeResultFile(resultFile);
}

/**
 * Without a result file (a fresh GitOps runner) the job id is found by listing live jobs and
 * matching the spec; we cancel only when exactly one job matches.
 */
async function findLiveJob(event: BatchJobEvent, deps: HandlerDeps): Promise<string | undefined> {
  const wanted = canonicalJson(comparable(toCreateJobInput(event.spec, '')));
  const matches: string[] = [];
  for await (const entry of listAllJobs(deps.batch, { statuses: CANCELLABLE, maxKeys: 1000 })) {
    const job = await deps.batch.describeJob(entry.jobId);
    if (canonicalJson(comparable(job)) === wanted) matches.push(job.jobId);
  }
  if (matches.length === 1) return matches[0];
  deps.log(matches.length === 0
    ? `[${event.name}] no running job matches this spec; nothing to cancel`
    : `[${event.name}] ${matches.length} running jobs match this spec (${matches.join(', ')}); not cancelling any: use \`oss-batch jobs cancel <id>\``);
  return undefined;
}

function comparable(j: Partial<Pick<CreateJobInput, 'operation' | 'report' | 'priority' | 'roleArn' | 'description' | 'manifest' | 'keyPrefixManifestGenerator'>>) {
  return {
    operation: j.operation, report: j.report, priority: j.priority, roleArn: j.roleArn, description: j.description || undefined,
    manifest: j.manifest, keyPrefixManifestGenerator: j.keyPrefixManifestGenerator,
  };
}
