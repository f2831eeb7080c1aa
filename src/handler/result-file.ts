/**
 * The result file the second terraform_data reads. Written atomically: a temp file in the same
 * directory (so the rename stays on one file system) renamed over the target, so a reader — or
 * a crash — never sees half a file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { EXIT, HandlerError } from './errors';

export function writeResultFile(path: string, value: object): void {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new HandlerError(EXIT.USAGE, `could not write the result file ${path} (OSS_BATCH_RESULT): ${(err as Error).message}. Check that its directory is writable.`);
  }
}

/** The parsed file; undefined when it is missing or not JSON (both mean: no usable result). */
export function readResultFile<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function removeResultFile(path: string): void {
  rmSync(path, { force: true });
}
