/**
 * One task = the job's operation applied to one manifest entry. Returns a report row; never
 * throws for a per-object problem (that is a failed task, not a failed job).
 */
import type { ManifestEntry, ReportRow } from '../../oss/csv';
import { EmulatorError } from '../errors';
import { ARCHIVE_CLASSES, MAX_KEY_BYTES, MAX_OBJECT_BYTES, MAX_TAGS_PER_OBJECT, restoreDaysRange, restoreState } from '../object-rules';
import type { ObjectVersion, Store, VersionPatch } from '../store';
import type { CopyObjectOperation, EngineOperation } from './job-record';

export interface TaskOutcome {
  row: ReportRow;
  /** Body bytes the task wrote (copies): the engine ends a batch early after many. */
  bytesWritten: number;
}

export function runTask(store: Store, op: EngineOperation, entry: ManifestEntry, now: Date): TaskOutcome {
  const row = { bucket: entry.bucket, key: entry.key, versionId: entry.versionId };
  try {
    const version = store.version(entry.bucket, entry.key, entry.versionId);
    let patch: VersionPatch;
    switch (op.type) {
      case 'CopyObject':
        return { row: { ...row, taskStatus: 'succeeded', httpStatus: 200 }, bytesWritten: copyObject(store, op, entry, version, now) };
      case 'PutObjectTagging':
        patch = { tags: op.tags };
        break;
      case 'AddObjectTagging': {
        const merged = new Map(version.tags.map((t) => [t.key, t.value]));
        for (const t of op.tags) merged.set(t.key, t.value);
        if (merged.size > MAX_TAGS_PER_OBJECT) {
          throw new EmulatorError('InvalidTag', `the object would have ${merged.size} tags; at most ${MAX_TAGS_PER_OBJECT} are allowed`, 400);
        }
        patch = { tags: [...merged.entries()].map(([key, value]) => ({ key, value })) };
        break;
      }
      case 'DeleteObjectTagging':
        patch = { tags: [] };
        break;
      case 'PutObjectAcl':
        patch = { acl: op.acl };
        break;
      case 'RestoreObject': {
        if (!ARCHIVE_CLASSES.includes(version.storageClass)) {
          throw new EmulatorError('OperationNotSupported', `the object's storage class is ${version.storageClass}; only Archive, ColdArchive and DeepColdArchive objects can be restored`, 400);
        }
        const days = op.days ?? 1;
        const [min, max] = restoreDaysRange(version.storageClass);
        if (days < min || days > max) throw new EmulatorError('InvalidArgument', `restore days must be ${min}-${max} for ${version.storageClass} objects, got ${days}`, 400);
        patch = { restoreRequestedAt: now.toISOString(), restoreExpiry: new Date(now.getTime() + days * 86_400_000).toISOString() };
        break;
      }
    }
    store.updateVersion(entry.bucket, entry.key, entry.versionId, patch);
    return { row: { ...row, taskStatus: 'succeeded', httpStatus: 200 }, bytesWritten: 0 };
  } catch (err) {
    if (!(err instanceof EmulatorError)) throw err;
    return { row: { ...row, taskStatus: 'failed', errorCode: err.code, httpStatus: err.status, message: err.message }, bytesWritten: 0 };
  }
}

/**
 * S3PutObjectCopy of one object: the body, content type and tags (or NewObjectTagging) of the
 * source version go to `<prefix><key>` in the target bucket with the job's storage class and ACL.
 * Errors carry S3's codes: only S3 jobs copy. Returns the bytes written.
 */
function copyObject(store: Store, op: CopyObjectOperation, entry: ManifestEntry, source: Readonly<ObjectVersion>, now: Date): number {
  // Everything that can fail is checked before the body is copied: no body file is left unreferenced.
  if (!store.hasBucket(op.targetBucket)) throw new EmulatorError('NoSuchBucket', `The specified bucket does not exist: ${op.targetBucket}`, 404);
  if (ARCHIVE_CLASSES.includes(source.storageClass) && restoreState(source, now) !== 'restored') {
    throw new EmulatorError('InvalidObjectState', 'The operation is not valid for the source object\'s storage class', 403);
  }
  // S3 copies at most 5 GiB in one CopyObject, which is what a batch copy does per object.
  if (source.size > MAX_OBJECT_BYTES) {
    throw new EmulatorError('InvalidRequest', `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_OBJECT_BYTES}`, 400);
  }
  const targetKey = `${op.targetKeyPrefix}${entry.key}`;
  if (Buffer.byteLength(targetKey) > MAX_KEY_BYTES) throw new EmulatorError('KeyTooLongError', 'Your key is too long', 400);
  if (op.targetBucket === entry.bucket && targetKey === entry.key && entry.versionId === undefined && op.storageClass === undefined) {
    throw new EmulatorError('InvalidRequest', 'This copy request is illegal because it is trying to copy an object to itself without changing the object\'s metadata, storage class, website redirect location or encryption attributes.', 400);
  }
  const body = store.blobs.copy(source.blob);
  store.putObject(op.targetBucket, targetKey, {
    etag: body.md5, size: body.size, crc64: body.crc64, blob: body.blob, storageClass: op.storageClass ?? 'Standard', acl: op.acl,
    contentType: source.contentType, lastModified: now.toISOString(), tags: op.tags ?? source.tags,
  });
  return body.size;
}
