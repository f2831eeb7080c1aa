/**
 * `oss-batch jobs wait`: follow a job to its end with the lifecycle core's wait loop and verdict
 * (src/jobs), so the CLI and Terraform poll and judge the same way. The display is drawn from the
 * loop's structured events.
 */
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar } from 'cli-progress';
import type { JobDeps } from '../../jobs/deps';
import { eventLine, formatElapsed, formatRate, JobEvent, ProgressEvent } from '../../jobs/events';
import { checkOutcome, verdictText } from '../../jobs/verdict';
import { waitForJob, WaitTimeoutError } from '../../jobs/wait';
import type { JobDescriptor } from '../../oss/model';
import { GlobalOptions, makeDeps, printJson } from '../context';
import { CliError } from '../errors';
import { EXIT, ExitCode } from '../exit-codes';
import { jsonJob } from '../format';

export const WAIT_LOG_NAME = 'oss-batch';

export const wholeNumber = (name: string, min: number) => (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min) throw new InvalidArgumentError(`${name} must be a whole number ≥ ${min}, got "${value}"`);
  return n;
};

/** A job id argument: anything non-empty (OSS ids are 44 base64 characters, but we let OSS judge). */
export function jobIdArgument(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('the job id is empty');
  return value.trim();
}

/** Values the progress bar shows for one progress event. */
export function barState(e: ProgressEvent): { total: number; done: number; payload: { status: string; failed: number; elapsed: string; estimate: string } } {
  const estimate = e.etaMs !== undefined && e.ratePerSecond !== undefined ? `, ${formatRate(e.ratePerSecond)}/s, ETA ${formatElapsed(e.etaMs)}` : '';
  return {
    // The total is 0 until the manifest is read; a bar of 1 keeps cli-progress from dividing by zero.
    total: Math.max(1, e.total),
    done: e.succeeded + e.failed,
    payload: { status: e.status.padEnd(10), failed: e.failed, elapsed: formatElapsed(e.elapsedMs), estimate },
  };
}

/** Draws events: a bar on a terminal (notices printed above it), else lines like the handler's. */
export interface EventDisplay {
  onEvent(e: JobEvent): void;
  stop(): void;
}

export function eventDisplay(g: GlobalOptions, stream: NodeJS.WriteStream = process.stderr): EventDisplay {
  if (g.json) return { onEvent: () => undefined, stop: () => undefined };
  if (!stream.isTTY) {
    return { onEvent: (e) => { const line = eventLine(WAIT_LOG_NAME, e); if (line !== undefined) console.log(line); }, stop: () => undefined };
  }
  // No color codes in the format: cli-progress counts them as width and would cut the line short.
  const bar = new SingleBar({ stream, hideCursor: true, clearOnComplete: false, barsize: 30, format: '{status} {bar} {value}/{total} tasks, {failed} failed, {elapsed}{estimate}' });
  let started = false;
  return {
    onEvent: (e) => {
      if (e.type === 'notice') {
        // Above the bar: clear its line, print, and let the next update redraw it.
        stream.write(`${started ? '\r\u001b[2K' : ''}${eventLine(WAIT_LOG_NAME, e)}\n`);
        return;
      }
      const s = barState(e);
      if (!started) bar.start(s.total, s.done, s.payload);
      started = true;
      bar.setTotal(s.total);
      bar.update(s.done, s.payload);
    },
    stop: () => { if (started) bar.stop(); },
  };
}

export interface FollowOptions {
  timeoutSeconds: number;
  autoConfirm: boolean;
}

/** Poll until the job ends, showing progress; a timeout is exit 3. */
export async function followJob(deps: JobDeps, jobId: string, g: GlobalOptions, options: FollowOptions): Promise<JobDescriptor> {
  const display = eventDisplay(g);
  try {
    return await waitForJob(jobId, deps, { ...options, onEvent: (e) => display.onEvent(e) });
  } catch (err) {
    if (err instanceof WaitTimeoutError) {
      throw new CliError(EXIT.TIMEOUT, `${err.message} The job keeps running: wait again or raise --timeout (a Suspended job needs \`oss-batch jobs confirm\` or --auto-confirm).`);
    }
    throw err;
  } finally {
    display.stop();
  }
}

export function waitCommand(): Command {
  return new Command('wait')
    .description('wait until a job is Complete, Cancelled or Failed, showing progress, then judge the outcome')
    .argument('<jobId>', 'the job id (JobId from CreateJob or `jobs list`)', jobIdArgument)
    .option('--timeout <seconds>', 'give up after this long (exit 3; the job keeps running)', wholeNumber('--timeout', 1), 3600)
    .option('--auto-confirm', 'confirm the job if it is Suspended (UpdateJobStatus Ready)')
    .option('--max-failed-tasks <n>', 'failed tasks tolerated for exit 0', wholeNumber('--max-failed-tasks', 0), 0)
    .addHelpText('after', `
A progress bar on a terminal (stderr), one line per change otherwise; with --json only the final
DescribeJob result (plus "outcome") is printed. Polling adapts to the job's pace. The outcome is
checked like a deployment does: every task processed, the completion report agreeing with the
counts, failed tasks within --max-failed-tasks.

Exit codes: 0 Complete within the budget; 1 Failed, Cancelled, unprocessed tasks or too many
failed tasks; 3 timeout; 4 API error.

Examples:
  oss-batch jobs wait MzRjZGU2NGQ3YTY5NGRhMTkxZmZhYzY5OTM5YTcxYWU=
  oss-batch jobs wait <jobId> --timeout 7200 --auto-confirm --max-failed-tasks 10
  oss-batch --json jobs wait <jobId> | jq .outcome`)
    .action(async (jobId: string, opts: { timeout: number; autoConfirm?: boolean; maxFailedTasks: number }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const deps = makeDeps(g);
      const job = await followJob(deps, jobId, g, { timeoutSeconds: opts.timeout, autoConfirm: !!opts.autoConfirm });
      const report = job.report ? { enabled: job.report.enabled, bucket: job.report.bucket, prefix: job.report.prefix ?? '' } : undefined;
      const verdict = await checkOutcome(job, deps.objects, {
        maxFailedTasks: opts.maxFailedTasks, budgetName: '--max-failed-tasks', connection: { region: deps.client.region, endpoint: deps.client.endpoint },
      }, report);
      const text = verdictText(verdict, verdict.ok ? undefined : failedTasksHint(job, opts.maxFailedTasks));
      if (g.json) printJson({ ...jsonJob(job), outcome: text, exitCode: verdict.exitCode });
      else console.log(text);
      if (verdict.exitCode !== EXIT.OK) process.exitCode = verdict.exitCode as ExitCode;
    });
}

function failedTasksHint(job: JobDescriptor, allowed: number): string | undefined {
  const failed = job.progressSummary.numberOfTasksFailed;
  return job.status === 'Complete' && failed > allowed ? 'Raise --max-failed-tasks to accept more.' : undefined;
}
