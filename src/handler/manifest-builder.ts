/**
 * ManifestFromPrefix at apply time: stream ListObjectsV2 (or version) pages through the filter
 * into CSV lines, hashing and spooling them to a temporary file, then upload to the
 * content-addressed key with one PutObject when small or multipart when large. Memory holds one
 * page and one part, whatever the number of keys.
 */
import { createHash } from 'node:crypto';
import { FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ObjectApi } from '../oss/api';
import { listAllObjects } from '../jobs/pagination';
import { encodeManifestLine } from '../oss/csv';
import type { CompletedPart, ListObjectVersionsInput, ListObjectVersionsResult, ObjectSummary } from '../oss/model';
import type { ManifestFromPrefixEvent, ManifestResult } from '../shared/contract';
import type { ManifestFilterSpec, PrefixManifestIdentity } from '../shared/identity';
import type { HandlerDeps } from './deps';
import { EXIT, HandlerError } from './errors';
import { writeResultFile } from './result-file';

export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

/** The versions listing is an OssClient extra, not part of ObjectApi. */
export interface VersionLister {
  listObjectVersions(bucket: string, input: ListObjectVersionsInput): Promise<ListObjectVersionsResult>;
}

export function matchesFilter(o: ObjectSummary, filter: ManifestFilterSpec): boolean {
  if (filter.suffixes.length && !filter.suffixes.some((s) => o.key.endsWith(s))) return false;
  if (filter.minSizeBytes !== undefined && o.size < filter.minSizeBytes) return false;
  if (filter.maxSizeBytes !== undefined && o.size > filter.maxSizeBytes) return false;
  if (filter.modifiedAfter !== undefined && !(Date.parse(o.lastModified) > Date.parse(filter.modifiedAfter))) return false;
  if (filter.storageClasses.length && !filter.storageClasses.includes(o.storageClass)) return false;
  return !o.key.endsWith('/') || o.size > 0; // skip "folder" placeholder objects
}

/** The filter in words, for the empty-manifest error. */
export function describeFilter(filter: ManifestFilterSpec): string {
  const parts = [
    filter.suffixes.length ? `suffixes ${filter.suffixes.join(', ')}` : '',
    filter.minSizeBytes !== undefined ? `size ≥ ${filter.minSizeBytes} bytes` : '',
    filter.maxSizeBytes !== undefined ? `size ≤ ${filter.maxSizeBytes} bytes` : '',
    filter.modifiedAfter !== undefined ? `modified after ${filter.modifiedAfter}` : '',
    filter.storageClasses.length ? `storage classes ${filter.storageClasses.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'none';
}

async function* listedObjects(event: PrefixManifestIdentity, objects: ObjectApi & Partial<VersionLister>): AsyncGenerator<(ObjectSummary & { versionId?: string })[]> {
  if (!event.includeVersionIds) {
    yield* listAllObjects(objects, event.sourceBucket, { prefix: event.prefix });
    return;
  }
  if (!objects.listObjectVersions) throw new HandlerError(EXIT.USAGE, 'includeVersionIds needs a client that can list object versions');
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  do {
    const page = await objects.listObjectVersions(event.sourceBucket, { prefix: event.prefix, keyMarker, versionIdMarker, maxKeys: 1000 });
    // Only current versions: a key whose latest version is a delete marker is not in the bucket.
    yield page.versions.filter((v) => v.isLatest);
    keyMarker = page.isTruncated ? page.nextKeyMarker : undefined;
    versionIdMarker = page.isTruncated ? page.nextVersionIdMarker : undefined;
  } while (keyMarker);
}

/**
 * The listing is spooled to a temporary file while it is hashed: the object key is the content's
 * SHA-256, known only at the end, and memory stays at one page whatever the number of keys.
 */
class Spool {
  private constructor(private readonly dir: string, private readonly handle: FileHandle) {}
  size = 0;

  static async create(prefix: string): Promise<Spool> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    const path = join(dir, 'manifest.csv');
    return new Spool(dir, await open(path, 'w+'));
  }

  async write(data: Buffer): Promise<void> {
    await this.handle.write(data, 0, data.length, this.size);
    this.size += data.length;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
  }

  async remove(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** A backend's upload calls as the manifest writer makes them: content type CSV, ETags without quotes. */
export interface ManifestUploads {
  putObject(bucket: string, key: string, body: Buffer): Promise<string>;
  createMultipartUpload(bucket: string, key: string): Promise<string>;
  uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Buffer): Promise<CompletedPart>;
  completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: CompletedPart[]): Promise<string>;
  abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<unknown>;
}

const CSV = 'text/csv';
const bare = (etag: string) => etag.replace(/"/g, '');

function ossUploads(objects: ObjectApi): ManifestUploads {
  return {
    putObject: async (bucket, key, body) => bare((await objects.putObject(bucket, key, body, { contentType: CSV })).etag),
    createMultipartUpload: async (bucket, key) => (await objects.initiateMultipartUpload(bucket, key, { contentType: CSV })).uploadId,
    uploadPart: (bucket, key, uploadId, partNumber, body) => objects.uploadPart(bucket, key, uploadId, partNumber, body),
    completeMultipartUpload: async (bucket, key, uploadId, parts) => bare((await objects.completeMultipartUpload(bucket, key, uploadId, parts)).etag),
    abortMultipartUpload: (bucket, key, uploadId) => objects.abortMultipartUpload(bucket, key, uploadId),
  };
}

/** One PutObject when the manifest fits in a part, multipart otherwise (aborted on failure). */
async function upload(uploads: ManifestUploads, bucket: string, key: string, spool: Spool, partSize: number): Promise<string> {
  if (spool.size <= partSize) return uploads.putObject(bucket, key, await spool.read(0, spool.size));
  const uploadId = await uploads.createMultipartUpload(bucket, key);
  try {
    const parts: CompletedPart[] = [];
    for (let offset = 0; offset < spool.size; offset += partSize) {
      parts.push(await uploads.uploadPart(bucket, key, uploadId, parts.length + 1, await spool.read(offset, Math.min(partSize, spool.size - offset))));
    }
    return await uploads.completeMultipartUpload(bucket, key, uploadId, parts);
  } catch (err) {
    await uploads.abortMultipartUpload(bucket, key, uploadId).catch(() => undefined);
    throw err;
  }
}

/** `<manifestPrefix><sha256>.csv`: content-addressed, so no two listings overwrite each other. */
export function manifestKeyFor(manifestPrefix: string, contentSha256: string): string {
  return `${manifestPrefix}${contentSha256}.csv`;
}

export async function buildManifest(event: ManifestFromPrefixEvent, resultFile: string, deps: HandlerDeps, partSize = DEFAULT_PART_SIZE): Promise<ManifestResult> {
  const objects = deps.objects as ObjectApi & Partial<VersionLister>;
  return writePrefixManifest(event.name, event.identity, {
    scheme: 'oss', pages: listedObjects(event.identity, objects), versionIdOf: (o) => o.versionId, uploads: ossUploads(objects), spoolPrefix: 'oss-batch-manifest-',
  }, resultFile, partSize, deps.log);
}

/** A backend's side of a prefix manifest. */
export interface ManifestSource {
  /** In the URLs of messages: `oss`, `s3`. */
  scheme: string;
  /** The listing, one page at a time (current objects, or the latest version of each key). */
  pages: AsyncIterable<(ObjectSummary & { versionId?: string })[]>;
  /** The version id a line carries when the identity includes them. */
  versionIdOf: (o: ObjectSummary & { versionId?: string }) => string | undefined;
  uploads: ManifestUploads;
  /** The spool directory's name prefix under the temp dir, so a left-behind one (a killed run) says whose it is. */
  spoolPrefix: string;
}

/** Both backends' manifest: list → filter → CSV lines spooled and hashed → content-addressed upload → result file. */
export async function writePrefixManifest(
  name: string, identity: PrefixManifestIdentity, source: ManifestSource, resultFile: string, partSize: number, log: (line: string) => void,
): Promise<ManifestResult> {
  const spool = await Spool.create(source.spoolPrefix);
  const hash = createHash('sha256');
  let count = 0;
  let listed = 0;
  try {
    for await (const page of source.pages) {
      listed += page.length;
      let text = '';
      for (const o of page) {
        if (!matchesFilter(o, identity.filter)) continue;
        text += encodeManifestLine(identity.sourceBucket, o.key, identity.includeVersionIds ? source.versionIdOf(o) : undefined);
        count++;
      }
      const bytes = Buffer.from(text, 'utf8');
      hash.update(bytes);
      await spool.write(bytes);
      if (listed % 100_000 < page.length) log(`[${name}] listed ${listed} objects, ${count} in the manifest`);
    }
    if (count === 0) {
      throw new HandlerError(EXIT.OUTCOME,
        `no object under ${source.scheme}://${identity.sourceBucket}/${identity.prefix} matches the filter (${listed} listed; filter: ${describeFilter(identity.filter)}). ` +
        'A batch job over zero objects is almost surely a mistake: check the prefix and the filter.');
    }
    const contentSha256 = hash.digest('hex');
    const key = manifestKeyFor(identity.manifestPrefix, contentSha256);
    const etag = await upload(source.uploads, identity.manifestBucket, key, spool, partSize);
    const result: ManifestResult = {
      bucket: identity.manifestBucket, key, etag, objectCount: count, contentSha256,
      fields: identity.includeVersionIds ? 'Bucket,Key,VersionId' : 'Bucket,Key',
    };
    log(`[${name}] wrote ${source.scheme}://${result.bucket}/${result.key}: ${count} objects`);
    writeResultFile(resultFile, result);
    return result;
  } finally {
    await spool.remove();
  }
}
