/**
 * Lifecycle of an S3BatchJob event, with the OSS handler's guarantees on the lifecycle core
 * (src/jobs: wait loop, poller, verdict): create (idempotent per ClientRequestToken) → wait →
 * verify against the completion report → result file; delete (retain, or cancel a live job).
 */
import type { JobDeps } from '../../jobs/deps';
import { eventLine } from '../../jobs/events';
import { judgeOutcome, MAX_LISTED_FAILURES, OutcomeRules, reportEvidence, verdictText } from '../../jobs/verdict';
import { waitForJob, WaitTimeoutError } from '../../jobs/wait';
import { CANCELLABLE_STATUSES, isCancellableStatus, isTerminalStatus } from '../../oss/model';
import type { S3BatchJobEvent, S3BatchJobResult } from '../../shared/contract';
import { s3JobToken } from '../../shared/token';
import { EXIT, HandlerError, RERUN_HINT } from '../errors';
import { readResultFile, removeResultFile, writeResultFile } from '../result-file';
import { AwsCallError, isRetryableAwsError, S3Connection } from './aws';
import type { S3JobApi, S3JobDescriptor } from './control';
import { manifestToHead, s3JobMatchesSpec, s3ResultOf, toS3CreateJobInput } from './job-input';
import type { S3Objects } from './objects';
import { readS3Report, s3ReportFolder, s3ReportUrl } from './report';

export interface S3HandlerDeps extends Pick<JobDeps, 'sleep' | 'now' | 'random'> {
  jobs: S3JobApi;
  objects: S3Objects;
  /** Where the clients talk to, for the `aws` commands we print. */
  connection: S3Connection;
  /** Progress for Terraform's live output (stdout). */
  log: (line: string) => void;
}

/** An `aws` CLI command for this connection (region, and the endpoint when it is not AWS's). */
export function awsCommand(connection: S3Connection, args: string): string {
  return `aws ${args} --region ${connection.region}${connection.endpoint ? ` --endpoint-url ${connection.endpoint}` : ''}`;
}

const statusCommand = (event: S3BatchJobEvent, deps: S3HandlerDeps, jobId: string, status: 'Ready' | 'Cancelled') =>
  awsCommand(deps.connection, `s3control update-job-status --account-id ${event.identity.accountId} --job-id ${jobId} --requested-job-status ${status}`);

export async function createS3BatchJob(event: S3BatchJobEvent, resultFile: string, deps: S3HandlerDeps): Promise<S3BatchJobResult> {
  const spec = event.identity;
  const token = s3JobToken(spec);
  // A result of another token must not survive a failed run for this one: the result resource would read the old job's outputs.
  const previous = readResultFile<S3BatchJobResult>(resultFile);
  if (previous?.clientRequestToken !== token) removeResultFile(resultFile);
  const head = manifestToHead(spec);
  let etag: string | undefined;
  if (head) {
    // S3 requires the manifest's ETag; the stack did not pin it, so it is read now.
    etag = await deps.objects.headEtag(head.bucket, head.key, head.versionId);
    deps.log(`[${event.name}] manifest s3://${head.bucket}/${head.key} has ETag ${etag}`);
  }
  let jobId: string;
  try {
    // The same token and request return the same JobId, so a retry after a crash or a timeout adopts the job.
    ({ jobId } = await deps.jobs.createJob(toS3CreateJobInput(spec, token, etag)));
  } catch (err) {
    if (err instanceof AwsCallError && err.code === 'IdempotencyException') {
      throw new HandlerError(EXIT.API, `${err.message}. A job with this ClientRequestToken (${token}) was created from a different request: ` +
        `${head ? `the manifest s3://${head.bucket}/${head.key} may have changed since (its ETag is read when the job is created); ` : ''}` +
        'set a new `rerunToken` to run the job again.');
    }
    throw err;
  }
  deps.log(`[${event.name}] job ${jobId} (ClientRequestToken ${token})`);
  const settings = event.settings;
  let job: S3JobDescriptor;
  if (!settings.waitForCompletion) {
    job = await deps.jobs.describeJob(jobId);
    deps.log(`[${event.name}] job ${jobId} is ${job.status}; not waiting (waitForCompletion is false)`);
  } else {
    const confirmHint = settings.autoConfirm ? '' : ` If it waits for confirmation, run \`${statusCommand(event, deps, jobId, 'Ready')}\` or set autoConfirm.`;
    job = await waitForS3Job(event, jobId, deps, settings.autoConfirm,
      'The job is still running in S3; the next `terraform apply` finds the same job (same ClientRequestToken) ' +
      `and resumes waiting for it. Raise timeoutSeconds for long jobs.${confirmHint}`);
    await verifyS3Outcome(event, job, deps);
  }
  const result = s3ResultOf(job, spec, token);
  writeResultFile(resultFile, result);
  return result;
}

/** The core's wait, its events printed as lines for Terraform, a timeout turned into exit 3 with what happens next. */
async function waitForS3Job(event: S3BatchJobEvent, jobId: string, deps: S3HandlerDeps, autoConfirm: boolean, timeoutHint: string): Promise<S3JobDescriptor> {
  try {
    return (await waitForJob(jobId, { batch: deps.jobs, sleep: deps.sleep, now: deps.now, random: deps.random }, {
      timeoutSeconds: event.settings.timeoutSeconds, autoConfirm, isRetryable: isRetryableAwsError,
      confirmCommand: statusCommand(event, deps, jobId, 'Ready'),
      onEvent: (e) => {
        const line = eventLine(event.name, e);
        if (line !== undefined) deps.log(line);
      },
    })) as S3JobDescriptor;
  } catch (err) {
    if (err instanceof WaitTimeoutError) throw new HandlerError(EXIT.TIMEOUT, `${err.message} ${timeoutHint}`);
    throw err;
  }
}

/** The core's verdict with evidence from S3's report; a failure is exit 1 with the rerun hint and the command that lists the report. */
async function verifyS3Outcome(event: S3BatchJobEvent, job: S3JobDescriptor, deps: S3HandlerDeps): Promise<void> {
  const report = event.identity.report;
  const rules: OutcomeRules = {
    maxFailedTasks: event.settings.maxFailedTasks, budgetName: 'maxFailedTasks', cancelledNote: 'outside this deployment', scheme: 's3',
    reportCommand: awsCommand(deps.connection, `s3 ls s3://${report.bucket}/${s3ReportFolder(report.prefix, job.jobId)} --recursive`),
  };
  const evidence = await reportEvidence(job, report.enabled, () => s3ReportUrl(report, job.jobId),
    () => readS3Report(deps.objects, report, job.jobId, { maxFailures: MAX_LISTED_FAILURES, stopEarly: true }));
  const verdict = judgeOutcome(job, rules, evidence);
  if (!verdict.ok) throw new HandlerError(verdict.exitCode === EXIT.TIMEOUT ? EXIT.TIMEOUT : EXIT.OUTCOME, verdictText(verdict, RERUN_HINT));
  deps.log(`[${event.name}] ${verdict.message}`);
}

/** delete: retain (log only) or cancel a job that is still running. Never fails because the job already ended. */
export async function deleteS3BatchJob(event: S3BatchJobEvent, resultFile: string, deps: S3HandlerDeps): Promise<void> {
  const token = s3JobToken(event.identity);
  const recorded = readResultFile<S3BatchJobResult>(resultFile);
  // A result file of another token describes another job: never cancel that one.
  const known = recorded?.clientRequestToken === token ? recorded : undefined;
  if (event.settings.deletionBehavior !== 'cancel') {
    deps.log(`[${event.name}] retained job ${known?.jobId ?? '(id not recorded on this machine)'} (S3 Batch Operations jobs cannot be deleted)`);
    return;
  }
  const jobId = known?.jobId ?? (await findLiveJob(event, deps));
  if (jobId) await cancelAndWait(event, jobId, deps);
  if (known) removeResultFile(resultFile);
}

async function cancelAndWait(event: S3BatchJobEvent, jobId: string, deps: S3HandlerDeps): Promise<void> {
  const name = event.name;
  const job = await describeIfExists(jobId, deps);
  if (!job) return deps.log(`[${name}] job ${jobId} is not known to S3 (NoSuchJob); nothing to cancel`);
  if (isTerminalStatus(job.status)) return deps.log(`[${name}] job ${jobId} is already ${job.status}; nothing to cancel`);
  if (isCancellableStatus(job.status)) {
    try {
      await deps.jobs.updateJobStatus(jobId, 'Cancelled', 'cancelled by cdktf-oss-batch on destroy');
      deps.log(`[${name}] cancel requested for job ${jobId}`);
    } catch (err) {
      // The job may have moved on between DescribeJob and the request (S3: JobStatusException).
      if ((err as { code?: string }).code !== 'InvalidJobStatus') throw err;
      deps.log(`[${name}] job ${jobId} can no longer be cancelled (${(err as Error).message}); waiting for its end`);
    }
  } else {
    deps.log(`[${name}] job ${jobId} is ${job.status} and cannot be cancelled; waiting for its end`);
  }
  const final = await waitForS3Job(event, jobId, deps, false,
    `The cancel request (if accepted) completes in S3 on its own; run destroy again to wait for it, or check with \`${awsCommand(deps.connection, `s3control describe-job --account-id ${event.identity.accountId} --job-id ${jobId}`)}\`.`);
  deps.log(`[${name}] job ${jobId} ended ${final.status}`);
}

async function describeIfExists(jobId: string, deps: S3HandlerDeps): Promise<S3JobDescriptor | undefined> {
  try {
    return await deps.jobs.describeJob(jobId);
  } catch (err) {
    if ((err as { code?: string }).code === 'NoSuchJob') return undefined;
    throw err;
  }
}

/**
 * Without a result file (a fresh GitOps runner) the job is found by listing live jobs and
 * matching the spec; we cancel only when exactly one job matches.
 */
async function findLiveJob(event: S3BatchJobEvent, deps: S3HandlerDeps): Promise<string | undefined> {
  const matches: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await deps.jobs.listJobs(CANCELLABLE_STATUSES, nextToken);
    for (const entry of page.jobs) {
      // ListJobs names the operation: skip other operations without a DescribeJob each.
      if (entry.operation && entry.operation !== event.identity.operation.type) continue;
      const job = await describeIfExists(entry.jobId, deps);
      if (job && s3JobMatchesSpec(job.aws, event.identity)) matches.push(job.jobId);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  if (matches.length === 1) {
    deps.log(`[${event.name}] no result file; found the job by its spec: ${matches[0]}`);
    return matches[0];
  }
  deps.log(matches.length === 0
    ? `[${event.name}] no result file and no running job matches this spec; nothing to cancel`
    : `[${event.name}] no result file and ${matches.length} running jobs match this spec (${matches.join(', ')}); ` +
      `not cancelling any: cancel the right one with \`${statusCommand(event, deps, '<id>', 'Cancelled')}\``);
  return undefined;
}
