/**
 * `oss-batch jobs wait`: follow a job to its end with the handler's adaptive poller
 * (src/handler/wait.ts → nextPollDelayMs), so the CLI and Terraform poll the same way.
 */
import { Command, InvalidArgumentError } from 'commander';
import { MultiBar, SingleBar } from 'cli-progress';
import { HandlerError } from '../../handler/errors';
import { formatElapsed, waitForTerminal } from '../../handler/wait';
import type { OssClient } from '../../oss/client';
import type { JobDescriptor } from '../../oss/model';
import { GlobalOptions, makeClient, pollDeps, printJson } from '../context';
import { CliError } from '../errors';
import { EXIT, ExitCode, judgeWait } from '../exit-codes';

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

/** The poller's per-change status line (the bar shows the same thing on a terminal). */
export function isProgressLine(line: string): boolean {
  return new RegExp(`^\\[${WAIT_LOG_NAME}\\] job \\S+ \\S+ \\d+/\\d+/\\d+ tasks`).test(line);
}

/** Values the progress bar shows for one DescribeJob answer. */
export function barState(job: JobDescriptor, elapsedMs: number): { total: number; done: number; payload: { status: string; failed: number; elapsed: string } } {
  const p = job.progressSummary;
  return {
    // The total is 0 until the manifest is read; a bar of 1 keeps cli-progress from dividing by zero.
    total: Math.max(1, p.totalNumberOfTasks),
    done: p.numberOfTasksSucceeded + p.numberOfTasksFailed,
    payload: { status: job.status.padEnd(10), failed: p.numberOfTasksFailed, elapsed: formatElapsed(elapsedMs) },
  };
}

export interface FollowOptions {
  timeoutSeconds: number;
  autoConfirm: boolean;
}

/**
 * Poll until the job ends. Display: nothing with --json; a bar on stderr when it is a terminal
 * (other poller lines printed above it); otherwise one stdout line per change.
 */
export async function followJob(client: OssClient, jobId: string, g: GlobalOptions, options: FollowOptions): Promise<JobDescriptor> {
  const tty = !g.json && !!process.stderr.isTTY;
  const bars = tty ? new MultiBar({
    // No color codes in the format: cli-progress counts them as width and would cut the line short.
    stream: process.stderr, hideCursor: true, clearOnComplete: false, barsize: 30,
    format: '{status} {bar} {value}/{total} tasks, {failed} failed, {elapsed}',
  }) : undefined;
  let bar: SingleBar | undefined;
  const started = Date.now();
  const log = (line: string) => {
    if (g.json) return;
    if (!bars) console.log(line);
    else if (!isProgressLine(line)) bars.log(`${line}\n`);
  };
  try {
    return await waitForTerminal(jobId, pollDeps(client, log), {
      name: WAIT_LOG_NAME, timeoutSeconds: options.timeoutSeconds, autoConfirm: options.autoConfirm,
      timeoutHint: 'The job keeps running: wait again or raise --timeout (a Suspended job needs `oss-batch jobs confirm` or --auto-confirm).',
      onProgress: (job) => {
        if (!bars) return;
        const s = barState(job, Date.now() - started);
        bar ??= bars.create(s.total, s.done, s.payload);
        bar.setTotal(s.total);
        bar.update(s.done, s.payload);
      },
    });
  } catch (err) {
    if (err instanceof HandlerError) throw new CliError(err.exitCode as ExitCode, err.message);
    throw err;
  } finally {
    bars?.stop();
  }
}

export function waitCommand(): Command {
  return new Command('wait')
    .description('wait until a job is Complete, Cancelled or Failed, showing progress')
    .argument('<jobId>', 'the job id (JobId from CreateJob or `jobs list`)', jobIdArgument)
    .option('--timeout <seconds>', 'give up after this long (exit 3; the job keeps running)', wholeNumber('--timeout', 1), 3600)
    .option('--auto-confirm', 'confirm the job if it is Suspended (UpdateJobStatus Ready)')
    .option('--max-failed-tasks <n>', 'failed tasks tolerated for exit 0', wholeNumber('--max-failed-tasks', 0), 0)
    .addHelpText('after', `
A progress bar on a terminal (stderr), one line per change otherwise; with --json only the final
DescribeJob result (plus "outcome") is printed. Polling adapts to the job's pace: short while it
finishes, long while it is queued.

Exit codes: 0 Complete with failed tasks ≤ --max-failed-tasks; 1 Failed, Cancelled or too many
failed tasks; 3 timeout; 4 API error.

Examples:
  oss-batch jobs wait MzRjZGU2NGQ3YTY5NGRhMTkxZmZhYzY5OTM5YTcxYWU=
  oss-batch jobs wait <jobId> --timeout 7200 --auto-confirm --max-failed-tasks 10
  oss-batch --json jobs wait <jobId> | jq .outcome`)
    .action(async (jobId: string, opts: { timeout: number; autoConfirm?: boolean; maxFailedTasks: number }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const job = await followJob(makeClient(g), jobId, g, { timeoutSeconds: opts.timeout, autoConfirm: !!opts.autoConfirm });
      const verdict = judgeWait(job, opts.maxFailedTasks);
      if (g.json) printJson({ ...job, outcome: verdict.message, exitCode: verdict.exitCode });
      else console.log(verdict.message);
      if (verdict.exitCode !== EXIT.OK) process.exitCode = verdict.exitCode;
    });
}
