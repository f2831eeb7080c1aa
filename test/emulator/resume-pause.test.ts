/**
 * Jobs across restarts (they resume at the task where they stopped), the Pausing/Paused test
 * hook, Active time over several spans, and what the request log and fault holds do.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '../../src/emulator';
import { redactQuery } from '../../src/emulator/server';
import type { OssClient } from '../../src/oss/client';
import { parseReportCsv, ReportManifest, reportManifestKey, ReportRow } from '../../src/oss/csv';
import { MANIFEST_FORMAT_CSV } from '../../src/oss/model';
import { clientFor, jobInput, raw, rejection, signedRaw, sleep, start, stopAndClean, waitForStatus } from './helpers';

const KEYS = Array.from({ length: 30 }, (_, i) => `slow/${String(i).padStart(2, '0')}.txt`);

async function readReport(client: OssClient, jobId: string): Promise<{ manifest: ReportManifest; rows: ReportRow[] }> {
  const manifest = JSON.parse((await client.getObject('reports', reportManifestKey('reports/', jobId))).body.toString()) as ReportManifest;
  const rows: ReportRow[] = [];
  for (const key of manifest.resultFiles) rows.push(...parseReportCsv((await client.getObject('reports', key)).body.toString()));
  return { manifest, rows };
}

/** Poll until the job has done at least `count` tasks (and is still Active). */
async function waitForProgress(client: OssClient, jobId: string, count: number): Promise<number> {
  const deadline = Date.now() + 8000;
  for (;;) {
    const job = await client.describeJob(jobId);
    const done = job.progressSummary.numberOfTasksSucceeded + job.progressSummary.numberOfTasksFailed;
    if (done >= count) return done;
    if (Date.now() > deadline) throw new Error(`job ${jobId} did only ${done} tasks (${job.status})`);
    await sleep(20);
  }
}

describe('jobs across a restart', () => {
  let dataDir: string;
  let emulator: RunningEmulator | undefined;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'oss-emu-resume-'));
    emulator = await start({ dataDir, tasksPerSecond: 20 });
    const client = clientFor(emulator);
    for (const b of ['source', 'reports']) await client.createBucket(b);
    for (const k of KEYS) await client.putObject('source', k, k);
  });
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const restart = async (options: { tasksPerSecond?: number } = {}) => {
    await emulator!.stop();
    emulator = await start({ dataDir, ...options });
    return clientFor(emulator);
  };

  test('an Active job resumes with its counters and ends with one report row per task', async () => {
    let client = clientFor(emulator!);
    const { jobId } = await client.createJob(jobInput({ keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'slow/' } }));
    await waitForProgress(client, jobId, 5);
    await emulator!.stop();
    expect(readdirSync(join(dataDir, 'jobs')).sort()).toEqual([`${jobId}.rows.jsonl`, `${jobId}.tasks.json`]);

    emulator = await start({ dataDir, tasksPerSecond: 1 });
    client = clientFor(emulator);
    const resumed = await client.describeJob(jobId);
    expect(resumed.status).toBe('Active');
    const doneAtRestart = resumed.progressSummary.numberOfTasksSucceeded;
    expect(doneAtRestart).toBeGreaterThanOrEqual(5);
    await sleep(200); // a few engine ticks: the counters carry on, they do not start over
    expect((await client.describeJob(jobId)).progressSummary.numberOfTasksSucceeded).toBeGreaterThanOrEqual(doneAtRestart);

    client = await restart();
    const job = await waitForStatus(client, jobId, 'Complete');
    expect(job.progressSummary).toMatchObject({ totalNumberOfTasks: 30, numberOfTasksSucceeded: 30, numberOfTasksFailed: 0 });
    const { manifest, rows } = await readReport(client, jobId);
    expect(manifest).toMatchObject({ status: 'Complete', totalTasks: 30, succeededTasks: 30 });
    expect(rows.map((r) => r.key)).toEqual(KEYS); // task order, each once
    await emulator!.stop(); // the files go with the job's final state write
    emulator = undefined;
    expect(readdirSync(join(dataDir, 'jobs'))).toEqual([]);
  });

  test('done tasks are not run again: an object deleted after its task still counts as succeeded', async () => {
    let client = clientFor(emulator!);
    const { jobId } = await client.createJob(jobInput({ keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'slow/' } }));
    await waitForProgress(client, jobId, 3);
    emulator!.engine.pause(jobId);
    const paused = await waitForStatus(client, jobId, 'Paused');
    const done = paused.progressSummary.numberOfTasksSucceeded;

    client = await restart({ tasksPerSecond: 0 });
    expect((await client.describeJob(jobId)).status).toBe('Paused'); // nothing resumes a Paused job but resume()
    await client.deleteObject('source', KEYS[0]);
    emulator!.engine.resume(jobId);
    const job = await waitForStatus(client, jobId, 'Complete');
    expect(job.progressSummary).toMatchObject({ totalNumberOfTasks: 30, numberOfTasksSucceeded: 30, numberOfTasksFailed: 0 });
    const { rows } = await readReport(client, jobId);
    expect(rows.map((r) => r.key)).toEqual(KEYS);
    expect(rows[0]).toMatchObject({ key: KEYS[0], taskStatus: 'succeeded' });
    expect(done).toBeGreaterThanOrEqual(3);
  });

  test('a Paused job cancelled after a restart reports the tasks done before the pause', async () => {
    let client = clientFor(emulator!);
    const { jobId } = await client.createJob(jobInput({ keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'slow/' } }));
    await waitForProgress(client, jobId, 4);
    emulator!.engine.pause(jobId);
    const done = (await waitForStatus(client, jobId, 'Paused')).progressSummary.numberOfTasksSucceeded;
    expect(done).toBeLessThan(30);

    client = await restart();
    expect(await client.updateJobStatus(jobId, 'Cancelled', 'not needed')).toMatchObject({ status: 'Cancelling' });
    const job = await waitForStatus(client, jobId, 'Cancelled');
    expect(job.progressSummary).toMatchObject({ totalNumberOfTasks: 30, numberOfTasksSucceeded: done });
    const { manifest, rows } = await readReport(client, jobId);
    expect(manifest).toMatchObject({ status: 'Cancelled', totalTasks: 30, succeededTasks: done });
    expect(rows.map((r) => r.key)).toEqual(KEYS.slice(0, done));
    await emulator!.stop();
    emulator = undefined;
    expect(existsSync(join(dataDir, 'jobs', `${jobId}.tasks.json`))).toBe(false);
  });
});

describe('jobs tell the truth about their manifest', () => {
  let dataDir: string;
  let emulator: RunningEmulator | undefined;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'oss-emu-truth-'));
    emulator = await start({ dataDir, tasksPerSecond: 20 });
    const client = clientFor(emulator);
    for (const b of ['source', 'reports', 'manifests']) await client.createBucket(b);
    for (const k of KEYS) await client.putObject('source', k, k);
  });
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const csvJob = async (client: OssClient) => {
    const { etag } = await client.putObject('manifests', 'm.csv', KEYS.map((k) => `source,${k}\n`).join(''));
    return client.createJob(jobInput({
      keyPrefixManifestGenerator: undefined,
      manifest: { location: { bucket: 'manifests', object: 'm.csv', etag }, spec: { format: MANIFEST_FORMAT_CSV, fields: 'Bucket,Key' } },
    }));
  };

  test('the manifest overwritten while the job runs: after a restart the job finishes the task list it was prepared with', async () => {
    let client = clientFor(emulator!);
    const { jobId } = await csvJob(client);
    await waitForProgress(client, jobId, 3);
    await client.putObject('manifests', 'm.csv', 'source,other\n');
    await emulator!.stop();
    emulator = await start({ dataDir });
    client = clientFor(emulator);
    const job = await waitForStatus(client, jobId, ['Complete', 'Failed']);
    expect([job.status, job.progressSummary]).toEqual(['Complete', expect.objectContaining({ totalNumberOfTasks: 30, numberOfTasksSucceeded: 30 })]);
  });

  test('a restarted job whose task list is lost and whose pinned manifest changed fails with the reason, never Complete with 0 done', async () => {
    let client = clientFor(emulator!);
    const { jobId } = await csvJob(client);
    await waitForProgress(client, jobId, 3);
    await client.putObject('manifests', 'm.csv', 'source,other\n');
    await emulator!.stop();
    rmSync(join(dataDir, 'jobs', `${jobId}.tasks.json`));
    emulator = await start({ dataDir });
    client = clientFor(emulator);
    const job = await waitForStatus(client, jobId, ['Complete', 'Failed']);
    expect(job.status).toBe('Failed');
    expect(job.failureReasons).toEqual([{ failureCode: 'InvalidManifest', failureReason: expect.stringMatching(/^the manifest could not be read: the manifest oss:\/\/manifests\/m\.csv changed: its ETag is \w+, the job expects /) }]);
  });

  test('a restarted job whose task list is lost and whose manifest is gone fails with NoSuchKey', async () => {
    let client = clientFor(emulator!);
    const { jobId } = await csvJob(client);
    await waitForProgress(client, jobId, 3);
    await client.deleteObject('manifests', 'm.csv');
    await emulator!.stop();
    rmSync(join(dataDir, 'jobs', `${jobId}.tasks.json`));
    emulator = await start({ dataDir });
    const job = await waitForStatus(clientFor(emulator), jobId, ['Complete', 'Failed']);
    expect([job.status, job.failureReasons]).toEqual(['Failed', [{ failureCode: 'NoSuchKey', failureReason: 'the manifest could not be read: The specified key does not exist: m.csv' }]]);
  });

  test('a job that reaches Preparing after its pinned manifest changed fails with the reason', async () => {
    const client = clientFor(emulator!);
    const { etag } = await client.putObject('manifests', 'm.csv', 'source,slow/00.txt\n');
    await client.putObject('manifests', 'm.csv', 'source,slow/01.txt\n');
    // A job recorded before the overwrite (as after a crash right after CreateJob), prepared now.
    const input = jobInput({ keyPrefixManifestGenerator: undefined, manifest: { location: { bucket: 'manifests', object: 'm.csv', etag }, spec: { format: MANIFEST_FORMAT_CSV, fields: 'Bucket,Key' } } });
    emulator!.store.saveJob({
      jobId: 'J'.repeat(44), clientRequestToken: input.clientRequestToken, bodyHash: 'x', input, status: 'New', creationTime: 0,
      failureReasons: [], totalTasks: 0, succeededTasks: 0, failedTasks: 0, elapsedActiveSeconds: 0,
    });
    emulator!.engine.kick();
    const job = await waitForStatus(client, 'J'.repeat(44), ['Complete', 'Failed']);
    expect(job.status).toBe('Failed');
    expect(job.failureReasons[0]).toMatchObject({ failureCode: 'InvalidManifest', failureReason: expect.stringContaining(`the job expects ${etag}`) });
    expect(job.progressSummary).toMatchObject({ totalNumberOfTasks: 0, numberOfTasksSucceeded: 0 });
  });
});

describe('pause hook and Active time on a simulated clock', () => {
  let emulator: RunningEmulator;
  let client: OssClient;
  let now = new Date('2026-03-01T00:00:00Z');
  const clock = () => now;
  const advance = (seconds: number) => { now = new Date(now.getTime() + seconds * 1000); };

  beforeAll(async () => {
    emulator = await start({ clock, tasksPerSecond: 20 });
    client = clientFor(emulator, { clock });
    for (const b of ['source', 'reports']) await client.createBucket(b);
    for (const k of KEYS) await client.putObject('source', k, k);
  });
  afterAll(() => stopAndClean(emulator));

  test('Active → Pausing → Paused → Active; time spent Paused is not Active time', async () => {
    const { jobId } = await client.createJob(jobInput({ keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'slow/' } }));
    await waitForProgress(client, jobId, 2);
    advance(10);
    emulator.engine.pause(jobId);
    expect((await client.describeJob(jobId)).status).toBe('Pausing');
    const paused = await waitForStatus(client, jobId, 'Paused');
    expect(paused.progressSummary.elapsedTimeInActiveSeconds).toBe(10);
    const done = paused.progressSummary.numberOfTasksSucceeded;
    await sleep(150);
    expect((await client.describeJob(jobId)).progressSummary.numberOfTasksSucceeded).toBe(done); // nothing runs while Paused

    advance(100);
    emulator.engine.resume(jobId);
    advance(5);
    const job = await waitForStatus(client, jobId, 'Complete');
    expect(job.progressSummary).toMatchObject({ numberOfTasksSucceeded: 30, elapsedTimeInActiveSeconds: 15 });
  });

  test('pause is refused outside Active, and for unknown jobs', async () => {
    const { jobId } = await client.createJob(jobInput({ confirmationRequired: true, keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'slow/' } }));
    await waitForStatus(client, jobId, 'Suspended');
    expect(() => emulator.engine.pause(jobId)).toThrow('a job in status Suspended cannot take the "pause" step');
    expect(() => emulator.engine.resume(jobId)).toThrow('a job in status Suspended cannot take the "resume" step');
    expect(() => emulator.engine.pause('nope')).toThrow('The specified job does not exist: nope');
  });
});

describe('request log and fault holds', () => {
  test('redactQuery hides credential values and keeps the rest', () => {
    expect(redactQuery('')).toBe('');
    expect(redactQuery('?')).toBe('');
    expect(redactQuery('?batchJob&batchJobId=abc%3D&prefix=a%0Ab')).toBe('?batchJob&batchJobId=abc%3D&prefix=a%0Ab'); // still encoded: one line
    expect(redactQuery('?x-oss-signature=deadbeef&x-oss-credential=AK%2F20260301&x-oss-security-token=tok&OSSAccessKeyId=AK&Signature=s&acl'))
      .toBe('?x-oss-signature=***&x-oss-credential=***&x-oss-security-token=***&OSSAccessKeyId=***&Signature=***&acl');
    expect(redactQuery('?x-oss-security%2Dtoken=tok&security-token=sts')).toBe('?x-oss-security%2Dtoken=***&security-token=***'); // encoded names too
  });

  test('one line per request with method, path, API, status, time and request id; never a secret or signature', async () => {
    const lines: string[] = [];
    const emulator = await start({ log: (line) => lines.push(line) });
    try {
      const token = 'emulator-sts:9999999999';
      const res = await signedRaw(emulator, { method: 'PUT', bucket: 'logged', headers: { 'x-oss-security-token': token } });
      expect(res.status).toBe(200);
      const anonymous = await raw(emulator, { method: 'GET', path: '/logged/k?x-oss-signature=cafebabe' });
      expect(anonymous.status).toBe(403);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(new RegExp(`^PUT /logged/ PutBucket 200 \\d+ms ${res.headers['x-oss-request-id']}$`));
      expect(lines[1]).toMatch(new RegExp(`^GET /logged/k\\?x-oss-signature=\\*\\*\\* GetObject 403 \\d+ms ${anonymous.headers['x-oss-request-id']} AccessDenied$`));
      const all = lines.join('\n');
      for (const secret of [emulator.credentials.accessKeySecret, token, 'cafebabe', 'OSS4-HMAC-SHA256', 'Signature=']) expect(all).not.toContain(secret);
    } finally {
      await stopAndClean(emulator);
    }
  });

  test('a request held by a timeout fault is dropped at once when the emulator stops', async () => {
    const emulator = await start({ faults: 'timeout:1,timeoutMs:30000' });
    const pending = rejection(raw(emulator, { method: 'GET', path: '/?batchJob' }));
    await sleep(100);
    const started = Date.now();
    await stopAndClean(emulator);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(String(await pending)).toMatch(/socket hang up|ECONNRESET/);
  });
});
