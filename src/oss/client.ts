/**
 * OssClient: the typed OSS client the handler, the CLI, the demo and the tests use. Every call
 * is one signed HTTP exchange (src/oss/http.ts) plus a codec (src/oss/xml/*).
 */
import { isIP } from 'node:net';
import type { BatchApi, ObjectApi } from './api';
import { CredentialsProvider, toCredentialsProvider } from './credentials';
import { OssResponseError } from './errors';
import { describeRequest, header, HttpRequest, HttpResponse, Transport } from './http';
import type {
  CompletedPart, CreateJobInput, GetObjectResult, HeadObjectResult, JobDescriptor, ListJobsInput, ListJobsResult,
  ListObjectsV2Input, ListObjectsV2Result, ListObjectVersionsInput, ListObjectVersionsResult, PutObjectOptions,
  PutObjectResult, RequestedJobStatus, Tag, UpdateJobPriorityResult, UpdateJobStatusResult,
} from './model';
import { RetryDeps, RetryOptions } from './retry';
import { defaultEndpoint, normalizeRegion } from './model';
import type { OssCredentials } from './signer';
import * as batch from './xml/batch';
import { XmlDecodeError } from './xml/common';
import * as objects from './xml/objects';

export interface OssClientOptions {
  /** Region id, e.g. `cn-hangzhou`. */
  region: string;
  /** Full URL override (http allowed), e.g. `http://127.0.0.1:9000`. Default `https://oss-<region>.aliyuncs.com`. */
  endpoint?: string;
  /** Bucket in the path instead of the host. Default: true for IP/localhost endpoints, else false. */
  pathStyle?: boolean;
  /** Explicit credentials or a provider; default: the @alicloud/credentials default chain. */
  credentials?: OssCredentials | CredentialsProvider;
  retry?: RetryOptions;
  /** For tests: injected sleep/random for retries. */
  retryDeps?: RetryDeps;
  /** Per-request timeout. @default 30000 */
  timeoutMs?: number;
  clock?: () => Date;
  userAgent?: string;
}

export { defaultEndpoint };

/** Virtual-host addressing cannot work on an IP address or localhost. */
export function defaultPathStyle(endpoint: URL): boolean {
  const host = endpoint.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) !== 0 || host === 'localhost';
}

export class OssClient implements BatchApi, ObjectApi {
  readonly region: string;
  readonly endpoint: string;
  private readonly transport: Transport;

  constructor(options: OssClientOptions) {
    this.region = normalizeRegion(options.region);
    this.endpoint = options.endpoint ?? defaultEndpoint(this.region);
    let url: URL;
    try {
      url = new URL(this.endpoint);
    } catch {
      throw new Error(`OSS endpoint "${this.endpoint}" is not a URL (expected e.g. https://oss-cn-hangzhou.aliyuncs.com or http://127.0.0.1:9000)`);
    }
    this.transport = new Transport({
      region: this.region,
      endpoint: url,
      pathStyle: options.pathStyle ?? defaultPathStyle(url),
      credentials: toCredentialsProvider(options.credentials),
      retry: options.retry ?? {},
      retryDeps: options.retryDeps,
      timeoutMs: options.timeoutMs ?? 30_000,
      clock: options.clock ?? (() => new Date()),
      userAgent: options.userAgent ?? 'cdktf-oss-batch',
    });
  }

  private async call<T>(req: HttpRequest, decode: (text: string, res: HttpResponse) => T): Promise<T> {
    const res = await this.transport.send(req);
    try {
      return decode(res.body.toString('utf8'), res);
    } catch (err) {
      if (err instanceof XmlDecodeError) throw new OssResponseError(err.message, describeRequest(req), res.requestId);
      throw err;
    }
  }

  // ---- BatchApi -------------------------------------------------------------

  createJob(input: CreateJobInput): Promise<{ jobId: string }> {
    return this.call({
      method: 'POST', query: { batchJob: null }, body: batch.encodeCreateJobRequest(input), md5: true,
      headers: { 'content-type': 'application/xml' },
    }, batch.decodeCreateJobResult);
  }

  describeJob(jobId: string): Promise<JobDescriptor> {
    return this.call({ method: 'GET', query: { batchJob: null, batchJobId: jobId } }, batch.decodeDescribeJobResult);
  }

  listJobs(input: ListJobsInput = {}): Promise<ListJobsResult> {
    return this.call({
      method: 'GET',
      query: {
        batchJob: null,
        batchJobStatuses: input.statuses?.length ? input.statuses.join('|') : undefined,
        'max-keys': input.maxKeys === undefined ? undefined : String(input.maxKeys),
        'continuation-token': input.continuationToken,
      },
    }, batch.decodeListJobsResult);
  }

  updateJobStatus(jobId: string, requested: RequestedJobStatus, reason?: string): Promise<UpdateJobStatusResult> {
    return this.call({
      method: 'POST', query: { batchJobStatus: null, batchJobId: jobId, requestedJobStatus: requested, statusUpdateReason: reason },
    }, batch.decodeUpdateJobStatusResult);
  }

  updateJobPriority(jobId: string, priority: number): Promise<UpdateJobPriorityResult> {
    return this.call({ method: 'POST', query: { batchJobPriority: null, batchJobId: jobId, targetPriority: String(priority) } }, batch.decodeUpdateJobPriorityResult);
  }

  // ---- ObjectApi ------------------------------------------------------------

  listObjectsV2(bucket: string, input: ListObjectsV2Input = {}): Promise<ListObjectsV2Result> {
    return this.call({
      method: 'GET', bucket,
      query: {
        'list-type': '2', prefix: input.prefix, delimiter: input.delimiter, 'continuation-token': input.continuationToken,
        'start-after': input.startAfter, 'max-keys': input.maxKeys === undefined ? undefined : String(input.maxKeys),
      },
    }, objects.decodeListObjectsV2Result);
  }

  putObject(bucket: string, key: string, body: Buffer | string, options: PutObjectOptions = {}): Promise<PutObjectResult> {
    return this.call({ method: 'PUT', bucket, key, body, headers: putHeaders(options) }, (_t, res) => writeResult(res));
  }

  getObject(bucket: string, key: string, options: { versionId?: string } = {}): Promise<GetObjectResult> {
    return this.transport.send({ method: 'GET', bucket, key, query: { versionId: options.versionId } }).then((res) => compact({
      body: res.body,
      etag: objects.unquoteEtag(header(res.headers, 'etag') ?? ''),
      versionId: header(res.headers, 'x-oss-version-id'),
      contentType: header(res.headers, 'content-type'),
      lastModified: header(res.headers, 'last-modified'),
    }));
  }

  headObject(bucket: string, key: string, options: { versionId?: string } = {}): Promise<HeadObjectResult> {
    return this.transport.send({ method: 'HEAD', bucket, key, query: { versionId: options.versionId } }).then((res) => compact({
      etag: objects.unquoteEtag(header(res.headers, 'etag') ?? ''),
      size: Number(header(res.headers, 'content-length') ?? 0),
      storageClass: header(res.headers, 'x-oss-storage-class') ?? 'Standard',
      versionId: header(res.headers, 'x-oss-version-id'),
      lastModified: header(res.headers, 'last-modified'),
      restore: header(res.headers, 'x-oss-restore'),
    }));
  }

  async deleteObject(bucket: string, key: string, options: { versionId?: string } = {}): Promise<void> {
    await this.transport.send({ method: 'DELETE', bucket, key, query: { versionId: options.versionId } });
  }

  getObjectTagging(bucket: string, key: string, options: { versionId?: string } = {}): Promise<Tag[]> {
    return this.call({ method: 'GET', bucket, key, query: { tagging: null, versionId: options.versionId } }, objects.decodeTagging);
  }

  async putObjectTagging(bucket: string, key: string, tags: Tag[], options: { versionId?: string } = {}): Promise<void> {
    await this.transport.send({
      method: 'PUT', bucket, key, query: { tagging: null, versionId: options.versionId }, body: objects.encodeTagging(tags), md5: true,
      headers: { 'content-type': 'application/xml' },
    });
  }

  async deleteObjectTagging(bucket: string, key: string, options: { versionId?: string } = {}): Promise<void> {
    await this.transport.send({ method: 'DELETE', bucket, key, query: { tagging: null, versionId: options.versionId } });
  }

  initiateMultipartUpload(bucket: string, key: string, options: PutObjectOptions = {}): Promise<{ uploadId: string }> {
    return this.call({ method: 'POST', bucket, key, query: { uploads: null }, headers: putHeaders(options) }, objects.decodeInitiateMultipartUploadResult);
  }

  uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Buffer): Promise<CompletedPart> {
    return this.transport.send({ method: 'PUT', bucket, key, query: { partNumber: String(partNumber), uploadId }, body })
      .then((res) => ({ partNumber, etag: objects.unquoteEtag(header(res.headers, 'etag') ?? '') }));
  }

  completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: CompletedPart[]): Promise<PutObjectResult> {
    return this.call({
      method: 'POST', bucket, key, query: { uploadId }, body: objects.encodeCompleteMultipartUpload(parts), md5: true,
      headers: { 'content-type': 'application/xml' },
    }, (text, res) => compact({ etag: objects.decodeCompleteMultipartUploadResult(text).etag, versionId: header(res.headers, 'x-oss-version-id') }));
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    await this.transport.send({ method: 'DELETE', bucket, key, query: { uploadId } });
  }

  // ---- extras for the demo, tests and the manifest builder ---------------------------

  async createBucket(bucket: string, options: { storageClass?: string } = {}): Promise<void> {
    await this.transport.send({
      method: 'PUT', bucket, body: options.storageClass ? objects.encodeCreateBucketConfiguration(options.storageClass) : undefined,
      headers: options.storageClass ? { 'content-type': 'application/xml' } : {},
    });
  }

  async putBucketVersioning(bucket: string, enabled: boolean): Promise<void> {
    await this.transport.send({
      method: 'PUT', bucket, query: { versioning: null }, body: objects.encodeVersioningConfiguration(enabled), headers: { 'content-type': 'application/xml' },
    });
  }

  listObjectVersions(bucket: string, input: ListObjectVersionsInput = {}): Promise<ListObjectVersionsResult> {
    return this.call({
      method: 'GET', bucket,
      query: {
        versions: null, prefix: input.prefix, 'key-marker': input.keyMarker, 'version-id-marker': input.versionIdMarker,
        'max-keys': input.maxKeys === undefined ? undefined : String(input.maxKeys),
      },
    }, objects.decodeListObjectVersionsResult);
  }

  async putObjectAcl(bucket: string, key: string, acl: string, options: { versionId?: string } = {}): Promise<void> {
    await this.transport.send({ method: 'PUT', bucket, key, query: { acl: null, versionId: options.versionId }, headers: { 'x-oss-object-acl': acl } });
  }

  getObjectAcl(bucket: string, key: string, options: { versionId?: string } = {}): Promise<string> {
    return this.call({ method: 'GET', bucket, key, query: { acl: null, versionId: options.versionId } }, objects.decodeAccessControlPolicy);
  }

  async restoreObject(bucket: string, key: string, options: { days?: number; tier?: string; versionId?: string } = {}): Promise<void> {
    const hasBody = options.days !== undefined || options.tier !== undefined;
    await this.transport.send({
      method: 'POST', bucket, key, query: { restore: null, versionId: options.versionId },
      body: hasBody ? objects.encodeRestoreRequest({ days: options.days, tier: options.tier }) : undefined,
      headers: hasBody ? { 'content-type': 'application/xml' } : {}, md5: hasBody,
    });
  }
}

function putHeaders(options: PutObjectOptions): Record<string, string | undefined> {
  return {
    'content-type': options.contentType,
    'x-oss-storage-class': options.storageClass,
    'x-oss-object-acl': options.acl,
    'x-oss-tagging': options.tags?.length
      ? options.tags.map((t) => `${encodeURIComponent(t.key)}=${encodeURIComponent(t.value)}`).join('&')
      : undefined,
  };
}

function writeResult(res: HttpResponse): PutObjectResult {
  return compact({ etag: objects.unquoteEtag(header(res.headers, 'etag') ?? ''), versionId: header(res.headers, 'x-oss-version-id') });
}

/** Drop undefined members so results compare cleanly in tests and print cleanly as JSON. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
