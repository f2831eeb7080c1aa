/**
 * Per-job progress files (src/emulator/job-files.ts) and the data-directory lock (disk.ts).
 */
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atomicWrite, LOCK_FILE, lockDataDir, lockToken } from '../../src/emulator/disk';
import { JobFiles } from '../../src/emulator/job-files';
import type { ReportRow } from '../../src/oss/csv';

const row = (key: string, taskStatus: ReportRow['taskStatus'] = 'succeeded'): ReportRow => ({ bucket: 'b', key, taskStatus, httpStatus: taskStatus === 'succeeded' ? 200 : 404 });

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'oss-emu-jobfiles-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('JobFiles', () => {
  test('the task list round-trips, keys and version ids exactly', () => {
    const files = new JobFiles(join(dir, 'jobs'));
    const tasks = [{ bucket: 'b', key: 'a,"b"\nc' }, { bucket: 'b', key: 'ключ', versionId: 'CAEQx' }];
    files.saveTasks('J1', tasks);
    expect(files.loadTasks('J1')).toEqual(tasks);
    expect(files.loadTasks('other')).toBeUndefined();
  });

  test('rows reach the disk only on flush, appended in order', () => {
    const files = new JobFiles(join(dir, 'jobs'));
    files.queueRows('J1', [row('1'), row('2', 'failed')]);
    expect(files.loadRows('J1')).toEqual([]);
    files.flush();
    files.queueRows('J1', [row('3')]);
    files.flush();
    expect(files.loadRows('J1')).toEqual([row('1'), row('2', 'failed'), row('3')]);
  });

  test('a torn last line (a kill in the middle of an append) is ignored', () => {
    const files = new JobFiles(join(dir, 'jobs'));
    files.queueRows('J1', [row('1'), row('2')]);
    files.flush();
    appendFileSync(join(dir, 'jobs', 'J1.rows.jsonl'), '{"bucket":"b","ke');
    expect(files.loadRows('J1')).toEqual([row('1'), row('2')]);
  });

  test('saving the task list again (Preparing re-run) starts a fresh row log', () => {
    const files = new JobFiles(join(dir, 'jobs'));
    files.saveTasks('J1', [{ bucket: 'b', key: '1' }]);
    files.queueRows('J1', [row('1')]);
    files.flush();
    files.saveTasks('J1', [{ bucket: 'b', key: '1' }]);
    expect(files.loadRows('J1')).toEqual([]);
  });

  test('drop removes both files on the next flush and discards pending rows', () => {
    const files = new JobFiles(join(dir, 'jobs'));
    files.saveTasks('J1', [{ bucket: 'b', key: '1' }]);
    files.queueRows('J1', [row('1')]);
    files.flush();
    files.queueRows('J1', [row('2')]);
    files.drop('J1');
    expect(files.loadTasks('J1')).toBeDefined();
    files.flush();
    expect(readdirSync(join(dir, 'jobs'))).toEqual([]);
  });

  test('without a directory nothing is written or remembered', () => {
    const files = new JobFiles(undefined);
    files.saveTasks('J1', [{ bucket: 'b', key: '1' }]);
    files.queueRows('J1', [row('1')]);
    files.flush();
    expect(files.loadTasks('J1')).toBeUndefined();
    expect(files.loadRows('J1')).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('atomicWrite and lockDataDir', () => {
  test('atomicWrite replaces the file and leaves no temp file', () => {
    const path = join(dir, 'state.json');
    atomicWrite(path, 'one');
    atomicWrite(path, Buffer.from('two'));
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  test('a second lock in the same process fails clearly; release frees the directory', () => {
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(lockToken(process.pid));
    expect(() => lockDataDir(dir)).toThrow(`the emulator data directory ${dir} is in use by another emulator in this process; stop it first or use another --data-dir`);
    expect(() => lockDataDir(`${dir}/.`)).toThrow(/in use by another emulator in this process/); // same directory, other spelling
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir)();
  });

  test('a lock left behind by this pid without a live holder (an earlier crash) is taken over', () => {
    writeFileSync(join(dir, LOCK_FILE), String(process.pid));
    const release = lockDataDir(dir);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  test('release leaves a lock that another process took over alone', () => {
    const release = lockDataDir(dir);
    writeFileSync(join(dir, LOCK_FILE), '999999999');
    release();
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe('999999999');
  });
});
