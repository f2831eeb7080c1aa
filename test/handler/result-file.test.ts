/** The result file: atomic write (temp file + rename in the same directory), tolerant read. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, HandlerError } from '../../src/handler/errors';
import { readResultFile, removeResultFile, writeResultFile } from '../../src/handler/result-file';

const dir = () => mkdtempSync(join(tmpdir(), 'oss-batch-result-'));

test('creates missing directories, replaces an older file, leaves no temp file', () => {
  const file = join(dir(), '.oss-batch', 'stack', 'a', 'Job.json');
  writeResultFile(file, { jobId: 'old' });
  writeResultFile(file, { jobId: 'new', n: 1 });
  expect(readFileSync(file, 'utf8')).toBe('{\n  "jobId": "new",\n  "n": 1\n}\n');
  expect(readdirSync(join(file, '..'))).toEqual(['Job.json']);
});

test('a failed write leaves neither a partial target nor a temp file, and says what to fix', () => {
  const root = dir();
  const target = join(root, 'Job.json');
  mkdirSync(target); // a directory where the file should go: the rename fails
  writeFileSync(join(target, 'keep'), 'x');
  let error: unknown;
  try {
    writeResultFile(target, { jobId: 'x' });
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(HandlerError);
  expect((error as HandlerError).exitCode).toBe(EXIT.USAGE);
  expect((error as Error).message).toMatch(/could not write the result file .*Job\.json \(OSS_BATCH_RESULT\).*writable/);
  expect(readdirSync(root)).toEqual(['Job.json']);
  expect(readdirSync(target)).toEqual(['keep']);
});

test('read: missing or unparsable → undefined; remove is idempotent', () => {
  const file = join(dir(), 'r.json');
  expect(readResultFile(file)).toBeUndefined();
  writeFileSync(file, '{"jobId":');
  expect(readResultFile(file)).toBeUndefined();
  writeResultFile(file, { jobId: 'J' });
  expect(readResultFile<{ jobId: string }>(file)).toEqual({ jobId: 'J' });
  removeResultFile(file);
  removeResultFile(file);
  expect(readResultFile(file)).toBeUndefined();
});
