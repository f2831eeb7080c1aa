/**
 * One task = the job's operation applied to one manifest entry. Returns a report row; never
 * throws for a per-object problem (that is a failed task, not a failed job).
 */
import type { ManifestEntry, ReportRow } from '../../oss/csv';
import type { JobOperation } from '../../oss/model';
import { EmulatorError } from '../errors';
import { ARCHIVE_CLASSES, MAX_TAGS_PER_OBJECT, restoreDaysRange } from '../object-rules';
import type { Store, VersionPatch } from '../store';

export function runTask(store: Store, op: JobOperation, entry: ManifestEntry, now: Date): ReportRow {
  const row = { bucket: entry.bucket, key: entry.key, versionId: entry.versionId };
  try {
    const version = store.version(entry.bucket, entry.key, entry.versionId);
    let patch: VersionPatch;
    switch (op.type) {
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
    return { ...row, taskStatus: 'succeeded', httpStatus: 200 };
  } catch (err) {
    if (!(err instanceof EmulatorError)) throw err;
    return { ...row, taskStatus: 'failed', errorCode: err.code, httpStatus: err.status, message: err.message };
  }
}
