/**
 * The HTTP front: apply injected faults, verify the signature from the headers, then read the
 * body (streamed to disk for objects, at most 1 MiB for documents), dispatch by route, wait until
 * the change is durable, and answer. Errors are rendered as OSS error XML with a request id; one
 * log line per request (never the Authorization header or any secret).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { encodeErrorXml } from '../oss/xml/error';
import { XmlDecodeError } from '../oss/xml/common';
import { verifySignature } from './auth';
import { entityTooLarge } from './blobs';
import { checkDigests, digestsOf, malformedXml, signedPayloadHash } from './body';
import { EmulatorError } from './errors';
import { faultAfter, faultBefore, FaultInjector } from './faults';
import { MAX_KEY_BYTES, MAX_OBJECT_BYTES, MAX_XML_BODY_BYTES } from './object-rules';
import { bodyLeftUnread, flatHeaders, readAll, writeAnswer } from './request';
import { Controllers, findRoute, resolveTarget } from './router';
import { isS3Request } from './s3/auth';
import { S3Controller } from './s3/controller';
import { handleS3 } from './s3/handler';
import { handleS3Control, isS3ControlPath, S3ControlController } from './s3control/handler';
import type { JobEngine } from './engine/engine';
import type { Store } from './store';

export interface ServerContext {
  controllers: Controllers;
  store: Store;
  faults: FaultInjector;
  secrets: ReadonlyMap<string, string>;
  region: string;
  /** Regions S3 and S3 Control requests may be signed for: the S3 region, then the OSS region. */
  s3Regions: readonly string[];
  clock: () => Date;
  allowedSkewSeconds: number;
  log: (line: string) => void;
  /** The job engine, for the S3 Control job API (without it `/v20180820/…` goes to the S3 object side like any path). */
  engine?: JobEngine;
}

/** Longer than the idle timeout of common clients (ali-oss/agentkeepalive 30 s, Node's agent 4–5 s), so the client closes first. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
const newRequestId = () => randomBytes(12).toString('hex').toUpperCase();

/** Query parameters whose values are credentials (presigned URLs, STS tokens): never logged. */
const SECRET_QUERY = /signature|security-token|credential|accesskeyid/i;

/**
 * The query string for the log, still percent-encoded (so a log entry stays one line), with
 * credential values replaced by `***`.
 */
export function redactQuery(search: string): string {
  if (!search || search === '?') return '';
  const redacted = search.slice(1).split('&').map((pair) => {
    const name = pair.split('=', 1)[0];
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // keep the raw name
    }
    return SECRET_QUERY.test(decoded) ? `${name}=***` : pair;
  });
  return `?${redacted.join('&')}`;
}

export function createServer(ctx: ServerContext): http.Server {
  const s3 = new S3Controller(ctx.store, ctx.clock, ctx.s3Regions);
  // S3 Control jobs (/v20180820/jobs…) run on the same engine as OSS jobs.
  const control = ctx.engine ? new S3ControlController(ctx.store, ctx.engine, ctx.clock, ctx.s3Regions[0]) : undefined;
  const server = http.createServer((req, res) => {
    // AWS SigV4 requests speak the S3 API (src/emulator/s3); everything else is OSS.
    const signedS3 = isS3Request(req.headers.authorization, req.url?.split('?')[1] ?? '');
    const pipeline = signedS3 && control && isS3ControlPath(req.url ?? '') ? handleS3Control(ctx, control, req, res)
      : signedS3 ? handleS3(ctx, s3, req, res) : handle(ctx, req, res);
    pipeline.catch((err) => {
      ctx.log(`internal failure: ${(err as Error).stack ?? err}`);
      if (!res.headersSent) res.writeHead(500, { connection: 'close' }).end();
      else res.destroy();
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Must exceed the keep-alive timeout, or a reused idle socket can be cut while a request's headers arrive.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  return server;
}

async function handle(ctx: ServerContext, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const started = Date.now();
  const requestId = newRequestId();
  const url = new URL(req.url ?? '/', 'http://emulator');
  const method = (req.method ?? 'GET').toUpperCase();
  let status = 500;
  let api = 'Unknown';
  const finish = (note = '') => ctx.log(`${method} ${url.pathname}${redactQuery(url.search)} ${api} ${status} ${Date.now() - started}ms ${requestId}${note}`);
  try {
    const query = Object.fromEntries(url.searchParams.entries());
    const target = resolveTarget(req.headers.host, url.pathname);
    const route = findRoute(method, target, query);
    api = route?.api ?? 'NotImplemented';
    const fault = ctx.faults.decide(api);
    if (await faultBefore(ctx.faults, fault, req)) {
      status = 0;
      return finish(` fault=${fault.action}`);
    }

    const headers = flatHeaders(req);
    // Authenticate before reading a byte of the body: an unsigned upload costs nothing.
    verifySignature(
      { method, bucket: target.bucket, key: target.key, query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v === '' ? null : v])), headers },
      { secrets: ctx.secrets, region: ctx.region, now: ctx.clock(), allowedSkewSeconds: ctx.allowedSkewSeconds },
    );
    if (target.key !== undefined && Buffer.byteLength(target.key) > MAX_KEY_BYTES) {
      throw new EmulatorError('InvalidObjectName', `object names are at most ${MAX_KEY_BYTES} bytes of UTF-8, got ${Buffer.byteLength(target.key)}`);
    }
    if (!route) {
      throw new EmulatorError('NotImplemented', `${method} ${target.bucket ? `/${target.bucket}/${target.key ?? ''}` : '/'}?${Object.keys(query).join('&')} is not implemented by the OSS emulator`);
    }
    const streamed = route.streamed ?? false;
    const limit = streamed ? MAX_OBJECT_BYTES : MAX_XML_BODY_BYTES;
    if (Number(headers['content-length'] ?? 0) > limit) throw entityTooLarge(limit);
    let body: Buffer = Buffer.alloc(0);
    if (!streamed) {
      body = await readAll(req, limit);
      if (body.length || headers['content-md5'] !== undefined) checkDigests(headers, digestsOf(body, signedPayloadHash(headers) !== undefined));
    }
    const answer = await route.handle(ctx.controllers, { method, bucket: target.bucket ?? '', key: target.key ?? '', query, headers, body, stream: streamed ? req : undefined });
    // A change is acknowledged only once it is on disk.
    if (method !== 'GET' && method !== 'HEAD') await ctx.store.durable();
    if (faultAfter(fault, req, answer.body)) {
      status = 0;
      return finish(' fault=reset-after');
    }
    status = answer.status ?? 200;
    writeAnswer(res, method, status, { 'x-oss-request-id': requestId }, answer);
  } catch (err) {
    const e = toEmulatorError(err, ctx);
    status = e.status;
    const xml = encodeErrorXml({ code: e.code, message: e.message, requestId, hostId: req.headers.host ?? 'emulator' });
    // A body we did not read is not worth reading: close the connection instead of keeping it.
    const unread = bodyLeftUnread(req);
    const close = unread ? { connection: 'close' } : {};
    res.writeHead(status, { 'content-type': 'application/xml', 'x-oss-request-id': requestId, 'content-length': String(Buffer.byteLength(xml)), ...close });
    res.end(method === 'HEAD' ? undefined : xml);
    return finish(` ${e.code}`);
  }
  finish();
}


function toEmulatorError(err: unknown, ctx: ServerContext): EmulatorError {
  if (err instanceof EmulatorError) return err;
  if (err instanceof XmlDecodeError) return malformedXml(err.message);
  if (err instanceof URIError) return new EmulatorError('InvalidURI', `the request path is not valid URL encoding`, 400);
  ctx.log(`unexpected error: ${(err as Error).stack ?? err}`);
  return new EmulatorError('InternalError', 'We encountered an internal error. Please try again.');
}
