/** Lifecycle of a BatchJob event: create (idempotent) → wait → verify → result file; delete. */
import { listAllJobs } from '../jobs/pagination';
import type { JobDescriptor } from '../oss/model';
import { CANCELLABLE_STATUSES } from '../oss/model';
import type { BatchJobEvent, BatchJobResult } from '../shared/contract';
import { jobToken } from '../shared/token';
import { CancelBackend, deleteJob } from './cancel';
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


/** delete: retain (log only) or cancel a job that is still running (./cancel.ts). */
export async function deleteBatchJob(event: BatchJobEvent, resultFile: string, deps: HandlerDeps): Promise<void> {
  const request = { name: event.name, token: jobToken(event.identity), resultFile, deletionBehavior: event.settings.deletionBehavior };
  await deleteJob(request, ossCancelBackend(event, deps), deps.log);
}

function ossCancelBackend(event: BatchJobEvent, deps: HandlerDeps): CancelBackend {
  return {
    service: 'OSS', retainedNote: 'jobs cannot be deleted in OSS',
    describeJob: (jobId) => deps.batch.describeJob(jobId),
    requestCancel: (jobId, reason) => deps.batch.updateJobStatus(jobId, 'Cancelled', reason),
    liveJobs: () => listAllJobs(deps.batch, { statuses: [...CANCELLABLE_STATUSES], maxKeys: 1000 }),
    operation: event.identity.operation.type,
    matchesSpec: (job) => jobMatchesSpec(job, event.identity),
    cancelCommand: (jobId) => `oss-batch jobs cancel ${jobId}`,
    describeCommand: () => 'oss-batch jobs describe',
    waitForEnd: (jobId, timeoutHint) => waitForTerminal(jobId, deps, { name: event.name, timeoutSeconds: event.settings.timeoutSeconds, autoConfirm: false, timeoutHint }),
  };
}
