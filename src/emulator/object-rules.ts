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

/** The ETag of a completed multipart upload: the MD5 of the parts' binary MD5s, then `-<part count>`. */
export function multipartEtag(partEtags: readonly string[]): string {
  return `${md5Hex(Buffer.concat(partEtags.map((e) => Buffer.from(e, 'hex'))))}-${partEtags.length}`;
}

export interface ListPage<V> {
  contents: [string, V][];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last key consumed: the next page starts after it. */
  last: string;
}

/**
 * One ListObjectsV2 page over live objects in key order (the same rule for the OSS and the S3
 * API): keys under a delimiter collapse into a common prefix, and a key under a prefix already on
 * this page is consumed without an entry so the next page does not repeat the prefix.
 * `maxKeys` 0 is an empty page that is not truncated.
 */
export function listPage<V>(objects: Iterable<[string, V]>, prefix: string, delimiter: string, maxKeys: number): ListPage<V> {
  const contents: [string, V][] = [];
  const prefixes = new Set<string>();
  let last = '';
  let truncated = false;
  for (const [key, latest] of objects) {
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const common = cut >= 0 ? key.slice(0, cut + delimiter.length) : undefined;
    if (common !== undefined && prefixes.has(common)) { last = key; continue; }
    if (contents.length + prefixes.size >= maxKeys) { truncated = maxKeys > 0; break; }
    if (common !== undefined) prefixes.add(common);
    else contents.push([key, latest]);
    last = key;
  }
  return { contents, commonPrefixes: [...prefixes], truncated, last };
}
