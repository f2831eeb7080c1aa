/**
 * In-memory fakes of BatchApi + ObjectApi and a fake clock, so whole handler events run in
 * milliseconds. Jobs walk a scripted status list, one step per DescribeJob.
 */
import { createHash } from 'node:crypto';
import type { BatchApi, ObjectApi } from '../../src/oss/api';
import { OssError } from '../../src/oss/errors';
import type {
  CompletedPart, CreateJobInput, GetObjectResult, HeadObjectResult, JobDescriptor, ListJobsInput, ListJobsResult, ListObjectsV2Input,
  ListObjectsV2Result, ObjectSummary, PutObjectResult, RequestedJobStatus, Tag, UpdateJobPriorityResult, UpdateJobStatusResult,
} from '../../src/oss/model';
import type { HandlerDeps } from '../../src/handler/deps';

export interface FakeJob {
  id: string;
  input: CreateJobInput;
  script: string[];
  step: number;
  total: number;
  failed: number;
  failureReasons: { failureCode: string; failureReason: string }[];
}

export class FakeOss implements BatchApi, ObjectApi {
  jobs: FakeJob[] = [];
  objects = new Map<string, { body: Buffer; etag: string; size: number; lastModified: string; storageClass: string }>();
  calls: Record<string, number> = {};
  uploads = new Map<string, Map<number, Buffer>>();
  /** Next CreateJob gets this status script. */
  script = ['New', 'Preparing', 'Active', 'Completing', 'Complete'];
  total = 3;
  failedTasks = 0;
  failureReasons: FakeJob['failureReasons'] = [];
  /** Throw this on the listed call numbers of an API (1-based). */
  failOn: Record<string, { calls: number[]; error: () => Error }> = {};

  private count(api: string): void {
    this.calls[api] = (this.calls[api] ?? 0) + 1;
    const rule = this.failOn[api];
    if (rule?.calls.includes(this.calls[api])) throw rule.error();
  }

  async createJob(input: CreateJobInput): Promise<{ jobId: string }> {
    this.count('createJob');
    const { clientRequestToken, ...body } = input;
    const existing = this.jobs.find((j) => j.input.clientRequestToken === clientRequestToken);
    if (existing) {
      const { clientRequestToken: _t, ...old } = existing.input;
      if (JSON.stringify(old) !== JSON.stringify(body)) throw new OssError({ code: 'ClientTokenConflict', status: 409, message: 'token reused with another body' });
      return { jobId: existing.id };
    }
    const job: FakeJob = { id: `J${this.jobs.length + 1}`.padEnd(44, 'x'), input, script: [...this.script], step: 0, total: this.total, failed: this.failedTasks, failureReasons: this.failureReasons };
    this.jobs.push(job);
    return { jobId: job.id };
  }

  job(id: string): FakeJob {
    const job = this.jobs.find((j) => j.id === id);
    if (!job) throw new OssError({ code: 'NoSuchJob', status: 404, message: 'no such job' });
    return job;
  }

  async describeJob(jobId: string): Promise<JobDescriptor> {
    this.count('describeJob');
    const job = this.job(jobId);
    const status = job.script[Math.min(job.step, job.script.length - 1)];
    if (job.step < job.script.length - 1 && status !== 'Suspended') job.step++;
    const done = ['Complete', 'Completing', 'Failed'].includes(status);
    return {
      jobId, status, failureReasons: status === 'Failed' ? job.failureReasons : [], operation: job.input.operation, report: job.input.report,
      manifest: job.input.manifest, keyPrefixManifestGenerator: job.input.keyPrefixManifestGenerator, priority: job.input.priority,
      roleArn: job.input.roleArn, description: job.input.description,
      progressSummary: { totalNumberOfTasks: job.total, numberOfTasksFailed: done ? job.failed : 0, numberOfTasksSucceeded: done ? job.total - job.failed : 0, elapsedTimeInActiveSeconds: 1 },
    };
  }

  async listJobs(input: ListJobsInput = {}): Promise<ListJobsResult> {
    this.count('listJobs');
    const jobs = this.jobs.filter((j) => !input.statuses || input.statuses.includes(j.script[j.step]));
    return { jobs: jobs.map((j) => ({ jobId: j.id, status: j.script[j.step], progressSummary: { numberOfTasksFailed: 0, numberOfTasksSucceeded: 0, totalNumberOfTasks: j.total } })) };
  }

  async updateJobStatus(jobId: string, requested: RequestedJobStatus, reason?: string): Promise<UpdateJobStatusResult> {
    this.count(`updateJobStatus:${requested}`);
    const job = this.job(jobId);
    if (requested === 'Ready') {
      job.step++;
    } else {
      job.script = [...job.script.slice(0, job.step), 'Cancelling', 'Cancelled'];
    }
    return { jobId, status: job.script[job.step], statusUpdateReason: reason };
  }

  async updateJobPriority(jobId: string, priority: number): Promise<UpdateJobPriorityResult> {
    return { jobId, priority };
  }

  putRaw(bucket: string, key: string, body: string | Buffer, extra: Partial<ObjectSummary> = {}): void {
    const data = Buffer.isBuffer(body) ? body : Buffer.from(body);
    this.objects.set(`${bucket}/${key}`, {
      body: data, etag: createHash('md5').update(data).digest('hex'), size: extra.size ?? data.length, lastModified: extra.lastModified ?? '2025-06-01T00:00:00.000Z', storageClass: extra.storageClass ?? 'Standard',
    });
  }

  async listObjectsV2(bucket: string, input: ListObjectsV2Input = {}): Promise<ListObjectsV2Result> {
    this.count('listObjectsV2');
    const prefix = `${bucket}/${input.prefix ?? ''}`;
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix) && k > `${bucket}/${input.continuationToken ?? ''}`).sort();
    const page = keys.slice(0, input.maxKeys ?? 1000);
    const truncated = keys.length > page.length;
    return {
      name: bucket, maxKeys: input.maxKeys ?? 1000, keyCount: page.length, isTruncated: truncated, commonPrefixes: [],
      nextContinuationToken: truncated ? page[page.length - 1].slice(bucket.length + 1) : undefined,
      contents: page.map((k) => { const o = this.objects.get(k)!; return { key: k.slice(bucket.length + 1), size: o.size, etag: o.etag, lastModified: o.lastModified, storageClass: o.storageClass }; }),
    };
  }

  async putObject(bucket: string, key: string, body: Buffer | string): Promise<PutObjectResult> {
    this.count('putObject');
    this.putRaw(bucket, key, body);
    return { etag: this.objects.get(`${bucket}/${key}`)!.etag.toUpperCase() };
  }

  async getObject(bucket: string, key: string): Promise<GetObjectResult> {
    const o = this.objects.get(`${bucket}/${key}`);
    if (!o) throw new OssError({ code: 'NoSuchKey', status: 404, message: `no ${key}` });
    return { body: o.body, etag: o.etag };
  }

  async headObject(bucket: string, key: string): Promise<HeadObjectResult> {
    const o = await this.getObject(bucket, key);
    return { etag: o.etag, size: o.body.length, storageClass: 'Standard' };
  }

  async deleteObject(bucket: string, key: string): Promise<void> { this.objects.delete(`${bucket}/${key}`); }
  async getObjectTagging(): Promise<Tag[]> { return []; }
  async putObjectTagging(): Promise<void> {}
  async deleteObjectTagging(): Promise<void> {}

  async initiateMultipartUpload(): Promise<{ uploadId: string }> {
    this.count('initiateMultipartUpload');
    const id = `U${this.uploads.size + 1}`;
    this.uploads.set(id, new Map());
    return { uploadId: id };
  }

  async uploadPart(_b: string, _k: string, uploadId: string, partNumber: number, body: Buffer): Promise<CompletedPart> {
    this.count('uploadPart');
    this.uploads.get(uploadId)!.set(partNumber, body);
    return { partNumber, etag: createHash('md5').update(body).digest('hex') };
  }

  async completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: CompletedPart[]): Promise<PutObjectResult> {
    this.count('completeMultipartUpload');
    const upload = this.uploads.get(uploadId)!;
    this.putRaw(bucket, key, Buffer.concat(parts.map((p) => upload.get(p.partNumber)!)));
    this.uploads.delete(uploadId);
    return { etag: `MULTI-${parts.length}` };
  }

  async abortMultipartUpload(_b: string, _k: string, uploadId: string): Promise<void> {
    this.count('abortMultipartUpload');
    this.uploads.delete(uploadId);
  }
}

export function fakeDeps(oss: FakeOss): HandlerDeps & { lines: string[]; clock: { now: number } } {
  const clock = { now: 0 };
  const lines: string[] = [];
  return {
    batch: oss, objects: oss, lines, clock,
    sleep: async (ms) => { clock.now += ms; },
    now: () => clock.now,
    random: () => 0.5,
    log: (line) => lines.push(line),
  };
}
