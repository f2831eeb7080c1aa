/**
 * The two narrow I/O surfaces the rest of the code depends on. `OssClient`
 * (src/oss/client.ts) implements both over HTTP; handler tests replace them
 * with in-memory fakes (test/handler/mocks.ts), as aws-cdk's provider framework does.
 */
import type {
  CompletedPart, CreateJobInput, GetObjectResult, HeadObjectResult, JobDescriptor,
  ListJobsInput, ListJobsResult, ListObjectsV2Input, ListObjectsV2Result, PutObjectOptions,
  PutObjectResult, RequestedJobStatus, Tag, UpdateJobPriorityResult, UpdateJobStatusResult,
} from './model';

export interface BatchApi {
  /** POST /?batchJob. Idempotent per clientRequestToken (same body → same JobId). */
  createJob(input: CreateJobInput): Promise<{ jobId: string }>;
  /** GET /?batchJob&batchJobId=… */
  describeJob(jobId: string): Promise<JobDescriptor>;
  /** GET /?batchJob&batchJobStatuses=…&max-keys=…&continuation-token=… (one page). */
  listJobs(input?: ListJobsInput): Promise<ListJobsResult>;
  /** POST /?batchJobStatus&batchJobId=…&requestedJobStatus=…&statusUpdateReason=… */
  updateJobStatus(jobId: string, requested: RequestedJobStatus, reason?: string): Promise<UpdateJobStatusResult>;
  /** POST /?batchJobPriority&batchJobId=…&targetPriority=… */
  updateJobPriority(jobId: string, priority: number): Promise<UpdateJobPriorityResult>;
}

export interface ObjectApi {
  listObjectsV2(bucket: string, input?: ListObjectsV2Input): Promise<ListObjectsV2Result>;
  putObject(bucket: string, key: string, body: Buffer | string, options?: PutObjectOptions): Promise<PutObjectResult>;
  getObject(bucket: string, key: string, options?: { versionId?: string }): Promise<GetObjectResult>;
  headObject(bucket: string, key: string, options?: { versionId?: string }): Promise<HeadObjectResult>;
  deleteObject(bucket: string, key: string, options?: { versionId?: string }): Promise<void>;
  getObjectTagging(bucket: string, key: string, options?: { versionId?: string }): Promise<Tag[]>;
  putObjectTagging(bucket: string, key: string, tags: Tag[], options?: { versionId?: string }): Promise<void>;
  deleteObjectTagging(bucket: string, key: string, options?: { versionId?: string }): Promise<void>;
  initiateMultipartUpload(bucket: string, key: string, options?: PutObjectOptions): Promise<{ uploadId: string }>;
  uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Buffer): Promise<CompletedPart>;
  completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: CompletedPart[]): Promise<PutObjectResult>;
  abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void>;
}
