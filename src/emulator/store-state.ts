/**
 * The store's state in memory: buckets with their key → versions maps and sorted-key index,
 * uploads, jobs; and how it is rebuilt from journal records (replay), written as records
 * (snapshot), and read from an older emulator's state.json. The Store (store.ts) is the only user.
 */
import { readFileSync } from 'node:fs';
import type { JobRecord } from './engine/job-record';
import { JournalRecord, StoreCorruptError } from './journal';

export interface Tag { key: string; value: string }

export interface ObjectVersion {
  versionId: string;
  /** Null version for unversioned buckets. */
  isDeleteMarker: boolean;
  etag: string;
  size: number;
  storageClass: string;
  acl: string;
  contentType: string;
  lastModified: string;
  tags: Tag[];
  blob?: string;
  /** CRC-64/ECMA of the body (decimal); absent for objects stored before it was kept. */
  crc64?: string;
  /** Set by a restore request: ongoing until `restoreReadyAt`, then readable until `restoreExpiry`. */
  restoreRequestedAt?: string;
  restoreExpiry?: string;
}

export type NewObject = Omit<ObjectVersion, 'versionId' | 'isDeleteMarker'>;
export type VersionPatch = Partial<Pick<ObjectVersion, 'tags' | 'acl' | 'restoreRequestedAt' | 'restoreExpiry'>>;

export interface BucketInfo {
  name: string;
  created: string;
  storageClass: string;
  versioning: 'Off' | 'Enabled' | 'Suspended';
}

export interface BucketState extends BucketInfo {
  /** key → versions, newest last. */
  objects: Map<string, ObjectVersion[]>;
  /** Sorted keys, built on the first listing and kept up to date after that. */
  sortedKeys?: string[];
}

export interface UploadRecord {
  uploadId: string;
  bucket: string;
  key: string;
  options: { contentType: string; storageClass: string; acl: string; tags: Tag[] };
  parts: Record<number, { etag: string; blob?: string; size: number }>;
}

/** state.json of emulators before the journal: read once and folded into a snapshot. */
interface LegacyState {
  buckets: (BucketInfo & { objects: [string, ObjectVersion[]][] })[];
  uploads: UploadRecord[];
  jobs: JobRecord[];
}

export class StoreState {
  readonly buckets = new Map<string, BucketState>();
  readonly uploads = new Map<string, UploadRecord>();
  readonly jobs = new Map<string, JobRecord>();

  clear(): void {
    this.buckets.clear();
    this.uploads.clear();
    this.jobs.clear();
  }

  /** Set (or, with no versions, remove) a key, keeping the sorted index when it was built. */
  setVersions(bucket: BucketState, key: string, versions: ObjectVersion[]): void {
    const had = bucket.objects.has(key);
    if (versions.length) bucket.objects.set(key, versions);
    else bucket.objects.delete(key);
    const keys = bucket.sortedKeys;
    if (!keys || had === versions.length > 0) return;
    const at = lowerBound(keys, key);
    if (versions.length) keys.splice(at, 0, key);
    else if (keys[at] === key) keys.splice(at, 1);
  }

  sortedKeys(bucket: BucketState): string[] {
    bucket.sortedKeys ??= [...bucket.objects.keys()].sort();
    return bucket.sortedKeys;
  }

  /** Replay one journal or snapshot record (`source` names the file for errors). */
  apply(record: JournalRecord, source: string): void {
    switch (record.t) {
      case 'b': {
        const info = record as unknown as BucketInfo;
        const existing = this.buckets.get(info.name);
        this.buckets.set(info.name, { name: info.name, created: info.created, storageClass: info.storageClass, versioning: info.versioning, objects: existing?.objects ?? new Map() });
        break;
      }
      case 'o': {
        const bucket = this.buckets.get(record.b as string);
        if (bucket) this.setVersions(bucket, record.k as string, record.v as ObjectVersion[]);
        break;
      }
      case 'u': {
        const upload = record.u as UploadRecord;
        this.uploads.set(upload.uploadId, upload);
        break;
      }
      case 'U':
        this.uploads.delete(record.id as string);
        break;
      case 'j': {
        const job = record.j as JobRecord;
        this.jobs.set(job.jobId, job);
        break;
      }
      case 'reset':
        this.clear();
        break;
      default:
        throw new StoreCorruptError(source, `unknown record type "${record.t}"`);
    }
  }

  /** The whole state as records (a snapshot). */
  *records(): Generator<JournalRecord> {
    for (const bucket of this.buckets.values()) {
      const { name, created, storageClass, versioning } = bucket;
      yield { t: 'b', name, created, storageClass, versioning };
      for (const [k, v] of bucket.objects) yield { t: 'o', b: name, k, v };
    }
    for (const u of this.uploads.values()) yield { t: 'u', u };
    for (const j of this.jobs.values()) yield { t: 'j', j };
  }

  referencedBlobs(): Set<string> {
    const referenced = new Set<string>();
    for (const bucket of this.buckets.values()) {
      for (const versions of bucket.objects.values()) for (const v of versions) if (v.blob) referenced.add(v.blob);
    }
    for (const u of this.uploads.values()) for (const p of Object.values(u.parts)) if (p.blob) referenced.add(p.blob);
    return referenced;
  }

  /** Load an older emulator's state.json. */
  loadLegacy(path: string): void {
    let state: LegacyState;
    try {
      state = JSON.parse(readFileSync(path, 'utf8')) as LegacyState;
    } catch (err) {
      throw new StoreCorruptError(path, (err as Error).message);
    }
    for (const b of state.buckets ?? []) this.buckets.set(b.name, { name: b.name, created: b.created, storageClass: b.storageClass, versioning: b.versioning, objects: new Map(b.objects) });
    for (const u of state.uploads ?? []) this.uploads.set(u.uploadId, u);
    for (const j of state.jobs ?? []) this.jobs.set(j.jobId, j);
  }
}

/** First index whose key is ≥ `key`. */
export function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
