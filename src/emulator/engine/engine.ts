/**
 * Runs jobs in the background of the server process: each step moves every live job one phase
 * forward (through the transition table) or processes a batch of its tasks. Jobs that were
 * running when the emulator stopped start their tasks again on restart (the operations are
 * idempotent); the 14-day Suspended rule follows the injected clock.
 */
import { createHash } from 'node:crypto';
import { encodeReportCsv, ManifestEntry, parseManifestCsv, REPORT_FORMAT, ReportManifest, reportManifestKey, ReportRow, reportResultKey } from '../../oss/csv';
import { isTerminalStatus, MANIFEST_FORMAT_CSV } from '../../oss/model';
import { unquoteEtag } from '../../oss/xml/objects';
import { SUSPENDED_TIMEOUT_MS } from '../defaults';
import { EmulatorError } from '../errors';
import { keysFrom } from '../store';
import type { Store } from '../store';
import type { JobRecord } from './job-record';
import { JobEvent, nextStatus } from './state-machine';
import { runTask } from './tasks';

export interface EngineOptions {
  /** 0 = unthrottled (batches between event-loop turns). */
  tasksPerSecond: number;
  clock: () => Date;
}

/** Fail the job when more than half of the first min(total, 1000) tasks failed (S3-like threshold). */
export const FAILURE_SAMPLE = 1000;
export const FAILURE_RATIO = 0.5;
const UNTHROTTLED_BATCH = 5000;
const TICK_MS = 50;
export const REPORT_ROWS_PER_PART = 10_000;

interface Runtime {
  tasks: ManifestEntry[];
  cursor: number;
  rows: ReportRow[];
  budget: number;
}

export class JobEngine {
  private readonly runtime = new Map<string, Runtime>();
  private scheduled?: NodeJS.Immediate | NodeJS.Timeout;
  private readonly watchdog: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly store: Store, private readonly options: EngineOptions) {
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

  /** Schedule a step soon (idempotent). */
  kick(): void {
    if (this.stopped || this.scheduled) return;
    const throttled = this.options.tasksPerSecond > 0 && [...this.store.jobs.values()].some((j) => j.status === 'Active');
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
    job.status = nextStatus(job.status, event);
    if (reason) job.statusUpdateReason = reason;
    const now = this.options.clock();
    if (job.status === 'Suspended') job.suspendedAtMs = now.getTime();
    if (job.status === 'Active') job.activeSinceMs = now.getTime();
    if (isTerminalStatus(job.status)) {
      job.terminationDate = Math.floor(now.getTime() / 1000);
      this.runtime.delete(job.jobId);
    }
    this.store.markDirty();
    this.kick();
  }

  /** One pass over the live jobs; returns whether more work is pending. */
  step(): boolean {
    let pending = false;
    for (const job of this.store.jobs.values()) {
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
        this.writeReport(job, 'Complete');
        this.transition(job, 'reported');
        return false;
      case 'Cancelling':
        this.writeReport(job, 'Cancelled');
        this.transition(job, 'cancelled');
        return false;
      case 'Failing':
        this.writeReport(job, 'Failed');
        this.transition(job, 'failed');
        return false;
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
        return false; // Paused: resumed by the system (test hook)
    }
  }

  private prepare(job: JobRecord): boolean {
    try {
      const tasks = this.readManifest(job);
      this.runtime.set(job.jobId, { tasks, cursor: 0, rows: [], budget: 0 });
      job.totalTasks = tasks.length;
      job.succeededTasks = 0;
      job.failedTasks = 0;
      this.transition(job, job.input.confirmationRequired ? 'needsConfirmation' : 'prepared');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      job.failureReasons = [{ failureCode: err instanceof EmulatorError ? err.code : 'InvalidManifest', failureReason: message }];
      this.transition(job, 'fail');
    }
    return true;
  }

  private readManifest(job: JobRecord): ManifestEntry[] {
    const generator = job.input.keyPrefixManifestGenerator;
    if (generator) {
      const bucket = this.store.bucket(generator.sourceBucket);
      const prefix = generator.prefix ?? '';
      const entries: ManifestEntry[] = [];
      for (const key of keysFrom(bucket, prefix)) {
        if (!bucket.objects.get(key)!.at(-1)!.isDeleteMarker) entries.push({ bucket: bucket.name, key });
      }
      return entries;
    }
    const manifest = job.input.manifest!;
    if (manifest.spec.format !== MANIFEST_FORMAT_CSV) {
      throw new EmulatorError('InvalidManifest', `manifest format ${manifest.spec.format} is not supported by the emulator (only ${MANIFEST_FORMAT_CSV})`);
    }
    const loc = manifest.location;
    const version = this.store.version(loc.bucket, loc.object, loc.versionId);
    if (loc.etag && unquoteEtag(loc.etag).toLowerCase() !== version.etag.toLowerCase()) {
      throw new EmulatorError('InvalidManifest', `the manifest oss://${loc.bucket}/${loc.object} changed: its ETag is ${version.etag}, the job expects ${loc.etag}`);
    }
    return parseManifestCsv(this.store.readBlob(version.blob).toString('utf8'), manifest.spec.fields);
  }

  private runBatch(job: JobRecord): boolean {
    let rt = this.runtime.get(job.jobId);
    if (!rt) {
      // Restarted emulator: read the manifest again and start the tasks over.
      rt = { tasks: this.readManifestSafely(job), cursor: 0, rows: [], budget: 0 };
      this.runtime.set(job.jobId, rt);
      job.succeededTasks = 0;
      job.failedTasks = 0;
    }
    const { tasksPerSecond, clock } = this.options;
    rt.budget += tasksPerSecond > 0 ? (tasksPerSecond * TICK_MS) / 1000 : UNTHROTTLED_BATCH;
    const count = Math.min(Math.floor(rt.budget), rt.tasks.length - rt.cursor);
    rt.budget -= count;
    const now = clock();
    const op = job.input.operation;
    for (let i = 0; i < count; i++) {
      const row = runTask(this.store, op, rt.tasks[rt.cursor++], now);
      if (row.taskStatus === 'succeeded') job.succeededTasks++;
      else job.failedTasks++;
      rt.rows.push(row);
    }
    job.elapsedActiveSeconds = Math.floor((now.getTime() - (job.activeSinceMs ?? now.getTime())) / 1000);
    if (count > 0) this.store.markDirty();
    const processed = job.succeededTasks + job.failedTasks;
    if (processed >= Math.min(job.totalTasks, FAILURE_SAMPLE) && processed > 0 && job.failedTasks / processed > FAILURE_RATIO) {
      job.failureReasons = [{ failureCode: 'TooManyFailures', failureReason: `Too many failures: ${job.failedTasks} of the first ${processed} tasks failed.` }];
      this.transition(job, 'fail');
      return true;
    }
    if (rt.cursor >= rt.tasks.length) {
      this.transition(job, 'finish');
    }
    return true;
  }

  private readManifestSafely(job: JobRecord): ManifestEntry[] {
    try {
      return this.readManifest(job);
    } catch {
      return [];
    }
  }

  private writeReport(job: JobRecord, finalStatus: string): void {
    const report = job.input.report;
    const rows = this.runtime.get(job.jobId)?.rows ?? [];
    if (!report.enabled || !this.store.buckets.has(report.bucket)) return;
    const prefix = report.prefix ?? '';
    const selected = report.reportScope === 'FailedTasksOnly' ? rows.filter((r) => r.taskStatus === 'failed') : rows;
    const resultFiles: string[] = [];
    const now = this.options.clock().toISOString();
    const put = (key: string, body: string, contentType: string) => {
      const data = Buffer.from(body, 'utf8');
      this.store.putVersion(report.bucket, key, {
        etag: md5Hex(data), size: data.length, storageClass: 'Standard', acl: 'default', contentType, lastModified: now, tags: [], blob: this.store.writeBlob(data),
      });
    };
    for (let part = 0; part === 0 || part * REPORT_ROWS_PER_PART < selected.length; part++) {
      const key = reportResultKey(prefix, job.jobId, part);
      put(key, encodeReportCsv(selected.slice(part * REPORT_ROWS_PER_PART, (part + 1) * REPORT_ROWS_PER_PART)), 'text/csv');
      resultFiles.push(key);
    }
    const manifest: ReportManifest = {
      format: REPORT_FORMAT, jobId: job.jobId, status: finalStatus, reportScope: report.reportScope ?? 'AllTasks',
      totalTasks: job.totalTasks, succeededTasks: job.succeededTasks, failedTasks: job.failedTasks, resultFiles,
    };
    put(reportManifestKey(prefix, job.jobId), JSON.stringify(manifest, null, 2), 'application/json');
  }
}

export function md5Hex(data: Buffer): string {
  return createHash('md5').update(data).digest('hex').toUpperCase();
}
