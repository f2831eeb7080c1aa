/**
 * The emulator's world: buckets, object versions, multipart uploads and jobs. State lives in
 * memory; every change goes through a method here, which appends the entity's new state to the
 * journal (journal.ts) and keeps the key index, so no caller touches the maps or remembers to
 * save. `durable()` resolves once the changes made so far are fsync'd: the server answers a
 * write only then. Body files (blobs.ts) replaced or deleted are removed once the change that
 * dropped them is durable.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isTerminalStatus } from '../oss/model';
import { Blobs } from './blobs';
import { lockDataDir } from './disk';
import type { JobRecord } from './engine/job-record';
import { EmulatorError, noSuchBucket, noSuchKey } from './errors';
import { JobFiles } from './job-files';
import { Journal, SNAPSHOT_FILE } from './journal';
import { BucketInfo, BucketState, lowerBound, NewObject, ObjectVersion, StoreState, UploadRecord, VersionPatch } from './store-state';

export type { BucketInfo, NewObject, ObjectVersion, Tag, UploadRecord, VersionPatch } from './store-state';

export class Store {
  /** Task lists and report rows of live jobs (resume after a restart). */
  readonly jobFiles: JobFiles;
  readonly blobs: Blobs;
  private readonly state = new StoreState();
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
          snapshot: () => this.state.records(),
        }, compactMinBytes);
        this.journal.load((record, source) => this.state.apply(record, source));
        this.migrateLegacyState();
        this.blobs.sweep(this.state.referencedBlobs());
        // A hard kill right after a job ended can leave its progress files behind.
        for (const job of this.state.jobs.values()) if (isTerminalStatus(job.status)) this.jobFiles.drop(job.jobId);
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
    this.state.clear();
    this.unreferenced = [];
    this.journal?.append({ t: 'reset' });
    this.journal?.flush();
    this.jobFiles.reset();
    this.blobs.reset();
  }

  // ---- buckets ----------------------------------------------------------------

  hasBucket(name: string): boolean {
    return this.state.buckets.has(name);
  }

  bucket(name: string): Readonly<BucketInfo> {
    return this.bucketState(name);
  }

  /** Returns false when the bucket already exists (nothing changes then). */
  createBucket(info: BucketInfo): boolean {
    if (this.state.buckets.has(info.name)) return false;
    this.state.buckets.set(info.name, { ...info, objects: new Map() });
    this.logBucket(info);
    return true;
  }

  setVersioning(name: string, versioning: BucketInfo['versioning']): void {
    const bucket = this.bucketState(name);
    bucket.versioning = versioning;
    this.logBucket(bucket);
  }

  // ---- objects ------------------------------------------------------------------

  /** The current (or a specific) version; a delete marker counts as missing. */
  version(bucketName: string, key: string, versionId?: string): Readonly<ObjectVersion> {
    return this.findVersion(bucketName, key, versionId);
  }

  versions(bucketName: string, key: string): readonly Readonly<ObjectVersion>[] {
    return this.bucketState(bucketName).objects.get(key) ?? [];
  }

  /** Keys in order after `startAfter` that start with `prefix`, with every version (delete markers too). */
  *keysFrom(bucketName: string, prefix: string, startAfter = ''): Generator<[string, readonly Readonly<ObjectVersion>[]]> {
    const bucket = this.bucketState(bucketName);
    const keys = this.state.sortedKeys(bucket);
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
    const bucket = this.bucketState(bucketName);
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
    const bucket = this.bucketState(bucketName);
    const versions = bucket.objects.get(key);
    if (!versions) return;
    for (const v of versions) this.release(v.blob);
    this.setVersions(bucket, key, []);
  }

  deleteVersion(bucketName: string, key: string, versionId: string): void {
    const bucket = this.bucketState(bucketName);
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
    this.journal?.append({ t: 'o', b: bucketName, k: key, v: this.bucketState(bucketName).objects.get(key) });
    return version;
  }

  // ---- multipart uploads ----------------------------------------------------------

  createUpload(upload: UploadRecord): void {
    this.state.uploads.set(upload.uploadId, upload);
    this.journal?.append({ t: 'u', u: upload });
  }

  upload(uploadId: string): Readonly<UploadRecord> | undefined {
    return this.state.uploads.get(uploadId);
  }

  putPart(uploadId: string, partNumber: number, part: UploadRecord['parts'][number]): void {
    const upload = this.state.uploads.get(uploadId);
    if (!upload) throw new EmulatorError('NoSuchUpload', 'The specified upload does not exist.');
    this.release(upload.parts[partNumber]?.blob);
    upload.parts[partNumber] = part;
    this.journal?.append({ t: 'u', u: upload });
  }

  /** Drop an upload (completed or aborted) and its part bodies. */
  removeUpload(uploadId: string): void {
    const upload = this.state.uploads.get(uploadId);
    if (!upload) return;
    for (const part of Object.values(upload.parts)) this.release(part.blob);
    this.state.uploads.delete(uploadId);
    this.journal?.append({ t: 'U', id: uploadId });
  }

  // ---- jobs -------------------------------------------------------------------------

  jobs(): IterableIterator<JobRecord> {
    return this.state.jobs.values();
  }

  job(jobId: string): JobRecord | undefined {
    return this.state.jobs.get(jobId);
  }

  /** Record a new job or the job's changed fields. */
  saveJob(job: JobRecord): void {
    this.state.jobs.set(job.jobId, job);
    this.journal?.append({ t: 'j', j: job });
  }

  // ---- internals ----------------------------------------------------------------------

  private bucketState(name: string): BucketState {
    const bucket = this.state.buckets.get(name);
    if (!bucket) throw noSuchBucket(name);
    return bucket;
  }

  private findVersion(bucketName: string, key: string, versionId?: string): ObjectVersion {
    const versions = this.bucketState(bucketName).objects.get(key);
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
    this.state.setVersions(bucket, key, versions);
    this.journal?.append({ t: 'o', b: bucket.name, k: key, v: versions });
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

  /** A data directory written before the journal: load its state.json, snapshot it, remove it. */
  private migrateLegacyState(): void {
    const path = join(this.dataDir, 'state.json');
    if (!existsSync(path) || existsSync(join(this.dataDir, SNAPSHOT_FILE))) return;
    this.state.loadLegacy(path);
    this.journal!.compact();
    rmSync(path, { force: true });
  }
}

/** What newVersionId makes, and `null` (the version of an object put while versioning was off or suspended). */
export const VERSION_ID = /^(null|CAEQ[A-Za-z0-9_-]{32})$/;

function newVersionId(): string {
  return `CAEQ${randomBytes(24).toString('base64url')}`;
}
