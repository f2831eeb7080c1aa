/** Object-API documents the library, the handler and the emulator need (encode + decode). */
import {
  CompletedPart, DeleteMarkerSummary, ListObjectsV2Result, ListObjectVersionsResult, ObjectSummary, ObjectVersionSummary, Tag,
} from '../model';
import { decodeTagSet, encodeTagSet } from './batch';
import {
  buildXml, children, compact, optInt, optNode, optString, parseXml, reqBool, reqInt, reqNode, reqString, XmlDecodeError, XmlNode,
} from './common';

/** OSS quotes ETags in XML and headers; the model keeps them bare. */
export const quoteEtag = (etag: string) => `"${etag}"`;
export const unquoteEtag = (etag: string) => etag.replace(/^"|"$/g, '');

function decodeSummary(node: XmlNode, path: string): ObjectSummary {
  return {
    key: reqString(node, 'Key', path),
    size: optInt(node, 'Size', path) ?? 0,
    etag: unquoteEtag(optString(node, 'ETag', path) ?? ''),
    lastModified: optString(node, 'LastModified', path) ?? '',
    storageClass: optString(node, 'StorageClass', path) ?? 'Standard',
  };
}

function encodeSummary(o: ObjectSummary): XmlNode {
  return { Key: o.key, LastModified: o.lastModified, ETag: quoteEtag(o.etag), Type: 'Normal', Size: o.size, StorageClass: o.storageClass };
}

// ---- ListObjectsV2 ------------------------------------------------------------------

export function encodeListObjectsV2Result(r: ListObjectsV2Result & { continuationToken?: string; startAfter?: string }): string {
  return buildXml('ListBucketResult', compact({
    Name: r.name,
    Prefix: r.prefix ?? '',
    ContinuationToken: r.continuationToken,
    StartAfter: r.startAfter,
    MaxKeys: r.maxKeys,
    Delimiter: r.delimiter,
    IsTruncated: r.isTruncated,
    NextContinuationToken: r.nextContinuationToken,
    KeyCount: r.keyCount,
    Contents: r.contents.length ? r.contents.map(encodeSummary) : undefined,
    CommonPrefixes: r.commonPrefixes.length ? r.commonPrefixes.map((p) => ({ Prefix: p })) : undefined,
  }));
}

export function decodeListObjectsV2Result(xml: string): ListObjectsV2Result {
  const p = 'ListBucketResult';
  const root = parseXml(xml, p, ['Contents', 'CommonPrefixes']);
  const contents = children(root, 'Contents', p).map((c) => decodeSummary(c, `${p}/Contents`));
  return compact({
    name: reqString(root, 'Name', p),
    prefix: optString(root, 'Prefix', p) || undefined,
    delimiter: optString(root, 'Delimiter', p) || undefined,
    maxKeys: optInt(root, 'MaxKeys', p) ?? 0,
    keyCount: optInt(root, 'KeyCount', p) ?? contents.length,
    isTruncated: reqBool(root, 'IsTruncated', p),
    nextContinuationToken: optString(root, 'NextContinuationToken', p) || undefined,
    contents,
    commonPrefixes: children(root, 'CommonPrefixes', p).map((c) => reqString(c, 'Prefix', `${p}/CommonPrefixes`)),
  }) as unknown as ListObjectsV2Result;
}

// ---- ListObjectVersions ----------------------------------------------------------------

export function encodeListObjectVersionsResult(r: ListObjectVersionsResult & { keyMarker?: string; versionIdMarker?: string }): string {
  return buildXml('ListVersionsResult', compact({
    Name: r.name,
    Prefix: r.prefix ?? '',
    KeyMarker: r.keyMarker ?? '',
    VersionIdMarker: r.versionIdMarker ?? '',
    MaxKeys: r.maxKeys,
    IsTruncated: r.isTruncated,
    NextKeyMarker: r.nextKeyMarker,
    NextVersionIdMarker: r.nextVersionIdMarker,
    Version: r.versions.length ? r.versions.map((v) => ({ ...encodeSummary(v), VersionId: v.versionId, IsLatest: v.isLatest })) : undefined,
    DeleteMarker: r.deleteMarkers.length
      ? r.deleteMarkers.map((d) => ({ Key: d.key, VersionId: d.versionId, IsLatest: d.isLatest, LastModified: d.lastModified }))
      : undefined,
  }));
}

export function decodeListObjectVersionsResult(xml: string): ListObjectVersionsResult {
  const p = 'ListVersionsResult';
  const root = parseXml(xml, p, ['Version', 'DeleteMarker']);
  const versions: ObjectVersionSummary[] = children(root, 'Version', p).map((v) => ({
    ...decodeSummary(v, `${p}/Version`),
    versionId: reqString(v, 'VersionId', `${p}/Version`),
    isLatest: reqBool(v, 'IsLatest', `${p}/Version`),
  }));
  const deleteMarkers: DeleteMarkerSummary[] = children(root, 'DeleteMarker', p).map((d) => ({
    key: reqString(d, 'Key', `${p}/DeleteMarker`),
    versionId: reqString(d, 'VersionId', `${p}/DeleteMarker`),
    isLatest: reqBool(d, 'IsLatest', `${p}/DeleteMarker`),
    lastModified: optString(d, 'LastModified', `${p}/DeleteMarker`) ?? '',
  }));
  return compact({
    name: reqString(root, 'Name', p),
    prefix: optString(root, 'Prefix', p) || undefined,
    maxKeys: optInt(root, 'MaxKeys', p) ?? 0,
    isTruncated: reqBool(root, 'IsTruncated', p),
    nextKeyMarker: optString(root, 'NextKeyMarker', p) || undefined,
    nextVersionIdMarker: optString(root, 'NextVersionIdMarker', p) || undefined,
    versions,
    deleteMarkers,
  }) as unknown as ListObjectVersionsResult;
}

// ---- tagging, ACL, restore --------------------------------------------------------------

export function encodeTagging(tags: Tag[]): string {
  return buildXml('Tagging', { TagSet: tags.length ? encodeTagSet(tags) : '' });
}

export function decodeTagging(xml: string): Tag[] {
  const root = parseXml(xml, 'Tagging', ['Tag']);
  return decodeTagSet(optNode(root, 'TagSet', 'Tagging'), 'Tagging/TagSet');
}

export function encodeAccessControlPolicy(acl: string, ownerId = 'owner'): string {
  return buildXml('AccessControlPolicy', { Owner: { ID: ownerId, DisplayName: ownerId }, AccessControlList: { Grant: acl } });
}

export function decodeAccessControlPolicy(xml: string): string {
  const root = parseXml(xml, 'AccessControlPolicy');
  return reqString(reqNode(root, 'AccessControlList', 'AccessControlPolicy'), 'Grant', 'AccessControlPolicy/AccessControlList');
}

export interface RestoreRequest {
  days?: number;
  tier?: string;
}

export function encodeRestoreRequest(r: RestoreRequest): string {
  return buildXml('RestoreRequest', compact({ Days: r.days, JobParameters: r.tier ? { Tier: r.tier } : undefined }));
}

export function decodeRestoreRequest(xml: string): RestoreRequest {
  const root = parseXml(xml, 'RestoreRequest');
  const job = optNode(root, 'JobParameters', 'RestoreRequest');
  return compact({ days: optInt(root, 'Days', 'RestoreRequest'), tier: job ? optString(job, 'Tier', 'RestoreRequest/JobParameters') : undefined }) as RestoreRequest;
}

// ---- multipart ------------------------------------------------------------------

export function encodeInitiateMultipartUploadResult(bucket: string, key: string, uploadId: string): string {
  return buildXml('InitiateMultipartUploadResult', { Bucket: bucket, Key: key, UploadId: uploadId });
}

export function decodeInitiateMultipartUploadResult(xml: string): { uploadId: string } {
  return { uploadId: reqString(parseXml(xml, 'InitiateMultipartUploadResult'), 'UploadId', 'InitiateMultipartUploadResult') };
}

export function encodeCompleteMultipartUpload(parts: CompletedPart[]): string {
  return buildXml('CompleteMultipartUpload', { Part: parts.map((p) => ({ PartNumber: p.partNumber, ETag: quoteEtag(p.etag) })) });
}

export function decodeCompleteMultipartUpload(xml: string): CompletedPart[] {
  const root = parseXml(xml, 'CompleteMultipartUpload', ['Part']);
  return children(root, 'Part', 'CompleteMultipartUpload').map((part) => ({
    partNumber: reqInt(part, 'PartNumber', 'CompleteMultipartUpload/Part'),
    etag: unquoteEtag(reqString(part, 'ETag', 'CompleteMultipartUpload/Part')),
  }));
}

export function encodeCompleteMultipartUploadResult(location: string, bucket: string, key: string, etag: string): string {
  return buildXml('CompleteMultipartUploadResult', { Location: location, Bucket: bucket, Key: key, ETag: quoteEtag(etag) });
}

export function decodeCompleteMultipartUploadResult(xml: string): { etag: string } {
  return { etag: unquoteEtag(reqString(parseXml(xml, 'CompleteMultipartUploadResult'), 'ETag', 'CompleteMultipartUploadResult')) };
}

// ---- bucket configuration ---------------------------------------------------------

export function encodeVersioningConfiguration(enabled: boolean): string {
  return buildXml('VersioningConfiguration', { Status: enabled ? 'Enabled' : 'Suspended' });
}

export function decodeVersioningConfiguration(xml: string): 'Enabled' | 'Suspended' | undefined {
  const status = optString(parseXml(xml, 'VersioningConfiguration'), 'Status', 'VersioningConfiguration');
  if (status === undefined || status === '') return undefined;
  if (status !== 'Enabled' && status !== 'Suspended') {
    throw new XmlDecodeError(`<VersioningConfiguration/Status> must be Enabled or Suspended, got "${status}"`);
  }
  return status;
}

export function encodeCreateBucketConfiguration(storageClass?: string): string {
  return buildXml('CreateBucketConfiguration', compact({ StorageClass: storageClass }));
}

export function decodeCreateBucketConfiguration(xml: string): { storageClass?: string } {
  if (!xml.trim()) return {};
  return compact({ storageClass: optString(parseXml(xml, 'CreateBucketConfiguration'), 'StorageClass', 'CreateBucketConfiguration') });
}

