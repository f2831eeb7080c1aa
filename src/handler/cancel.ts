/**
 * The delete of a job resource, for both backends: retain (log only) or cancel a job that is still
 * running and wait for its end. Never fails because the job already ended. The backend brings its
 * calls and its words (./batch-job.ts for OSS, ./s3/batch-job.ts for S3 Control); the decisions
 * below are pure.
 */
import { isCancellableStatus, isTerminalStatus, JobDescriptor, JobListEntry } from '../oss/model';
import type { JobSettings } from '../shared/contract';
import { readResultFile, removeResultFile } from './result-file';

/** What the delete flow needs of a backend. */
export interface CancelBackend<J extends JobDescriptor = JobDescriptor> {
  /** The service in messages: "not known to OSS", "completes in OSS on its own". */
  service: string;
  /** Why retaining is all a delete can do, e.g. "jobs cannot be deleted in OSS". */
  retainedNote: string;
  /** Throws with `code: 'NoSuchJob'` for an unknown job. */
  describeJob(jobId: string): Promise<J>;
  /** UpdateJobStatus Cancelled; a refused change throws with `code: 'InvalidJobStatus'`. */
  requestCancel(jobId: string, reason: string): Promise<unknown>;
  /** Every job in a cancellable status, page after page. */
  liveJobs(): AsyncIterable<JobListEntry>;
  /** The identity's operation: listed jobs of another operation are skipped without a DescribeJob. */
  operation: string;
  /** Whether a described job is the one the identity creates. */
  matchesSpec(job: J): boolean;
  /** The commands a person runs: cancel a job (`<id>` when none is known), check on it. */
  cancelCommand(jobId: string): string;
  describeCommand(jobId: string): string;
  /** Waits for a terminal status; a timeout is exit 3 with `timeoutHint`. */
  waitForEnd(jobId: string, timeoutHint: string): Promise<JobDescriptor>;
}

export interface DeleteRequest {
  name: string;
  /** The identity's ClientRequestToken. */
  token: string;
  resultFile: string;
  deletionBehavior: JobSettings['deletionBehavior'];
}

export const CANCEL_REASON = 'cancelled by cdktf-oss-batch on destroy';

/** The recorded job of this identity; a result file of another token describes another job, never to be cancelled. */
export function recordedJob<R extends { clientRequestToken?: string; jobId?: string }>(recorded: R | undefined, token: string): R | undefined {
  return recorded?.clientRequestToken === token ? recorded : undefined;
}

/** What to do with a described job: nothing (it ended), request the cancel, or only wait (e.g. Completing). */
export function cancelStep(status: string): 'ended' | 'cancel' | 'wait' {
  if (isTerminalStatus(status)) return 'ended';
  return isCancellableStatus(status) ? 'cancel' : 'wait';
}

/** The job to cancel among those matching the spec: only exactly one; the line says what was decided. */
export function pickLiveJob(name: string, matches: string[], cancelCommand: string): { jobId?: string; line: string } {
  if (matches.length === 1) return { jobId: matches[0], line: `[${name}] no result file; found the job by its spec: ${matches[0]}` };
  return {
    line: matches.length === 0
      ? `[${name}] no result file and no running job matches this spec; nothing to cancel`
      : `[${name}] no result file and ${matches.length} running jobs match this spec (${matches.join(', ')}); ` +
        `not cancelling any: cancel the right one with \`${cancelCommand}\``,
  };
}

export async function deleteJob<J extends JobDescriptor>(request: DeleteRequest, backend: CancelBackend<J>, log: (line: string) => void): Promise<void> {
  const known = recordedJob(readResultFile<{ clientRequestToken?: string; jobId?: string }>(request.resultFile), request.token);
  if (request.deletionBehavior !== 'cancel') {
    log(`[${request.name}] retained job ${known?.jobId ?? '(id not recorded on this machine)'} (${backend.retainedNote})`);
    return;
  }
  const jobId = known?.jobId ?? (await findLiveJob(request.name, backend, log));
  if (jobId) await cancelAndWait(request.name, jobId, backend, log);
  if (known) removeResultFile(request.resultFile);
}

async function cancelAndWait<J extends JobDescriptor>(name: string, jobId: string, backend: CancelBackend<J>, log: (line: string) => void): Promise<void> {
  const job = await describeIfExists(jobId, backend);
  if (!job) return log(`[${name}] job ${jobId} is not known to ${backend.service} (NoSuchJob); nothing to cancel`);
  const step = cancelStep(job.status);
  if (step === 'ended') return log(`[${name}] job ${jobId} is already ${job.status}; nothing to cancel`);
  if (step === 'cancel') {
    try {
      await backend.requestCancel(jobId, CANCEL_REASON);
      log(`[${name}] cancel requested for job ${jobId}`);
    } catch (err) {
      // The job may have moved on (e.g. to Completing) between DescribeJob and the request.
      if ((err as { code?: string }).code !== 'InvalidJobStatus') throw err;
      log(`[${name}] job ${jobId} can no longer be cancelled (${(err as Error).message}); waiting for its end`);
    }
  } else {
    log(`[${name}] job ${jobId} is ${job.status} and cannot be cancelled; waiting for its end`);
  }
  const final = await backend.waitForEnd(jobId,
    `The cancel request (if accepted) completes in ${backend.service} on its own; run destroy again to wait for it, or check with \`${backend.describeCommand(jobId)}\`.`);
  log(`[${name}] job ${jobId} ended ${final.status}`);
}

async function describeIfExists<J extends JobDescriptor>(jobId: string, backend: CancelBackend<J>): Promise<J | undefined> {
  try {
    return await backend.describeJob(jobId);
  } catch (err) {
    if ((err as { code?: string }).code === 'NoSuchJob') return undefined;
    throw err;
  }
}

/**
 * Without a result file (a fresh GitOps runner) the job id is found by listing live jobs and
 * matching the spec; we cancel only when exactly one job matches.
 */
async function findLiveJob<J extends JobDescriptor>(name: string, backend: CancelBackend<J>, log: (line: string) => void): Promise<string | undefined> {
  const matches: string[] = [];
  for await (const entry of backend.liveJobs()) {
    // ListJobs names the operation: skip other operations without a DescribeJob each.
    if (entry.operation && entry.operation !== backend.operation) continue;
    const job = await describeIfExists(entry.jobId, backend);
    if (job && backend.matchesSpec(job)) matches.push(job.jobId);
  }
  const { jobId, line } = pickLiveJob(name, matches, backend.cancelCommand('<id>'));
  log(line);
  return jobId;
}
