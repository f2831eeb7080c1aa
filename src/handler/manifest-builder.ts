/**
 * ManifestFromPrefix at apply time: stream ListObjectsV2 (or version) pages through the filter
 * into CSV lines, hashing as we go, and upload with one PutObject when small or multipart when
 * large. Memory holds one page and one part, whatever the number of keys.
 */
import { createHash } from 'node:crypto';
import type { ObjectApi } from '../oss/api';
import { listAllObjects } from '../oss/client';
import { encodeManifestLine } from '../oss/csv';
import type { CompletedPart, ListObjectVersionsInput, ListObjectVersionsResult, ObjectSummary } from '../oss/model';
import type { ManifestFromPrefixEvent, ManifestResult } from '../shared/contract';
import type { HandlerDeps } from './deps';
import { EXIT, HandlerError } from './errors';
import { writeResultFile } from './result-file';

export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

/** The versions listing is an OssClient extra, not part of ObjectApi. */
export interface VersionLister {
  listObjectVersions(bucket: string, input: ListObjectVersionsInput): Promise<ListObjectVersionsResult>;
}

type Filter = ManifestFromPrefixEvent['filter'];

export function matchesFilter(o: ObjectSummary, filter: Filter): boolean {
  if (filter.suffixes.length && !filter.suffixes.some((s) => o.key.endsWith(s))) return false;
  if (filter.minSizeBytes !== undefined && o.size < filter.minSizeBytes) return false;
  if (filter.maxSizeBytes !== undefined && o.size > filter.maxSizeBytes) return false;
  if (filter.modifiedAfter !== undefined && !(Date.parse(o.lastModified) > Date.parse(filter.modifiedAfter))) return false;
  if (filter.storageClasses.length && !filter.storageClasses.includes(o.storageClass)) return false;
  return !o.key.endsWith('/') || o.size > 0; // skip "folder" placeholder objects
}

/** The filter in words, for the empty-manifest error. */
export function describeFilter(filter: Filter): string {
  const parts = [
    filter.suffixes.length ? `suffixes ${filter.suffixes.join(', ')}` : '',
    filter.minSizeBytes !== undefined ? `size ≥ ${filter.minSizeBytes} bytes` : '',
    filter.maxSizeBytes !== undefined ? `size ≤ ${filter.maxSizeBytes} bytes` : '',
    filter.modifiedAfter !== undefined ? `modified after ${filter.modifiedAfter}` : '',
    filter.storageClasses.length ? `storage classes ${filter.storageClasses.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'none';
}

async function* listedObjects(event: ManifestFromPrefixEvent, objects: ObjectApi & Partial<VersionLister>): AsyncGenerator<(ObjectSummary & { versionId?: string })[]> {
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

/** Collects CSV bytes and ships them as one object or as multipart parts. */
class ManifestUpload {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private uploadId?: string;
  private parts: CompletedPart[] = [];

  constructor(private readonly objects: ObjectApi, private readonly bucket: string, private readonly key: string, private readonly partSize: number) {}

  async write(data: Buffer): Promise<void> {
    this.chunks.push(data);
    this.buffered += data.length;
    if (this.buffered >= this.partSize) await this.flushPart();
  }

  private async flushPart(): Promise<void> {
    const body = Buffer.concat(this.chunks);
    this.chunks = [];
    this.buffered = 0;
    this.uploadId ??= (await this.objects.initiateMultipartUpload(this.bucket, this.key, { contentType: 'text/csv' })).uploadId;
    this.parts.push(await this.objects.uploadPart(this.bucket, this.key, this.uploadId, this.parts.length + 1, body));
  }

  async finish(): Promise<string> {
    if (!this.uploadId) return (await this.objects.putObject(this.bucket, this.key, Buffer.concat(this.chunks), { contentType: 'text/csv' })).etag;
    if (this.buffered > 0) await this.flushPart();
    return (await this.objects.completeMultipartUpload(this.bucket, this.key, this.uploadId, this.parts)).etag;
  }

  async abort(): Promise<void> {
    if (this.uploadId) await this.objects.abortMultipartUpload(this.bucket, this.key, this.uploadId).catch(() => undefined);
  }
}

export async function buildManifest(event: ManifestFromPrefixEvent, resultFile: string, deps: HandlerDeps, partSize = DEFAULT_PART_SIZE): Promise<ManifestResult> {
  const objects = deps.objects as ObjectApi & Partial<VersionLister>;
  const upload = new ManifestUpload(objects, event.manifestBucket, event.manifestKey, partSize);
  const hash = createHash('sha256');
  let count = 0;
  let listed = 0;
  try {
    for await (const page of listedObjects(event, objects)) {
      listed += page.length;
      let text = '';
      for (const o of page) {
        if (!matchesFilter(o, event.filter)) continue;
        text += encodeManifestLine(event.sourceBucket, o.key, event.includeVersionIds ? o.versionId : undefined);
        count++;
      }
      const bytes = Buffer.from(text, 'utf8');
      hash.update(bytes);
      await upload.write(bytes);
      if (listed % 100_000 < page.length) deps.log(`[${event.name}] listed ${listed} objects, ${count} in the manifest`);
    }
    if (count === 0) {
      throw new HandlerError(EXIT.OUTCOME,
        `no object under oss://${event.sourceBucket}/${event.prefix} matches the filter (${listed} listed; filter: ${describeFilter(event.filter)}). ` +
        'A batch job over zero objects is almost surely a mistake: check the prefix and the filter.');
    }
    const etag = (await upload.finish()).replace(/"/g, '');
    const result: ManifestResult = { bucket: event.manifestBucket, key: event.manifestKey, etag, objectCount: count, contentSha256: hash.digest('hex') };
    deps.log(`[${event.name}] wrote oss://${result.bucket}/${result.key}: ${count} objects (sha256 ${result.contentSha256.slice(0, 12)}…)`);
    writeResultFile(resultFile, result);
    return result;
  } catch (err) {
    await upload.abort();
    throw err;
  }
}
