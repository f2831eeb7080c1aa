/**
 * Disk helpers of the emulator's data directory: atomic file writes and the directory lock.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Write to a temp file, then rename: readers see the old or the new content, never a torn one. */
export function atomicWrite(path: string, data: string | Buffer): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export const LOCK_FILE = 'emulator.lock';

/** Directories locked by emulators of this process (a pid alone cannot tell two of them apart). */
const lockedHere = new Set<string>();

/**
 * Take `<dir>/emulator.lock` (created exclusively, holding our pid) or fail with a clear message
 * when another live emulator holds it. A lock left by a dead process, or without a pid, is
 * taken over. Returns the release function.
 */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  const key = resolve(dir);
  if (lockedHere.has(key)) {
    throw new Error(`the emulator data directory ${dir} is in use by another emulator in this process; stop it first or use another --data-dir`);
  }
  // Two rounds: the second runs after removing a stale lock (another starter may win that race).
  for (let round = 0; round < 2; round++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      lockedHere.add(key);
      return () => {
        lockedHere.delete(key);
        if (readLockPid(path) === process.pid) rmSync(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readLockPid(path);
    if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
      throw new Error(`the emulator data directory ${dir} is in use by process ${holder}; stop it or use another --data-dir`);
    }
    rmSync(path, { force: true });
  }
  throw new Error(`could not lock the emulator data directory ${dir}: another emulator is starting on it at the same time`);
}

function readLockPid(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
