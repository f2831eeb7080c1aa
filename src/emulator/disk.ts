/**
 * Disk helpers of the emulator's data directory: durable atomic file writes and the directory lock.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Write to a temp file, fsync, then rename: readers see the old or the new content, never a torn one, even after a crash. */
export function atomicWrite(path: string, data: string | Buffer): void {
  renameSync(writeSyncedTemp(path, data), path);
  syncDirectory(dirname(path));
}

/** Write `data` to a fresh temp file beside `path` and fsync it; returns the temp file's path. */
function writeSyncedTemp(path: string, data: string | Buffer): string {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return tmp;
}

export function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export const LOCK_FILE = 'emulator.lock';

/** The data directory is held by another emulator (or one is starting on it right now). */
export class DataDirLockedError extends Error {}
const TAKEOVER_FILE = 'emulator.lock.takeover';

/** Directories locked by emulators of this process (a pid alone cannot tell two of them apart). */
const lockedHere = new Set<string>();

/**
 * What a lock file holds: `<pid> <start time>`. The start time (Linux: clock ticks since boot,
 * from /proc) tells a live holder from an unrelated process that got the same pid after the
 * holder was killed. Elsewhere only the pid is written.
 */
export function lockToken(pid: number): string {
  const started = processStartTime(pid);
  return started === undefined ? String(pid) : `${pid} ${started}`;
}

function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may hold spaces, so count from its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Create `path` holding `content` atomically: never an empty or half-written lock file, and only one creator wins. */
function createExclusive(path: string, content: string): boolean {
  const tmp = writeSyncedTemp(path, content);
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Take `<dir>/emulator.lock` or fail with a clear message when another live emulator holds it.
 * A lock whose holder is gone (killed, or its pid now belongs to another process) is taken over
 * under a second, short-lived lock, so two starters never both take over the same stale lock.
 * Returns the release function.
 */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  const key = resolve(dir);
  if (lockedHere.has(key)) {
    throw new DataDirLockedError(`the emulator data directory ${dir} is in use by another emulator in this process; stop it first or use another --data-dir`);
  }
  const token = lockToken(process.pid);
  if (!createExclusive(path, token)) {
    const takeover = join(dir, TAKEOVER_FILE);
    if (!createExclusive(takeover, token)) {
      if (holderAlive(readToken(takeover))) throw new DataDirLockedError(`could not lock the emulator data directory ${dir}: another emulator is starting on it at the same time`);
      rmSync(takeover, { force: true }); // left by a starter killed mid-takeover
      if (!createExclusive(takeover, token)) throw new DataDirLockedError(`could not lock the emulator data directory ${dir}: another emulator is starting on it at the same time`);
    }
    try {
      const holder = readToken(path);
      if (holderAlive(holder)) {
        throw new DataDirLockedError(`the emulator data directory ${dir} is in use by process ${holder!.split(' ')[0]}; stop it or use another --data-dir`);
      }
      rmSync(path, { force: true });
      if (!createExclusive(path, token)) throw new DataDirLockedError(`could not lock the emulator data directory ${dir}: another emulator is starting on it at the same time`);
    } finally {
      rmSync(takeover, { force: true });
    }
  }
  lockedHere.add(key);
  return () => {
    lockedHere.delete(key);
    if (readToken(path) === token) rmSync(path, { force: true });
  };
}

function readToken(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Whether the lock's holder still runs: its pid exists and, when recorded, started at the same time. */
function holderAlive(token: string | undefined): boolean {
  const m = /^(\d+)(?: (\d+))?$/.exec(token ?? '');
  if (!m) return false;
  const pid = Number(m[1]);
  if (pid === process.pid) return false; // this process holds no lock on it (lockedHere says so)
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return m[2] === undefined || processStartTime(pid) === undefined || processStartTime(pid) === m[2];
}
