/**
 * Object rules shared by the object APIs and the job engine: limits, archive classes and the
 * restore clock. Pure: the store applies them, the APIs and tasks only ask.
 */
import { createHash } from 'node:crypto';

export const MAX_TAGS_PER_OBJECT = 10;
/** OSS object names are 1–1,023 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1023;
/** PutObject / UploadPart body limit (OSS: 5 GiB). */
export const MAX_OBJECT_BYTES = 5 * 1024 ** 3;
/** Bodies of the XML APIs (CreateJob, tagging, multipart complete…): small, read whole. */
export const MAX_XML_BODY_BYTES = 1024 * 1024;
export const ARCHIVE_CLASSES = ['Archive', 'ColdArchive', 'DeepColdArchive'];
/** Restores complete after this long on the emulator's clock (the real service takes minutes to hours). */
export const RESTORE_DURATION_MS = 1000;

/** Restore days allowed per storage class (CreateJob doc: Archive 1–7, Cold/DeepCold 1–365). */
export function restoreDaysRange(storageClass: string): [number, number] {
  return storageClass === 'Archive' ? [1, 7] : [1, 365];
}

export interface RestoreFields {
  storageClass: string;
  restoreRequestedAt?: string;
  restoreExpiry?: string;
}

export function restoreState(v: RestoreFields, now: Date): 'none' | 'ongoing' | 'restored' {
  if (!v.restoreRequestedAt) return 'none';
  const t = now.getTime();
  if (t > Date.parse(v.restoreExpiry!)) return 'none';
  return t - Date.parse(v.restoreRequestedAt) < RESTORE_DURATION_MS ? 'ongoing' : 'restored';
}

export function md5Hex(data: Buffer): string {
  return createHash('md5').update(data).digest('hex').toUpperCase();
}
