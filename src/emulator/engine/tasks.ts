/**
 * One task = the job's operation applied to one manifest entry. Returns a report row; never
 * throws for a per-object problem (that is a failed task, not a failed job).
 */
import type { ManifestEntry, ReportRow } from '../../oss/csv';
import type { JobOperation } from '../../oss/model';
import { EmulatorError } from '../errors';
import type { Store } from '../store';

export const MAX_TAGS_PER_OBJECT = 10;
export const ARCHIVE_CLASSES = ['Archive', 'ColdArchive', 'DeepColdArchive'];

/** Restore days allowed per storage class (CreateJob doc: Archive 1–7, Cold/DeepCold 1–365). */
export function restoreDaysRange(storageClass: string): [number, number] {
  return storageClass === 'Archive' ? [1, 7] : [1, 365];
}

export function runTask(store: Store, op: JobOperation, entry: ManifestEntry, now: Date): ReportRow {
  const row = { bucket: entry.bucket, key: entry.key, versionId: entry.versionId };
  try {
    const version = store.version(entry.bucket, entry.key, entry.versionId);
    switch (op.type) {
      case 'PutObjectTagging':
        version.tags = op.tags.map((t) => ({ ...t }));
        break;
      case 'AddObjectTagging': {
        const merged = new Map(version.tags.map((t) => [t.key, t.value]));
        for (const t of op.tags) merged.set(t.key, t.value);
        if (merged.size > MAX_TAGS_PER_OBJECT) {
          throw new EmulatorError('InvalidTag', `the object would have ${merged.size} tags; at most ${MAX_TAGS_PER_OBJECT} are allowed`, 400);
        }
        version.tags = [...merged.entries()].map(([key, value]) => ({ key, value }));
        break;
      }
      case 'DeleteObjectTagging':
        version.tags = [];
        break;
      case 'PutObjectAcl':
        version.acl = op.acl;
        break;
      case 'RestoreObject': {
        if (!ARCHIVE_CLASSES.includes(version.storageClass)) {
          throw new EmulatorError('OperationNotSupported', `the object's storage class is ${version.storageClass}; only Archive, ColdArchive and DeepColdArchive objects can be restored`, 400);
        }
        const days = op.days ?? 1;
        const [min, max] = restoreDaysRange(version.storageClass);
        if (days < min || days > max) throw new EmulatorError('InvalidArgument', `restore days must be ${min}-${max} for ${version.storageClass} objects, got ${days}`, 400);
        version.restoreRequestedAt = now.toISOString();
        version.restoreExpiry = new Date(now.getTime() + days * 86_400_000).toISOString();
        break;
      }
    }
    store.markDirty();
    return { ...row, taskStatus: 'succeeded', httpStatus: 200 };
  } catch (err) {
    if (!(err instanceof EmulatorError)) throw err;
    return { ...row, taskStatus: 'failed', errorCode: err.code, httpStatus: err.status, message: err.message };
  }
}
