/**
 * The S3 object API on the emulator's store: the same buckets, objects, tags, ACLs, restores and
 * uploads the OSS API sees (an object put over S3 is read over OSS and the other way round), with
 * S3's names on the wire (storage classes, canned ACLs, `x-amz-*` headers, lowercase ETags).
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { compact } from '../../oss/xml/common';
import { quoteEtag } from '../../oss/xml/objects';
import type { BlobInfo } from '../blobs';
import { completeUpload, findUpload, MultipartProblem, storePart, withMultipartErrors } from '../multipart';
import { ARCHIVE_CLASSES, listPage, MAX_OBJECT_BYTES, MAX_TAGS_PER_OBJECT, restoreState } from '../object-rules';
import { parseRange } from '../object-controller';
import type { ApiResponse } from '../request';
import { VERSION_ID } from '../store';
import type { NewObject, ObjectVersion, Store, Tag } from '../store';
import { notImplemented, s3Error } from './errors';
import { decodeCompleteMultipartUpload, decodeCreateBucketConfiguration, decodeS3RestoreRequest, decodeS3VersioningConfiguration, decodeTagging, s3Xml } from './xml';

export interface S3Request {
  method: string;
  bucket: string;
  key: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** A document body, read whole (≤ 1 MiB) and already checked against the client's digests. */
  body: Buffer;
  /** Object data (PutObject, UploadPart), decoded and digested on the way to disk; `check` runs once it is read. */
  stream?: AsyncIterable<Buffer>;
  check?: () => void;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
/** S3 storage class → the store's (OSS) class; valid S3 classes missing here are answered NotImplemented (also by S3 Control). */
export const S3_CLASS_TO_STORE: Record<string, string> = { STANDARD: 'Standard', STANDARD_IA: 'IA', GLACIER: 'Archive', DEEP_ARCHIVE: 'ColdArchive' };
const FROM_STORE: Record<string, string> = { Standard: 'STANDARD', IA: 'STANDARD_IA', Archive: 'GLACIER', ColdArchive: 'DEEP_ARCHIVE', DeepColdArchive: 'DEEP_ARCHIVE' };
const OTHER_S3_CLASSES = ['REDUCED_REDUNDANCY', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'OUTPOSTS', 'SNOW', 'EXPRESS_ONEZONE'];
/** Canned ACLs the store can hold (the ones OSS shares); the other S3 canned ACLs are NotImplemented (also by S3 Control). */
export const STORE_CANNED_ACLS = ['private', 'public-read', 'public-read-write'];
const OTHER_CANNED_ACLS = ['authenticated-read', 'aws-exec-read', 'bucket-owner-read', 'bucket-owner-full-control', 'log-delivery-write'];

const s3Etag = (etag: string) => quoteEtag(etag.toLowerCase());
const emptyStream = () => Readable.from([]);

export class S3Controller {
  constructor(private readonly store: Store, private readonly clock: () => Date, private readonly regions: readonly string[]) {}

  // ---- buckets ------------------------------------------------------------------------

  createBucket(req: S3Request): ApiResponse {
    if (!BUCKET_NAME.test(req.bucket)) throw s3Error('InvalidBucketName', 'The specified bucket is not valid.');
    if (req.headers['x-amz-acl'] !== undefined || req.headers['x-amz-bucket-object-lock-enabled'] === 'true') throw notImplemented('Bucket ACLs and object lock');
    const location = req.body.length ? decodeCreateBucketConfiguration(req.body.toString('utf8')).locationConstraint : undefined;
    if (location !== undefined && !this.regions.includes(location)) {
      throw s3Error('InvalidLocationConstraint', `The specified location-constraint is not valid: this endpoint serves ${this.regions.join(' and ')}`);
    }
    if (!this.store.createBucket({ name: req.bucket, created: this.clock().toISOString(), storageClass: 'Standard', versioning: 'Off' })) {
      throw s3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.');
    }
    return { headers: { location: `/${req.bucket}` } };
  }

  headBucket(req: S3Request): ApiResponse {
    this.store.bucket(req.bucket);
    return { headers: { 'x-amz-bucket-region': this.regions[0] } };
  }

  listObjectsV2(req: S3Request): ApiResponse {
    const bucket = this.store.bucket(req.bucket);
    const { prefix = '', delimiter = '' } = req.query;
    const encodingType = checkEncodingType(req.query['encoding-type']);
    const maxKeys = parseMaxKeys(req.query['max-keys']);
    const token = req.query['continuation-token'];
    let after = req.query['start-after'] ?? '';
    if (token !== undefined) {
      after = Buffer.from(token, 'base64url').toString('utf8');
      if (!token || Buffer.from(after).toString('base64url') !== token) throw s3Error('InvalidArgument', 'The continuation token provided is incorrect');
    }
    const { contents, commonPrefixes, truncated, last } = listPage(this.store.liveObjects(req.bucket, prefix, after), prefix, delimiter, maxKeys);
    const enc = urlEncoder(encodingType);
    const optional = (s: string | undefined) => (s === undefined ? undefined : enc(s));
    return xml(s3Xml('ListBucketResult', compact({
      Name: bucket.name, Prefix: enc(prefix), Delimiter: delimiter ? enc(delimiter) : undefined, MaxKeys: maxKeys, EncodingType: encodingType,
      KeyCount: contents.length + commonPrefixes.length, IsTruncated: truncated, ContinuationToken: token, StartAfter: optional(req.query['start-after']),
      NextContinuationToken: truncated ? Buffer.from(last).toString('base64url') : undefined,
      Contents: contents.map(([key, v]) => ({ Key: enc(key), LastModified: v.lastModified, ETag: s3Etag(v.etag), Size: v.size, StorageClass: s3Class(v.storageClass) })),
      CommonPrefixes: commonPrefixes.map((p) => ({ Prefix: enc(p) })),
    })));
  }

  putVersioning(req: S3Request): ApiResponse {
    this.store.bucket(req.bucket);
    const status = decodeS3VersioningConfiguration(req.body.toString('utf8'));
    if (status) this.store.setVersioning(req.bucket, status);
    return {};
  }

  getVersioning(req: S3Request): ApiResponse {
    const { versioning } = this.store.bucket(req.bucket);
    // A bucket that was never versioned has no Status at all.
    return xml(s3Xml('VersioningConfiguration', compact({ Status: versioning === 'Off' ? undefined : versioning })));
  }

  /**
   * ListObjectVersions: keys in order, each key's versions newest first, delete markers among them.
   * max-keys counts versions, delete markers and common prefixes, so a page may end inside a key;
   * the next page resumes after (key-marker, version-id-marker).
   */
  listObjectVersions(req: S3Request): ApiResponse {
    const bucket = this.store.bucket(req.bucket);
    const { prefix = '', delimiter = '' } = req.query;
    const encodingType = checkEncodingType(req.query['encoding-type']);
    const maxKeys = parseMaxKeys(req.query['max-keys']);
    const keyMarker = req.query['key-marker'] ?? '';
    const versionIdMarker = req.query['version-id-marker'];
    if (versionIdMarker !== undefined && !keyMarker) throw s3Error('InvalidArgument', 'A version-id marker cannot be specified without a key marker.');
    if (versionIdMarker !== undefined && !VERSION_ID.test(versionIdMarker)) throw s3Error('InvalidArgument', 'Invalid version id specified');
    const commonOf = (key: string) => {
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      return cut >= 0 ? key.slice(0, cut + delimiter.length) : undefined;
    };
    // A key-marker under a common prefix means that prefix was listed already: none of its keys come again.
    const listedPrefix = keyMarker.startsWith(prefix) ? commonOf(keyMarker) : undefined;
    const keys = this.store.keysFrom(req.bucket, prefix, keyMarker);
    // With a version-id marker the key-marker's own older versions come first.
    const resume = versionIdMarker !== undefined && keyMarker.startsWith(prefix) && listedPrefix === undefined ? this.store.versions(req.bucket, keyMarker) : [];
    const entries: { key: string; version: Readonly<ObjectVersion>; isLatest: boolean }[] = [];
    const prefixes: string[] = [];
    let next: { key: string; versionId?: string } | undefined;
    let last: { key: string; versionId?: string } = { key: keyMarker };
    const full = () => entries.length + prefixes.length >= maxKeys;
    outer: for (const [key, versions, skipTo] of withResume(keyMarker, resume, versionIdMarker, keys)) {
      const common = commonOf(key);
      if (common !== undefined) {
        if (common === listedPrefix || common === prefixes[prefixes.length - 1]) continue;
        if (full()) { next = last; break; }
        prefixes.push(common);
        last = { key: common };
        continue;
      }
      for (let i = versions.length - 1 - skipTo; i >= 0; i--) {
        if (full()) { next = last; break outer; }
        entries.push({ key, version: versions[i], isLatest: i === versions.length - 1 });
        last = { key, versionId: versions[i].versionId };
      }
    }
    const truncated = next !== undefined && maxKeys > 0;
    const enc = urlEncoder(encodingType);
    const entry = ({ key, version, isLatest }: (typeof entries)[number]) => ({ Key: enc(key), VersionId: version.versionId, IsLatest: isLatest, LastModified: version.lastModified });
    return xml(s3Xml('ListVersionsResult', compact({
      Name: bucket.name, Prefix: enc(prefix), KeyMarker: enc(keyMarker), VersionIdMarker: versionIdMarker ?? '',
      NextKeyMarker: truncated ? enc(next!.key) : undefined, NextVersionIdMarker: truncated ? next!.versionId : undefined,
      MaxKeys: maxKeys, Delimiter: delimiter ? enc(delimiter) : undefined, EncodingType: encodingType, IsTruncated: truncated,
      // Versions and delete markers are two lists here (S3 interleaves them in listing order; clients read them apart).
      Version: entries.filter((e) => !e.version.isDeleteMarker).map((e) => ({
        ...entry(e), ETag: s3Etag(e.version.etag), Size: e.version.size, StorageClass: s3Class(e.version.storageClass),
      })),
      DeleteMarker: entries.filter((e) => e.version.isDeleteMarker).map(entry),
      CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
    })));
  }

  // ---- objects --------------------------------------------------------------------------

  async putObject(req: S3Request): Promise<ApiResponse> {
    this.store.bucket(req.bucket);
    const options = uploadOptions(req.headers);
    const body = await this.receive(req);
    const version = this.store.putObject(req.bucket, req.key, this.newObject(options, body));
    return { headers: versionHeaders(version) };
  }

  async copyObject(req: S3Request): Promise<ApiResponse> {
    const source = parseCopySource(req.headers['x-amz-copy-source']);
    this.store.bucket(req.bucket);
    const from = this.store.version(source.bucket, source.key, source.versionId);
    if (ARCHIVE_CLASSES.includes(from.storageClass) && restoreState(from, this.clock()) !== 'restored') {
      throw s3Error('InvalidObjectState', 'Operation is not valid for the source object\'s storage class');
    }
    const metadata = directive(req.headers, 'x-amz-metadata-directive');
    const tagging = directive(req.headers, 'x-amz-tagging-directive');
    const sameObject = source.bucket === req.bucket && source.key === req.key && source.versionId === undefined;
    if (sameObject && metadata === 'COPY' && req.headers['x-amz-storage-class'] === undefined) {
      throw s3Error('InvalidRequest', 'This copy request is illegal because it is trying to copy an object to itself without changing the object\'s metadata, storage class, website redirect location or encryption attributes.');
    }
    const options = uploadOptions(req.headers);
    const body = await this.store.blobs.write(this.store.blobs.stream(from.blob), MAX_OBJECT_BYTES);
    const version = this.store.putObject(req.bucket, req.key, {
      ...options,
      contentType: metadata === 'COPY' ? from.contentType : options.contentType,
      tags: tagging === 'COPY' ? from.tags : options.tags,
      etag: body.md5, size: body.size, crc64: body.crc64, blob: body.blob, lastModified: this.clock().toISOString(),
    });
    const headers: Record<string, string> = { 'content-type': 'application/xml', ...versionHeaders(version) };
    delete headers.etag;
    if (from.versionId !== 'null') headers['x-amz-copy-source-version-id'] = from.versionId;
    return { headers, body: s3Xml('CopyObjectResult', { ETag: s3Etag(version.etag), LastModified: version.lastModified }) };
  }

  getObject(req: S3Request, head: boolean): ApiResponse {
    const version = this.store.version(req.bucket, req.key, req.query.versionId);
    const now = this.clock();
    const restore = restoreState(version, now);
    if (!head && ARCHIVE_CLASSES.includes(version.storageClass) && restore !== 'restored') {
      throw s3Error('InvalidObjectState', 'The operation is not valid for the object\'s storage class');
    }
    const headers: Record<string, string> = {
      ...versionHeaders(version), 'content-type': version.contentType, 'last-modified': new Date(version.lastModified).toUTCString(),
      'content-length': String(version.size), 'accept-ranges': 'bytes',
    };
    const storageClass = s3Class(version.storageClass);
    if (storageClass !== 'STANDARD') headers['x-amz-storage-class'] = storageClass;
    if (version.tags.length) headers['x-amz-tagging-count'] = String(version.tags.length);
    if (restore === 'ongoing') headers['x-amz-restore'] = 'ongoing-request="true"';
    if (restore === 'restored') headers['x-amz-restore'] = `ongoing-request="false", expiry-date="${new Date(version.restoreExpiry!).toUTCString()}"`;
    const range = parseRange(req.headers.range, version.size);
    if (!range) return { headers, body: head ? emptyStream() : this.store.blobs.stream(version.blob) };
    headers['content-range'] = `bytes ${range.start}-${range.end}/${version.size}`;
    headers['content-length'] = String(range.end - range.start + 1);
    return { status: 206, headers, body: head ? emptyStream() : this.store.blobs.stream(version.blob, range) };
  }

  deleteObject(req: S3Request): ApiResponse {
    const bucket = this.store.bucket(req.bucket);
    if (req.query.versionId !== undefined) {
      this.store.deleteVersion(req.bucket, req.key, req.query.versionId);
      return { status: 204, headers: { 'x-amz-version-id': req.query.versionId } };
    }
    // Suspended versioning too leaves a delete marker (the `null` one) over the older versions.
    if (bucket.versioning !== 'Off') {
      const marker = this.store.putDeleteMarker(req.bucket, req.key, this.clock().toISOString());
      return { status: 204, headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker.versionId } };
    }
    this.store.deleteKey(req.bucket, req.key);
    return { status: 204 };
  }

  // ---- tagging, ACL, restore -------------------------------------------------------------

  getTagging(req: S3Request): ApiResponse {
    const version = this.store.version(req.bucket, req.key, req.query.versionId);
    return { ...xml(s3Xml('Tagging', { TagSet: { Tag: version.tags.map((t) => ({ Key: t.key, Value: t.value })) } })), headers: { 'content-type': 'application/xml', ...idHeader(version) } };
  }

  putTagging(req: S3Request): ApiResponse {
    this.store.version(req.bucket, req.key, req.query.versionId);
    const tags = checkTags(decodeTagging(req.body.toString('utf8')));
    return { headers: idHeader(this.store.updateVersion(req.bucket, req.key, req.query.versionId, { tags })) };
  }

  deleteTagging(req: S3Request): ApiResponse {
    return { status: 204, headers: idHeader(this.store.updateVersion(req.bucket, req.key, req.query.versionId, { tags: [] })) };
  }

  putAcl(req: S3Request): ApiResponse {
    if (req.body.length || Object.keys(req.headers).some((h) => h.startsWith('x-amz-grant-'))) throw notImplemented('PutObjectAcl with an AccessControlPolicy body or x-amz-grant-* headers');
    const acl = req.headers['x-amz-acl'];
    if (acl === undefined) throw s3Error('MissingSecurityHeader', 'Your request was missing a required header: x-amz-acl');
    const version = this.store.version(req.bucket, req.key, req.query.versionId);
    this.store.updateVersion(req.bucket, req.key, req.query.versionId, { acl: cannedAcl(acl) });
    return { headers: idHeader(version) };
  }

  restore(req: S3Request): ApiResponse {
    const version = this.store.version(req.bucket, req.key, req.query.versionId);
    const { days } = decodeS3RestoreRequest(req.body.toString('utf8'));
    if (!ARCHIVE_CLASSES.includes(version.storageClass)) throw s3Error('InvalidObjectState', 'Restore is not allowed for the object\'s current storage class');
    const now = this.clock();
    const state = restoreState(version, now);
    if (state === 'ongoing') throw s3Error('RestoreAlreadyInProgress', 'Object restore is already in progress');
    const expiry = new Date(now.getTime() + days * 86_400_000).toISOString();
    // A restored copy only gets a new expiry (200); otherwise the restore starts (202).
    if (state === 'restored') {
      this.store.updateVersion(req.bucket, req.key, req.query.versionId, { restoreExpiry: expiry });
      return { status: 200 };
    }
    this.store.updateVersion(req.bucket, req.key, req.query.versionId, { restoreRequestedAt: now.toISOString(), restoreExpiry: expiry });
    return { status: 202 };
  }

  // ---- multipart ----------------------------------------------------------------------------

  createUpload(req: S3Request): ApiResponse {
    this.store.bucket(req.bucket);
    const uploadId = randomBytes(16).toString('hex');
    this.store.createUpload({ uploadId, bucket: req.bucket, key: req.key, parts: {}, options: uploadOptions(req.headers) });
    return xml(s3Xml('InitiateMultipartUploadResult', { Bucket: req.bucket, Key: req.key, UploadId: uploadId }));
  }

  async uploadPart(req: S3Request): Promise<ApiResponse> {
    const upload = s3Multipart(() => findUpload(this.store, req.query.uploadId, req.bucket, req.key));
    const partNumber = Number(req.query.partNumber);
    if (!/^\d{1,5}$/.test(req.query.partNumber) || partNumber < 1 || partNumber > 10000) throw s3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive');
    const body = await this.receive(req);
    s3Multipart(() => storePart(this.store, upload.uploadId, partNumber, body));
    return { headers: { etag: s3Etag(body.md5) } };
  }

  async completeUpload(req: S3Request): Promise<ApiResponse> {
    const upload = s3Multipart(() => findUpload(this.store, req.query.uploadId, req.bucket, req.key));
    const parts = decodeCompleteMultipartUpload(req.body.toString('utf8'));
    if (!parts.length) throw s3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
    const { version, etag } = await s3Multipart(() => completeUpload(this.store, upload, parts, this.clock().toISOString()));
    const headers: Record<string, string> = { 'content-type': 'application/xml', ...versionHeaders(version) };
    delete headers.etag;
    return { headers, body: s3Xml('CompleteMultipartUploadResult', { Location: `/${req.bucket}/${req.key}`, Bucket: req.bucket, Key: req.key, ETag: s3Etag(etag) }) };
  }

  abortUpload(req: S3Request): ApiResponse {
    this.store.removeUpload(s3Multipart(() => findUpload(this.store, req.query.uploadId, req.bucket, req.key)).uploadId);
    return { status: 204 };
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** Stream the body to a new blob; the digest checks run once it is read, and nothing stays behind on failure. */
  private async receive(req: S3Request): Promise<BlobInfo> {
    const info = await this.store.blobs.write(req.stream ?? [req.body], MAX_OBJECT_BYTES);
    try {
      req.check?.();
    } catch (err) {
      this.store.blobs.delete(info.blob);
      throw err;
    }
    return info;
  }

  private newObject(options: UploadOptions, body: BlobInfo): NewObject {
    return { ...options, etag: body.md5, size: body.size, crc64: body.crc64, blob: body.blob, lastModified: this.clock().toISOString() };
  }
}

type UploadOptions = Pick<NewObject, 'storageClass' | 'acl' | 'contentType' | 'tags'>;

/** Headers of PutObject, CopyObject and CreateMultipartUpload, checked before the body is read. */
function uploadOptions(headers: Record<string, string>): UploadOptions {
  const s3StorageClass = headers['x-amz-storage-class'] ?? 'STANDARD';
  const storageClass = S3_CLASS_TO_STORE[s3StorageClass];
  if (!storageClass) {
    if (OTHER_S3_CLASSES.includes(s3StorageClass)) throw notImplemented(`Storage class ${s3StorageClass}`);
    throw s3Error('InvalidStorageClass', 'The storage class you specified is not valid');
  }
  const acl = headers['x-amz-acl'] === undefined ? 'default' : cannedAcl(headers['x-amz-acl']);
  return { storageClass, acl, contentType: headers['content-type'] ?? 'binary/octet-stream', tags: checkTags(parseTaggingHeader(headers['x-amz-tagging'])) };
}

function cannedAcl(acl: string): string {
  if (STORE_CANNED_ACLS.includes(acl)) return acl;
  if (OTHER_CANNED_ACLS.includes(acl)) throw notImplemented(`The canned ACL ${acl}`);
  throw s3Error('InvalidArgument', `x-amz-acl must be a canned ACL, got "${acl}"`);
}

function s3Class(storeClass: string): string {
  return FROM_STORE[storeClass] ?? 'STANDARD';
}

function directive(headers: Record<string, string>, name: string): 'COPY' | 'REPLACE' {
  const value = headers[name] ?? 'COPY';
  if (value !== 'COPY' && value !== 'REPLACE') throw s3Error('InvalidArgument', `Unknown ${name} value: ${value}`);
  return value;
}

/** `x-amz-copy-source`: `[/]bucket/key[?versionId=id]`, the key URL-encoded. */
function parseCopySource(value: string | undefined): { bucket: string; key: string; versionId?: string } {
  const raw = (value ?? '').replace(/^\//, '');
  const [path, query = ''] = raw.split('?', 2);
  const slash = path.indexOf('/');
  let key = '';
  try {
    key = decodeURIComponent(path.slice(slash + 1));
  } catch {
    throw s3Error('InvalidArgument', 'Invalid copy source encoding');
  }
  const versionId = query ? new URLSearchParams(query).get('versionId') ?? undefined : undefined;
  if (slash <= 0 || !key || (query && versionId === undefined)) throw s3Error('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey');
  return { bucket: path.slice(0, slash), key, versionId };
}

function checkEncodingType(value: string | undefined): 'url' | undefined {
  if (value !== undefined && value !== 'url') throw s3Error('InvalidArgument', 'Invalid Encoding Method specified in Request');
  return value;
}

/** botocore asks for encoding-type=url (and decodes) so that keys with control characters survive XML. */
function urlEncoder(encodingType: 'url' | undefined): (s: string) => string {
  return (s) => (encodingType === 'url' ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
}

/**
 * The keys to list, each with its versions (oldest first) and how many of its newest versions
 * were listed already. The key-marker's own key comes first when the version-id marker is one of
 * its versions, with that version and the newer ones counted as listed; a marker version deleted
 * since cannot be placed (ids are random), so the rest of that key is skipped rather than repeated.
 */
function* withResume(
  keyMarker: string, resume: readonly Readonly<ObjectVersion>[], versionIdMarker: string | undefined,
  keys: Iterable<[string, readonly Readonly<ObjectVersion>[]]>,
): Generator<[string, readonly Readonly<ObjectVersion>[], number]> {
  const at = resume.findIndex((v) => v.versionId === versionIdMarker);
  if (at > 0) yield [keyMarker, resume, resume.length - at];
  for (const [key, versions] of keys) yield [key, versions, 0];
}

/** ListObjectsV2 page size: 1,000 unless given; larger values are capped at 1,000 (as S3 does). */
function parseMaxKeys(value: string | undefined): number {
  if (value === undefined) return 1000;
  if (!/^\d{1,10}$/.test(value)) throw s3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range');
  return Math.min(Number(value), 1000);
}

function versionHeaders(v: Readonly<ObjectVersion>): Record<string, string> {
  return { etag: s3Etag(v.etag), ...idHeader(v) };
}

function idHeader(v: Readonly<ObjectVersion>): Record<string, string> {
  return v.versionId !== 'null' ? { 'x-amz-version-id': v.versionId } : {};
}

/** S3 object tag rules: at most 10, keys 1-128 characters, values at most 256, keys unique. */
function checkTags(tags: Tag[]): Tag[] {
  if (tags.length > MAX_TAGS_PER_OBJECT) throw s3Error('InvalidTag', 'Object tags cannot be greater than 10');
  for (const tag of tags) {
    if (tag.key.length < 1 || tag.key.length > 128) throw s3Error('InvalidTag', 'The TagKey you have provided is invalid');
    if (tag.value.length > 256) throw s3Error('InvalidTag', 'The TagValue you have provided is invalid');
  }
  if (new Set(tags.map((t) => t.key)).size !== tags.length) throw s3Error('InvalidTag', 'Cannot provide multiple Tags with the same key');
  return tags;
}

function parseTaggingHeader(value: string | undefined): Tag[] {
  if (!value) return [];
  try {
    return [...new URLSearchParams(value)].map(([key, v]) => ({ key, value: v }));
  } catch {
    throw s3Error('InvalidArgument', 'x-amz-tagging is not valid URL encoding');
  }
}

const xml = (body: string): ApiResponse => ({ headers: { 'content-type': 'application/xml' }, body });

const S3_MULTIPART_MESSAGES: Record<MultipartProblem, string> = {
  NoSuchUpload: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  InvalidPartOrder: 'The list of parts was not in ascending order. Parts must be ordered by part number.',
  InvalidPart: 'One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.',
};

/** The shared multipart rules with S3's error codes and texts. */
const s3Multipart = <T>(step: () => T): T => withMultipartErrors(step, (err) => s3Error(err.problem, S3_MULTIPART_MESSAGES[err.problem]));
