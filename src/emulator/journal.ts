/**
 * The emulator's store on disk: an append-only journal of JSON lines plus a snapshot, with
 * compaction. Hand-written on purpose: the embedded stores on npm either need native builds
 * (install scripts, which this project does not run) or, in WebAssembly, keep the database in
 * memory and write it back whole, which is the cost we are removing. Every record replaces the
 * whole state of one entity (a bucket, a key's versions, an upload, a job), so replaying is
 * idempotent and a snapshot taken while writes continue is still exact once its journal is
 * replayed on top.
 *
 * Group commit: records appended during one event-loop turn are written together on the next
 * turn and fsync'd in the thread pool while the next group gathers; `durable()` resolves after
 * the fsync that covers the caller's records. The server answers a write only then.
 */
import {
  closeSync, existsSync, fstatSync, fsync, fsyncSync, ftruncateSync, openSync, readdirSync, readSync, renameSync, rmSync, writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { syncDirectory } from './disk';

export const SNAPSHOT_FILE = 'snapshot.jsonl';
const JOURNAL_FILE = /^journal-(\d+)\.jsonl$/;
const journalName = (generation: number) => `journal-${generation}.jsonl`;
/** A journal smaller than this is never compacted (a snapshot would cost more than it saves). */
export const COMPACT_MIN_BYTES = 64 * 1024 * 1024;
const READ_CHUNK = 8 * 1024 * 1024;
/** Pending records beyond this are written at once (fsync'd with the rest): a 1M-task batch must not build one giant string. */
const SPILL_CHARS = 8 * 1024 * 1024;

/** The data directory cannot be read back: names the file, so the user knows what to move away. */
export class StoreCorruptError extends Error {
  constructor(readonly path: string, detail: string) {
    super(`the emulator store ${path} is corrupt (${detail}); move the data directory away (or restore a backup) to start`);
  }
}

export type JournalRecord = { t: string } & Record<string, unknown>;

interface SnapshotHeader { t: 'snapshot'; format: 2; generation: number }

/** Call `fn` for every complete line of `path` (8 MiB at a time: snapshots outgrow a V8 string). Returns the bytes of complete lines. */
export function forEachLine(path: string, fn: (line: string, lineNo: number) => void): number {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(READ_CHUNK);
    let carry = Buffer.alloc(0);
    let consumed = 0;
    let lineNo = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const data = carry.length ? Buffer.concat([carry, buffer.subarray(0, n)]) : buffer.subarray(0, n);
      const end = data.lastIndexOf(0x0a);
      if (end < 0) {
        carry = Buffer.from(data);
        continue;
      }
      for (const line of data.toString('utf8', 0, end).split('\n')) {
        lineNo++;
        if (line) fn(line, lineNo);
      }
      consumed += end + 1;
      carry = Buffer.from(data.subarray(end + 1));
    }
    return consumed;
  } finally {
    closeSync(fd);
  }
}

export interface JournalHooks {
  /** Runs before the journal's fsync (e.g. fsync directories that gained body files). */
  beforeSync?: () => void;
  /** Runs once the records are durable (e.g. delete replaced body files, append job rows). */
  afterSync?: () => void;
  /** The whole state as records, for a snapshot. */
  snapshot: () => Iterable<JournalRecord>;
}

interface Waiter { resolve: () => void; reject: (err: Error) => void }

export class Journal {
  private fd = -1;
  private generation = 0;
  private journalBytes = 0;
  private snapshotBytes = 0;
  private pending: string[] = [];
  private pendingChars = 0;
  /** Writes so far, and how many of them an fsync has covered. */
  private writtenSeq = 0;
  private syncedSeq = 0;
  private waiters: Waiter[] = [];
  /** An fsync runs in the thread pool. */
  private inflight = false;
  /** close() came while an fsync ran: the fd is closed when it ends. */
  private closing = false;
  /** A background compaction is writing a snapshot. */
  private compacting = false;
  private scheduled?: NodeJS.Immediate;
  /** Set when a write failed: the disk no longer matches memory, so no later write is acknowledged. */
  private broken?: Error;

  /** @param compactMinBytes compact once the journal is larger than this and twice the snapshot */
  constructor(private readonly dir: string, private readonly hooks: JournalHooks, private readonly compactMinBytes = COMPACT_MIN_BYTES) {}

  /** Replay snapshot + journal into `apply`, then open the journal for appends. */
  load(apply: (record: JournalRecord, source: string) => void): void {
    const snapshotPath = join(this.dir, SNAPSHOT_FILE);
    if (existsSync(snapshotPath)) {
      let header: SnapshotHeader | undefined;
      this.snapshotBytes = forEachLine(snapshotPath, (line, lineNo) => {
        const record = parseLine(snapshotPath, line, lineNo);
        if (lineNo === 1) {
          if (record.t !== 'snapshot' || (record as unknown as SnapshotHeader).format !== 2) throw new StoreCorruptError(snapshotPath, 'line 1 is not a snapshot header');
          header = record as unknown as SnapshotHeader;
        } else {
          apply(record, snapshotPath);
        }
      });
      if (!header) throw new StoreCorruptError(snapshotPath, 'the file is empty');
      this.generation = header.generation;
    }
    // The snapshot's journal, then those a compaction started after it (its snapshot never landed).
    const first = this.generation;
    for (let g = first; g === first || existsSync(join(this.dir, journalName(g))); g++) {
      this.generation = g;
      const path = join(this.dir, journalName(g));
      if (!existsSync(path)) break;
      // Only the last line can be torn (a kill in the middle of an append); it was never acknowledged.
      this.journalBytes = forEachLine(path, (line, lineNo) => apply(parseLine(path, line, lineNo), path));
    }
    // Journals older than the snapshot were folded into it before a crash removed them.
    for (const name of readdirSync(this.dir)) {
      const m = JOURNAL_FILE.exec(name);
      if ((m && (Number(m[1]) < first || Number(m[1]) > this.generation)) || name.startsWith(`${SNAPSHOT_FILE}.`)) rmSync(join(this.dir, name), { force: true });
    }
    this.fd = openSync(join(this.dir, journalName(this.generation)), 'a');
    if (fstatSync(this.fd).size !== this.journalBytes) {
      ftruncateSync(this.fd, this.journalBytes);
      fsyncSync(this.fd);
    }
  }

  append(record: JournalRecord): void {
    const line = `${JSON.stringify(record)}\n`;
    this.pending.push(line);
    this.pendingChars += line.length;
    this.scheduled ??= setImmediate(() => this.commit());
    if (this.pendingChars > SPILL_CHARS && !this.broken) {
      try {
        this.write();
      } catch (err) {
        this.fail(err, []);
      }
    }
  }

  private write(): void {
    const data = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    writeSync(this.fd, data);
    this.journalBytes += data.length;
    this.writtenSeq++;
  }

  /** Resolves once everything appended so far is on disk (fsync'd). */
  durable(): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    if (!this.pending.length && this.syncedSeq === this.writtenSeq) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private fail(err: unknown, waiters: Waiter[]): Error {
    this.broken ??= new Error(`the emulator store could not be written: ${(err as Error).message}`);
    for (const w of waiters) w.reject(this.broken);
    return this.broken;
  }

  /**
   * The group commit: write what is pending, fsync in the thread pool (the event loop keeps
   * taking requests, whose records form the next group), then answer the waiters of this group.
   */
  private commit(): void {
    this.scheduled = undefined;
    if (this.inflight || this.fd < 0) return; // the running commit schedules the next one
    const waiters = this.waiters;
    this.waiters = [];
    if (this.broken) return void this.fail(this.broken, waiters);
    if (!this.pending.length && this.syncedSeq === this.writtenSeq) {
      for (const w of waiters) w.resolve();
      return;
    }
    try {
      this.hooks.beforeSync?.();
      if (this.pending.length) this.write();
    } catch (err) {
      return void this.fail(err, waiters);
    }
    const seq = this.writtenSeq;
    const fd = this.fd;
    this.inflight = true;
    fsync(fd, (err) => {
      this.inflight = false;
      if (this.closing) closeSync(fd);
      if (err && this.syncedSeq < seq) return void this.fail(err, waiters);
      this.syncedSeq = Math.max(this.syncedSeq, seq);
      this.hooks.afterSync?.();
      for (const w of waiters) w.resolve();
      if (this.closing) return;
      if (!this.compacting && this.journalBytes > Math.max(this.compactMinBytes, 2 * this.snapshotBytes)) {
        this.compactInBackground().catch((compactErr) => this.fail(compactErr, []));
      }
      if (this.pending.length || this.waiters.length || this.syncedSeq !== this.writtenSeq) this.scheduled ??= setImmediate(() => this.commit());
    });
  }

  /** Write and fsync everything now, on this thread (close, reset, compaction). */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const waiters = this.waiters;
    this.waiters = [];
    try {
      if (this.broken) throw this.broken;
      if (this.pending.length || this.syncedSeq !== this.writtenSeq) {
        this.hooks.beforeSync?.();
        if (this.pending.length) this.write();
        fsyncSync(this.fd);
        this.syncedSeq = this.writtenSeq;
      }
    } catch (err) {
      throw this.fail(err, waiters);
    }
    this.hooks.afterSync?.();
    for (const w of waiters) w.resolve();
  }

  /**
   * Fold everything into a new snapshot, now, on this thread (the migration of an old state.json).
   * Running emulators compact in the background instead (`compactInBackground`).
   */
  compact(): void {
    const next = this.switchJournal();
    const snapshot = this.snapshotWriter(next);
    while (!snapshot.next().done);
  }

  /**
   * Compaction while requests go on: new records go to the next journal at once, and the
   * snapshot is written a chunk at a time between requests. Records replace whole entities, so a
   * snapshot taken while they change is exact once the next journal is replayed on top; a kill
   * before the snapshot lands leaves both journals, and the next start replays both.
   */
  private async compactInBackground(): Promise<void> {
    this.compacting = true;
    try {
      const next = this.switchJournal();
      for (const _ of this.snapshotWriter(next)) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.fd < 0) return; // closed: the journals stay, the next start replays them
      }
    } finally {
      this.compacting = false;
    }
  }

  /** Make what is pending durable, then append to the next generation's journal. */
  private switchJournal(): number {
    this.flush();
    const next = this.generation + 1;
    const fd = openSync(join(this.dir, journalName(next)), 'a');
    syncDirectory(this.dir);
    if (this.inflight) this.closing = true; // cannot happen from the commit callback; kept safe
    else closeSync(this.fd);
    this.fd = fd;
    this.generation = next;
    this.journalBytes = 0;
    return next;
  }

  /** Write the snapshot of `generation` in ~4 MiB chunks (one per step), then install it and drop the older journals. */
  private *snapshotWriter(generation: number): Generator<void> {
    const snapshotPath = join(this.dir, SNAPSHOT_FILE);
    const tmp = `${snapshotPath}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w');
    let bytes = 0;
    let complete = false;
    try {
      let chunk: string[] = [JSON.stringify({ t: 'snapshot', format: 2, generation })];
      let chunkLength = 0;
      const write = () => {
        const data = Buffer.from(`${chunk.join('\n')}\n`, 'utf8');
        writeSync(fd, data);
        bytes += data.length;
        chunk = [];
        chunkLength = 0;
      };
      for (const record of this.hooks.snapshot()) {
        const line = JSON.stringify(record);
        chunk.push(line);
        chunkLength += line.length;
        if (chunkLength > 4 * 1024 * 1024) {
          write();
          yield;
        }
      }
      if (chunk.length) write();
      fsyncSync(fd);
      complete = true;
    } finally {
      closeSync(fd);
      if (!complete) rmSync(tmp, { force: true }); // failed, or abandoned by a close()
    }
    renameSync(tmp, snapshotPath);
    syncDirectory(this.dir);
    for (const name of readdirSync(this.dir)) {
      const m = JOURNAL_FILE.exec(name);
      if (m && Number(m[1]) < generation) rmSync(join(this.dir, name), { force: true });
    }
    this.snapshotBytes = bytes;
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      this.flush();
    } finally {
      if (this.inflight) this.closing = true; // the running fsync closes it
      else closeSync(this.fd);
      this.fd = -1;
    }
  }
}

function parseLine(path: string, line: string, lineNo: number): JournalRecord {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (err) {
    throw new StoreCorruptError(path, `line ${lineNo}: ${(err as Error).message}`);
  }
  if (typeof record !== 'object' || record === null || typeof (record as JournalRecord).t !== 'string') {
    throw new StoreCorruptError(path, `line ${lineNo} is not a store record`);
  }
  return record as JournalRecord;
}
