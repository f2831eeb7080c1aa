/**
 * In-memory fakes of BatchApi + ObjectApi (plus the versions listing) and a fake clock, so whole
 * handler events run in milliseconds. Jobs walk a scripted status list, one step per DescribeJob;
 * the token rule of CreateJob is enforced (same token + same body → same job, other body → 409).
 */
import { createHash } from 'node:crypto';
import type { BatchApi, ObjectApi } from '../../src/oss/api';
import { OssError } from '../../src/oss/errors';
import type {
  CompletedPart, CreateJobInput, GetObjectResult, HeadObjectResult, JobDescriptor, ListJobsInput, ListJobsResult, ListObjectsV2Input,
  ListObjectsV2Result, ListObjectVersionsInput, ListObjectVersionsResult, ObjectSummary, ObjectVersionSummary, PutObjectResult,
  RequestedJobStatus, Tag, UpdateJobPriorityResult, UpdateJobStatusResult,
} from '../../src/oss/model';
import { HandlerError } from '../../src/handler/errors';
import type { HandlerDeps } from '../../src/handler/deps';
import type { VersionLister } from '../../src/handler/manifest-builder';

export interface FakeJob {
  id: string;
  input: CreateJobInput;
  script: string[];
  /** Done tasks (succeeded) reported at each script step; by default the share of the script walked while Active. */
  progress?: number[];
  /** Tasks processed once the job finishes (succeeded + failed); all of them by default. */
  processed: number;
  step: number;
  total: number;
  failed: number;
  failureReasons: { failureCode: string; failureReason: string }[];
}

/**
 * While Active, a job that will move on reports progress in proportion to how far it is through
 * its script (so waits see a rate and an ETA); one that stays Active to the end reports none.
 */
function activeProgress(job: FakeJob, step: number): number {
  if (job.script[step] !== 'Active' || step >= job.script.length - 1) return 0;
  return Math.floor((job.total * step) / (job.script.length - 1));
}

type StoredObject = { body: Buffer; etag: string; size: number; lastModified: string; storageClass: string };

const FINISHED = ['Complete', 'Completing', 'Failed', 'Failing'];

export class FakeOss implements BatchApi, ObjectApi, VersionLister {
  jobs: FakeJob[] = [];
  objects = new Map<string, StoredObject>();
  versions: (ObjectVersionSummary & { bucket: string })[] = [];
  calls: Record<string, number> = {};
  uploads = new Map<string, Map<number, Buffer>>();
  /** Next CreateJob gets this status script (and progress, when set). */
  script = ['New', 'Preparing', 'Active', 'Completing', 'Complete'];
  progress?: number[];
  total = 3;
  failedTasks = 0;
  /** Next CreateJob ends with this many tasks processed (fewer than the total: a job that lost tasks). */
  processedTasks?: number;
  failureReasons: FakeJob['failureReasons'] = [];
  /** ListJobs page size (the fake ignores larger max-keys so paging is exercised). */
  listJobsPageSize = 1000;
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
    const job: FakeJob = {
      id: `J${this.jobs.length + 1}`.padEnd(44, 'x'), input, script: [...this.script], progress: this.progress, step: 0,
      total: this.total, failed: this.failedTasks, failureReasons: this.failureReasons, processed: this.processedTasks ?? this.total,
    };
    this.jobs.push(job);
    return { jobId: job.id };
  }

  job(id: string): FakeJob {
    const job = this.jobs.find((j) => j.id === id);
    if (!job) throw new OssError({ code: 'NoSuchJob', status: 404, message: 'no such job' });
    return job;
  }

  status(job: FakeJob): string {
    return job.script[Math.min(job.step, job.script.length - 1)];
  }

  async describeJob(jobId: string): Promise<JobDescriptor> {
    this.count('describeJob');
    const job = this.job(jobId);
    const step = Math.min(job.step, job.script.length - 1);
    const status = job.script[step];
    if (job.step < job.script.length - 1 && status !== 'Suspended') job.step++;
    const finished = FINISHED.includes(status);
    const done = finished ? job.processed : job.progress?.[step] ?? activeProgress(job, step);
    return {
      jobId, status, failureReasons: status === 'Failed' ? job.failureReasons : [], operation: job.input.operation, report: job.input.report,
      manifest: job.input.manifest, keyPrefixManifestGenerator: job.input.keyPrefixManifestGenerator, priority: job.input.priority,
      roleArn: job.input.roleArn, description: job.input.description,
      progressSummary: {
        totalNumberOfTasks: job.total, numberOfTasksFailed: finished ? job.failed : 0, numberOfTasksSucceeded: finished ? job.processed - job.failed : done,
        elapsedTimeInActiveSeconds: step,
      },
    };
  }

  async listJobs(input: ListJobsInput = {}): Promise<ListJobsResult> {
    this.count('listJobs');
    const matching = this.jobs.filter((j) => !input.statuses || input.statuses.includes(this.status(j)));
    const start = input.continuationToken ? Number(input.continuationToken) : 0;
    const size = Math.min(input.maxKeys ?? 100, this.listJobsPageSize);
    const page = matching.slice(start, start + size);
    return {
      nextToken: start + size < matching.length ? String(start + size) : undefined,
      jobs: page.map((j) => ({
        jobId: j.id, status: this.status(j), operation: j.input.operation.type,
        progressSummary: { numberOfTasksFailed: 0, numberOfTasksSucceeded: 0, totalNumberOfTasks: j.total },
      })),
    };
  }

  async updateJobStatus(jobId: string, requested: RequestedJobStatus, reason?: string): Promise<UpdateJobStatusResult> {
    this.count(`updateJobStatus:${requested}`);
    const job = this.job(jobId);
    const status = this.status(job);
    const allowed = requested === 'Ready' ? ['Suspended', 'Preparing'] : ['New', 'Preparing', 'Ready', 'Suspended', 'Active', 'Pausing', 'Paused'];
    if (!allowed.includes(status)) throw new OssError({ code: 'InvalidJobStatus', status: 409, message: `cannot request ${requested} from ${status}` });
    if (requested === 'Ready') {
      job.step++;
    } else {
      job.script = [...job.script.slice(0, job.step), 'Cancelling', 'Cancelled'];
    }
    this.lastReason = reason;
    return { jobId, status: this.status(job), statusUpdateReason: reason };
  }

  lastReason?: string;

  async updateJobPriority(jobId: string, priority: number): Promise<UpdateJobPriorityResult> {
    return { jobId, priority };
  }

  putRaw(bucket: string, key: string, body: string | Buffer, extra: Partial<ObjectSummary> = {}): void {
    const data = Buffer.isBuffer(body) ? body : Buffer.from(body);
    this.objects.set(`${bucket}/${key}`, {
      body: data, etag: createHash('md5').update(data).digest('hex'), size: extra.size ?? data.length,
      lastModified: extra.lastModified ?? '2025-06-01T00:00:00.000Z', storageClass: extra.storageClass ?? 'Standard',
    });
  }

  async listObjectsV2(bucket: string, input: ListObjectsV2Input = {}): Promise<ListObjectsV2Result> {
    this.count('listObjectsV2');
    this.maxKeysSeen = Math.max(this.maxKeysSeen, input.maxKeys ?? 0);
    const prefix = `${bucket}/${input.prefix ?? ''}`;
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix) && k > `${bucket}/${input.continuationToken ?? ''}`).sort();
    const page = keys.slice(0, input.maxKeys ?? 1000);
    const truncated = keys.length > page.length;
    return {
      name: bucket, maxKeys: input.maxKeys ?? 1000, keyCount: page.length, isTruncated: truncated, commonPrefixes: [],
      nextContinuationToken: truncated ? page[page.length - 1].slice(bucket.length + 1) : undefined,
      contents: page.map((k) => {
        const o = this.objects.get(k)!;
        return { key: k.slice(bucket.length + 1), size: o.size, etag: o.etag, lastModified: o.lastModified, storageClass: o.storageClass };
      }),
    };
  }

  maxKeysSeen = 0;

  /** Versions sorted by key, newest first within a key (as OSS lists them); paged by key + version markers. */
  async listObjectVersions(bucket: string, input: ListObjectVersionsInput): Promise<ListObjectVersionsResult> {
    this.count('listObjectVersions');
    const all = this.versions.filter((v) => v.bucket === bucket && v.key.startsWith(input.prefix ?? ''));
    let start = 0;
    if (input.keyMarker !== undefined) {
      const at = all.findIndex((v) => v.key === input.keyMarker && v.versionId === input.versionIdMarker);
      start = at >= 0 ? at + 1 : all.findIndex((v) => v.key > input.keyMarker!);
      if (start < 0) start = all.length;
    }
    const page = all.slice(start, start + (input.maxKeys ?? 1000));
    const truncated = start + page.length < all.length;
    const last = page.at(-1);
    return {
      name: bucket, maxKeys: input.maxKeys ?? 1000, isTruncated: truncated, deleteMarkers: [],
      nextKeyMarker: truncated ? last?.key : undefined, nextVersionIdMarker: truncated ? last?.versionId : undefined,
      versions: page.map(({ bucket: _b, ...v }) => v),
    };
  }

  async putObject(bucket: string, key: string, body: Buffer | string): Promise<PutObjectResult> {
    this.count('putObject');
    this.putRaw(bucket, key, body);
    return { etag: `"${this.objects.get(`${bucket}/${key}`)!.etag.toUpperCase()}"` };
  }

  async getObject(bucket: string, key: string): Promise<GetObjectResult> {
    this.count('getObject');
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

  /** Largest part body seen: the multipart path must keep memory to about one part. */
  largestPart = 0;
  /** Every UploadPart call, in order. */
  partLog: { uploadId: string; partNumber: number; size: number }[] = [];

  async uploadPart(_b: string, _k: string, uploadId: string, partNumber: number, body: Buffer): Promise<CompletedPart> {
    this.count('uploadPart');
    this.largestPart = Math.max(this.largestPart, body.length);
    this.partLog.push({ uploadId, partNumber, size: body.length });
    this.uploads.get(uploadId)!.set(partNumber, body);
    return { partNumber, etag: createHash('md5').update(body).digest('hex') };
  }

  async completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: CompletedPart[]): Promise<PutObjectResult> {
    this.count('completeMultipartUpload');
    const upload = this.uploads.get(uploadId)!;
    this.putRaw(bucket, key, Buffer.concat(parts.map((p) => upload.get(p.partNumber)!)));
    this.uploads.delete(uploadId);
    return { etag: `"MULTI-${parts.length}"` };
  }

  async abortMultipartUpload(_b: string, _k: string, uploadId: string): Promise<void> {
    this.count('abortMultipartUpload');
    this.uploads.delete(uploadId);
  }
}

/** Thrown by the fake sleep to stand in for a process killed mid-poll. */
export class SimulatedCrash extends Error {}

export type FakeDeps = HandlerDeps & { lines: string[]; clock: { now: number }; sleeps: number[] };

/** Deps over the fake with a fake clock; `crashAfterSleeps` makes the n-th sleep throw SimulatedCrash. */
export function fakeDeps(oss: FakeOss, options: { crashAfterSleeps?: number } = {}): FakeDeps {
  const clock = { now: 0 };
  const lines: string[] = [];
  const sleeps: number[] = [];
  return {
    batch: oss, objects: oss, lines, clock, sleeps,
    sleep: async (ms) => {
      if (options.crashAfterSleeps !== undefined && sleeps.length >= options.crashAfterSleeps) throw new SimulatedCrash('killed');
      sleeps.push(ms);
      clock.now += ms;
    },
    now: () => clock.now,
    random: () => 0.5,
    log: (line) => lines.push(line),
  };
}

/** The lifecycle succeeded; a failure is reported with its exit code and message. */
export async function expectSuccess<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    throw new Error(`expected success, got exit ${(err as HandlerError).exitCode ?? '?'}: ${(err as Error).message}`);
  }
}

/** The lifecycle failed with this exit code and a message matching `message`; returns the message. */
export async function expectFailed(promise: Promise<unknown>, exitCode: number, message: RegExp): Promise<string> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(HandlerError);
  expect((err as HandlerError).exitCode).toBe(exitCode);
  expect((err as HandlerError).message).toMatch(message);
  return (err as HandlerError).message;
}
