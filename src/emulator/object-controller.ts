/** Object and bucket endpoints of the emulator. Responses reuse the shared XML encoders; state changes go through the store. */
import { randomBytes } from 'node:crypto';
import { DeleteMarkerSummary, OBJECT_ACLS, ObjectVersionSummary, STORAGE_CLASSES } from '../oss/model';
import {
  decodeCompleteMultipartUpload, decodeCreateBucketConfiguration, decodeRestoreRequest, decodeTagging, decodeVersioningConfiguration,
  encodeAccessControlPolicy, encodeCompleteMultipartUploadResult, encodeInitiateMultipartUploadResult, encodeListObjectsV2Result,
  encodeListObjectVersionsResult, encodeTagging, quoteEtag,
} from '../oss/xml/objects';
import type { BlobInfo } from './blobs';
import { checkDigests, decodeXml, signedPayloadHash } from './body';
import { EmulatorError, invalidArgument } from './errors';
import { completeUpload, findUpload, MultipartProblem, storePart, withMultipartErrors } from './multipart';
import { ARCHIVE_CLASSES, listPage, MAX_OBJECT_BYTES, MAX_TAGS_PER_OBJECT, restoreDaysRange, restoreState } from './object-rules';
import { ApiResponse, EmulatorRequest, xmlResponse as xml } from './request';
import type { NewObject, ObjectVersion, Store, Tag } from './store';

export { RESTORE_DURATION_MS } from './object-rules';

const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const CRC64_HEADER = 'x-oss-hash-crc64ecma';

/** Bucket and object APIs (named apart from the client's `ObjectApi` in src/oss/api.ts). */
export class ObjectController {
  constructor(private readonly store: Store, private readonly clock: () => Date) {}

  createBucket(req: EmulatorRequest): ApiResponse {
    if (!BUCKET_NAME.test(req.bucket)) throw new EmulatorError('InvalidBucketName', `bucket name "${req.bucket}" must be 3-63 lowercase letters, digits or hyphens`);
    const config = req.body.length ? decodeXml(req.body, decodeCreateBucketConfiguration) : {};
    this.store.createBucket({ name: req.bucket, created: this.clock().toISOString(), storageClass: config.storageClass ?? 'Standard', versioning: 'Off' });
    return {};
  }

  putVersioning(req: EmulatorRequest): ApiResponse {
    this.store.bucket(req.bucket);
    const status = decodeXml(req.body, decodeVersioningConfiguration);
    if (status) this.store.setVersioning(req.bucket, status);
    return {};
  }

  listObjectsV2(req: EmulatorRequest): ApiResponse {
    const bucket = this.store.bucket(req.bucket);
    const { prefix = '', delimiter = '' } = req.query;
    const maxKeys = parseMaxKeys(req.query['max-keys']);
    const token = req.query['continuation-token'];
    const after = token !== undefined ? Buffer.from(token, 'base64url').toString('utf8') : req.query['start-after'] ?? '';
    const page = listPage(this.store.liveObjects(req.bucket, prefix, after), prefix, delimiter, maxKeys);
    return xml(encodeListObjectsV2Result({
      name: bucket.name, prefix, delimiter: delimiter || undefined, maxKeys, keyCount: page.contents.length + page.commonPrefixes.length,
      isTruncated: page.truncated, continuationToken: token, startAfter: req.query['start-after'],
      nextContinuationToken: page.truncated ? Buffer.from(page.last).toString('base64url') : undefined,
      contents: page.contents.map(([key, v]) => ({ key, size: v.size, etag: v.etag, lastModified: v.lastModified, storageClass: v.storageClass })),
      commonPrefixes: page.commonPrefixes,
    }));
  }

  listVersions(req: EmulatorRequest): ApiResponse {
    const bucket = this.store.bucket(req.bucket);
    const prefix = req.query.prefix ?? '';
    const maxKeys = parseMaxKeys(req.query['max-keys']);
    const keyMarker = req.query['key-marker'] ?? '';
    const versions: ObjectVersionSummary[] = [];
    const markers: DeleteMarkerSummary[] = [];
    let truncated = false;
    let nextKey: string | undefined;
    for (const [key, list] of this.store.keysFrom(req.bucket, prefix, keyMarker)) {
      if (versions.length + markers.length >= maxKeys) { truncated = true; break; }
      list.forEach((v, i) => {
        const isLatest = i === list.length - 1;
        if (v.isDeleteMarker) markers.push({ key, versionId: v.versionId, isLatest, lastModified: v.lastModified });
        else versions.push({ key, versionId: v.versionId, isLatest, size: v.size, etag: v.etag, lastModified: v.lastModified, storageClass: v.storageClass });
      });
      nextKey = key;
    }
    return xml(encodeListObjectVersionsResult({
      name: bucket.name, prefix, maxKeys, isTruncated: truncated, keyMarker, nextKeyMarker: truncated ? nextKey : undefined,
      versions, deleteMarkers: markers,
    }));
  }

  async putObject(req: EmulatorRequest): Promise<ApiResponse> {
    if (req.headers['x-oss-copy-source']) throw new EmulatorError('NotImplemented', 'CopyObject is not supported by the emulator');
    this.store.bucket(req.bucket);
    const options = this.objectOptions(req.headers);
    const body = await this.receive(req);
    const version = this.store.putObject(req.bucket, req.key, this.newObject(options, body));
    return { headers: { ...versionHeaders(version), [CRC64_HEADER]: body.crc64 } };
  }

  /** Stream the body to a new blob and check it against the client's digests; nothing stays behind on failure. */
  private async receive(req: EmulatorRequest): Promise<BlobInfo> {
    const info = await this.store.blobs.write(req.stream ?? [req.body], MAX_OBJECT_BYTES, signedPayloadHash(req.headers) !== undefined);
    try {
      checkDigests(req.headers, info);
    } catch (err) {
      this.store.blobs.delete(info.blob);
      throw err;
    }
    return info;
  }

  /** Headers checked before the body is read, so a bad request costs no upload. */
  private objectOptions(headers: Record<string, string | undefined>): UploadOptions {
    const storageClass = headers['x-oss-storage-class'] ?? 'Standard';
    if (!(STORAGE_CLASSES as readonly string[]).includes(storageClass)) throw invalidArgument(`x-oss-storage-class must be one of ${STORAGE_CLASSES.join(', ')}`);
    const acl = headers['x-oss-object-acl'] ?? 'default';
    if (!(OBJECT_ACLS as readonly string[]).includes(acl)) throw invalidArgument(`x-oss-object-acl must be one of ${OBJECT_ACLS.join(', ')}`);
    return { storageClass, acl, contentType: headers['content-type'] ?? 'application/octet-stream', tags: checkTags(parseTaggingHeader(headers['x-oss-tagging'])) };
  }

  private newObject(options: UploadOptions, body: BlobInfo): NewObject {
    return { ...options, etag: body.md5, size: body.size, crc64: body.crc64, blob: body.blob, lastModified: this.clock().toISOString() };
  }

  getObject(req: EmulatorRequest, head: boolean): ApiResponse {
    const version = this.store.version(req.bucket, req.key, req.query.versionId);
    const now = this.clock();
    if (!head && ARCHIVE_CLASSES.includes(version.storageClass) && restoreState(version, now) !== 'restored') {
      throw new EmulatorError('InvalidObjectState', `the object is ${version.storageClass}; restore it before reading`);
    }
    const headers: Record<string, string> = {
      ...versionHeaders(version), 'content-type': version.contentType, 'last-modified': new Date(version.lastModified).toUTCString(),
      'x-oss-storage-class': version.storageClass, 'content-length': String(version.size),
    };
    if (version.crc64 !== undefined) headers[CRC64_HEADER] = version.crc64;
    const restore = restoreState(version, now);
    if (restore === 'ongoing') headers['x-oss-restore'] = 'ongoing-request="true"';
    if (restore === 'restored') headers['x-oss-restore'] = `ongoing-request="false", expiry-date="${new Date(version.restoreExpiry!).toUTCString()}"`;
    headers['accept-ranges'] = 'bytes';
    const range = parseRange(req.headers.range, version.size);
    if (!range) return { headers, body: head ? undefined : this.store.blobs.stream(version.blob) };
    headers['content-range'] = `bytes ${range.start}-${range.end}/${version.size}`;
    headers['content-length'] = String(range.end - range.start + 1);
    return { status: 206, headers, body: head ? undefined : this.store.blobs.stream(version.blob, range) };
  }

  deleteObject(req: EmulatorRequest): ApiResponse {
    const bucket = this.store.bucket(req.bucket);
    if (req.query.versionId !== undefined) {
      this.store.deleteVersion(req.bucket, req.key, req.query.versionId);
    } else if (bucket.versioning !== 'Off') {
      // Suspended versioning too leaves a delete marker (the `null` one) over the older versions.
      const marker = this.store.putDeleteMarker(req.bucket, req.key, this.clock().toISOString());
      return { status: 204, headers: { 'x-oss-delete-marker': 'true', 'x-oss-version-id': marker.versionId } };
    } else {
      this.store.deleteKey(req.bucket, req.key);
    }
    return { status: 204 };
  }

  getTagging(req: EmulatorRequest): ApiResponse {
    return xml(encodeTagging(this.store.version(req.bucket, req.key, req.query.versionId).tags));
  }

  putTagging(req: EmulatorRequest): ApiResponse {
    this.store.version(req.bucket, req.key, req.query.versionId);
    const tags = checkTags(decodeXml(req.body, decodeTagging));
    this.store.updateVersion(req.bucket, req.key, req.query.versionId, { tags });
    return {};
  }

  deleteTagging(req: EmulatorRequest): ApiResponse {
    this.store.updateVersion(req.bucket, req.key, req.query.versionId, { tags: [] });
    return { status: 204 };
  }

  getAcl(req: EmulatorRequest): ApiResponse {
    return xml(encodeAccessControlPolicy(this.store.version(req.bucket, req.key, req.query.versionId).acl));
  }

  putAcl(req: EmulatorRequest): ApiResponse {
    const acl = req.headers['x-oss-object-acl'];
    if (!acl || !(OBJECT_ACLS as readonly string[]).includes(acl)) throw invalidArgument(`x-oss-object-acl must be one of ${OBJECT_ACLS.join(', ')}`);
    this.store.updateVersion(req.bucket, req.key, req.query.versionId, { acl });
    return {};
  }

  restore(req: EmulatorRequest): ApiResponse {
    const version = this.store.version(req.bucket, req.key, req.query.versionId);
    if (!ARCHIVE_CLASSES.includes(version.storageClass)) {
      throw new EmulatorError('OperationNotSupported', `the object's storage class is ${version.storageClass}; only archived objects can be restored`);
    }
    const { days = 1 } = req.body.length ? decodeXml(req.body, decodeRestoreRequest) : {};
    const [min, max] = restoreDaysRange(version.storageClass);
    if (days < min || days > max) throw invalidArgument(`Days must be ${min}-${max} for ${version.storageClass} objects`);
    const now = this.clock();
    if (restoreState(version, now) === 'ongoing') throw new EmulatorError('RestoreAlreadyInProgress', 'The restore operation is in progress.');
    this.store.updateVersion(req.bucket, req.key, req.query.versionId, {
      restoreRequestedAt: now.toISOString(), restoreExpiry: new Date(now.getTime() + days * 86_400_000).toISOString(),
    });
    return { status: 202 };
  }

  initiateUpload(req: EmulatorRequest): ApiResponse {
    this.store.bucket(req.bucket);
    const uploadId = randomBytes(16).toString('hex').toUpperCase();
    this.store.createUpload({ uploadId, bucket: req.bucket, key: req.key, parts: {}, options: this.objectOptions(req.headers) });
    return xml(encodeInitiateMultipartUploadResult(req.bucket, req.key, uploadId));
  }

  async uploadPart(req: EmulatorRequest): Promise<ApiResponse> {
    const upload = ossMultipart(() => findUpload(this.store, req.query.uploadId, req.bucket, req.key));
    const partNumber = Number(req.query.partNumber);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) throw invalidArgument('partNumber must be 1-10000');
    const body = await this.receive(req);
    ossMultipart(() => storePart(this.store, upload.uploadId, partNumber, body));
    return { headers: { etag: quoteEtag(body.md5), [CRC64_HEADER]: body.crc64 } };
  }

  async completeUpload(req: EmulatorRequest): Promise<ApiResponse> {
    const upload = ossMultipart(() => findUpload(this.store, req.query.uploadId, req.bucket, req.key));
    const parts = decodeXml(req.body, decodeCompleteMultipartUpload);
    const { version, etag, body } = await ossMultipart(() => completeUpload(this.store, upload, parts, this.clock().toISOString()));
    return {
      headers: { 'content-type': 'application/xml', ...versionHeaders(version), [CRC64_HEADER]: body.crc64 },
      body: encodeCompleteMultipartUploadResult(`/${req.bucket}/${req.key}`, req.bucket, req.key, etag),
    };
  }

  abortUpload(req: EmulatorRequest): ApiResponse {
    this.store.removeUpload(ossMultipart(() => findUpload(this.store, req.query.uploadId, req.bucket, req.key)).uploadId);
    return { status: 204 };
  }
}

const OSS_MULTIPART_MESSAGES: Record<MultipartProblem, (part?: number) => string> = {
  NoSuchUpload: () => 'The specified upload does not exist.',
  InvalidPartOrder: () => 'parts must be listed in ascending order',
  InvalidPart: (part) => `part ${part} was not uploaded or its ETag differs`,
};

/** The shared multipart rules with OSS's error codes and texts. */
const ossMultipart = <T>(step: () => T): T =>
  withMultipartErrors(step, (err) => new EmulatorError(err.problem, OSS_MULTIPART_MESSAGES[err.problem](err.partNumber)));

type UploadOptions = Pick<NewObject, 'storageClass' | 'acl' | 'contentType' | 'tags'>;

/**
 * One `bytes=start-end` range (also `start-` and `-suffix`), clamped to the object. As OSS does,
 * a range that is malformed, multiple or not satisfiable is ignored: the whole object, 200.
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '') || size === 0) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start <= end && start < size ? { start, end } : undefined;
}

/** Listing page size: 100 unless given, 1-1000 (as OSS). */
function parseMaxKeys(value: string | undefined): number {
  if (value === undefined) return 100;
  const maxKeys = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(maxKeys >= 1 && maxKeys <= 1000)) throw invalidArgument(`max-keys must be an integer 1-1000, got "${value}"`);
  return maxKeys;
}

function versionHeaders(v: Readonly<ObjectVersion>): Record<string, string> {
  const headers: Record<string, string> = { etag: quoteEtag(v.etag) };
  if (v.versionId !== 'null') headers['x-oss-version-id'] = v.versionId;
  return headers;
}

/** OSS object tag rules: at most 10, keys 1-128 characters, values at most 256, keys unique. */
function checkTags(tags: Tag[]): Tag[] {
  if (tags.length > MAX_TAGS_PER_OBJECT) throw new EmulatorError('InvalidTag', `at most ${MAX_TAGS_PER_OBJECT} tags per object, got ${tags.length}`, 400);
  for (const tag of tags) {
    if (tag.key.length < 1 || tag.key.length > 128) throw new EmulatorError('InvalidTag', `tag keys must be 1-128 characters, got ${tag.key.length}`, 400);
    if (tag.value.length > 256) throw new EmulatorError('InvalidTag', `tag values must be at most 256 characters, got ${tag.value.length}`, 400);
  }
  if (new Set(tags.map((t) => t.key)).size !== tags.length) throw new EmulatorError('InvalidTag', 'tag keys must be unique', 400);
  return tags;
}

function parseTaggingHeader(value: string | undefined): Tag[] {
  if (!value) return [];
  try {
    return value.split('&').filter(Boolean).map((pair) => {
      const [k, v = ''] = pair.split('=');
      return { key: decodeURIComponent(k), value: decodeURIComponent(v) };
    });
  } catch {
    throw invalidArgument('x-oss-tagging is not valid URL encoding');
  }
}
