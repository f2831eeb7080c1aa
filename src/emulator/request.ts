/** The one request shape every controller (object, bucket, batch) receives, and the answer it returns. */
import type http from 'node:http';
import { Readable } from 'node:stream';
import { entityTooLarge } from './blobs';

export interface EmulatorRequest {
  method: string;
  /** Empty for service-level (batch) requests. */
  bucket: string;
  /** Empty unless the request addresses an object. */
  key: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  /** The whole body, for the APIs that take a small document (read by the server with a size limit). */
  body: Buffer;
  /** The raw body, for PutObject and UploadPart (streamed to disk, never held whole). */
  stream?: AsyncIterable<Buffer>;
}

export interface ApiResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer | Readable;
}

export const xmlResponse = (body: string): ApiResponse => ({ headers: { 'content-type': 'application/xml' }, body });

/**
 * Writes an answer of either API. A HEAD sends headers only; a stream is piped. `lengthOfEmpty`:
 * S3 clients expect `Content-Length: 0` on an empty body (except 204); the OSS side leaves it out.
 */
export function writeAnswer(
  res: http.ServerResponse, method: string, status: number, idHeaders: Record<string, string>, answer: ApiResponse, lengthOfEmpty = false,
): void {
  const { body } = answer;
  if (body instanceof Readable) {
    res.writeHead(status, { ...idHeaders, ...answer.headers });
    if (method === 'HEAD') {
      body.destroy();
      res.end();
      return;
    }
    body.on('error', () => res.destroy());
    body.pipe(res);
    return;
  }
  const payload = body === undefined ? (lengthOfEmpty ? Buffer.alloc(0) : undefined) : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const withLength = payload !== undefined && method !== 'HEAD' && status !== 204;
  res.writeHead(status, { ...idHeaders, ...(withLength ? { 'content-length': String(payload.length) } : {}), ...answer.headers });
  res.end(method === 'HEAD' || status === 204 ? undefined : payload);
}

/** The whole body, refusing more than `limit` bytes (413 EntityTooLarge). */
export async function readAll(source: AsyncIterable<Buffer>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > limit) throw entityTooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Request headers as one string each (repeated headers joined with commas). */
export function flatHeaders(req: http.IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v ?? '']));
}

/** The client sent a body we did not read (an error answered early): the connection is closed rather than kept. */
export function bodyLeftUnread(req: http.IncomingMessage): boolean {
  return !req.complete && (Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined);
}
