/**
 * Route table: (method, addressing level, sub-resource) → API name. A known sub-resource we do
 * not implement answers NotImplemented, so nothing succeeds silently (s3rver's rule).
 */
import { isIP } from 'node:net';

export interface Target {
  bucket?: string;
  key?: string;
}

/** Sub-resources OSS knows that the emulator does not implement. */
const UNSUPPORTED = ['acl', 'append', 'symlink', 'objectMeta', 'cors', 'lifecycle', 'logging', 'website', 'referer', 'policy', 'inventory', 'encryption', 'worm', 'replication', 'select', 'bucketInfo', 'location', 'stat', 'qos', 'requestPayment', 'transferAcceleration', 'cname', 'img', 'process', 'x-oss-process', 'delete', 'list-type'];

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

export function routeName(method: string, target: Target, query: Record<string, string>): string {
  const has = (name: string) => name in query;
  if (!target.bucket) {
    if (method === 'POST' && has('batchJob')) return 'CreateJob';
    if (method === 'GET' && has('batchJob')) return has('batchJobId') ? 'DescribeJob' : 'ListJobs';
    if (method === 'POST' && has('batchJobStatus')) return 'UpdateJobStatus';
    if (method === 'POST' && has('batchJobPriority')) return 'UpdateJobPriority';
    return 'NotImplemented';
  }
  if (!target.key) {
    if (method === 'PUT' && has('versioning')) return 'PutBucketVersioning';
    if (method === 'GET' && has('versions')) return 'ListObjectVersions';
    if (method === 'GET' && query['list-type'] === '2') return 'ListObjectsV2';
    if (method === 'PUT' && Object.keys(query).length === 0) return 'PutBucket';
    return 'NotImplemented';
  }
  if (has('tagging')) return ({ GET: 'GetObjectTagging', PUT: 'PutObjectTagging', DELETE: 'DeleteObjectTagging' } as Record<string, string>)[method] ?? 'NotImplemented';
  if (has('acl')) return ({ GET: 'GetObjectAcl', PUT: 'PutObjectAcl' } as Record<string, string>)[method] ?? 'NotImplemented';
  if (has('restore')) return method === 'POST' ? 'RestoreObject' : 'NotImplemented';
  if (has('uploads')) return method === 'POST' ? 'InitiateMultipartUpload' : 'NotImplemented';
  if (has('uploadId')) {
    if (method === 'PUT' && has('partNumber')) return 'UploadPart';
    if (method === 'POST') return 'CompleteMultipartUpload';
    if (method === 'DELETE') return 'AbortMultipartUpload';
    return 'NotImplemented';
  }
  if (UNSUPPORTED.some(has)) return 'NotImplemented';
  return ({ PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' } as Record<string, string>)[method] ?? 'NotImplemented';
}
