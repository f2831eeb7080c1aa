/**
 * S3 Control's job API as the lifecycle core sees a job: DescribeJob mapped to the core's
 * `JobDescriptor` (S3's statuses have the same names as OSS's), so the wait loop, the poller and
 * the verdict run unchanged. The SDK's own description travels along for what only S3 has (the
 * ARN, the spec compared on delete).
 */
import {
  CreateJobCommand, CreateJobCommandInput, DescribeJobCommand, JobDescriptor as AwsJob, JobStatus as AwsJobStatus, ListJobsCommand,
  S3ControlClient, UpdateJobStatusCommand,
} from '@aws-sdk/client-s3-control';
import type { JobDescriptor, JobListEntry, RequestedJobStatus, UpdateJobStatusResult } from '../../oss/model';
import { awsCall } from './aws';

/** The core's view of an S3 job, plus S3's own description. */
export interface S3JobDescriptor extends JobDescriptor {
  jobArn: string;
  aws: AwsJob;
}

/** What the S3 handler calls; `S3ControlJobs` is the real one. */
export interface S3JobApi {
  createJob(input: Omit<CreateJobCommandInput, 'AccountId'>): Promise<{ jobId: string }>;
  describeJob(jobId: string): Promise<S3JobDescriptor>;
  listJobs(statuses: readonly string[], nextToken?: string): Promise<{ jobs: JobListEntry[]; nextToken?: string }>;
  updateJobStatus(jobId: string, requested: RequestedJobStatus, reason?: string): Promise<UpdateJobStatusResult>;
}

export class S3ControlJobs implements S3JobApi {
  constructor(private readonly client: S3ControlClient, readonly accountId: string) {}

  async createJob(input: Omit<CreateJobCommandInput, 'AccountId'>): Promise<{ jobId: string }> {
    const out = await awsCall('S3 Control CreateJob', () => this.client.send(new CreateJobCommand({ ...input, AccountId: this.accountId })));
    if (!out.JobId) throw new Error('S3 Control CreateJob answered without a JobId');
    return { jobId: out.JobId };
  }

  async describeJob(jobId: string): Promise<S3JobDescriptor> {
    const out = await awsCall('S3 Control DescribeJob', () => this.client.send(new DescribeJobCommand({ AccountId: this.accountId, JobId: jobId })));
    if (!out.Job) throw new Error(`S3 Control DescribeJob answered without the job ${jobId}`);
    return toJobDescriptor(out.Job, jobId);
  }

  async listJobs(statuses: readonly string[], nextToken?: string): Promise<{ jobs: JobListEntry[]; nextToken?: string }> {
    const out = await awsCall('S3 Control ListJobs', () => this.client.send(new ListJobsCommand({
      AccountId: this.accountId, JobStatuses: statuses as AwsJobStatus[], MaxResults: 1000, NextToken: nextToken,
    })));
    const jobs = (out.Jobs ?? []).filter((j) => j.JobId).map((j): JobListEntry => ({
      jobId: j.JobId!, status: j.Status ?? '', operation: j.Operation, description: j.Description, priority: j.Priority,
      progressSummary: progressOf(j.ProgressSummary),
    }));
    return { jobs, nextToken: out.NextToken || undefined };
  }

  async updateJobStatus(jobId: string, requested: RequestedJobStatus, reason?: string): Promise<UpdateJobStatusResult> {
    const out = await awsCall('S3 Control UpdateJobStatus', () => this.client.send(new UpdateJobStatusCommand({
      AccountId: this.accountId, JobId: jobId, RequestedJobStatus: requested, StatusUpdateReason: reason,
    })));
    return { jobId: out.JobId ?? jobId, status: out.Status ?? '', statusUpdateReason: out.StatusUpdateReason };
  }
}

function progressOf(p: AwsJob['ProgressSummary']): JobDescriptor['progressSummary'] {
  return {
    totalNumberOfTasks: p?.TotalNumberOfTasks ?? 0,
    numberOfTasksSucceeded: p?.NumberOfTasksSucceeded ?? 0,
    numberOfTasksFailed: p?.NumberOfTasksFailed ?? 0,
    elapsedTimeInActiveSeconds: p?.Timers?.ElapsedTimeInActiveSeconds,
  };
}

const epochSeconds = (d: Date | undefined) => (d ? Math.floor(d.getTime() / 1000) : undefined);

export function toJobDescriptor(job: AwsJob, jobId: string): S3JobDescriptor {
  return {
    jobId: job.JobId ?? jobId,
    jobArn: job.JobArn ?? '',
    status: job.Status ?? '',
    confirmationRequired: job.ConfirmationRequired,
    creationTime: epochSeconds(job.CreationTime),
    terminationDate: epochSeconds(job.TerminationDate),
    description: job.Description,
    priority: job.Priority,
    roleArn: job.RoleArn,
    statusUpdateReason: job.StatusUpdateReason,
    failureReasons: (job.FailureReasons ?? []).map((f) => ({ failureCode: f.FailureCode ?? '', failureReason: f.FailureReason ?? '' })),
    progressSummary: progressOf(job.ProgressSummary),
    aws: job,
  };
}
