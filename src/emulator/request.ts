/** The one request shape every controller (object, bucket, batch) receives, and the answer it returns. */
import type { Readable } from 'node:stream';

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
