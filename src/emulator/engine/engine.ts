/**
 * Runs jobs in the background of the server process: each step moves every live job one phase
 * forward (through the transition table) or processes a batch of its tasks. Progress (the task
 * list and the rows of finished tasks) is persisted in batches, so a job that was running when
 * the emulator stopped resumes at the task where it stopped. The 14-day Suspended rule follows
 * the injected clock.
 */
import { ManifestEntry, parseManifestCsv, ReportRow } from '../../oss/csv';
import { parseInventoryData, parseInventoryManifest } from '../../oss/inventory';
import { isTerminalStatus, MANIFEST_FORMAT_CSV, MANIFEST_FORMAT_INVENTORY } from '../../oss/model';
import { unquoteEtag } from '../../oss/xml/objects';
import { SUSPENDED_TIMEOUT_MS } from '../defaults';
import { EmulatorError } from '../errors';
import type { Store } from '../store';
import { exceedsFailureThreshold, tooManyFailuresReason } from './failure-threshold';
import type { JobRecord } from './job-record';
import { buildS3ReportObjects } from '../s3control/report';
import { buildReportObjects } from './report';
import { JobEvent, nextStatus } from './state-machine';
import { runTask } from './tasks';

export interface EngineOptions {
  /** 0 = unthrottled (batches between event-loop turns). */
  tasksPerSecond: number;
  clock: () => Date;
}

const UNTHROTTLED_BATCH = 5000;
/** Body bytes (copy tasks) after which a batch ends, whatever its task budget. */
const BATCH_BYTES = 64 * 1024 ** 2;
const TICK_MS = 50;

interface Runtime {
  tasks: ManifestEntry[];
  /** Index of the next task; equals rows.length. */
  cursor: number;
  rows: ReportRow[];
  /** Throttled mode: tasks earned but not yet run (fractions carry over between ticks). */
  budget: number;
}

export class JobEngine {
  private readonly runtime = new Map<string, Runtime>();
  private scheduled?: NodeJS.Immediate | NodeJS.Timeout;
  private readonly watchdog: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly store: Store, private readonly options: EngineOptions) {
    // Time while the emulator was down does not count as Active time.
    const now = options.clock().getTime();
    for (const job of store.jobs()) {
      if (job.status !== 'Active') continue;
      job.activeMsBefore = job.elapsedActiveSeconds * 1000;
      job.activeSinceMs = now;
    }
    // Suspended jobs age on the (possibly simulated) clock even when nothing else happens.
    this.watchdog = setInterval(() => this.kick(), 1000);
    this.watchdog.unref();
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.watchdog);
    if (this.scheduled) clearTimeout(this.scheduled as NodeJS.Timeout);
  }

  /** Forget in-memory progress (the store was reset). */
  reset(): void {
    this.runtime.clear();
  }

  /** Schedule a step soon (idempotent). */
  kick(): void {
    if (this.stopped || this.scheduled) return;
    const throttled = this.options.tasksPerSecond > 0 && [...this.store.jobs()].some((j) => j.status === 'Active');
    const run = () => {
      this.scheduled = undefined;
      // stop() cannot cancel a pending setImmediate with clearTimeout: never step once stopped.
      if (this.stopped) return;
      if (this.step()) this.kick();
    };
    this.scheduled = throttled ? setTimeout(run, TICK_MS) : setImmediate(run);
  }

  /** Apply an event to a job through the table. */
  transition(job: JobRecord, event: JobEvent, reason?: string): void {
    const from = job.status;
    job.status = nextStatus(job.status, event);
    if (reason) job.statusUpdateReason = reason;
    const now = this.options.clock().getTime();
    if (from === 'Active' && job.activeSinceMs !== undefined) {
      job.activeMsBefore = (job.activeMsBefore ?? 0) + (now - job.activeSinceMs);
      job.activeSinceMs = undefined;
      job.elapsedActiveSeconds = Math.floor(job.activeMsBefore / 1000);
    }
    if (job.status === 'Suspended') job.suspendedAtMs = now;
    if (job.status === 'Active') job.activeSinceMs = now;
    if (isTerminalStatus(job.status)) {
      job.terminationDate = Math.floor(now / 1000);
      this.runtime.delete(job.jobId);
      this.store.jobFiles.drop(job.jobId);
    }
    this.store.saveJob(job);
    this.kick();
  }

  /**
   * Test hook: the system pauses an Active job (OSS offers no API for it). The job passes
   * Pausing, then stays Paused, keeping its progress, until `resume` or a cancel.
   */
  pause(jobId: string): void {
    this.transition(this.jobById(jobId), 'pause');
  }

  /** Test hook: a Paused job goes back to Active and carries on from the next task. */
  resume(jobId: string): void {
    this.transition(this.jobById(jobId), 'resume');
  }

  private jobById(jobId: string): JobRecord {
    const job = this.store.job(jobId);
    if (!job) throw new EmulatorError('NoSuchJob', `The specified job does not exist: ${jobId}`);
    return job;
  }

  /** One pass over the live jobs; returns whether more work is pending. */
  step(): boolean {
    let pending = false;
    for (const job of this.store.jobs()) {
      if (isTerminalStatus(job.status)) continue;
      pending = this.advance(job) || pending;
    }
    return pending;
  }

  private advance(job: JobRecord): boolean {
    switch (job.status) {
      case 'New':
        this.transition(job, 'prepare');
        return true;
      case 'Preparing':
        return this.prepare(job);
      case 'Ready':
        this.transition(job, 'start');
        return true;
      case 'Active':
        return this.runBatch(job);
      case 'Completing':
        return this.finish(job, 'Complete', 'reported');
      case 'Cancelling':
        return this.finish(job, 'Cancelled', 'cancelled');
      case 'Failing':
        return this.finish(job, 'Failed', 'failed');
      case 'Suspended':
        if (this.options.clock().getTime() - (job.suspendedAtMs ?? 0) > SUSPENDED_TIMEOUT_MS) {
          job.failureReasons = [{ failureCode: 'SuspendedTimeout', failureReason: 'The job was not confirmed within 14 days.' }];
          this.transition(job, 'suspendExpired');
        }
        return false;
      case 'Pausing':
        this.transition(job, 'paused');
        return false;
      default:
        return false; // Paused: waits for resume() or a cancel
    }
  }

  private prepare(job: JobRecord): boolean {
    try {
      const tasks = this.readManifest(job);
      this.store.jobFiles.saveTasks(job.jobId, tasks);
      this.runtime.set(job.jobId, { tasks, cursor: 0, rows: [], budget: 0 });
      job.totalTasks = tasks.length;
      job.succeededTasks = 0;
      job.failedTasks = 0;
      this.transition(job, job.input.confirmationRequired ? 'needsConfirmation' : 'prepared');
    } catch (err) {
      this.failJob(job, err);
    }
    return true;
  }

  private failJob(job: JobRecord, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    job.failureReasons = [{ failureCode: err instanceof EmulatorError ? err.code : 'InvalidManifest', failureReason: `the manifest could not be read: ${message}` }];
    this.transition(job, 'fail');
  }

  private readManifest(job: JobRecord): ManifestEntry[] {
    const generator = job.input.keyPrefixManifestGenerator;
    if (generator) {
      const entries: ManifestEntry[] = [];
      for (const [key] of this.store.liveObjects(generator.sourceBucket, generator.prefix ?? '')) entries.push({ bucket: generator.sourceBucket, key });
      return entries;
    }
    const manifest = job.input.manifest!;
    if (manifest.spec.format !== MANIFEST_FORMAT_CSV && manifest.spec.format !== MANIFEST_FORMAT_INVENTORY) {
      throw new EmulatorError('InvalidManifest', `manifest format ${manifest.spec.format} is not supported by the emulator`);
    }
    const loc = manifest.location;
    const version = this.store.version(loc.bucket, loc.object, loc.versionId);
    if (loc.etag && unquoteEtag(loc.etag).toLowerCase() !== version.etag.toLowerCase()) {
      throw new EmulatorError('InvalidManifest', `the manifest oss://${loc.bucket}/${loc.object} changed: its ETag is ${version.etag}, the job expects ${loc.etag}`);
    }
    const text = this.store.blobs.read(version.blob).toString('utf8');
    if (manifest.spec.format === MANIFEST_FORMAT_CSV) return parseManifestCsv(text, manifest.spec.fields);
    // A bucket inventory run: manifest.json names the data files, in the same bucket (src/oss/inventory.ts).
    const inventory = parseInventoryManifest(text);
    return inventory.files.flatMap((file) => {
      const data = this.store.version(loc.bucket, file.key);
      return parseInventoryData(file.key, this.store.blobs.read(data.blob), inventory.fileSchema);
    });
  }

  /**
   * The job's task list and progress: in memory while this process runs it, else from the
   * job files of an earlier run (counters recomputed from the persisted rows). A job from a
   * data directory without job files reads its manifest again and starts over.
   */
  private runtimeFor(job: JobRecord): Runtime {
    let rt = this.runtime.get(job.jobId);
    if (rt) return rt;
    const tasks = this.store.jobFiles.loadTasks(job.jobId) ?? this.readManifest(job);
    if (job.totalTasks && tasks.length !== job.totalTasks) {
      // The list the job was prepared with is gone and the manifest now names other objects.
      throw new EmulatorError('InvalidManifest', `the job was prepared with ${job.totalTasks} tasks but its manifest now lists ${tasks.length}`);
    }
    const rows = this.store.jobFiles.loadRows(job.jobId).slice(0, tasks.length);
    rt = { tasks, cursor: rows.length, rows, budget: 0 };
    this.runtime.set(job.jobId, rt);
    job.totalTasks = tasks.length;
    job.succeededTasks = rows.filter((r) => r.taskStatus === 'succeeded').length;
    job.failedTasks = rows.length - job.succeededTasks;
    return rt;
  }

  private runBatch(job: JobRecord): boolean {
    let rt: Runtime;
    try {
      rt = this.runtimeFor(job);
    } catch (err) {
      this.failJob(job, err); // resumed job whose manifest is gone
      return true;
    }
    const { tasksPerSecond, clock } = this.options;
    rt.budget += tasksPerSecond > 0 ? (tasksPerSecond * TICK_MS) / 1000 : UNTHROTTLED_BATCH;
    const limit = Math.min(Math.floor(rt.budget), rt.tasks.length - rt.cursor);
    const now = clock();
    const op = job.input.operation;
    const batch: ReportRow[] = [];
    let written = 0;
    // Copies end a batch early once they wrote BATCH_BYTES, so requests are answered between batches.
    while (batch.length < limit && written < BATCH_BYTES) {
      const { row, bytesWritten } = runTask(this.store, op, rt.tasks[rt.cursor++], now);
      written += bytesWritten;
      if (row.taskStatus === 'succeeded') job.succeededTasks++;
      else job.failedTasks++;
      rt.rows.push(row);
      batch.push(row);
    }
    const count = batch.length;
    rt.budget -= count;
    this.store.jobFiles.queueRows(job.jobId, batch);
    job.elapsedActiveSeconds = Math.floor(((job.activeMsBefore ?? 0) + (now.getTime() - (job.activeSinceMs ?? now.getTime()))) / 1000);
    if (count > 0) this.store.saveJob(job);
    const attempted = job.succeededTasks + job.failedTasks;
    if (exceedsFailureThreshold(attempted, job.failedTasks, job.totalTasks)) {
      job.failureReasons = [{ failureCode: 'TooManyFailures', failureReason: tooManyFailuresReason(attempted, job.failedTasks) }];
      this.transition(job, 'fail');
    } else if (rt.cursor >= rt.tasks.length) {
      this.transition(job, 'finish');
    }
    return true;
  }

  /** Write the report (tasks done so far), then take the last step to a terminal status. */
  private finish(job: JobRecord, finalStatus: string, event: JobEvent): boolean {
    // Never read the manifest here: a job cancelled or failed before Ready has no rows.
    const rows = this.runtime.get(job.jobId)?.rows ?? this.store.jobFiles.loadRows(job.jobId);
    const report = job.input.report;
    if (this.store.hasBucket(report.bucket)) {
      const lastModified = this.options.clock().toISOString();
      const reportInput = {
        jobId: job.jobId, finalStatus, report, rows, totalTasks: job.totalTasks, succeededTasks: job.succeededTasks, failedTasks: job.failedTasks,
      };
      const objects = job.s3 ? buildS3ReportObjects(reportInput, this.options.clock()) : buildReportObjects(reportInput);
      for (const object of objects) {
        const body = this.store.blobs.writeBuffer(Buffer.from(object.body, 'utf8'));
        this.store.putObject(report.bucket, object.key, {
          etag: body.md5, size: body.size, crc64: body.crc64, blob: body.blob, storageClass: 'Standard', acl: 'default', contentType: object.contentType, lastModified, tags: [],
        });
      }
    }
    this.transition(job, event);
    return false;
  }
}
