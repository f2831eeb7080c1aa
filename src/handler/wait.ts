/** Wait for a job to reach a terminal status, printing one line per change. */
import { isRetryableError } from '../oss/errors';
import { isTerminalStatus, JobDescriptor } from '../oss/model';
import type { HandlerDeps } from './deps';
import { EXIT, HandlerError } from './errors';
import { nextPollDelayMs } from './poller';

export interface WaitOptions {
  name: string;
  timeoutSeconds: number;
  autoConfirm: boolean;
  /** Message for a timeout, after "job <id> is still <status> after <n> s". */
  timeoutHint: string;
  /** Called with every DescribeJob answer (the CLI draws a progress bar from it). */
  onProgress?: (job: JobDescriptor) => void;
}

const HEARTBEAT_MS = 60_000;
/** Consecutive DescribeJob failures (after the client's own retries) tolerated while polling. */
export const MAX_POLL_FAILURES = 3;

export function formatElapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export async function waitForTerminal(jobId: string, deps: HandlerDeps, options: WaitOptions): Promise<JobDescriptor> {
  const started = deps.now();
  const deadline = started + options.timeoutSeconds * 1000;
  let lastLine = '';
  let lastPrinted = started;
  let confirmed = false;
  let failures = 0;
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
    const line = `[${options.name}] job ${jobId} ${job.status} ${p.numberOfTasksSucceeded}/${p.numberOfTasksFailed}/${p.totalNumberOfTasks} tasks (succeeded/failed/total)`;
    const changed = line !== lastLine;
    if (changed || deps.now() - lastPrinted >= HEARTBEAT_MS) {
      deps.log(`${line}, ${formatElapsed(elapsed)}`);
      lastLine = line;
      lastPrinted = deps.now();
    }
    if (isTerminalStatus(job.status)) return job;
    if (job.status === 'Suspended') {
      if (options.autoConfirm && !confirmed) {
        await deps.batch.updateJobStatus(jobId, 'Ready', 'confirmed by cdktf-oss-batch (autoConfirm)');
        confirmed = true;
        deps.log(`[${options.name}] job ${jobId} confirmed (autoConfirm)`);
        continue;
      }
      if (!options.autoConfirm && changed) deps.log(`[${options.name}] job ${jobId} waits for confirmation: oss-batch jobs confirm ${jobId}`);
    }
    const remaining = deadline - deps.now();
    if (remaining <= 0) {
      throw new HandlerError(EXIT.TIMEOUT, `job ${jobId} is still ${job.status} after ${options.timeoutSeconds} s. ${options.timeoutHint}`);
    }
    await deps.sleep(nextPollDelayMs({
      elapsedMs: elapsed, remainingMs: remaining, status: job.status, totalTasks: p.totalNumberOfTasks,
      doneTasks: p.numberOfTasksSucceeded + p.numberOfTasksFailed, activeSeconds: p.elapsedTimeInActiveSeconds,
    }, deps.random));
  }
}
