/**
 * Persistence across restarts, the data-directory lock, and fault injection (grammar, seeded
 * replay, and each fault's effect on a real client).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '../../src/emulator';
import { parseFaultSpec } from '../../src/emulator';
import { lockToken } from '../../src/emulator/disk';
import { FaultInjector } from '../../src/emulator/faults';
import type { OssClient } from '../../src/oss/client';
import { OssError, OssNetworkError } from '../../src/oss/errors';
import { decodeErrorXml } from '../../src/oss/xml/error';
import { clientFor, jobInput, ossError, raw, rejection, sleep, start, stopAndClean, waitForStatus } from './helpers';

const tempDir = (label: string) => mkdtempSync(join(tmpdir(), `oss-emu-${label}-`));

describe('persistence', () => {
  let dataDir: string;
  let emulator: RunningEmulator | undefined;
  beforeEach(() => { dataDir = tempDir('persist'); });
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('buckets, objects, versions, tags, ACLs, uploads and jobs survive a stop/start on the same data directory', async () => {
    emulator = await start({ dataDir });
    let client = clientFor(emulator);
    for (const b of ['source', 'reports', 'history']) await client.createBucket(b);
    await client.putBucketVersioning('history', true);
    await client.putObject('source', 'keep/a.txt', 'alpha', { contentType: 'text/plain', tags: [{ key: 'team', value: 'red' }], acl: 'private' });
    await client.putObject('source', 'keep/cold.bin', 'ice', { storageClass: 'Archive' });
    await client.putObject('source', 'todo/1.txt', 'one');
    const v1 = await client.putObject('history', 'doc', 'v1');
    const v2 = await client.putObject('history', 'doc', 'v2');
    const { uploadId } = await client.initiateMultipartUpload('source', 'mp.bin');
    const part1 = await client.uploadPart('source', 'mp.bin', uploadId, 1, Buffer.from('part-one|'));

    const doneInput = jobInput({ keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'keep/' }, operation: { type: 'AddObjectTagging', tags: [{ key: 'batch', value: 'yes' }] } });
    const done = await client.createJob(doneInput);
    await waitForStatus(client, done.jobId, 'Complete');
    const waitingInput = jobInput({ confirmationRequired: true, keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'todo/' } });
    const waiting = await client.createJob(waitingInput);
    await waitForStatus(client, waiting.jobId, 'Suspended');
    const before = await client.describeJob(done.jobId);

    await emulator.stop();
    expect(existsSync(join(dataDir, 'journal-0.jsonl'))).toBe(true);
    expect(existsSync(join(dataDir, 'emulator.lock'))).toBe(false);

    emulator = await start({ dataDir });
    client = clientFor(emulator);
    const a = await client.getObject('source', 'keep/a.txt');
    expect([a.body.toString(), a.contentType]).toEqual(['alpha', 'text/plain']);
    expect(await client.getObjectTagging('source', 'keep/a.txt')).toEqual([{ key: 'team', value: 'red' }, { key: 'batch', value: 'yes' }]);
    expect(await client.getObjectAcl('source', 'keep/a.txt')).toBe('private');
    expect((await client.headObject('source', 'keep/cold.bin')).storageClass).toBe('Archive');
    expect((await client.listObjectsV2('source')).contents.map((c) => c.key)).toEqual(['keep/a.txt', 'keep/cold.bin', 'todo/1.txt']);
    expect((await client.listObjectVersions('history')).versions.map((v) => v.versionId)).toEqual([v1.versionId, v2.versionId]);
    expect((await client.getObject('history', 'doc', { versionId: v1.versionId })).body.toString()).toBe('v1');
    expect((await client.putObject('history', 'doc', 'v3')).versionId).toMatch(/^CAEQ/); // versioning still on

    // the multipart upload carries on
    const part2 = await client.uploadPart('source', 'mp.bin', uploadId, 2, Buffer.from('part-two'));
    await client.completeMultipartUpload('source', 'mp.bin', uploadId, [part1, part2]);
    expect((await client.getObject('source', 'mp.bin')).body.toString()).toBe('part-one|part-two');

    // jobs: same descriptor, same listing, same idempotency, the report objects
    expect(await client.describeJob(done.jobId)).toEqual(before);
    expect((await client.listJobs()).jobs.map((j) => j.jobId).sort()).toEqual([done.jobId, waiting.jobId].sort());
    expect((await client.createJob(doneInput)).jobId).toBe(done.jobId);
    expect((await ossError(client.createJob({ ...doneInput, priority: 1 }))).code).toBe('ClientTokenConflict');
    expect((await client.listObjectsV2('reports', { prefix: `reports/job-${done.jobId}/` })).contents.map((c) => c.key))
      .toEqual([`reports/job-${done.jobId}/manifest.json`, `reports/job-${done.jobId}/results/part-00000.csv`]);

    // the Suspended job is still waiting and runs once confirmed after the restart
    expect((await client.describeJob(waiting.jobId)).status).toBe('Suspended');
    await client.updateJobStatus(waiting.jobId, 'Ready');
    const finished = await waitForStatus(client, waiting.jobId, 'Complete');
    expect(finished.progressSummary).toMatchObject({ totalNumberOfTasks: 1, numberOfTasksSucceeded: 1, numberOfTasksFailed: 0 });
    expect(await client.getObjectTagging('source', 'todo/1.txt')).toEqual([{ key: 'batch', value: 'done' }]);
  });

  test('persist: false keeps nothing on disk', async () => {
    emulator = await start({ dataDir, persist: false });
    await clientFor(emulator).createBucket('ephemeral');
    await clientFor(emulator).putObject('ephemeral', 'k', 'v');
    expect(existsSync(join(dataDir, 'emulator.lock'))).toBe(false);
    await emulator.stop();
    expect(readdirSync(dataDir)).toEqual([]);
    emulator = await start({ dataDir });
    const err = await ossError(clientFor(emulator).getObject('ephemeral', 'k'));
    expect([err.code, err.status]).toEqual(['NoSuchBucket', 404]);
  });

  test('a stopped emulator runs no pending engine step and writes nothing more', async () => {
    emulator = await start({ dataDir });
    await clientFor(emulator).createBucket('quiet');
    const step = jest.spyOn(emulator.engine, 'step');
    emulator.engine.kick(); // a step is now scheduled
    await emulator.stop();
    const journal = join(dataDir, 'journal-0.jsonl');
    const state = statSync(journal).mtimeMs;
    await sleep(150);
    expect(step).not.toHaveBeenCalled();
    expect(statSync(journal).mtimeMs).toBe(state);
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    emulator = undefined;
  });
});

describe('the data-directory lock', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;
  beforeEach(() => { dataDir = tempDir('lock'); });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill();
      await once(child, 'exit');
    }
    child = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a second emulator on a directory held by a live process fails with a clear message', async () => {
    const first = await start({ dataDir });
    const lock = join(dataDir, 'emulator.lock');
    expect(readFileSync(lock, 'utf8')).toBe(lockToken(process.pid));
    await first.stop();
    expect(existsSync(lock)).toBe(false);

    child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = child.pid!;
    writeFileSync(lock, String(pid));
    const err = await rejection(start({ dataDir }));
    expect((err as Error).message).toBe(`the emulator data directory ${dataDir} is in use by process ${pid}; stop it or use another --data-dir`);
    expect(readFileSync(lock, 'utf8')).toBe(String(pid)); // the holder's lock is left alone

    child.kill();
    await once(child, 'exit');
    // now the lock is stale: the next emulator takes the directory over
    const second = await start({ dataDir });
    expect(readFileSync(lock, 'utf8')).toBe(lockToken(process.pid));
    await second.stop();
  });

  test('a lock file without a pid is taken over', async () => {
    writeFileSync(join(dataDir, 'emulator.lock'), 'garbage');
    const emulator = await start({ dataDir });
    expect(readFileSync(join(dataDir, 'emulator.lock'), 'utf8')).toBe(lockToken(process.pid));
    await emulator.stop();
  });

  test('a port already in use fails the start and releases the lock', async () => {
    const holder = await start();
    try {
      const err = await rejection(start({ dataDir, port: holder.port }));
      expect((err as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
      expect(existsSync(join(dataDir, 'emulator.lock'))).toBe(false);
    } finally {
      await stopAndClean(holder);
    }
  });

  test('a bad fault spec fails the start before the data directory is locked', async () => {
    const err = await rejection(start({ dataDir, faults: 'explode:1' }));
    expect((err as Error).message).toMatch(/^unknown fault "explode"/);
    expect(existsSync(join(dataDir, 'emulator.lock'))).toBe(false);
  });
});

describe('fault spec grammar', () => {
  test('every item of the grammar', () => {
    expect(parseFaultSpec('500:0.1, 503:0.2,slowdown:0.05,reset:0.01,reset-after:0.02,timeout:0.03,latency:10-20ms,apis:CreateJob|DescribeJob,timeoutMs:250')).toEqual({
      rates: { 500: 0.1, 503: 0.2, slowdown: 0.05, reset: 0.01, 'reset-after': 0.02, timeout: 0.03 },
      latencyMs: [10, 20], apis: ['CreateJob', 'DescribeJob'], timeoutMs: 250,
    });
    expect(parseFaultSpec('')).toEqual({ rates: {}, timeoutMs: 35_000 });
    expect(parseFaultSpec(' , ')).toEqual({ rates: {}, timeoutMs: 35_000 });
    expect(parseFaultSpec('latency:7ms')).toEqual({ rates: {}, latencyMs: [7, 7], timeoutMs: 35_000 });
    expect(parseFaultSpec('RESET:1,TimeoutMs:5')).toEqual({ rates: { reset: 1 }, timeoutMs: 5 });
    expect(parseFaultSpec('503:0,500:1')).toEqual({ rates: { 503: 0, 500: 1 }, timeoutMs: 35_000 });
  });

  test.each([
    ['503', 'fault spec item "503" needs a value (e.g. 503:0.1)'],
    ['503:1.5', 'fault rate for 503 must be between 0 and 1, got "1.5"'],
    ['503:abc', 'fault rate for 503 must be between 0 and 1, got "abc"'],
    ['reset:-0.1', 'fault rate for reset must be between 0 and 1, got "-0.1"'],
    ['latency:20-10ms', 'latency range 20-10ms is reversed'],
    ['latency:fast', 'latency must look like 50ms or 50-200ms, got "fast"'],
    ['latency:10s', 'latency must look like 50ms or 50-200ms, got "10s"'],
    ['timeoutMs:1.5', 'timeoutMs must be a whole number, got "1.5"'],
    ['explode:1', 'unknown fault "explode" (known: 500, 503, slowdown, reset, reset-after, timeout, latency, apis, timeoutMs)'],
    ['500:0.6,503:0.6', 'fault rates add up to 1.2; they must not exceed 1'],
  ])('"%s" is rejected', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(new Error(message));
  });
});

describe('seeded fault decisions', () => {
  const spec = parseFaultSpec('503:0.3,reset:0.2,latency:0-50ms');
  const run = (seed: number, n = 200) => {
    const injector = new FaultInjector(spec, seed);
    return Array.from({ length: n }, () => injector.decide('ListJobs'));
  };

  test('the same seed gives the same sequence; another seed a different one', () => {
    const a = run(42);
    expect(run(42)).toEqual(a);
    expect(run(43)).not.toEqual(a);
    const actions = new Set(a.map((d) => d.action));
    expect([...actions].sort()).toEqual(['503', 'none', 'reset']);
    for (const d of a) {
      expect(d.latencyMs).toBeGreaterThanOrEqual(0);
      expect(d.latencyMs).toBeLessThanOrEqual(50);
    }
  });

  test('requests to other APIs neither fault nor disturb the sequence', () => {
    const filtered = parseFaultSpec('503:0.5,apis:CreateJob');
    const plain = new FaultInjector(filtered, 9);
    const interleaved = new FaultInjector(filtered, 9);
    const expected = Array.from({ length: 50 }, () => plain.decide('CreateJob'));
    const seen = [];
    for (let i = 0; i < 50; i++) {
      expect(interleaved.decide('ListJobs')).toEqual({ action: 'none', latencyMs: 0 });
      seen.push(interleaved.decide('CreateJob'));
    }
    expect(seen).toEqual(expected);
  });

  test('set() with a seed restarts the sequence', () => {
    const injector = new FaultInjector(spec, 5);
    const first = Array.from({ length: 20 }, () => injector.decide('X'));
    injector.set(spec, 5);
    expect(Array.from({ length: 20 }, () => injector.decide('X'))).toEqual(first);
  });
});

describe('faults on a running emulator', () => {
  let emulator: RunningEmulator;
  let client: OssClient;
  beforeAll(async () => {
    emulator = await start();
    client = clientFor(emulator);
    for (const b of ['source', 'reports']) await client.createBucket(b);
  });
  afterAll(() => stopAndClean(emulator));
  afterEach(() => emulator.setFaults(''));

  const outcome = async (call: Promise<unknown>) => {
    try {
      await call;
      return 'ok';
    } catch (err) {
      return err instanceof OssError ? err.code : String(err);
    }
  };

  test('a seeded schedule replays request for request, and matches the injector', async () => {
    const expected = (() => {
      const injector = new FaultInjector(parseFaultSpec('503:0.5'), 7);
      return Array.from({ length: 16 }, () => (injector.decide('ListJobs').action === '503' ? 'ServiceUnavailable' : 'ok'));
    })();
    expect(new Set(expected)).toEqual(new Set(['ok', 'ServiceUnavailable']));
    const observe = async () => {
      emulator.setFaults('503:0.5', 7);
      const seen = [];
      for (let i = 0; i < 16; i++) seen.push(await outcome(client.listJobs()));
      return seen;
    };
    expect(await observe()).toEqual(expected);
    expect(await observe()).toEqual(expected);
  });

  test('503:1,apis:DescribeJob fails DescribeJob with 503 while ListJobs works', async () => {
    const { jobId } = await client.createJob(jobInput());
    emulator.setFaults('503:1,apis:DescribeJob');
    const err = await ossError(client.describeJob(jobId));
    expect([err.code, err.status]).toEqual(['ServiceUnavailable', 503]);
    expect((await client.listJobs()).jobs.map((j) => j.jobId)).toContain(jobId);

    // retried by the client, still failing every attempt
    const retries: number[] = [];
    const patient = clientFor(emulator, { retry: { maxAttempts: 3 }, retryDeps: { sleep: async () => undefined, onRetry: ({ attempt }) => retries.push(attempt) } });
    expect((await ossError(patient.describeJob(jobId))).code).toBe('ServiceUnavailable');
    expect(retries).toEqual([1, 2]);

    // the fault comes before the signature check: even an anonymous request gets the 503 document
    const res = await raw(emulator, { method: 'GET', path: `/?batchJob&batchJobId=${jobId}` });
    expect(res.status).toBe(503);
    expect(decodeErrorXml(res.body)).toMatchObject({ code: 'ServiceUnavailable', requestId: res.headers['x-oss-request-id'] });

    emulator.setFaults('');
    expect((await client.describeJob(jobId)).jobId).toBe(jobId);
  });

  test('500 and slowdown faults answer InternalError and SlowDown', async () => {
    emulator.setFaults('500:1,apis:ListJobs');
    const internal = await ossError(client.listJobs());
    expect([internal.code, internal.status]).toEqual(['InternalError', 500]);
    emulator.setFaults('slowdown:1,apis:ListJobs');
    const slow = await ossError(client.listJobs());
    expect([slow.code, slow.status]).toEqual(['SlowDown', 503]);
  });

  test('reset-after:1,apis:CreateJob creates the job although the client sees a network error; the retry returns the same id', async () => {
    const before = (await client.listJobs({ maxKeys: 1000 })).jobs.length;
    const input = jobInput();
    emulator.setFaults('reset-after:1,apis:CreateJob');
    const err = await rejection(client.createJob(input));
    expect(err).toBeInstanceOf(OssNetworkError);
    expect((err as OssNetworkError).code).toBe('ECONNRESET');

    emulator.setFaults('');
    const jobs = (await client.listJobs({ maxKeys: 1000 })).jobs;
    expect(jobs).toHaveLength(before + 1);
    const { jobId } = await client.createJob(input);
    expect(jobs.map((j) => j.jobId)).toContain(jobId);
    expect((await client.listJobs({ maxKeys: 1000 })).jobs).toHaveLength(before + 1);
  });

  test('reset:1 drops the request before it is processed: no job is created', async () => {
    const before = (await client.listJobs({ maxKeys: 1000 })).jobs.length;
    emulator.setFaults('reset:1,apis:CreateJob');
    const err = await rejection(client.createJob(jobInput()));
    expect(err).toBeInstanceOf(OssNetworkError);
    emulator.setFaults('');
    expect((await client.listJobs({ maxKeys: 1000 })).jobs).toHaveLength(before);
  });

  test('a client with retries gets through a seeded reset-after schedule with exactly one job', async () => {
    const spec = parseFaultSpec('reset-after:0.5,apis:CreateJob');
    // the first seed whose schedule drops the first answer and lets one of the next three through
    let seed = 1;
    for (; seed < 1000; seed++) {
      const injector = new FaultInjector(spec, seed);
      const actions = Array.from({ length: 4 }, () => injector.decide('CreateJob').action);
      if (actions[0] === 'reset-after' && actions.slice(1).includes('none')) break;
    }
    const before = (await client.listJobs({ maxKeys: 1000 })).jobs.length;
    emulator.setFaults(spec, seed);
    const retries: number[] = [];
    const patient = clientFor(emulator, { retry: { maxAttempts: 4 }, retryDeps: { sleep: async () => undefined, onRetry: ({ attempt }) => retries.push(attempt) } });
    const { jobId } = await patient.createJob(jobInput());
    expect(retries.length).toBeGreaterThanOrEqual(1);
    emulator.setFaults('');
    const jobs = (await client.listJobs({ maxKeys: 1000 })).jobs;
    expect(jobs).toHaveLength(before + 1);
    expect(jobs.map((j) => j.jobId)).toContain(jobId);
  });

  test('timeout holds the request for timeoutMs, then drops the connection', async () => {
    emulator.setFaults('timeout:1,timeoutMs:150,apis:ListJobs');
    const started = Date.now();
    const err = await rejection(client.listJobs());
    expect(err).toBeInstanceOf(OssNetworkError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test('latency is applied to the matching APIs only', async () => {
    emulator.setFaults('latency:300ms,apis:ListJobs');
    let started = Date.now();
    await client.listJobs();
    expect(Date.now() - started).toBeGreaterThanOrEqual(295);
    started = Date.now();
    expect((await ossError(client.describeJob('B'.repeat(44)))).code).toBe('NoSuchJob');
    expect(Date.now() - started).toBeLessThan(250);

    emulator.setFaults('latency:100-120ms,apis:ListJobs');
    started = Date.now();
    await client.listJobs();
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });
});
