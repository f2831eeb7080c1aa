/** Lifecycle of a BatchJob event: create (idempotent) → wait → verify → result file; delete. */
import { listAllJobs } from '../oss/client';
import type { JobDescriptor } from '../oss/model';
import { CANCELLABLE_STATUSES, isCancellableStatus, isTerminalStatus } from '../oss/model';
import type { BatchJobEvent, BatchJobResult } from '../shared/contract';
import { jobToken } from '../shared/token';
import type { HandlerDeps } from './deps';
import { jobMatchesSpec, resultOf, toCreateJobInput } from './job-input';
import { readResultFile, removeResultFile, writeResultFile } from './result-file';
import { verifyOutcome } from './verify';
import { waitForTerminal } from './wait';

export async function createBatchJob(event: BatchJobEvent, resultFile: string, deps: HandlerDeps): Promise<BatchJobResult> {
  // From the resolved identity: the same values give the same token however the stack wrote them.
  const token = jobToken(event.identity);
  // A result of another token (or an unreadable one) must not survive a failed run for this one:
  // the result resource would otherwise read the old job's outputs.
  const previous = readResultFile<BatchJobResult>(resultFile);
  if (previous?.clientRequestToken !== token) removeResultFile(resultFile);
  // The same token returns the same JobId, so a retry after a crash or a timeout adopts the job.
  const { jobId } = await deps.batch.createJob(toCreateJobInput(event.identity, token));
  deps.log(`[${event.name}] job ${jobId} (ClientRequestToken ${token})`);
  const settings = event.settings;
  let job: JobDescriptor;
  if (!settings.waitForCompletion) {
    job = await deps.batch.describeJob(jobId);
    deps.log(`[${event.name}] job ${jobId} is ${job.status}; not waiting (waitForCompletion is false)`);
  } else {
    const confirmHint = settings.autoConfirm ? '' : ` If it waits for confirmation, run \`oss-batch jobs confirm ${jobId}\` or set autoConfirm.`;
    job = await waitForTerminal(jobId, deps, {
      name: event.name, timeoutSeconds: settings.timeoutSeconds, autoConfirm: settings.autoConfirm,
      timeoutHint: 'The job is still running in OSS; the next `terraform apply` finds the same job (same ClientRequestToken) ' +
        `and resumes waiting for it. Raise timeoutSeconds for long jobs.${confirmHint}`,
    });
    await verifyOutcome(job, event.identity.report, settings.maxFailedTasks, deps.objects);
  }
  const result = resultOf(job, event, token);
  writeResultFile(resultFile, result);
  return result;
}


/** delete: retain (log only) or cancel a job that is still running. Never fails because the job already ended. */
export async function deleteBatchJob(event: BatchJobEvent, resultFile: string, deps: HandlerDeps): Promise<void> {
  const token = jobToken(event.identity);
  const recorded = readResultFile<BatchJobResult>(resultFile);
  // A result file of another token describes another job: never cancel that one.
  const known = recorded?.clientRequestToken === token ? recorded : undefined;
  if (event.settings.deletionBehavior !== 'cancel') {
    deps.log(`[${event.name}] retained job ${known?.jobId ?? '(id not recorded on this machine)'} (jobs cannot be deleted in OSS)`);
    return;
  }
  const jobId = known?.jobId ?? (await findLiveJob(event, deps));
  if (jobId) await cancelAndWait(event, jobId, deps);
  if (known) removeResultFile(resultFile);
}

async function cancelAndWait(event: BatchJobEvent, jobId: string, deps: HandlerDeps): Promise<void> {
  const name = event.name;
  const job = await describeIfExists(jobId, deps);
  if (!job) {
    deps.log(`[${name}] job ${jobId} is not known to OSS (NoSuchJob); nothing to cancel`);
    return;
  }
  if (isTerminalStatus(job.status)) {
    deps.log(`[${name}] job ${jobId} is already ${job.status}; nothing to cancel`);
    return;
  }
  if (isCancellableStatus(job.status)) {
    try {
      await deps.batch.updateJobStatus(jobId, 'Cancelled', 'cancelled by cdktf-oss-batch on destroy');
      deps.log(`[${name}] cancel requested for job ${jobId}`);
    } catch (err) {
      // The job may have moved on (e.g. to Completing) between DescribeJob and the request.
      if ((err as { code?: string }).code !== 'InvalidJobStatus') throw err;
      deps.log(`[${name}] job ${jobId} can no longer be cancelled (${(err as Error).message}); waiting for its end`);
    }
  } else {
    deps.log(`[${name}] job ${jobId} is ${job.status} and cannot be cancelled; waiting for its end`);
  }
  const final = await waitForTerminal(jobId, deps, {
    name, timeoutSeconds: event.settings.timeoutSeconds, autoConfirm: false,
    timeoutHint: 'The cancel request (if accepted) completes in OSS on its own; run destroy again to wait for it, or check with `oss-batch jobs describe`.',
  });
  deps.log(`[${name}] job ${jobId} ended ${final.status}`);
}

async function describeIfExists(jobId: string, deps: HandlerDeps): Promise<JobDescriptor | undefined> {
  try {
    return await deps.batch.describeJob(jobId);
  } catch (err) {
    if ((err as { code?: string }).code === 'NoSuchJob') return undefined;
    throw err;
  }
}

/**
 * Without a result file (a fresh GitOps runner) the job id is found by listing live jobs and
 * matching the spec; we cancel only when exactly one job matches.
 */
async function findLiveJob(event: BatchJobEvent, deps: HandlerDeps): Promise<string | undefined> {
  const matches: string[] = [];
  for await (const entry of listAllJobs(deps.batch, { statuses: [...CANCELLABLE_STATUSES], maxKeys: 1000 })) {
    // ListJobs names the operation: skip other operations without a DescribeJob each.
    if (entry.operation && entry.operation !== event.identity.operation.type) continue;
    const job = await describeIfExists(entry.jobId, deps);
    if (job && jobMatchesSpec(job, event.identity)) matches.push(job.jobId);
  }
  if (matches.length === 1) {
    deps.log(`[${event.name}] no result file; found the job by its spec: ${matches[0]}`);
    return matches[0];
  }
  deps.log(matches.length === 0
    ? `[${event.name}] no result file and no running job matches this spec; nothing to cancel`
    : `[${event.name}] no result file and ${matches.length} running jobs match this spec (${matches.join(', ')}); ` +
      'not cancelling any: cancel the right one with `oss-batch jobs cancel <id>`');
  return undefined;
}
