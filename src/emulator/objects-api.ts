/** Object and bucket endpoints of the emulator. Responses reuse the shared XML encoders. */
import { randomBytes } from 'node:crypto';
import { DeleteMarkerSummary, OBJECT_ACLS, ObjectVersionSummary, STORAGE_CLASSES } from '../oss/model';
import {
  decodeCompleteMultipartUpload, decodeCreateBucketConfiguration, decodeRestoreRequest, decodeTagging, decodeVersioningConfiguration,
  encodeAccessControlPolicy, encodeCompleteMultipartUploadResult, encodeInitiateMultipartUploadResult, encodeListObjectsV2Result,
  encodeListObjectVersionsResult, encodeTagging, quoteEtag, unquoteEtag,
} from '../oss/xml/objects';
import { md5Hex } from './engine/engine';
import { ARCHIVE_CLASSES, MAX_TAGS_PER_OBJECT, restoreDaysRange } from './engine/tasks';
import { EmulatorError, invalidArgument } from './errors';
import { keysFrom, removeKey } from './store';
import type { ObjectVersion, Store } from './store';

export interface ObjectRequest {
  method: string;
  bucket: string;
  key: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface ApiResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const xml = (body: string): ApiResponse => ({ headers: { 'content-type': 'application/xml' }, body });

/** Restores complete after this long on the emulator's clock (the real service takes minutes to hours). */
export const RESTORE_DURATION_MS = 1000;

export class ObjectsApi {
  constructor(private readonly store: Store, private readonly clock: () => Date) {}

  createBucket(req: ObjectRequest): ApiResponse {
    if (!BUCKET_NAME.test(req.bucket)) throw new EmulatorError('InvalidBucketName', `bucket name "${req.bucket}" must be 3-63 lowercase letters, digits or hyphens`);
    const config = decodeCreateBucketConfiguration(req.body.toString('utf8'));
    if (!this.store.buckets.has(req.bucket)) {
      this.store.buckets.set(req.bucket, {
        name: req.bucket, created: this.clock().toISOString(), storageClass: config.storageClass ?? 'Standard', versioning: 'Off', objects: new Map(),
      });
      this.store.markDirty();
    }
    return {};
  }

  putVersioning(req: ObjectRequest): ApiResponse {
    const bucket = this.store.bucket(req.bucket);
    const status = decodeVersioningConfiguration(req.body.toString('utf8'));
    if (status) bucket.versioning = status;
    this.store.markDirty();
    return {};
  }

  listObjectsV2(req: ObjectRequest): ApiResponse {
    const bucket = this.store.bucket(req.bucket);
    const { prefix = '', delimiter = '' } = req.query;
    const maxKeys = parseMaxKeys(req.query['max-keys']);
    const token = req.query['continuation-token'];
    const after = token !== undefined ? Buffer.from(token, 'base64url').toString('utf8') : req.query['start-after'] ?? '';
    const contents: ObjectVersion[] = [];
    const contentKeys: string[] = [];
    const prefixes = new Set<string>();
    let last = '';
    let truncated = false;
    for (const key of keysFrom(bucket, prefix, after)) {
      if (bucket.objects.get(key)!.at(-1)!.isDeleteMarker) continue;
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      const common = cut >= 0 ? key.slice(0, cut + delimiter.length) : undefined;
      // A key under a common prefix already on this page adds no entry: consume it, so the
      // next page does not repeat the prefix.
      if (common !== undefined && prefixes.has(common)) { last = key; continue; }
      if (contents.length + prefixes.size >= maxKeys) { truncated = true; break; }
      if (common !== undefined) {
        prefixes.add(common);
        last = key;
        continue;
      }
      contents.push(bucket.objects.get(key)!.at(-1)!);
      contentKeys.push(key);
      last = key;
    }
    return xml(encodeListObjectsV2Result({
      name: bucket.name, prefix, delimiter: delimiter || undefined, maxKeys, keyCount: contents.length + prefixes.size, isTruncated: truncated,
      continuationToken: token, startAfter: req.query['start-after'],
      nextContinuationToken: truncated ? Buffer.from(last).toString('base64url') : undefined,
      contents: contents.map((v, i) => ({ key: contentKeys[i], size: v.size, etag: v.etag, lastModified: v.lastModified, storageClass: v.storageClass })),
      commonPrefixes: [...prefixes],
    }));
  }

  listVersions(req: ObjectRequest): ApiResponse {
    const bucket = this.store.bucket(req.bucket);
    const prefix = req.query.prefix ?? '';
    const maxKeys = parseMaxKeys(req.query['max-keys']);
    const keyMarker = req.query['key-marker'] ?? '';
    const all = [...keysFrom(bucket, prefix, keyMarker)].map((key) => [key, bucket.objects.get(key)!] as const);
    const versions: ObjectVersionSummary[] = [];
    const markers: DeleteMarkerSummary[] = [];
    let truncated = false;
    let nextKey: string | undefined;
    for (const [key, list] of all) {
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

  putObject(req: ObjectRequest): ApiResponse {
    if (req.headers['x-oss-copy-source']) throw new EmulatorError('NotImplemented', 'CopyObject is not supported by the emulator');
    const version = this.store.putVersion(req.bucket, req.key, this.newObject(req.body, req.headers));
    return { headers: versionHeaders(version) };
  }

  private newObject(body: Buffer, headers: Record<string, string | undefined>): Omit<ObjectVersion, 'versionId' | 'isDeleteMarker'> {
    const storageClass = headers['x-oss-storage-class'] ?? 'Standard';
    if (!(STORAGE_CLASSES as readonly string[]).includes(storageClass)) throw invalidArgument(`x-oss-storage-class must be one of ${STORAGE_CLASSES.join(', ')}`);
    const acl = headers['x-oss-object-acl'] ?? 'default';
    if (!(OBJECT_ACLS as readonly string[]).includes(acl)) throw invalidArgument(`x-oss-object-acl must be one of ${OBJECT_ACLS.join(', ')}`);
    return {
      etag: md5Hex(body), size: body.length, storageClass, acl, contentType: headers['content-type'] ?? 'application/octet-stream',
      lastModified: this.clock().toISOString(), tags: parseTaggingHeader(headers['x-oss-tagging']), blob: this.store.writeBlob(body),
    };
  }

  getObject(req: ObjectRequest, head: boolean): ApiResponse {
    const version = this.store.version(req.bucket, req.key, req.query.versionId);
    if (!head && ARCHIVE_CLASSES.includes(version.storageClass) && this.restoreState(version) !== 'restored') {
      throw new EmulatorError('InvalidObjectState', `the object is ${version.storageClass}; restore it before reading`);
    }
    const headers: Record<string, string> = {
      ...versionHeaders(version), 'content-type': version.contentType, 'last-modified': new Date(version.lastModified).toUTCString(),
      'x-oss-storage-class': version.storageClass, 'content-length': String(version.size),
    };
    const restore = this.restoreState(version);
    if (restore === 'ongoing') headers['x-oss-restore'] = 'ongoing-request="true"';
    if (restore === 'restored') headers['x-oss-restore'] = `ongoing-request="false", expiry-date="${new Date(version.restoreExpiry!).toUTCString()}"`;
    return { headers, body: head ? undefined : this.store.readBlob(version.blob) };
  }

  private restoreState(v: ObjectVersion): 'none' | 'ongoing' | 'restored' {
    if (!v.restoreRequestedAt) return 'none';
    const now = this.clock().getTime();
    if (now > Date.parse(v.restoreExpiry!)) return 'none';
    return now - Date.parse(v.restoreRequestedAt) < RESTORE_DURATION_MS ? 'ongoing' : 'restored';
  }

  deleteObject(req: ObjectRequest): ApiResponse {
    const bucket = this.store.bucket(req.bucket);
    const versions = bucket.objects.get(req.key) ?? [];
    if (req.query.versionId !== undefined) {
      bucket.objects.set(req.key, versions.filter((v) => v.versionId !== req.query.versionId));
      if (bucket.objects.get(req.key)!.length === 0) removeKey(bucket, req.key);
    } else if (bucket.versioning === 'Enabled') {
      const marker = this.store.putVersion(req.bucket, req.key, {
        etag: '', size: 0, storageClass: 'Standard', acl: 'default', contentType: '', lastModified: this.clock().toISOString(), tags: [],
      }, true);
      return { status: 204, headers: { 'x-oss-delete-marker': 'true', 'x-oss-version-id': marker.versionId } };
    } else {
      removeKey(bucket, req.key);
    }
    this.store.markDirty();
    return { status: 204 };
  }

  getTagging(req: ObjectRequest): ApiResponse {
    return xml(encodeTagging(this.store.version(req.bucket, req.key, req.query.versionId).tags));
  }

  putTagging(req: ObjectRequest): ApiResponse {
    const version = this.store.version(req.bucket, req.key, req.query.versionId);
    const tags = decodeTagging(req.body.toString('utf8'));
    if (tags.length > MAX_TAGS_PER_OBJECT) throw new EmulatorError('InvalidTag', `at most ${MAX_TAGS_PER_OBJECT} tags per object`, 400);
    version.tags = tags;
    this.store.markDirty();
    return {};
  }

  deleteTagging(req: ObjectRequest): ApiResponse {
    this.store.version(req.bucket, req.key, req.query.versionId).tags = [];
    this.store.markDirty();
    return { status: 204 };
  }

  getAcl(req: ObjectRequest): ApiResponse {
    return xml(encodeAccessControlPolicy(this.store.version(req.bucket, req.key, req.query.versionId).acl));
  }

  putAcl(req: ObjectRequest): ApiResponse {
    const acl = req.headers['x-oss-object-acl'];
    if (!acl || !(OBJECT_ACLS as readonly string[]).includes(acl)) throw invalidArgument(`x-oss-object-acl must be one of ${OBJECT_ACLS.join(', ')}`);
    this.store.version(req.bucket, req.key, req.query.versionId).acl = acl;
    this.store.markDirty();
    return {};
  }

  restore(req: ObjectRequest): ApiResponse {
    const version = this.store.version(req.bucket, req.key, req.query.versionId);
    if (!ARCHIVE_CLASSES.includes(version.storageClass)) {
      throw new EmulatorError('OperationNotSupported', `the object's storage class is ${version.storageClass}; only archived objects can be restored`);
    }
    const { days = 1 } = req.body.length ? decodeRestoreRequest(req.body.toString('utf8')) : {};
    const [min, max] = restoreDaysRange(version.storageClass);
    if (days < min || days > max) throw invalidArgument(`Days must be ${min}-${max} for ${version.storageClass} objects`);
    if (this.restoreState(version) === 'ongoing') throw new EmulatorError('RestoreAlreadyInProgress', 'The restore operation is in progress.');
    const now = this.clock();
    version.restoreRequestedAt = now.toISOString();
    version.restoreExpiry = new Date(now.getTime() + days * 86_400_000).toISOString();
    this.store.markDirty();
    return { status: 202 };
  }

  initiateUpload(req: ObjectRequest): ApiResponse {
    this.store.bucket(req.bucket);
    const uploadId = randomBytes(16).toString('hex').toUpperCase();
    const probe = this.newObject(Buffer.alloc(0), req.headers);
    this.store.uploads.set(uploadId, {
      uploadId, bucket: req.bucket, key: req.key, parts: {},
      options: { contentType: probe.contentType, storageClass: probe.storageClass, acl: probe.acl, tags: probe.tags },
    });
    this.store.markDirty();
    return xml(encodeInitiateMultipartUploadResult(req.bucket, req.key, uploadId));
  }

  private upload(req: ObjectRequest) {
    const upload = this.store.uploads.get(req.query.uploadId ?? '');
    if (!upload || upload.bucket !== req.bucket || upload.key !== req.key) throw new EmulatorError('NoSuchUpload', 'The specified upload does not exist.');
    return upload;
  }

  uploadPart(req: ObjectRequest): ApiResponse {
    const upload = this.upload(req);
    const partNumber = Number(req.query.partNumber);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) throw invalidArgument('partNumber must be 1-10000');
    const etag = md5Hex(req.body);
    upload.parts[partNumber] = { etag, blob: this.store.writeBlob(req.body), size: req.body.length };
    this.store.markDirty();
    return { headers: { etag: quoteEtag(etag) } };
  }

  completeUpload(req: ObjectRequest): ApiResponse {
    const upload = this.upload(req);
    const parts = decodeCompleteMultipartUpload(req.body.toString('utf8'));
    let previous = 0;
    const bodies: Buffer[] = [];
    for (const part of parts) {
      if (part.partNumber <= previous) throw new EmulatorError('InvalidPartOrder', 'parts must be listed in ascending order');
      previous = part.partNumber;
      const stored = upload.parts[part.partNumber];
      if (!stored || stored.etag.toLowerCase() !== unquoteEtag(part.etag).toLowerCase()) throw new EmulatorError('InvalidPart', `part ${part.partNumber} was not uploaded or its ETag differs`);
      bodies.push(this.store.readBlob(stored.blob));
    }
    const body = Buffer.concat(bodies);
    const etag = `${md5Hex(Buffer.concat(parts.map((p) => Buffer.from(upload.parts[p.partNumber].etag, 'hex'))))}-${parts.length}`;
    const version = this.store.putVersion(req.bucket, req.key, {
      ...upload.options, etag, size: body.length, lastModified: this.clock().toISOString(), blob: this.store.writeBlob(body),
    });
    this.store.uploads.delete(upload.uploadId);
    this.store.markDirty();
    return { headers: { 'content-type': 'application/xml', ...versionHeaders(version) }, body: encodeCompleteMultipartUploadResult(`/${req.bucket}/${req.key}`, req.bucket, req.key, etag) };
  }

  abortUpload(req: ObjectRequest): ApiResponse {
    this.store.uploads.delete(this.upload(req).uploadId);
    this.store.markDirty();
    return { status: 204 };
  }
}

/** Listing page size: 100 unless given, at most 1000 (as OSS). */
function parseMaxKeys(value: string | undefined): number {
  const maxKeys = value === undefined ? 100 : Number(value);
  if (!Number.isInteger(maxKeys) || maxKeys < 0 || maxKeys > 1000) throw invalidArgument(`max-keys must be an integer 0-1000, got "${value}"`);
  return maxKeys;
}

function versionHeaders(v: ObjectVersion): Record<string, string> {
  const headers: Record<string, string> = { etag: quoteEtag(v.etag) };
  if (v.versionId !== 'null') headers['x-oss-version-id'] = v.versionId;
  return headers;
}

function parseTaggingHeader(value: string | undefined): { key: string; value: string }[] {
  if (!value) return [];
  return value.split('&').filter(Boolean).map((pair) => {
    const [k, v = ''] = pair.split('=');
    return { key: decodeURIComponent(k), value: decodeURIComponent(v) };
  });
}

