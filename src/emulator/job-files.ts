/**
 * Per-job files under `<dataDir>/jobs/`: the task list fixed in Preparing (`<id>.tasks.json`)
 * and the report rows of the tasks done so far (`<id>.rows.jsonl`), so a restarted emulator
 * resumes a job where it stopped instead of starting over.
 *
 * Rows are appended in batches by `flush()`, which the store calls right AFTER the journal made
 * the tasks' object changes durable: the rows file never claims a task whose change is not on
 * disk. A hard kill between the two writes loses at most one batch of rows; those tasks run
 * again on restart (every operation is idempotent). Without a directory (persist: false) all of
 * this is a no-op.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestEntry, ReportRow } from '../oss/csv';
import { atomicWrite } from './disk';

export class JobFiles {
  private readonly pendingRows = new Map<string, ReportRow[]>();
  private readonly dropped = new Set<string>();

  /** @param dir where the files live; undefined keeps nothing on disk. */
  constructor(private readonly dir: string | undefined) {
    if (dir) mkdirSync(dir, { recursive: true });
  }

  /** The task list is written once, when Preparing ends (immediately and fsync'd: it is needed to resume). */
  saveTasks(jobId: string, tasks: readonly ManifestEntry[]): void {
    if (!this.dir) return;
    atomicWrite(this.tasksPath(jobId), JSON.stringify(tasks));
    rmSync(this.rowsPath(jobId), { force: true }); // a re-run Preparing starts a fresh row log
  }

  loadTasks(jobId: string): ManifestEntry[] | undefined {
    if (!this.dir || !existsSync(this.tasksPath(jobId))) return undefined;
    return JSON.parse(readFileSync(this.tasksPath(jobId), 'utf8')) as ManifestEntry[];
  }

  /** Queue rows of finished tasks; they reach the disk on the next flush. */
  queueRows(jobId: string, rows: readonly ReportRow[]): void {
    if (!this.dir || rows.length === 0) return;
    let pending = this.pendingRows.get(jobId);
    if (!pending) this.pendingRows.set(jobId, (pending = []));
    for (const row of rows) pending.push(row);
  }

  /** Rows persisted so far, in task order. A torn last line (hard kill mid-append) is ignored. */
  loadRows(jobId: string): ReportRow[] {
    if (!this.dir || !existsSync(this.rowsPath(jobId))) return [];
    const text = readFileSync(this.rowsPath(jobId), 'utf8');
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    return complete.split('\n').filter(Boolean).map((line) => JSON.parse(line) as ReportRow);
  }

  /** The job is over (its report is written): remove its files on the next flush. */
  drop(jobId: string): void {
    if (this.dir) this.dropped.add(jobId);
  }

  flush(): void {
    if (!this.dir) return;
    for (const [jobId, rows] of this.pendingRows) {
      if (this.dropped.has(jobId)) continue;
      appendFileSync(this.rowsPath(jobId), rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    }
    this.pendingRows.clear();
    for (const jobId of this.dropped) {
      rmSync(this.tasksPath(jobId), { force: true });
      rmSync(this.rowsPath(jobId), { force: true });
    }
    this.dropped.clear();
  }

  reset(): void {
    this.pendingRows.clear();
    this.dropped.clear();
    if (!this.dir) return;
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  private tasksPath(jobId: string): string {
    return join(this.dir!, `${jobId}.tasks.json`);
  }

  private rowsPath(jobId: string): string {
    return join(this.dir!, `${jobId}.rows.jsonl`);
  }
}
