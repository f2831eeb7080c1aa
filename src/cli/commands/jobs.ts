/** `oss-batch jobs …`: list, describe, wait, cancel, confirm, priority. */
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar } from 'cli-progress';
import { listAllJobs } from '../../oss/client';
import { isTerminalStatus, JOB_STATUSES, JobDescriptor, JobListEntry } from '../../oss/model';
import { HandlerError } from '../../handler/errors';
import { formatElapsed, waitForTerminal } from '../../handler/wait';
import { GlobalOptions, makeClient, printJson } from '../context';
import { CliError, EXIT } from '../errors';
import { describeText, jobsTable, progressText } from '../format';

const integer = (name: string, min: number) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min) throw new InvalidArgumentError(`${name} must be a whole number ≥ ${min}`);
  return n;
};

function statuses(value: string): string[] {
  const list = value.split(/[,|]/).map((s) => s.trim()).filter(Boolean);
  for (const s of list) if (!(JOB_STATUSES as readonly string[]).includes(s)) throw new InvalidArgumentError(`unknown status "${s}" (valid: ${JOB_STATUSES.join(', ')})`);
  return list;
}

export function jobsCommand(): Command {
  const jobs = new Command('jobs').description('list, inspect and control batch jobs');

  jobs.command('list')
    .description('list jobs (newest pages first as OSS returns them)')
    .option('--status <statuses>', 'only jobs in these statuses, comma-separated, e.g. Active,Complete', statuses)
    .option('--max-keys <n>', 'jobs per page, 1-1000', integer('--max-keys', 1), 100)
    .option('--all', 'follow NextToken through every page')
    .addHelpText('after', '\nExamples:\n  oss-batch jobs list\n  oss-batch jobs list --status Active,Suspended --all --json')
    .action(async (opts: { status?: string[]; maxKeys: number; all?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const client = makeClient(g);
      let entries: JobListEntry[] = [];
      let nextToken: string | undefined;
      if (opts.all) {
        for await (const job of listAllJobs(client, { statuses: opts.status, maxKeys: opts.maxKeys })) entries.push(job);
      } else {
        const page = await client.listJobs({ statuses: opts.status, maxKeys: opts.maxKeys });
        entries = page.jobs;
        nextToken = page.nextToken;
      }
      if (g.json) return printJson({ jobs: entries, nextToken });
      console.log(entries.length ? jobsTable(entries, g.color !== false && !!process.stdout.isTTY) : 'No jobs.');
      if (nextToken) console.log('More jobs exist: add --all to list every page.');
    });

  jobs.command('describe <jobId>')
    .description('show everything DescribeJob returns for a job')
    .addHelpText('after', '\nExample:\n  oss-batch jobs describe MzRjZGU2NGQ3YTY5NGRhMTkxZmZhYzY5OTM5YTcxYWU=')
    .action(async (jobId: string, _opts: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const job = await makeClient(g).describeJob(jobId);
      if (g.json) return printJson(job);
      console.log(describeText(job));
    });

  jobs.command('wait <jobId>')
    .description('wait until a job is Complete, Cancelled or Failed, showing progress; exit 0 only for Complete with failed tasks ≤ --max-failed-tasks')
    .option('--timeout <seconds>', 'give up after this long (exit 3)', integer('--timeout', 1), 3600)
    .option('--auto-confirm', 'confirm the job if it is Suspended')
    .option('--max-failed-tasks <n>', 'failed tasks tolerated', integer('--max-failed-tasks', 0), 0)
    .addHelpText('after', '\nExit codes: 0 Complete, 1 Failed/Cancelled/too many failed tasks, 3 timeout, 4 API error.\nExample:\n  oss-batch jobs wait <jobId> --timeout 7200 --auto-confirm')
    .action(async (jobId: string, opts: { timeout: number; autoConfirm?: boolean; maxFailedTasks: number }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const client = makeClient(g);
      const tty = process.stdout.isTTY && !g.json;
      const bar = tty ? new SingleBar({ format: '{status} [{bar}] {value}/{total} tasks, {failed} failed, {elapsed}', hideCursor: true }) : undefined;
      const started = Date.now();
      let job: JobDescriptor;
      try {
        job = await waitForTerminal(jobId, {
          batch: client, objects: client, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), now: () => Date.now(), random: Math.random,
          log: (line) => { if (!tty && !g.json) console.log(line); },
        }, {
          name: 'oss-batch', timeoutSeconds: opts.timeout, autoConfirm: !!opts.autoConfirm, timeoutHint: 'The job keeps running; wait again or raise --timeout.',
          onProgress: (j) => {
            if (!bar) return;
            const p = j.progressSummary;
            const payload = { status: j.status.padEnd(10), failed: p.numberOfTasksFailed, elapsed: formatElapsed(Date.now() - started) };
            if (!bar.isActive) bar.start(Math.max(1, p.totalNumberOfTasks), 0, payload);
            bar.setTotal(Math.max(1, p.totalNumberOfTasks));
            bar.update(p.numberOfTasksSucceeded + p.numberOfTasksFailed, payload);
          },
        });
      } catch (err) {
        bar?.stop();
        if (err instanceof HandlerError) throw new CliError(err.exitCode, err.message);
        throw err;
      }
      bar?.stop();
      const outcome = judge(job, opts.maxFailedTasks);
      if (g.json) printJson({ ...job, outcome: outcome.message });
      else console.log(outcome.message);
      if (outcome.exitCode !== EXIT.OK) process.exitCode = outcome.exitCode;
    });

  jobs.command('cancel <jobId>')
    .description('request cancellation (the job goes Cancelling, then Cancelled)')
    .option('--reason <text>', 'status update reason (1-256 characters)', 'cancelled with oss-batch')
    .option('--wait', 'wait until the job is Cancelled')
    .addHelpText('after', '\nExample:\n  oss-batch jobs cancel <jobId> --reason "wrong prefix" --wait')
    .action(async (jobId: string, opts: { reason: string; wait?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const client = makeClient(g);
      const result = await client.updateJobStatus(jobId, 'Cancelled', opts.reason);
      let final: JobDescriptor | undefined;
      if (opts.wait) {
        final = await waitForTerminal(jobId, {
          batch: client, objects: client, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), now: () => Date.now(), random: Math.random,
          log: (line) => { if (!g.json) console.log(line); },
        }, { name: 'oss-batch', timeoutSeconds: 3600, autoConfirm: false, timeoutHint: '' });
      }
      if (g.json) return printJson({ ...result, finalStatus: final?.status });
      console.log(`job ${result.jobId}: ${final ? final.status : result.status}`);
    });

  jobs.command('confirm <jobId>')
    .description('confirm a Suspended job so it runs (UpdateJobStatus Ready)')
    .addHelpText('after', '\nExample:\n  oss-batch jobs confirm <jobId>')
    .action(async (jobId: string, _opts: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const result = await makeClient(g).updateJobStatus(jobId, 'Ready', 'confirmed with oss-batch');
      if (g.json) return printJson(result);
      console.log(`job ${result.jobId}: ${result.status}`);
    });

  jobs.command('priority <jobId> <priority>')
    .description('change a job\'s priority (0-2147483647, higher runs first)')
    .addHelpText('after', '\nExample:\n  oss-batch jobs priority <jobId> 50')
    .action(async (jobId: string, priority: string, _opts: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const value = integer('priority', 0)(priority);
      const result = await makeClient(g).updateJobPriority(jobId, value);
      if (g.json) return printJson(result);
      console.log(`job ${result.jobId}: priority ${result.priority}`);
    });

  return jobs;
}

/** The wait verdict: Complete within the failed-task budget is success; anything else is not. */
export function judge(job: JobDescriptor, maxFailedTasks: number): { exitCode: number; message: string } {
  const counts = `${progressText(job.progressSummary)} tasks (succeeded/failed/total)`;
  if (job.status === 'Complete' && job.progressSummary.numberOfTasksFailed <= maxFailedTasks) return { exitCode: EXIT.OK, message: `job ${job.jobId} Complete: ${counts}` };
  if (job.status === 'Complete') return { exitCode: EXIT.OUTCOME, message: `job ${job.jobId} Complete but ${job.progressSummary.numberOfTasksFailed} tasks failed (allowed: ${maxFailedTasks}): ${counts}` };
  if (!isTerminalStatus(job.status)) return { exitCode: EXIT.TIMEOUT, message: `job ${job.jobId} is still ${job.status}` };
  const reasons = job.failureReasons.map((f) => `${f.failureCode}: ${f.failureReason}`).join('; ');
  return { exitCode: EXIT.OUTCOME, message: `job ${job.jobId} ${job.status}${reasons ? ` (${reasons})` : ''}: ${counts}` };
}
