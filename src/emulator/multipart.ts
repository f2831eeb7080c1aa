/**
 * Multipart upload rules the OSS and S3 sides share: a part stored only while its upload still
 * exists, the completion check (ascending part numbers, each part uploaded with the listed ETag),
 * the parts joined into one object with the `<md5 of part md5s>-<n>` ETag, and the race with a
 * concurrent complete or abort. Each side maps a MultipartError to its own error code and text.
 */
import { unquoteEtag } from '../oss/xml/objects';
import type { BlobInfo } from './blobs';
import { multipartEtag } from './object-rules';
import type { ObjectVersion, Store } from './store';
import type { UploadRecord } from './store-state';

export type MultipartProblem = 'NoSuchUpload' | 'InvalidPartOrder' | 'InvalidPart';

export class MultipartError extends Error {
  constructor(readonly problem: MultipartProblem, readonly partNumber?: number) {
    super(problem);
    this.name = 'MultipartError';
  }
}

/** The upload named by the request, for this bucket and key. */
export function findUpload(store: Store, uploadId: string | undefined, bucket: string, key: string | undefined): Readonly<UploadRecord> {
  const upload = store.upload(uploadId ?? '');
  if (!upload || upload.bucket !== bucket || upload.key !== key) throw new MultipartError('NoSuchUpload');
  return upload;
}

/** Keep a part whose body is already in the blob store, unless the upload was aborted while it streamed in. */
export function storePart(store: Store, uploadId: string, partNumber: number, body: BlobInfo): void {
  if (!store.upload(uploadId)) {
    store.blobs.delete(body.blob);
    throw new MultipartError('NoSuchUpload');
  }
  store.putPart(uploadId, partNumber, { etag: body.md5, blob: body.blob, size: body.size });
}

export interface CompletedUpload {
  version: Readonly<ObjectVersion>;
  etag: string;
  body: BlobInfo;
}

/** Check the listed parts, join them into the object, and end the upload. */
export async function completeUpload(
  store: Store, upload: Readonly<UploadRecord>, parts: { partNumber: number; etag: string }[], lastModified: string,
): Promise<CompletedUpload> {
  let previous = 0;
  for (const part of parts) {
    if (part.partNumber <= previous) throw new MultipartError('InvalidPartOrder', part.partNumber);
    previous = part.partNumber;
    const stored = upload.parts[part.partNumber];
    if (!stored || stored.etag.toLowerCase() !== unquoteEtag(part.etag).toLowerCase()) throw new MultipartError('InvalidPart', part.partNumber);
  }
  const body = await store.blobs.concat(parts.map((p) => upload.parts[p.partNumber].blob));
  if (store.upload(upload.uploadId) !== upload) {
    store.blobs.delete(body.blob); // completed or aborted by a concurrent request while the parts were joined
    throw new MultipartError('NoSuchUpload');
  }
  const etag = multipartEtag(parts.map((p) => upload.parts[p.partNumber].etag));
  const version = store.putObject(upload.bucket, upload.key, { ...upload.options, etag, size: body.size, crc64: body.crc64, blob: body.blob, lastModified });
  store.removeUpload(upload.uploadId);
  return { version, etag, body };
}

/** Run `step` (sync or async), turning a MultipartError into the side's own error with `toError`. */
export function withMultipartErrors<T>(step: () => T, toError: (err: MultipartError) => Error): T {
  const mapped = (err: unknown): never => {
    throw err instanceof MultipartError ? toError(err) : err;
  };
  try {
    const result = step();
    return (result instanceof Promise ? result.catch(mapped) : result) as T;
  } catch (err) {
    return mapped(err);
  }
}
