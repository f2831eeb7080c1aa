/**
 * Lifecycle of an S3BatchJob event, with the OSS handler's guarantees on the lifecycle core
 * (src/jobs: wait loop, poller, verdict): create (idempotent per ClientRequestToken) → wait →
 * verify against the completion report → result file; delete (retain, or cancel a live job).
 */
import type { JobDeps } from '../../jobs/deps';
import { judgeOutcome, MAX_LISTED_FAILURES, OutcomeRules, reportEvidence, verdictText } from '../../jobs/verdict';
import { CANCELLABLE_STATUSES, JobListEntry } from '../../oss/model';
import type { S3BatchJobEvent, S3BatchJobResult } from '../../shared/contract';
import { s3ReportFolder } from '../../shared/s3-identity';
import { s3JobToken } from '../../shared/token';
import { CancelBackend, deleteJob } from '../cancel';
import { EXIT, HandlerError, RERUN_HINT } from '../errors';
import { readResultFile, removeResultFile, writeResultFile } from '../result-file';
import { waitForTerminal } from '../wait';
import { AwsCallError, isRetryableAwsError, S3Connection } from './aws';
import type { S3JobApi, S3JobDescriptor } from './control';
import { manifestToHead, s3JobMatchesSpec, s3ResultOf, toS3CreateJobInput } from './job-input';
import type { S3Objects } from './objects';
import { readS3Report, s3ReportUrl } from './report';

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

/** The handlers' wait (../wait.ts) on S3 Control: AWS's retryable failures, the `aws` command that confirms. */
async function waitForS3Job(event: S3BatchJobEvent, jobId: string, deps: S3HandlerDeps, autoConfirm: boolean, timeoutHint: string): Promise<S3JobDescriptor> {
  return (await waitForTerminal(jobId, { batch: deps.jobs, sleep: deps.sleep, now: deps.now, random: deps.random, log: deps.log }, {
    name: event.name, timeoutSeconds: event.settings.timeoutSeconds, autoConfirm, timeoutHint,
    isRetryable: isRetryableAwsError, confirmCommand: statusCommand(event, deps, jobId, 'Ready'),
  })) as S3JobDescriptor;
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

/** delete: retain (log only) or cancel a job that is still running (../cancel.ts). */
export async function deleteS3BatchJob(event: S3BatchJobEvent, resultFile: string, deps: S3HandlerDeps): Promise<void> {
  const request = { name: event.name, token: s3JobToken(event.identity), resultFile, deletionBehavior: event.settings.deletionBehavior };
  await deleteJob(request, s3CancelBackend(event, deps), deps.log);
}

function s3CancelBackend(event: S3BatchJobEvent, deps: S3HandlerDeps): CancelBackend<S3JobDescriptor> {
  return {
    service: 'S3', retainedNote: 'S3 Batch Operations jobs cannot be deleted',
    describeJob: (jobId) => deps.jobs.describeJob(jobId),
    // S3's JobStatusException arrives as InvalidJobStatus (AwsCallError).
    requestCancel: (jobId, reason) => deps.jobs.updateJobStatus(jobId, 'Cancelled', reason),
    liveJobs: () => listS3Jobs(deps.jobs, CANCELLABLE_STATUSES),
    operation: event.identity.operation.type,
    matchesSpec: (job) => s3JobMatchesSpec(job.aws, event.identity),
    cancelCommand: (jobId) => statusCommand(event, deps, jobId, 'Cancelled'),
    describeCommand: (jobId) => awsCommand(deps.connection, `s3control describe-job --account-id ${event.identity.accountId} --job-id ${jobId}`),
    waitForEnd: (jobId, timeoutHint) => waitForS3Job(event, jobId, deps, false, timeoutHint),
  };
}

/** Every job in one of `statuses`, following NextToken. */
async function* listS3Jobs(jobs: S3JobApi, statuses: readonly string[]): AsyncIterable<JobListEntry> {
  let nextToken: string | undefined;
  do {
    const page = await jobs.listJobs(statuses, nextToken);
    yield* page.jobs;
    nextToken = page.nextToken;
  } while (nextToken);
}
