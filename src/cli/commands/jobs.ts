/** `oss-batch jobs …`: list, describe, wait, cancel, confirm, priority. */
import { Command, InvalidArgumentError } from 'commander';
import { collectJobs } from '../../jobs/pagination';
import type { OssClient } from '../../oss/client';
import { OssError } from '../../oss/errors';
import { JOB_STATUSES, JobListEntry, UpdateJobStatusResult } from '../../oss/model';
import { GlobalOptions, makeClient, makeDeps, printJson, useColor } from '../context';
import { CliError } from '../errors';
import { EXIT, explainRefusedStatusChange } from '../exit-codes';
import { describeText, jobsTable, jsonJob } from '../format';
import { followJob, jobIdArgument, waitCommand, wholeNumber } from './wait';

const MAX_PRIORITY = 2_147_483_647;

/** `Active,Complete` (or `Active|Complete`) → statuses, each checked against the known ones. */
export function parseStatuses(value: string): string[] {
  const list = value.split(/[,|]/).map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new InvalidArgumentError(`give at least one status (valid: ${JOB_STATUSES.join(', ')})`);
  for (const s of list) {
    if (!(JOB_STATUSES as readonly string[]).includes(s)) throw new InvalidArgumentError(`unknown status "${s}" (valid: ${JOB_STATUSES.join(', ')})`);
  }
  return list;
}

/**
 * UpdateJobStatus, and when OSS refuses it, say why in terms of the job's status. The error code
 * for "wrong status" is not documented (the emulator answers InvalidJobStatus), so any 4xx except
 * a missing job or bad credentials is explained from a fresh DescribeJob.
 */
async function changeStatus(client: OssClient, jobId: string, requested: 'Ready' | 'Cancelled', reason: string): Promise<UpdateJobStatusResult> {
  try {
    return await client.updateJobStatus(jobId, requested, reason);
  } catch (err) {
    if (!(err instanceof OssError) || err.status < 400 || err.status >= 500 || err.status === 403 || err.code === 'NoSuchJob') throw err;
    const current = await client.describeJob(jobId).then((j) => j.status, () => undefined);
    const explained = current === undefined ? undefined : explainRefusedStatusChange(jobId, requested, current);
    if (explained) throw new CliError(EXIT.API, `${explained} (OSS said: ${err.code} (${err.status})${err.requestId ? `, request id ${err.requestId}` : ''})`);
    throw err;
  }
}

export function jobsCommand(): Command {
  const jobs = new Command('jobs')
    .description('list, inspect and control batch jobs')
    .addHelpText('after', `
Examples:
  oss-batch jobs list --status Active,Suspended
  oss-batch jobs describe <jobId>
  oss-batch jobs wait <jobId> --auto-confirm
  oss-batch jobs cancel <jobId> --reason "wrong prefix" --wait`);

  jobs.command('list')
    .description('list jobs, one page (--max-keys) or every page (--all)')
    .option('--status <statuses>', 'only jobs in these statuses, comma-separated, e.g. Active,Complete', parseStatuses)
    .option('--max-keys <n>', 'jobs per page, 1-1000', (v) => {
      const n = wholeNumber('--max-keys', 1)(v);
      if (n > 1000) throw new InvalidArgumentError(`--max-keys must be at most 1000, got ${n}`);
      return n;
    }, 100)
    .option('--all', 'follow NextToken through every page')
    .addHelpText('after', `
Columns: JobId, Status, Operation, Priority, Succeeded/Failed/Total tasks, Created (UTC), Description.
Without --all, a hint is printed when more pages exist. --json prints {"jobs": [...], "nextToken": ...}.

Examples:
  oss-batch jobs list
  oss-batch jobs list --status Active,Suspended --all
  oss-batch --json jobs list --status Failed --max-keys 1000`)
    .action(async (opts: { status?: string[]; maxKeys: number; all?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const client = makeClient(g);
      let entries: JobListEntry[] = [];
      let nextToken: string | undefined;
      if (opts.all) {
        entries = await collectJobs(client, { statuses: opts.status, maxKeys: opts.maxKeys });
      } else {
        ({ jobs: entries, nextToken } = await client.listJobs({ statuses: opts.status, maxKeys: opts.maxKeys }));
      }
      if (g.json) return printJson({ jobs: entries.map(jsonJob), nextToken });
      console.log(entries.length ? jobsTable(entries, useColor(g, process.stdout.isTTY)) : 'No jobs.');
      if (nextToken) console.log(`More jobs exist: add --all to list every page (this page: ${entries.length}).`);
    });

  jobs.command('describe')
    .description('show everything DescribeJob returns for a job')
    .argument('<jobId>', 'the job id', jobIdArgument)
    .addHelpText('after', `
Shows status (and why), operation, priority, role, task counts, times, manifest or manifest
generator, report settings and failure reasons. --json prints the DescribeJob result as is.

Examples:
  oss-batch jobs describe MzRjZGU2NGQ3YTY5NGRhMTkxZmZhYzY5OTM5YTcxYWU=
  oss-batch --json jobs describe <jobId> | jq .progressSummary`)
    .action(async (jobId: string, _opts: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const job = await makeClient(g).describeJob(jobId);
      if (g.json) return printJson(jsonJob(job));
      console.log(describeText(job));
    });

  jobs.addCommand(waitCommand());

  jobs.command('cancel')
    .description('request cancellation (UpdateJobStatus Cancelled: the job goes Cancelling, then Cancelled)')
    .argument('<jobId>', 'the job id', jobIdArgument)
    .option('--reason <text>', 'status update reason, 1-256 characters', (v) => {
      if (v.length < 1 || v.length > 256) throw new InvalidArgumentError(`--reason must be 1-256 characters, got ${v.length}`);
      return v;
    }, 'cancelled with oss-batch')
    .option('--wait', 'then wait (up to an hour) until the job has stopped')
    .addHelpText('after', `
Tasks already done stay done. Complete, Failed or Cancelled jobs cannot be cancelled.

Examples:
  oss-batch jobs cancel <jobId>
  oss-batch jobs cancel <jobId> --reason "wrong prefix" --wait`)
    .action(async (jobId: string, opts: { reason: string; wait?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const deps = makeDeps(g);
      const result = await changeStatus(deps.client, jobId, 'Cancelled', opts.reason);
      const final = opts.wait ? await followJob(deps, jobId, g, { timeoutSeconds: 3600, autoConfirm: false }) : undefined;
      if (g.json) return printJson({ ...result, finalStatus: final?.status });
      console.log(`job ${result.jobId}: ${final ? final.status : result.status}`);
    });

  jobs.command('confirm')
    .description('confirm a Suspended job so it runs (UpdateJobStatus Ready)')
    .argument('<jobId>', 'the job id', jobIdArgument)
    .addHelpText('after', `
Only a Suspended (or Preparing) job can be confirmed; jobs created with ConfirmationRequired wait
in Suspended for this.

Example:
  oss-batch jobs confirm <jobId> && oss-batch jobs wait <jobId>`)
    .action(async (jobId: string, _opts: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const result = await changeStatus(makeClient(g), jobId, 'Ready', 'confirmed with oss-batch');
      if (g.json) return printJson(result);
      console.log(`job ${result.jobId}: ${result.status}`);
    });

  jobs.command('priority')
    .description("change a job's priority (UpdateJobPriority; higher runs first)")
    .argument('<jobId>', 'the job id', jobIdArgument)
    .argument('<priority>', `new priority, 0-${MAX_PRIORITY}`, (v) => {
      const n = wholeNumber('priority', 0)(v);
      if (n > MAX_PRIORITY) throw new InvalidArgumentError(`priority must be at most ${MAX_PRIORITY}, got ${v}`);
      return n;
    })
    .addHelpText('after', `
Example:
  oss-batch jobs priority <jobId> 50`)
    .action(async (jobId: string, priority: number, _opts: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const result = await makeClient(g).updateJobPriority(jobId, priority);
      if (g.json) return printJson(result);
      console.log(`job ${result.jobId}: priority ${result.priority}`);
    });

  return jobs;
}
