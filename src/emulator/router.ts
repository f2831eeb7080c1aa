/**
 * Addressing and the one route table: (method, level, sub-resource) → API name and controller
 * method. The first matching row wins. A known sub-resource we do not implement matches no row
 * and answers NotImplemented, so nothing succeeds silently (s3rver's rule).
 */
import { isIP } from 'node:net';
import type { BatchController } from './batch-controller';
import type { ObjectController } from './object-controller';
import type { ApiResponse, EmulatorRequest } from './request';

export interface Target {
  bucket?: string;
  key?: string;
}

export interface Controllers {
  objects: ObjectController;
  batch: BatchController;
}

export type Level = 'service' | 'bucket' | 'object';

export interface Route {
  api: string;
  method: string;
  level: Level;
  /** The query parameter that selects the row; undefined: none of the known sub-resources may be present. */
  sub?: string;
  /** A further condition on the query. */
  when?: (query: Record<string, string>) => boolean;
  /** The body is object data, streamed to disk (else a small document read whole). */
  streamed?: boolean;
  handle: (c: Controllers, req: EmulatorRequest) => ApiResponse | Promise<ApiResponse>;
}

/** Sub-resources OSS knows that the emulator does not implement. */
const UNSUPPORTED = ['acl', 'append', 'symlink', 'objectMeta', 'cors', 'lifecycle', 'logging', 'website', 'referer', 'policy', 'inventory', 'encryption', 'worm', 'replication', 'select', 'bucketInfo', 'location', 'stat', 'qos', 'requestPayment', 'transferAcceleration', 'cname', 'img', 'process', 'x-oss-process', 'delete', 'list-type'];
const OBJECT_SUBRESOURCES = [...UNSUPPORTED, 'tagging', 'restore', 'uploads', 'uploadId', 'versions', 'versioning'];
const plain = (query: Record<string, string>) => !OBJECT_SUBRESOURCES.some((s) => s in query);

export const ROUTES: readonly Route[] = [
  // service level: Batch Operations
  { api: 'CreateJob', method: 'POST', level: 'service', sub: 'batchJob', handle: (c, r) => c.batch.createJob(r) },
  { api: 'DescribeJob', method: 'GET', level: 'service', sub: 'batchJob', when: (q) => 'batchJobId' in q, handle: (c, r) => c.batch.describeJob(r) },
  { api: 'ListJobs', method: 'GET', level: 'service', sub: 'batchJob', handle: (c, r) => c.batch.listJobs(r) },
  { api: 'UpdateJobStatus', method: 'POST', level: 'service', sub: 'batchJobStatus', handle: (c, r) => c.batch.updateJobStatus(r) },
  { api: 'UpdateJobPriority', method: 'POST', level: 'service', sub: 'batchJobPriority', handle: (c, r) => c.batch.updateJobPriority(r) },
  // bucket level
  { api: 'PutBucketVersioning', method: 'PUT', level: 'bucket', sub: 'versioning', handle: (c, r) => c.objects.putVersioning(r) },
  { api: 'ListObjectVersions', method: 'GET', level: 'bucket', sub: 'versions', handle: (c, r) => c.objects.listVersions(r) },
  { api: 'ListObjectsV2', method: 'GET', level: 'bucket', sub: 'list-type', when: (q) => q['list-type'] === '2', handle: (c, r) => c.objects.listObjectsV2(r) },
  { api: 'PutBucket', method: 'PUT', level: 'bucket', when: (q) => Object.keys(q).length === 0, handle: (c, r) => c.objects.createBucket(r) },
  // object level
  { api: 'GetObjectTagging', method: 'GET', level: 'object', sub: 'tagging', handle: (c, r) => c.objects.getTagging(r) },
  { api: 'PutObjectTagging', method: 'PUT', level: 'object', sub: 'tagging', handle: (c, r) => c.objects.putTagging(r) },
  { api: 'DeleteObjectTagging', method: 'DELETE', level: 'object', sub: 'tagging', handle: (c, r) => c.objects.deleteTagging(r) },
  { api: 'GetObjectAcl', method: 'GET', level: 'object', sub: 'acl', handle: (c, r) => c.objects.getAcl(r) },
  { api: 'PutObjectAcl', method: 'PUT', level: 'object', sub: 'acl', handle: (c, r) => c.objects.putAcl(r) },
  { api: 'RestoreObject', method: 'POST', level: 'object', sub: 'restore', handle: (c, r) => c.objects.restore(r) },
  { api: 'InitiateMultipartUpload', method: 'POST', level: 'object', sub: 'uploads', handle: (c, r) => c.objects.initiateUpload(r) },
  { api: 'UploadPart', method: 'PUT', level: 'object', sub: 'uploadId', when: (q) => 'partNumber' in q, streamed: true, handle: (c, r) => c.objects.uploadPart(r) },
  { api: 'CompleteMultipartUpload', method: 'POST', level: 'object', sub: 'uploadId', handle: (c, r) => c.objects.completeUpload(r) },
  { api: 'AbortMultipartUpload', method: 'DELETE', level: 'object', sub: 'uploadId', handle: (c, r) => c.objects.abortUpload(r) },
  { api: 'PutObject', method: 'PUT', level: 'object', when: plain, streamed: true, handle: (c, r) => c.objects.putObject(r) },
  { api: 'GetObject', method: 'GET', level: 'object', when: plain, handle: (c, r) => c.objects.getObject(r, false) },
  { api: 'HeadObject', method: 'HEAD', level: 'object', when: plain, handle: (c, r) => c.objects.getObject(r, true) },
  { api: 'DeleteObject', method: 'DELETE', level: 'object', when: plain, handle: (c, r) => c.objects.deleteObject(r) },
];

export function levelOf(target: Target): Level {
  if (!target.bucket) return 'service';
  return target.key ? 'object' : 'bucket';
}

/** The row for a request, or undefined (NotImplemented). */
export function findRoute(method: string, target: Target, query: Record<string, string>): Route | undefined {
  const level = levelOf(target);
  return ROUTES.find((r) => r.method === method && r.level === level && (r.sub === undefined || r.sub in query) && (r.when?.(query) ?? true));
}

/** The API name of a request, `NotImplemented` when no row matches (fault filters and logs use it). */
export function routeName(method: string, target: Target, query: Record<string, string>): string {
  return findRoute(method, target, query)?.api ?? 'NotImplemented';
}

/** Bucket and key from a virtual-host (`bucket.host`) or path-style (`/bucket/key`) request. */
export function resolveTarget(hostHeader: string | undefined, path: string): Target {
  const hostname = (hostHeader ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const decodedPath = path.split('/').map((s) => decodeURIComponent(s));
  const dot = hostname.indexOf('.');
  const base = dot > 0 ? hostname.slice(dot + 1) : '';
  const virtualHost = dot > 0 && isIP(hostname) === 0 && (isIP(base) !== 0 || base === 'localhost' || /^oss-[a-z0-9-]+(\.[a-z0-9-]+)*\.aliyuncs\.com$/.test(base));
  if (virtualHost) {
    const key = decodedPath.slice(1).join('/');
    return { bucket: hostname.slice(0, dot), key: key || undefined };
  }
  const bucket = decodedPath[1] || undefined;
  const key = decodedPath.slice(2).join('/');
  return { bucket, key: bucket && key ? key : undefined };
}
