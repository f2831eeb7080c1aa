/** The real CLI process (dist/cli/oss-batch.js, built by `npm test`) against an in-process emulator. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { RunningEmulator, startEmulator } from '../../src/emulator';
import { OssClient } from '../../src/oss/client';
import { encodeManifestLine } from '../../src/oss/csv';
import type { CreateJobInput } from '../../src/oss/model';
import { judge } from '../../src/cli/commands/jobs';
import { reportSummaryText, summarizeReport } from '../../src/cli/format';

const CLI = resolve(__dirname, '../../dist/cli/oss-batch.js');

interface Run { code: number | null; stdout: string; stderr: string }

function cli(args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolvePromise({ code, stdout, stderr }); });
  });
}

describe('oss-batch CLI against the emulator', () => {
  let emulator: RunningEmulator;
  let client: OssClient;
  let env: Record<string, string>;
  let seq = 0;

  const job = async (keys: string[], extra: Partial<CreateJobInput> = {}) => {
    const key = `m-${++seq}.csv`;
    await client.putObject('ops', key, keys.map((k) => encodeManifestLine('src', k)).join(''));
    return (await client.createJob({
      operation: { type: 'PutObjectTagging', tags: [{ key: 'a', value: 'b' }] }, report: { bucket: 'ops', enabled: true, prefix: 'r/' },
      clientRequestToken: `cli-${seq}`, manifest: { location: { bucket: 'ops', object: key }, spec: { format: 'OSS_BatchOperations_CSV_20250611', fields: 'Bucket,Key' } },
      priority: 5, roleArn: 'acs:ram::1234567890123456:role/BatchRole', description: `job ${seq}`, ...extra,
    })).jobId;
  };

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does)`);
    emulator = await startEmulator({ persist: false });
    client = new OssClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials });
    await client.createBucket('src');
    await client.createBucket('ops');
    await Promise.all(['a', 'b', 'c'].map((k) => client.putObject('src', k, k)));
    env = { ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret, OSS_ENDPOINT: emulator.endpoint };
  });
  afterAll(() => emulator.stop());

  test('wait: Complete → exit 0; list and describe show the job; --json parses', async () => {
    const id = await job(['a', 'b']);
    const waited = await cli(['jobs', 'wait', id], env);
    expect(waited.code).toBe(0);
    expect(waited.stdout).toContain(`job ${id} Complete: 2/0/2 tasks`);
    const list = await cli(['jobs', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(id);
    expect(list.stdout).not.toContain('\u001b['); // no colors when not a TTY
    const described = JSON.parse((await cli(['--json', 'jobs', 'describe', id], env)).stdout);
    expect(described).toMatchObject({ jobId: id, status: 'Complete', priority: 5 });
    const listed = JSON.parse((await cli(['--json', 'jobs', 'list', '--status', 'Complete', '--all'], env)).stdout);
    expect(listed.jobs.map((j: { jobId: string }) => j.jobId)).toContain(id);
  });

  test('wait: failed tasks → exit 1 unless tolerated; report summary lists them', async () => {
    const id = await job(['a', 'missing-1', 'b']);
    const strict = await cli(['jobs', 'wait', id], env);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/Complete but 1 tasks failed/);
    expect((await cli(['jobs', 'wait', id, '--max-failed-tasks', '1'], env)).code).toBe(0);
    const summary = await cli(['report', 'summary', '--bucket', 'ops', '--prefix', 'r/', '--job', id], env);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain('NoSuchKey: 1');
    expect(summary.stdout).toContain('oss://src/missing-1: NoSuchKey');
    const missing = await cli(['report', 'summary', '--bucket', 'ops', '--prefix', 'nope/', '--job', id], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no completion report at oss:\/\/ops\/nope\/job-/);
  });

  test('wait: a Failed job → exit 1 with its failure reason', async () => {
    const id = await job(['x1', 'x2', 'x3']);
    const r = await cli(['jobs', 'wait', id], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Failed \(TooManyFailures/);
  });

  test('confirm a Suspended job, cancel a running one, change priority', async () => {
    const suspended = await job(['a'], { confirmationRequired: true });
    await new Promise((r) => setTimeout(r, 100));
    const confirmed = await cli(['jobs', 'confirm', suspended], env);
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toContain(`job ${suspended}: Ready`);
    expect((await cli(['jobs', 'priority', suspended, '42'], env)).stdout).toContain('priority 42');
    const other = await job(['a', 'b'], { confirmationRequired: true });
    await new Promise((r) => setTimeout(r, 100));
    const cancelled = await cli(['jobs', 'cancel', other, '--wait'], env);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain(`job ${other}: Cancelled`);
    const again = await cli(['jobs', 'cancel', other], env);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/^oss-batch: OSS InvalidJobStatus \(409\)/);
  });

  test('errors: unknown job (404 with a hint), bad credentials (403 with a hint), usage (exit 2)', async () => {
    const unknown = await cli(['jobs', 'describe', 'NoSuchJobId'], env);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/NoSuchJob \(404\).*hint: check the job id/);
    const denied = await cli(['jobs', 'list'], { ...env, ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong' });
    expect(denied.code).toBe(4);
    expect(denied.stderr).toMatch(/SignatureDoesNotMatch \(403\).*hint: check ALIBABA_CLOUD_ACCESS_KEY_ID/);
    expect(denied.stderr + denied.stdout).not.toContain('wrong');
    expect((await cli(['jobs', 'frobnicate'], env)).code).toBe(2);
    expect((await cli(['jobs', 'wait'], env)).code).toBe(2);
    expect((await cli(['jobs', 'list', '--status', 'Sleeping'], env)).code).toBe(2);
  });

  test('--help on every command', async () => {
    for (const args of [[], ['jobs'], ['jobs', 'list'], ['jobs', 'describe'], ['jobs', 'wait'], ['jobs', 'cancel'], ['jobs', 'confirm'], ['jobs', 'priority'], ['report', 'summary'], ['emulator']]) {
      const r = await cli([...args, '--help'], env);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: oss-batch/);
    }
  });

  test('emulator prints exactly one stdout line and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'emulator', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    await new Promise<void>((r) => child.stdout.on('data', (d) => { stdout += d; if (stdout.includes('\n')) r(); }));
    expect(stdout).toMatch(/^OSS emulator listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const code = await new Promise<number | null>((r) => { child.on('close', r); child.kill('SIGTERM'); });
    expect(code).toBe(0);
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('pure parts', () => {
  const base = { jobId: 'J', failureReasons: [], progressSummary: { numberOfTasksSucceeded: 3, numberOfTasksFailed: 1, totalNumberOfTasks: 4 } };
  test('judge', () => {
    expect(judge({ ...base, status: 'Complete' }, 1).exitCode).toBe(0);
    expect(judge({ ...base, status: 'Complete' }, 0).exitCode).toBe(1);
    expect(judge({ ...base, status: 'Cancelled' }, 5).exitCode).toBe(1);
    expect(judge({ ...base, status: 'Failed', failureReasons: [{ failureCode: 'X', failureReason: 'y' }] }, 5).message).toContain('Failed (X: y)');
  });
  test('report summary counts by error code and caps the listed failures', () => {
    const rows = [
      { bucket: 'b', key: 'k1', taskStatus: 'failed' as const, errorCode: 'NoSuchKey' },
      { bucket: 'b', key: 'k2', taskStatus: 'failed' as const, errorCode: 'NoSuchKey' },
      { bucket: 'b', key: 'k3', taskStatus: 'failed' as const, errorCode: 'AccessDenied' },
      { bucket: 'b', key: 'k4', taskStatus: 'succeeded' as const },
    ];
    const s = summarizeReport({ jobId: 'J', status: 'Complete', totalTasks: 4, succeededTasks: 1, failedTasks: 3 }, rows, 2);
    expect(s.byErrorCode).toEqual({ NoSuchKey: 2, AccessDenied: 1 });
    expect(s.failures.map((f) => f.key)).toEqual(['k1', 'k2']);
    expect(reportSummaryText(s)).toContain('First 2 failed objects:');
  });
});
