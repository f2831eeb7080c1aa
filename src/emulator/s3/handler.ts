/**
 * The S3 side of the emulator's port: requests signed with AWS SigV4 come here (server.ts decides),
 * everything else stays on the OSS pipeline. Same order as the OSS side: route, check the
 * signature from the headers, refuse what is not supported, then read the body (object data
 * streamed to disk, documents ≤ 1 MiB), dispatch, wait until the change is durable, answer.
 * Errors are S3 error XML with `x-amz-request-id`.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { XmlDecodeError } from '../../oss/xml/common';
import { entityTooLarge } from '../blobs';
import { EmulatorError } from '../errors';
import { faultAfter, faultBefore } from '../faults';
import { MAX_KEY_BYTES, MAX_OBJECT_BYTES, MAX_XML_BODY_BYTES } from '../object-rules';
import { ApiResponse, bodyLeftUnread, flatHeaders, readAll, writeAnswer } from '../request';
import { Level, levelOf, resolveTarget } from '../router';
import type { ServerContext } from '../server';
import { PRESIGN_PARAM, queryOf, repeatedNames, verifyS3Signature } from './auth';
import { checkS3Digests, decodeAwsChunked, digesting } from './body';
import { S3Controller, S3Request } from './controller';
import { asS3Error, encodeS3ErrorXml, notImplemented, s3Error } from './errors';

interface S3Route {
  api: string;
  method: string;
  level: Level;
  /** The query parameter that selects the row (none: a plain request). */
  sub?: string;
  /** Other query parameters the row understands; any further one makes the request NotImplemented. */
  params?: string[];
  when?: (req: { query: Record<string, string>; headers: Record<string, string> }) => boolean;
  streamed?: boolean;
  handle: (c: S3Controller, req: S3Request) => ApiResponse | Promise<ApiResponse>;
}

const hasCopySource = (r: { headers: Record<string, string> }) => r.headers['x-amz-copy-source'] !== undefined;
const LIST_PARAMS = ['list-type', 'prefix', 'delimiter', 'continuation-token', 'start-after', 'max-keys', 'encoding-type', 'fetch-owner'];
const VERSIONS_PARAMS = ['prefix', 'delimiter', 'key-marker', 'version-id-marker', 'max-keys', 'encoding-type'];

export const S3_ROUTES: readonly S3Route[] = [
  { api: 'CreateBucket', method: 'PUT', level: 'bucket', handle: (c, r) => c.createBucket(r) },
  { api: 'HeadBucket', method: 'HEAD', level: 'bucket', handle: (c, r) => c.headBucket(r) },
  { api: 'ListObjectsV2', method: 'GET', level: 'bucket', sub: 'list-type', params: LIST_PARAMS, when: (r) => r.query['list-type'] === '2', handle: (c, r) => c.listObjectsV2(r) },
  { api: 'ListObjectVersions', method: 'GET', level: 'bucket', sub: 'versions', params: VERSIONS_PARAMS, handle: (c, r) => c.listObjectVersions(r) },
  { api: 'PutBucketVersioning', method: 'PUT', level: 'bucket', sub: 'versioning', handle: (c, r) => c.putVersioning(r) },
  { api: 'GetBucketVersioning', method: 'GET', level: 'bucket', sub: 'versioning', handle: (c, r) => c.getVersioning(r) },
  { api: 'GetObjectTagging', method: 'GET', level: 'object', sub: 'tagging', params: ['versionId'], handle: (c, r) => c.getTagging(r) },
  { api: 'PutObjectTagging', method: 'PUT', level: 'object', sub: 'tagging', params: ['versionId'], handle: (c, r) => c.putTagging(r) },
  { api: 'DeleteObjectTagging', method: 'DELETE', level: 'object', sub: 'tagging', params: ['versionId'], handle: (c, r) => c.deleteTagging(r) },
  { api: 'PutObjectAcl', method: 'PUT', level: 'object', sub: 'acl', params: ['versionId'], handle: (c, r) => c.putAcl(r) },
  { api: 'RestoreObject', method: 'POST', level: 'object', sub: 'restore', params: ['versionId'], handle: (c, r) => c.restore(r) },
  { api: 'CreateMultipartUpload', method: 'POST', level: 'object', sub: 'uploads', handle: (c, r) => c.createUpload(r) },
  { api: 'UploadPart', method: 'PUT', level: 'object', sub: 'uploadId', params: ['partNumber'], when: (r) => 'partNumber' in r.query && !hasCopySource(r), streamed: true, handle: (c, r) => c.uploadPart(r) },
  { api: 'CompleteMultipartUpload', method: 'POST', level: 'object', sub: 'uploadId', handle: (c, r) => c.completeUpload(r) },
  { api: 'AbortMultipartUpload', method: 'DELETE', level: 'object', sub: 'uploadId', handle: (c, r) => c.abortUpload(r) },
  { api: 'CopyObject', method: 'PUT', level: 'object', when: hasCopySource, handle: (c, r) => c.copyObject(r) },
  { api: 'PutObject', method: 'PUT', level: 'object', streamed: true, handle: (c, r) => c.putObject(r) },
  { api: 'GetObject', method: 'GET', level: 'object', params: ['versionId'], handle: (c, r) => c.getObject(r, false) },
  { api: 'HeadObject', method: 'HEAD', level: 'object', params: ['versionId'], handle: (c, r) => c.getObject(r, true) },
  { api: 'DeleteObject', method: 'DELETE', level: 'object', params: ['versionId'], handle: (c, r) => c.deleteObject(r) },
];

/** Headers of features the store cannot keep: refused rather than dropped (never a silent success). */
const REFUSED_HEADER = /^(x-amz-meta-|x-amz-server-side-encryption|x-amz-object-lock-|x-amz-website-redirect-location$|x-amz-grant-|if-|x-amz-copy-source-if-|x-amz-copy-source-range$|x-amz-expected-bucket-owner$|x-amz-request-payer$|x-amz-mfa$)/;

export function findS3Route(method: string, level: Level, query: Record<string, string>, headers: Record<string, string>): S3Route | undefined {
  return S3_ROUTES.find((r) => r.method === method && r.level === level && (r.sub === undefined || r.sub in query)
    // x-id names the operation (the AWS SDK v3 adds it); it selects nothing.
    && Object.keys(query).every((q) => q === r.sub || q === 'x-id' || PRESIGN_PARAM.test(q) || (r.params ?? []).includes(q))
    && (r.when?.({ query, headers }) ?? true));
}

export const newRequestId = () => randomBytes(8).toString('hex').toUpperCase();

export async function handleS3(ctx: ServerContext, s3: S3Controller, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const started = Date.now();
  const requestId = newRequestId();
  const rawUrl = req.url ?? '/';
  const url = new URL(rawUrl, 'http://emulator');
  const method = (req.method ?? 'GET').toUpperCase();
  let status = 500;
  let api = 'S3:NotImplemented';
  let resource = url.pathname;
  const finish = (note = '') => ctx.log(`${method} ${url.pathname}${logQuery(url)} ${api} ${status} ${Date.now() - started}ms ${requestId}${note}`);
  try {
    // Routing looks at names only; the signature covers every value of a repeated name.
    const signedQuery = queryOf(url.searchParams);
    const query = Object.fromEntries(url.searchParams.entries());
    const headers = flatHeaders(req);
    const target = resolveTarget(req.headers.host, url.pathname);
    resource = target.bucket ? `/${target.bucket}/${target.key ?? ''}` : '/';
    const level = levelOf(target);
    const route = findS3Route(method, level, query, headers);
    if (route) api = `S3:${route.api}`;
    // Faults come first, as on the OSS side: selected by the S3 API name (`S3:PutObject`).
    const fault = ctx.faults.decide(api);
    if (await faultBefore(ctx.faults, fault, req)) {
      status = 0;
      return finish(` fault=${fault.action}`);
    }
    // Authenticate before reading a byte of the body: an unsigned upload costs nothing.
    const payload = await verifyS3Signature(
      { method, rawPath: rawUrl.split('?', 1)[0], query: signedQuery, headers },
      { secrets: ctx.secrets, regions: ctx.s3Regions, now: ctx.clock(), allowedSkewSeconds: ctx.allowedSkewSeconds },
    );
    // No S3 object API takes a list in the query: a second value is refused, not silently dropped.
    const repeated = repeatedNames(signedQuery);
    if (repeated.length) throw s3Error('InvalidArgument', `The query parameter ${repeated[0]} may be given only once`);
    if (!route) throw notImplemented(`${method} ${resource}${Object.keys(query).length ? `?${Object.keys(query).join('&')}` : ''}`);
    const refused = Object.keys(headers).find((h) => REFUSED_HEADER.test(h));
    if (refused) throw notImplemented(`The ${refused} header`);
    if (target.key !== undefined && Buffer.byteLength(target.key) > MAX_KEY_BYTES) throw s3Error('KeyTooLongError', 'Your key is too long');
    const limit = route.streamed ? MAX_OBJECT_BYTES : MAX_XML_BODY_BYTES;
    const declared = Number(headers['x-amz-decoded-content-length'] ?? headers['content-length'] ?? 0);
    if (declared > limit) throw entityTooLarge(limit);

    const trailers: Record<string, string> = {};
    const source = payload.kind === 'chunked' ? decodeAwsChunked(req, trailers) : (req as AsyncIterable<Buffer>);
    const digest = digesting(source, payload.kind === 'sha256');
    const check = () => checkS3Digests(headers, trailers, payload.kind === 'sha256' ? payload.hash : undefined, digest.digests());
    let body: Buffer = Buffer.alloc(0);
    if (!route.streamed) {
      body = await readAll(digest.stream, limit);
      check();
    }
    const answer = await route.handle(s3, {
      method, bucket: target.bucket ?? '', key: target.key ?? '', query, headers, body,
      stream: route.streamed ? digest.stream : undefined, check: route.streamed ? check : undefined,
    });
    // A change is acknowledged only once it is on disk.
    if (method !== 'GET' && method !== 'HEAD') await ctx.store.durable();
    if (faultAfter(fault, req, answer.body)) {
      status = 0;
      return finish(' fault=reset-after');
    }
    status = answer.status ?? 200;
    writeAnswer(res, method, status, { 'x-amz-request-id': requestId, 'x-amz-id-2': requestId }, answer, true);
  } catch (err) {
    const e = toS3Error(err, ctx);
    status = e.status;
    sendS3Error(req, res, e, resource, requestId);
    return finish(` ${e.code}`);
  }
  finish();
}

/** An S3 error document (no body for HEAD); also used by the S3 Control side. */
export function sendS3Error(req: http.IncomingMessage, res: http.ServerResponse, e: EmulatorError, resource: string, requestId: string): void {
  const xml = encodeS3ErrorXml({ code: e.code, message: e.message, resource, requestId });
  // A body we did not read is not worth reading: close the connection instead of keeping it.
  const unread = bodyLeftUnread(req);
  res.writeHead(e.status, {
    'content-type': 'application/xml', 'x-amz-request-id': requestId, 'x-amz-id-2': requestId,
    'content-length': String(Buffer.byteLength(xml)), ...(unread ? { connection: 'close' } : {}),
  });
  res.end(req.method?.toUpperCase() === 'HEAD' ? undefined : xml);
}

/** Query parameter names only: values of presigned URLs are credentials, and names are enough to tell requests apart. */
export function logQuery(url: URL): string {
  const names = [...url.searchParams.keys()];
  return names.length ? `?${names.join('&')}` : '';
}

function toS3Error(err: unknown, ctx: ServerContext): EmulatorError {
  if (err instanceof EmulatorError) return asS3Error(err);
  if (err instanceof XmlDecodeError) return s3Error('MalformedXML', `The XML you provided was not well-formed or did not validate against our published schema: ${err.message}`);
  if (err instanceof URIError) return s3Error('InvalidURI', 'Could not parse the specified URI.');
  ctx.log(`unexpected error: ${(err as Error).stack ?? err}`);
  return s3Error('InternalError', 'We encountered an internal error. Please try again.');
}
