/**
 * S3ManifestFromPrefix at apply time: stream ListObjectsV2 (or ListObjectVersions) pages through
 * the OSS builder's filter into `S3BatchOperations_CSV_20180820` lines (bucket, URL-encoded key,
 * version id), hashing and spooling them to a temporary file, then upload to the content-addressed
 * key with one PutObject when small or multipart when large. Memory holds one page and one part.
 */
import { createHash } from 'node:crypto';
import { FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeManifestLine } from '../../oss/csv';
import type { CompletedPart } from '../../oss/model';
import type { ManifestResult, S3ManifestFromPrefixEvent } from '../../shared/contract';
import { EXIT, HandlerError } from '../errors';
import { describeFilter, manifestKeyFor, matchesFilter } from '../manifest-builder';
import { writeResultFile } from '../result-file';
import type { S3HandlerDeps } from './batch-job';
import type { S3Objects } from './objects';

const CSV = 'text/csv';

/** A temporary file: the key is the content's SHA-256, known only once the whole listing is written. */
async function withSpool<T>(use: (file: FileHandle) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 's3-batch-manifest-'));
  const file = await open(join(dir, 'manifest.csv'), 'w+');
  try {
    return await use(file);
  } finally {
    await file.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

async function readAt(file: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, offset);
  return buffer.subarray(0, bytesRead);
}

/** One PutObject when the manifest fits in a part, multipart otherwise (aborted on failure). Returns the ETag. */
async function uploadSpool(objects: S3Objects, bucket: string, key: string, file: FileHandle, size: number, partSize: number): Promise<string> {
  if (size <= partSize) return objects.putObject(bucket, key, await readAt(file, 0, size), CSV);
  const uploadId = await objects.createMultipartUpload(bucket, key, CSV);
  try {
    const parts: CompletedPart[] = [];
    for (let offset = 0; offset < size; offset += partSize) {
      parts.push(await objects.uploadPart(bucket, key, uploadId, parts.length + 1, await readAt(file, offset, Math.min(partSize, size - offset))));
    }
    return await objects.completeMultipartUpload(bucket, key, uploadId, parts);
  } catch (err) {
    await objects.abortMultipartUpload(bucket, key, uploadId).catch(() => undefined);
    throw err;
  }
}

export async function buildS3Manifest(event: S3ManifestFromPrefixEvent, resultFile: string, deps: S3HandlerDeps, partSize: number): Promise<ManifestResult> {
  const identity = event.identity;
  const pages = identity.includeVersionIds
    ? deps.objects.listLatestVersions(identity.sourceBucket, identity.prefix)
    : deps.objects.listObjects(identity.sourceBucket, identity.prefix);
  return withSpool(async (file) => {
    const hash = createHash('sha256');
    let size = 0;
    let count = 0;
    let listed = 0;
    for await (const page of pages) {
      listed += page.length;
      let text = '';
      for (const o of page) {
        if (!matchesFilter(o, identity.filter)) continue;
        text += encodeManifestLine(identity.sourceBucket, o.key, identity.includeVersionIds ? o.versionId ?? 'null' : undefined);
        count++;
      }
      const bytes = Buffer.from(text, 'utf8');
      hash.update(bytes);
      await file.write(bytes, 0, bytes.length, size);
      size += bytes.length;
      if (listed % 100_000 < page.length) deps.log(`[${event.name}] listed ${listed} objects, ${count} in the manifest`);
    }
    if (count === 0) {
      throw new HandlerError(EXIT.OUTCOME,
        `no object under s3://${identity.sourceBucket}/${identity.prefix} matches the filter (${listed} listed; filter: ${describeFilter(identity.filter)}). ` +
        'A batch job over zero objects is almost surely a mistake: check the prefix and the filter.');
    }
    const contentSha256 = hash.digest('hex');
    const key = manifestKeyFor(identity.manifestPrefix, contentSha256);
    const etag = await uploadSpool(deps.objects, identity.manifestBucket, key, file, size, partSize);
    const result: ManifestResult = {
      bucket: identity.manifestBucket, key, etag, objectCount: count, contentSha256,
      fields: identity.includeVersionIds ? 'Bucket,Key,VersionId' : 'Bucket,Key',
    };
    deps.log(`[${event.name}] wrote s3://${result.bucket}/${result.key}: ${count} objects`);
    writeResultFile(resultFile, result);
    return result;
  });
}
