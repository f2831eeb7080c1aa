/**
 * The emulator's world: buckets, object versions, multipart uploads and jobs. State lives in
 * memory; every change goes through a method here, which appends the entity's new state to the
 * journal (journal.ts) and keeps the key index, so no caller touches the maps or remembers to
 * save. `durable()` resolves once the changes made so far are fsync'd: the server answers a
 * write only then. Body files (blobs.ts) replaced or deleted are removed once the change that
 * dropped them is durable.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isTerminalStatus } from '../oss/model';
import { Blobs } from './blobs';
import { lockDataDir } from './disk';
import type { JobRecord } from './engine/job-record';
import { EmulatorError, noSuchBucket, noSuchKey } from './errors';
import { JobFiles } from './job-files';
import { Journal, JournalRecord, SNAPSHOT_FILE, StoreCorruptError } from './journal';

export { atomicWrite } from './disk';
export { StoreCorruptError } from './journal';

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

interface BucketState extends BucketInfo {
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

export class Store {
  /** Task lists and report rows of live jobs (resume after a restart). */
  readonly jobFiles: JobFiles;
  readonly blobs: Blobs;
  private readonly buckets = new Map<string, BucketState>();
  private readonly uploads = new Map<string, UploadRecord>();
  private readonly jobRecords = new Map<string, JobRecord>();
  private readonly journal?: Journal;
  /** Body files to delete once the change that dropped them is durable. */
  private unreferenced: string[] = [];
  private releaseLock?: () => void;

  /** @param compactMinBytes journal size below which it is never compacted (tests set it small) */
  constructor(readonly dataDir: string, persist = true, compactMinBytes?: number) {
    mkdirSync(dataDir, { recursive: true });
    if (persist) this.releaseLock = lockDataDir(dataDir);
    try {
      this.jobFiles = new JobFiles(persist ? join(dataDir, 'jobs') : undefined);
      this.blobs = new Blobs(persist ? join(dataDir, 'blobs') : undefined);
      if (persist) {
        this.journal = new Journal(dataDir, {
          beforeSync: () => this.blobs.syncDirectory(),
          afterSync: () => this.afterSync(),
          snapshot: () => this.snapshot(),
        }, compactMinBytes);
        this.journal.load((record) => this.apply(record));
        this.migrateLegacyState();
        this.blobs.sweep(this.referencedBlobs());
        // A hard kill right after a job ended can leave its progress files behind.
        for (const job of this.jobRecords.values()) if (isTerminalStatus(job.status)) this.jobFiles.drop(job.jobId);
        this.jobFiles.flush();
      }
    } catch (err) {
      this.releaseLock?.();
      throw err;
    }
  }

  /** Resolves when every change made so far is on disk. */
  durable(): Promise<void> {
    return this.journal?.durable() ?? Promise.resolve();
  }

  close(): void {
    try {
      this.journal?.close();
      if (!this.journal) this.afterSync();
    } finally {
      this.releaseLock?.();
      this.releaseLock = undefined;
    }
  }

  /** Forget everything (tests); durable before the body files go. */
  reset(): void {
    this.buckets.clear();
    this.uploads.clear();
    this.jobRecords.clear();
    this.unreferenced = [];
    this.journal?.append({ t: 'reset' });
    this.journal?.flush();
    this.jobFiles.reset();
    this.blobs.reset();
  }

  // ---- buckets ----------------------------------------------------------------

  hasBucket(name: string): boolean {
    return this.buckets.has(name);
  }

  bucket(name: string): Readonly<BucketInfo> {
    return this.state(name);
  }

  /** Returns false when the bucket already exists (nothing changes then). */
  createBucket(info: BucketInfo): boolean {
    if (this.buckets.has(info.name)) return false;
    this.buckets.set(info.name, { ...info, objects: new Map() });
    this.logBucket(info);
    return true;
  }

  setVersioning(name: string, versioning: BucketInfo['versioning']): void {
    const bucket = this.state(name);
    bucket.versioning = versioning;
    this.logBucket(bucket);
  }

  // ---- objects ------------------------------------------------------------------

  /** The current (or a specific) version; a delete marker counts as missing. */
  version(bucketName: string, key: string, versionId?: string): Readonly<ObjectVersion> {
    return this.findVersion(bucketName, key, versionId);
  }

  versions(bucketName: string, key: string): readonly Readonly<ObjectVersion>[] {
    return this.state(bucketName).objects.get(key) ?? [];
  }

  /** Keys in order after `startAfter` that start with `prefix`, with every version (delete markers too). */
  *keysFrom(bucketName: string, prefix: string, startAfter = ''): Generator<[string, readonly Readonly<ObjectVersion>[]]> {
    const bucket = this.state(bucketName);
    const keys = this.sortedKeys(bucket);
    const from = startAfter > prefix ? startAfter : prefix;
    for (let i = lowerBound(keys, from); i < keys.length && keys[i].startsWith(prefix); i++) {
      if (keys[i] === startAfter) continue;
      const versions = bucket.objects.get(keys[i]);
      if (versions?.length) yield [keys[i], versions];
    }
  }

  /** Live objects (latest version not a delete marker) in key order. */
  *liveObjects(bucketName: string, prefix: string, startAfter = ''): Generator<[string, Readonly<ObjectVersion>]> {
    for (const [key, versions] of this.keysFrom(bucketName, prefix, startAfter)) {
      const latest = versions[versions.length - 1];
      if (!latest.isDeleteMarker) yield [key, latest];
    }
  }

  /** Add a version (versioned bucket) or replace the object; a replaced body is deleted once durable. */
  putObject(bucketName: string, key: string, object: NewObject, isDeleteMarker = false): Readonly<ObjectVersion> {
    const bucket = this.state(bucketName);
    const versioned = bucket.versioning === 'Enabled';
    const record: ObjectVersion = { ...object, tags: object.tags.map((t) => ({ ...t })), versionId: versioned ? newVersionId() : 'null', isDeleteMarker };
    const existing = bucket.objects.get(key) ?? [];
    const kept = versioned ? existing : existing.filter((v) => v.versionId !== 'null');
    for (const dropped of existing) if (!kept.includes(dropped)) this.release(dropped.blob);
    this.setVersions(bucket, key, [...kept, record]);
    return record;
  }

  putDeleteMarker(bucketName: string, key: string, lastModified: string): Readonly<ObjectVersion> {
    return this.putObject(bucketName, key, { etag: '', size: 0, storageClass: 'Standard', acl: 'default', contentType: '', lastModified, tags: [] }, true);
  }

  /** Remove a key with all its versions (unversioned delete). */
  deleteKey(bucketName: string, key: string): void {
    const bucket = this.state(bucketName);
    const versions = bucket.objects.get(key);
    if (!versions) return;
    for (const v of versions) this.release(v.blob);
    this.setVersions(bucket, key, []);
  }

  deleteVersion(bucketName: string, key: string, versionId: string): void {
    const bucket = this.state(bucketName);
    const versions = bucket.objects.get(key) ?? [];
    const gone = versions.filter((v) => v.versionId === versionId);
    if (!gone.length) return;
    for (const v of gone) this.release(v.blob);
    this.setVersions(bucket, key, versions.filter((v) => v.versionId !== versionId));
  }

  /** Change tags, ACL or restore fields of one version (the current one when versionId is undefined). */
  updateVersion(bucketName: string, key: string, versionId: string | undefined, patch: VersionPatch): Readonly<ObjectVersion> {
    const version = this.findVersion(bucketName, key, versionId);
    Object.assign(version, patch);
    if (patch.tags) version.tags = patch.tags.map((t) => ({ ...t }));
    this.journal?.append({ t: 'o', b: bucketName, k: key, v: this.state(bucketName).objects.get(key) });
    return version;
  }

  // ---- multipart uploads ----------------------------------------------------------

  createUpload(upload: UploadRecord): void {
    this.uploads.set(upload.uploadId, upload);
    this.journal?.append({ t: 'u', u: upload });
  }

  upload(uploadId: string): Readonly<UploadRecord> | undefined {
    return this.uploads.get(uploadId);
  }

  putPart(uploadId: string, partNumber: number, part: UploadRecord['parts'][number]): void {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new EmulatorError('NoSuchUpload', 'The specified upload does not exist.');
    this.release(upload.parts[partNumber]?.blob);
    upload.parts[partNumber] = part;
    this.journal?.append({ t: 'u', u: upload });
  }

  /** Drop an upload (completed or aborted) and its part bodies. */
  removeUpload(uploadId: string): void {
    const upload = this.uploads.get(uploadId);
    if (!upload) return;
    for (const part of Object.values(upload.parts)) this.release(part.blob);
    this.uploads.delete(uploadId);
    this.journal?.append({ t: 'U', id: uploadId });
  }

  // ---- jobs -------------------------------------------------------------------------

  jobs(): IterableIterator<JobRecord> {
    return this.jobRecords.values();
  }

  job(jobId: string): JobRecord | undefined {
    return this.jobRecords.get(jobId);
  }

  /** Record a new job or the job's changed fields. */
  saveJob(job: JobRecord): void {
    this.jobRecords.set(job.jobId, job);
    this.journal?.append({ t: 'j', j: job });
  }

  // ---- internals ----------------------------------------------------------------------

  private state(name: string): BucketState {
    const bucket = this.buckets.get(name);
    if (!bucket) throw noSuchBucket(name);
    return bucket;
  }

  private findVersion(bucketName: string, key: string, versionId?: string): ObjectVersion {
    const versions = this.state(bucketName).objects.get(key);
    if (!versions?.length) throw noSuchKey(key);
    if (versionId !== undefined && versionId !== 'null') {
      const found = versions.find((v) => v.versionId === versionId);
      if (!found) throw new EmulatorError('NoSuchVersion', `The specified version does not exist: ${versionId}`);
      if (found.isDeleteMarker) throw new EmulatorError('MethodNotAllowed', 'The specified version is a delete marker');
      return found;
    }
    const latest = versions[versions.length - 1];
    if (latest.isDeleteMarker) throw noSuchKey(key);
    return latest;
  }

  private setVersions(bucket: BucketState, key: string, versions: ObjectVersion[]): void {
    this.applyVersions(bucket, key, versions);
    this.journal?.append({ t: 'o', b: bucket.name, k: key, v: versions });
  }

  private applyVersions(bucket: BucketState, key: string, versions: ObjectVersion[]): void {
    const had = bucket.objects.has(key);
    if (versions.length) bucket.objects.set(key, versions);
    else bucket.objects.delete(key);
    const keys = bucket.sortedKeys;
    if (!keys || had === versions.length > 0) return;
    const at = lowerBound(keys, key);
    if (versions.length) keys.splice(at, 0, key);
    else if (keys[at] === key) keys.splice(at, 1);
  }

  private sortedKeys(bucket: BucketState): string[] {
    bucket.sortedKeys ??= [...bucket.objects.keys()].sort();
    return bucket.sortedKeys;
  }

  private logBucket(info: BucketInfo): void {
    const { name, created, storageClass, versioning } = info;
    this.journal?.append({ t: 'b', name, created, storageClass, versioning });
  }

  private release(blob: string | undefined): void {
    if (blob) this.unreferenced.push(blob);
  }

  private afterSync(): void {
    for (const blob of this.unreferenced) this.blobs.delete(blob);
    this.unreferenced = [];
    this.jobFiles.flush(); // rows only after the object changes they claim: see job-files.ts
  }

  private apply(record: JournalRecord): void {
    switch (record.t) {
      case 'b': {
        const info = record as unknown as BucketInfo;
        const existing = this.buckets.get(info.name);
        this.buckets.set(info.name, { name: info.name, created: info.created, storageClass: info.storageClass, versioning: info.versioning, objects: existing?.objects ?? new Map() });
        break;
      }
      case 'o': {
        const bucket = this.buckets.get(record.b as string);
        if (bucket) this.applyVersions(bucket, record.k as string, record.v as ObjectVersion[]);
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
        this.jobRecords.set(job.jobId, job);
        break;
      }
      case 'reset':
        this.buckets.clear();
        this.uploads.clear();
        this.jobRecords.clear();
        break;
      default:
        throw new StoreCorruptError(this.dataDir, `unknown record type "${record.t}"`);
    }
  }

  private *snapshot(): Generator<JournalRecord> {
    for (const bucket of this.buckets.values()) {
      const { name, created, storageClass, versioning } = bucket;
      yield { t: 'b', name, created, storageClass, versioning };
      for (const [k, v] of bucket.objects) yield { t: 'o', b: name, k, v };
    }
    for (const u of this.uploads.values()) yield { t: 'u', u };
    for (const j of this.jobRecords.values()) yield { t: 'j', j };
  }

  private referencedBlobs(): Set<string> {
    const referenced = new Set<string>();
    for (const bucket of this.buckets.values()) {
      for (const versions of bucket.objects.values()) for (const v of versions) if (v.blob) referenced.add(v.blob);
    }
    for (const u of this.uploads.values()) for (const p of Object.values(u.parts)) if (p.blob) referenced.add(p.blob);
    return referenced;
  }

  /** A data directory written before the journal: load its state.json, snapshot it, remove it. */
  private migrateLegacyState(): void {
    const path = join(this.dataDir, 'state.json');
    if (!existsSync(path) || existsSync(join(this.dataDir, SNAPSHOT_FILE))) return;
    let state: LegacyState;
    try {
      state = JSON.parse(readFileSync(path, 'utf8')) as LegacyState;
    } catch (err) {
      throw new StoreCorruptError(path, (err as Error).message);
    }
    for (const b of state.buckets ?? []) this.buckets.set(b.name, { name: b.name, created: b.created, storageClass: b.storageClass, versioning: b.versioning, objects: new Map(b.objects) });
    for (const u of state.uploads ?? []) this.uploads.set(u.uploadId, u);
    for (const j of state.jobs ?? []) this.jobRecords.set(j.jobId, j);
    this.journal!.compact();
    rmSync(path, { force: true });
  }
}

/** First index whose key is ≥ `key`. */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function newVersionId(): string {
  return `CAEQ${randomBytes(24).toString('base64url')}`;
}
