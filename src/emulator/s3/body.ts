/**
 * S3 request bodies: the aws-chunked framing the AWS SDK v3 uses for streamed uploads
 * (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`: `<hex size>\r\n<data>\r\n … 0\r\n<trailer>:<value>\r\n\r\n`)
 * is stripped while the body streams, and the body is checked against what the client declared:
 * Content-MD5, a signed SHA-256, and an `x-amz-checksum-crc32` header or trailer (the algorithm
 * both the SDK and the CLI send by default).
 */
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import { s3Error } from './errors';

const incomplete = (detail: string) => s3Error('IncompleteBody', `The aws-chunked body is malformed: ${detail}`);

/** Yields the payload of an aws-chunked body; trailer headers are added to `trailers` once the body is read. */
export async function* decodeAwsChunked(source: AsyncIterable<Buffer>, trailers: Record<string, string>): AsyncGenerator<Buffer> {
  let buf: Buffer = Buffer.alloc(0);
  let state = 'size' as 'size' | 'data' | 'crlf' | 'trailer' | 'end';
  let remaining = 0;
  for await (const piece of source) {
    buf = buf.length ? Buffer.concat([buf, piece]) : piece;
    for (;;) {
      if (state === 'data') {
        if (!buf.length) break;
        const n = Math.min(remaining, buf.length);
        yield buf.subarray(0, n);
        buf = buf.subarray(n);
        remaining -= n;
        if (remaining === 0) state = 'crlf';
      } else if (state === 'crlf') {
        if (buf.length < 2) break;
        if (buf[0] !== 13 || buf[1] !== 10) throw incomplete('a chunk is longer than its size line says');
        buf = buf.subarray(2);
        state = 'size';
      } else if (state === 'size' || state === 'trailer') {
        const eol = buf.indexOf('\r\n');
        if (eol < 0) {
          if (buf.length > 8192) throw incomplete('a size or trailer line is too long');
          break;
        }
        const line = buf.subarray(0, eol).toString('latin1');
        buf = buf.subarray(eol + 2);
        if (state === 'size') {
          const size = line.split(';', 1)[0].trim();
          if (!/^[0-9a-fA-F]{1,16}$/.test(size)) throw incomplete(`bad chunk size line "${line.slice(0, 40)}"`);
          remaining = parseInt(size, 16);
          state = remaining === 0 ? 'trailer' : 'data';
        } else if (line === '') {
          state = 'end';
        } else {
          const colon = line.indexOf(':');
          if (colon <= 0) throw incomplete(`bad trailer line "${line.slice(0, 40)}"`);
          trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
      } else {
        if (buf.length) throw incomplete('data after the final chunk');
        break;
      }
    }
  }
  if (state !== 'end') throw incomplete('the body ended before the final chunk');
}

export interface S3Digests {
  md5: Buffer;
  sha256?: string;
  crc32: number;
  size: number;
}

/** Passes the body through while computing its digests (read them once the body is consumed). */
export function digesting(source: AsyncIterable<Buffer>, withSha256: boolean): { stream: AsyncGenerator<Buffer>; digests: () => S3Digests } {
  const md5 = createHash('md5');
  const sha = withSha256 ? createHash('sha256') : undefined;
  let crc32 = 0;
  let size = 0;
  async function* stream() {
    for await (const chunk of source) {
      md5.update(chunk);
      sha?.update(chunk);
      crc32 = zlib.crc32(chunk, crc32);
      size += chunk.length;
      yield chunk;
    }
  }
  let result: S3Digests | undefined;
  return { stream: stream(), digests: () => (result ??= { md5: md5.digest(), sha256: sha?.digest('hex'), crc32, size }) };
}

/**
 * BadDigest / XAmzContentSHA256Mismatch when the body is not what the client declared. Other
 * `x-amz-checksum-*` algorithms are accepted unchecked (neither client sends them by default).
 */
export function checkS3Digests(headers: Record<string, string>, trailers: Record<string, string>, signedSha256: string | undefined, d: S3Digests): void {
  const contentMd5 = headers['content-md5'];
  if (contentMd5 !== undefined) {
    const declared = Buffer.from(contentMd5, 'base64');
    if (declared.length !== 16 || declared.toString('base64') !== contentMd5.trim()) throw s3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.');
    if (!declared.equals(d.md5)) throw s3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.');
  }
  if (signedSha256 !== undefined && signedSha256 !== d.sha256) {
    throw s3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const crc = trailers['x-amz-checksum-crc32'] ?? headers['x-amz-checksum-crc32'];
  if (crc !== undefined) {
    const computed = Buffer.alloc(4);
    computed.writeUInt32BE(d.crc32 >>> 0);
    if (crc !== computed.toString('base64')) throw s3Error('BadDigest', 'The CRC32 you specified did not match the calculated checksum.');
  }
  const decoded = headers['x-amz-decoded-content-length'];
  if (decoded !== undefined && Number(decoded) !== d.size) throw s3Error('IncompleteBody', `x-amz-decoded-content-length says ${decoded} bytes, the body had ${d.size}`);
}
