/**
 * The HTTP front: read the request, apply injected faults, verify the signature, dispatch by
 * route, render errors as OSS error XML with a request id, and log one line per request
 * (never the Authorization header or any secret).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { encodeErrorXml } from '../oss/xml/error';
import { XmlDecodeError } from '../oss/xml/common';
import { verifySignature } from './auth';
import type { BatchApi } from './batch-api';
import { EmulatorError } from './errors';
import type { FaultInjector } from './faults';
import type { ApiResponse, ObjectRequest, ObjectsApi } from './objects-api';
import { resolveTarget, routeName } from './router';

export interface ServerContext {
  objects: ObjectsApi;
  batch: BatchApi;
  faults: FaultInjector;
  secrets: ReadonlyMap<string, string>;
  region: string;
  clock: () => Date;
  allowedSkewSeconds: number;
  log: (line: string) => void;
}

const newRequestId = () => randomBytes(12).toString('hex').toUpperCase();

/** Wait `ms`, or less when the client goes away or the server stops (it destroys the sockets). */
function holdRequest(req: http.IncomingMessage, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      req.socket.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    req.socket.once('close', done);
  });
}

/** Query parameters whose values are credentials (presigned URLs): never logged. */
const SECRET_QUERY = /signature|security-token|credential|accesskeyid/i;

/**
 * The query string for the log, still percent-encoded (so a log entry stays one line), with
 * credential values replaced by `***`.
 */
export function redactQuery(search: string): string {
  if (!search || search === '?') return '';
  const redacted = search.slice(1).split('&').map((pair) => {
    const name = pair.split('=', 1)[0];
    return SECRET_QUERY.test(name) ? `${name}=***` : pair;
  });
  return `?${redacted.join('&')}`;
}

export function createServer(ctx: ServerContext): http.Server {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(ctx, req, res, Buffer.concat(chunks)).catch((err) => {
        ctx.log(`internal failure: ${(err as Error).stack ?? err}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  });
}

async function handle(ctx: ServerContext, req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
  const started = Date.now();
  const requestId = newRequestId();
  const url = new URL(req.url ?? '/', 'http://emulator');
  const query = Object.fromEntries(url.searchParams.entries());
  const method = (req.method ?? 'GET').toUpperCase();
  let status = 500;
  let api = 'Unknown';
  const finish = (note = '') => ctx.log(`${method} ${url.pathname}${redactQuery(url.search)} ${api} ${status} ${Date.now() - started}ms ${requestId}${note}`);
  try {
    const target = resolveTarget(req.headers.host, url.pathname);
    api = routeName(method, target, query);
    const fault = ctx.faults.decide(api);
    if (fault.latencyMs) await holdRequest(req, fault.latencyMs);
    if (fault.action === 'reset' || fault.action === 'timeout') {
      if (fault.action === 'timeout') await holdRequest(req, ctx.faults.timeoutMs);
      req.socket.destroy();
      status = 0;
      return finish(` fault=${fault.action}`);
    }
    if (fault.action === '500') throw new EmulatorError('InternalError', 'injected fault: internal error');
    if (fault.action === '503') throw new EmulatorError('ServiceUnavailable', 'injected fault: service unavailable');
    if (fault.action === 'slowdown') throw new EmulatorError('SlowDown', 'injected fault: please reduce your request rate');

    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v ?? ''])) as Record<string, string>;
    verifySignature(
      { method, bucket: target.bucket, key: target.key, query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v === '' ? null : v])), headers },
      { secrets: ctx.secrets, region: ctx.region, now: ctx.clock(), allowedSkewSeconds: ctx.allowedSkewSeconds },
    );
    const answer = dispatch(ctx, api, { method, bucket: target.bucket ?? '', key: target.key ?? '', query, headers, body });
    if (fault.action === 'reset-after') {
      req.socket.destroy();
      status = 0;
      return finish(' fault=reset-after');
    }
    status = answer.status ?? 200;
    const payload = answer.body === undefined ? undefined : Buffer.isBuffer(answer.body) ? answer.body : Buffer.from(answer.body, 'utf8');
    res.writeHead(status, { 'x-oss-request-id': requestId, ...(payload && method !== 'HEAD' ? { 'content-length': String(payload.length) } : {}), ...answer.headers });
    res.end(method === 'HEAD' ? undefined : payload);
  } catch (err) {
    const e = toEmulatorError(err, ctx);
    status = e.status;
    const xml = encodeErrorXml({ code: e.code, message: e.message, requestId, hostId: req.headers.host ?? 'emulator' });
    res.writeHead(status, { 'content-type': 'application/xml', 'x-oss-request-id': requestId, 'content-length': String(Buffer.byteLength(xml)) });
    res.end(method === 'HEAD' ? undefined : xml);
    return finish(` ${e.code}`);
  }
  finish();
}

function toEmulatorError(err: unknown, ctx: ServerContext): EmulatorError {
  if (err instanceof EmulatorError) return err;
  if (err instanceof XmlDecodeError) return new EmulatorError('MalformedXML', `The XML you provided was not well-formed or did not validate: ${err.message}`);
  if (err instanceof URIError) return new EmulatorError('InvalidURI', `the request path is not valid URL encoding`, 400);
  ctx.log(`unexpected error: ${(err as Error).stack ?? err}`);
  return new EmulatorError('InternalError', 'We encountered an internal error. Please try again.');
}

function dispatch(ctx: ServerContext, api: string, req: ObjectRequest): ApiResponse {
  const { objects, batch } = ctx;
  const q = req.query;
  switch (api) {
    case 'CreateJob': return xmlAnswer(batch.createJob(req.body.toString('utf8')));
    case 'DescribeJob': return xmlAnswer(batch.describeJob(q.batchJobId));
    case 'ListJobs': return xmlAnswer(batch.listJobs(q.batchJobStatuses, q['max-keys'], q['continuation-token']));
    case 'UpdateJobStatus': return xmlAnswer(batch.updateJobStatus(q.batchJobId, q.requestedJobStatus, q.statusUpdateReason));
    case 'UpdateJobPriority': return xmlAnswer(batch.updateJobPriority(q.batchJobId, q.targetPriority));
    case 'PutBucket': return objects.createBucket(req);
    case 'PutBucketVersioning': return objects.putVersioning(req);
    case 'ListObjectsV2': return objects.listObjectsV2(req);
    case 'ListObjectVersions': return objects.listVersions(req);
    case 'PutObject': return objects.putObject(req);
    case 'GetObject': return objects.getObject(req, false);
    case 'HeadObject': return objects.getObject(req, true);
    case 'DeleteObject': return objects.deleteObject(req);
    case 'GetObjectTagging': return objects.getTagging(req);
    case 'PutObjectTagging': return objects.putTagging(req);
    case 'DeleteObjectTagging': return objects.deleteTagging(req);
    case 'GetObjectAcl': return objects.getAcl(req);
    case 'PutObjectAcl': return objects.putAcl(req);
    case 'RestoreObject': return objects.restore(req);
    case 'InitiateMultipartUpload': return objects.initiateUpload(req);
    case 'UploadPart': return objects.uploadPart(req);
    case 'CompleteMultipartUpload': return objects.completeUpload(req);
    case 'AbortMultipartUpload': return objects.abortUpload(req);
    default:
      throw new EmulatorError('NotImplemented', `${req.method} ${req.bucket ? `/${req.bucket}/${req.key}` : '/'}?${Object.keys(q).join('&')} is not implemented by the OSS emulator`);
  }
}

const xmlAnswer = (body: string): ApiResponse => ({ headers: { 'content-type': 'application/xml' }, body });
