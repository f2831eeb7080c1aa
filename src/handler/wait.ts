/** Wait for a job to reach a terminal status, printing one line per change and a heartbeat. */
import { isRetryableError } from '../oss/errors';
import { isTerminalStatus, JobDescriptor } from '../oss/model';
import type { HandlerDeps } from './deps';
import { EXIT, HandlerError } from './errors';
import { createPoller } from './poller';

export interface WaitOptions {
  name: string;
  timeoutSeconds: number;
  autoConfirm: boolean;
  /** Message for a timeout, after "job <id> is still <status> after <n> s". */
  timeoutHint: string;
  /** Called with every DescribeJob answer (the CLI draws a progress bar from it). */
  onProgress?: (job: JobDescriptor) => void;
}

/** An unchanged status is printed again at most this often, so a long wait still shows life. */
export const HEARTBEAT_MS = 60_000;
/** Consecutive DescribeJob failures (after the client's own retries) tolerated while polling. */
export const MAX_POLL_FAILURES = 3;
/** StatusUpdateReason sent when autoConfirm confirms a Suspended job. */
export const CONFIRM_REASON = 'confirmed by cdktf-oss-batch';

export function formatElapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** `[<name>] job <id> <status> <succeeded>/<failed>/<total> tasks` (the elapsed time is appended when printed). */
export function progressLine(name: string, job: JobDescriptor): string {
  const p = job.progressSummary;
  return `[${name}] job ${job.jobId} ${job.status} ${p.numberOfTasksSucceeded}/${p.numberOfTasksFailed}/${p.totalNumberOfTasks} tasks`;
}

export async function waitForTerminal(jobId: string, deps: HandlerDeps, options: WaitOptions): Promise<JobDescriptor> {
  const started = deps.now();
  const deadline = started + options.timeoutSeconds * 1000;
  let lastLine = '';
  let lastPrinted = started;
  let confirmed = false;
  let failures = 0;
  const nextDelay = createPoller(deps.random);
  for (;;) {
    let job: JobDescriptor;
    try {
      job = await deps.batch.describeJob(jobId);
      failures = 0;
    } catch (err) {
      if (!isRetryableError(err) || ++failures >= MAX_POLL_FAILURES) throw err;
      deps.log(`[${options.name}] DescribeJob failed (${(err as Error).message}); retrying`);
      await deps.sleep(Math.min(5000, Math.max(0, deadline - deps.now())));
      continue;
    }
    options.onProgress?.(job);
    const p = job.progressSummary;
    const elapsed = deps.now() - started;
    const line = progressLine(options.name, { ...job, jobId });
    const changed = line !== lastLine;
    const heartbeat = !changed && deps.now() - lastPrinted >= HEARTBEAT_MS;
    if (changed || heartbeat) {
      deps.log(`${line}, ${formatElapsed(elapsed)}`);
      lastLine = line;
      lastPrinted = deps.now();
    }
    if (isTerminalStatus(job.status)) return job;
    if (job.status === 'Suspended') {
      if (options.autoConfirm && !confirmed) {
        confirmed = true;
        await confirm(jobId, deps, options.name);
        continue;
      } else if (!options.autoConfirm && (changed || heartbeat)) {
        deps.log(`[${options.name}] job ${jobId} waits for confirmation: oss-batch jobs confirm ${jobId}`);
      }
    }
    const remaining = deadline - deps.now();
    if (remaining <= 0) {
      throw new HandlerError(EXIT.TIMEOUT, `job ${jobId} is still ${job.status} after ${options.timeoutSeconds} s. ${options.timeoutHint}`);
    }
    const done = p.numberOfTasksSucceeded + p.numberOfTasksFailed;
    await deps.sleep(nextDelay({
      elapsedMs: elapsed, remainingMs: remaining, status: job.status, totalTasks: p.totalNumberOfTasks,
      doneTasks: done, activeSeconds: p.elapsedTimeInActiveSeconds,
    }));
  }
}

/**
 * UpdateJobStatus Ready, once. Someone else may confirm or cancel the job between our
 * DescribeJob and this call; OSS then rejects the request (InvalidJobStatus), which is not our
 * failure: keep polling and let the next answer tell.
 */
async function confirm(jobId: string, deps: HandlerDeps, name: string): Promise<void> {
  try {
    await deps.batch.updateJobStatus(jobId, 'Ready', CONFIRM_REASON);
    deps.log(`[${name}] job ${jobId} confirmed (autoConfirm)`);
  } catch (err) {
    if ((err as { code?: string }).code !== 'InvalidJobStatus') throw err;
    deps.log(`[${name}] job ${jobId} could not be confirmed (${(err as Error).message}); it has probably left Suspended, polling on`);
  }
}
