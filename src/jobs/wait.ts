/**
 * The one wait loop: poll DescribeJob until the job is terminal, confirm a Suspended job once when
 * asked to, tolerate a few failed polls, and report everything as events (src/jobs/events.ts).
 */
import type { BatchApi } from '../oss/api';
import { isRetryableError } from '../oss/errors';
import { isTerminalStatus, JobDescriptor } from '../oss/model';
import type { JobDeps } from './deps';
import { JobEvent, NoticeEvent, progressEstimate, ProgressEvent } from './events';
import { createPoller } from './poller';

export interface WaitForJobOptions {
  timeoutSeconds: number;
  autoConfirm: boolean;
  onEvent?: (event: JobEvent) => void;
  /** Which DescribeJob failures are worth another poll; default: the OSS client's retryable errors. */
  isRetryable?: (err: unknown) => boolean;
  /** Shown while a job waits for confirmation; default `oss-batch jobs confirm <id>`. */
  confirmCommand?: string;
}

/** What the wait touches: another backend brings its own DescribeJob and UpdateJobStatus. */
export type WaitDeps = Pick<JobDeps, 'sleep' | 'now' | 'random'> & { batch: Pick<BatchApi, 'describeJob' | 'updateJobStatus'> };

/** An unchanged status is reported again (heartbeat) at most this often. */
export const HEARTBEAT_MS = 60_000;
/** Consecutive DescribeJob failures (after the client's own retries) tolerated while polling. */
export const MAX_POLL_FAILURES = 3;
/** StatusUpdateReason sent when autoConfirm confirms a Suspended job. */
export const CONFIRM_REASON = 'confirmed by cdktf-oss-batch';

/** The deadline passed; the job keeps running. Front ends add what to do next. */
export class WaitTimeoutError extends Error {
  constructor(readonly jobId: string, readonly status: string, readonly timeoutSeconds: number, readonly job: JobDescriptor) {
    super(`job ${jobId} is still ${status} after ${timeoutSeconds} s.`);
    this.name = 'WaitTimeoutError';
  }
}

export async function waitForJob(jobId: string, deps: WaitDeps, options: WaitForJobOptions): Promise<JobDescriptor> {
  const emit = options.onEvent ?? (() => undefined);
  const notice = (kind: NoticeEvent['kind'], message: string) => emit({ type: 'notice', jobId, kind, message });
  const started = deps.now();
  const deadline = started + options.timeoutSeconds * 1000;
  const nextDelay = createPoller(deps.random);
  let last = '';
  let reportedAt = started;
  let confirmed = false;
  let failures = 0;
  for (;;) {
    let job: JobDescriptor;
    try {
      job = await deps.batch.describeJob(jobId);
      failures = 0;
    } catch (err) {
      if (!(options.isRetryable ?? isRetryableError)(err) || ++failures >= MAX_POLL_FAILURES) throw err;
      notice('poll-retry', `DescribeJob failed (${(err as Error).message}); retrying`);
      await deps.sleep(Math.min(5000, Math.max(0, deadline - deps.now())));
      continue;
    }
    const p = job.progressSummary;
    const now = deps.now();
    const state = `${job.status} ${p.numberOfTasksSucceeded}/${p.numberOfTasksFailed}/${p.totalNumberOfTasks}`;
    const changed = state !== last;
    const heartbeat = !changed && now - reportedAt >= HEARTBEAT_MS;
    if (changed || heartbeat) reportedAt = now;
    last = state;
    const event: ProgressEvent = {
      type: 'progress', jobId, status: job.status, succeeded: p.numberOfTasksSucceeded, failed: p.numberOfTasksFailed,
      total: p.totalNumberOfTasks, elapsedMs: now - started, ...progressEstimate(job), changed, heartbeat,
    };
    const terminal = isTerminalStatus(job.status);
    const remaining = deadline - now;
    const confirmNow = job.status === 'Suspended' && options.autoConfirm && !confirmed;
    if (!terminal && !confirmNow && remaining > 0) {
      event.nextPollMs = nextDelay({
        elapsedMs: now - started, remainingMs: remaining, status: job.status, totalTasks: p.totalNumberOfTasks,
        doneTasks: p.numberOfTasksSucceeded + p.numberOfTasksFailed, activeSeconds: p.elapsedTimeInActiveSeconds,
      });
    }
    emit(event);
    if (terminal) return job;
    if (confirmNow) {
      confirmed = true;
      await confirm(jobId, deps, notice);
      continue;
    }
    if (job.status === 'Suspended' && !options.autoConfirm && (changed || heartbeat)) {
      notice('awaiting-confirmation', `job ${jobId} waits for confirmation: ${options.confirmCommand ?? `oss-batch jobs confirm ${jobId}`}`);
    }
    if (event.nextPollMs === undefined) throw new WaitTimeoutError(jobId, job.status, options.timeoutSeconds, job);
    await deps.sleep(event.nextPollMs);
  }
}

/**
 * UpdateJobStatus Ready, once. Someone else may confirm or cancel the job between our
 * DescribeJob and this call; OSS then rejects the request (InvalidJobStatus), which is not our
 * failure: keep polling and let the next answer tell.
 */
async function confirm(jobId: string, deps: WaitDeps, notice: (kind: NoticeEvent['kind'], message: string) => void): Promise<void> {
  try {
    await deps.batch.updateJobStatus(jobId, 'Ready', CONFIRM_REASON);
    notice('confirmed', `job ${jobId} confirmed (autoConfirm)`);
  } catch (err) {
    if ((err as { code?: string }).code !== 'InvalidJobStatus') throw err;
    notice('confirm-refused', `job ${jobId} could not be confirmed (${(err as Error).message}); it has probably left Suspended, polling on`);
  }
}
