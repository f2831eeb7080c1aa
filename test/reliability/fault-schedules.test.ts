/**
 * Reliability under faults: for each seeded schedule the emulator injects transport faults into
 * every API the handler uses, the real bundled handler process is SIGKILLed at a chosen step, and
 * the handler is re-run the way Terraform re-runs a tainted resource, until it succeeds. Both
 * backends: the OSS handler (handler.js) and the S3 handler (s3-handler.js, the AWS SDK).
 * Asserted per schedule: exactly one job per token, the result file matches the emulator's truth,
 * every failure surfaced as a clear error, the result path never holds a partial file, no
 * secret appears in any output, a manifest lands at exactly one content-addressed key, and only a
 * killed run may leave its spool directory behind. `npm test` runs 100 OSS and 50 S3 schedules;
 * `npm run soak` runs 1,000 and 500.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator } from '../../src/emulator';
import type { RunningEmulator } from '../../src/emulator';
import {
  BatchJobEvent, BatchJobResult, EVENT_FORMAT, ManifestFromPrefixEvent, ManifestResult, S3BatchJobEvent, S3BatchJobResult, S3ManifestFromPrefixEvent,
} from '../../src/shared/contract';
import { jobToken, s3JobToken } from '../../src/shared/token';
import { Backend, killTrigger, makeSchedule, Schedule } from './schedules';

const SCHEDULES: Record<Backend, number> = process.env.SOAK ? { oss: 1000, s3: 500 } : { oss: 100, s3: 50 };
const ACCOUNT = '123456789012';
const MAX_ATTEMPTS = 10;
const ACCESS_KEY_ID = 'LTAIreliabilityKeyId01';
const ACCESS_KEY_SECRET = 'reliability-secret-must-never-print';

interface Attempt {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runHandler(handler: string, env: NodeJS.ProcessEnv, onSpawn: (child: ChildProcess) => void): Promise<Attempt> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [handler, 'create'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => { stdout += d; });
    child.stderr!.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
    onSpawn(child);
  });
}

/** The result path is either absent or a complete JSON document with every field. */
function checkResultFile(path: string, fields: string[]): void {
  if (!existsSync(path)) return;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  for (const f of fields) expect(parsed).toHaveProperty(f);
}

/** Totals printed after the run, so the closing note can say what was actually exercised. */
const newStats = () => ({ handlerRuns: 0, killed: 0, failedRuns: 0, injectedFaults: 0, job: 0, manifest: 0 });
const stats: Record<Backend, ReturnType<typeof newStats>> = { oss: newStats(), s3: newStats() };
const FAULT_LINE = / (InternalError|ServiceUnavailable|SlowDown)$| fault=/;

type AnyEvent = BatchJobEvent | ManifestFromPrefixEvent | S3BatchJobEvent | S3ManifestFromPrefixEvent;

/** What differs between the backends: the bundle, its event, credentials, and the truths to compare with. */
interface BackendRun {
  handler: string;
  spoolPrefix: string;
  event: AnyEvent;
  credentials: NodeJS.ProcessEnv;
  /** The token the handler must have sent (computed from the normalized identity). */
  token?: string;
  tokenPattern: RegExp;
  jobResultFields: string[];
  /** The result a finished job must have written, from the emulator's record of it. */
  expectedJobResult(job: { jobId: string; status: string; totalTasks: number; succeededTasks: number; failedTasks: number }): object;
}

function ossRun(schedule: Schedule, emulator: RunningEmulator): BackendRun {
  const name = `rel/oss/${schedule.seed}`;
  const connection = { endpoint: emulator.endpoint };
  // Normalized identities (as the handler's parseEvent returns them), so jobToken(identity) is the token it sends.
  const event: BatchJobEvent | ManifestFromPrefixEvent = schedule.kind === 'job'
    ? {
      kind: 'batch-job', format: EVENT_FORMAT, name, connection,
      identity: {
        region: emulator.region, roleArn: 'acs:ram::1234567890123456:role/BatchRole', priority: 1, description: '', confirmationRequired: false,
        operation: { type: 'PutObjectTagging', tags: [{ key: 'seed', value: String(schedule.seed) }] },
        manifest: { keyPrefix: { sourceBucket: 'src', prefix: 'data/' } }, report: { enabled: true, bucket: 'ops', prefix: 'r/', scope: 'AllTasks' },
        rerunToken: `rel-${schedule.seed}`,
      },
      settings: { autoConfirm: false, waitForCompletion: true, timeoutSeconds: 120, maxFailedTasks: 0, deletionBehavior: 'retain' },
    }
    : {
      kind: 'manifest-from-prefix', format: EVENT_FORMAT, name, connection,
      identity: {
        region: emulator.region, sourceBucket: 'src', prefix: 'data/', filter: { suffixes: [], storageClasses: [] }, includeVersionIds: false,
        manifestBucket: 'ops', manifestPrefix: 'manifests/', rerunToken: `rel-${schedule.seed}`,
      },
    };
  const token = event.kind === 'batch-job' ? jobToken(event.identity) : undefined;
  return {
    handler: resolve(__dirname, '../../dist/handler/handler.js'), spoolPrefix: 'oss-batch-manifest-', event, token, tokenPattern: /^ossb2-[0-9a-f]{58}$/,
    credentials: { ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET },
    jobResultFields: ['jobId', 'status', 'totalTasks', 'succeededTasks', 'failedTasks', 'reportLocation', 'clientRequestToken'],
    expectedJobResult: (job): BatchJobResult => ({
      jobId: job.jobId, status: job.status, totalTasks: job.totalTasks, succeededTasks: job.succeededTasks, failedTasks: job.failedTasks,
      reportLocation: `oss://ops/r/job-${job.jobId}/`, clientRequestToken: token!,
    }),
  };
}

function s3Run(schedule: Schedule, emulator: RunningEmulator): BackendRun {
  const name = `rel/s3/${schedule.seed}`;
  // S3 Control puts the account id in front of the host: a name (resolved to loopback by the handler), not an IP.
  const connection = { endpoint: `http://localhost:${emulator.port}` };
  const event: S3BatchJobEvent | S3ManifestFromPrefixEvent = schedule.kind === 'job'
    ? {
      kind: 's3-batch-job', format: EVENT_FORMAT, name, connection,
      identity: {
        region: emulator.s3Region, accountId: ACCOUNT, roleArn: `arn:aws:iam::${ACCOUNT}:role/BatchRole`, priority: 1, description: '', confirmationRequired: false,
        operation: { type: 'S3PutObjectTagging', tags: [{ key: 'seed', value: String(schedule.seed) }] },
        manifest: { generator: { sourceBucket: 'src', prefix: 'data/' } }, report: { enabled: true, bucket: 'ops', prefix: 'r', scope: 'AllTasks' },
        rerunToken: `rel-${schedule.seed}`,
      },
      settings: { autoConfirm: false, waitForCompletion: true, timeoutSeconds: 120, maxFailedTasks: 0, deletionBehavior: 'retain' },
    }
    : {
      kind: 's3-manifest-from-prefix', format: EVENT_FORMAT, name, connection,
      identity: {
        region: emulator.s3Region, sourceBucket: 'src', prefix: 'data/', filter: { suffixes: [], storageClasses: [] }, includeVersionIds: false,
        manifestBucket: 'ops', manifestPrefix: 'manifests/', rerunToken: `rel-${schedule.seed}`,
      },
    };
  const token = event.kind === 's3-batch-job' ? s3JobToken(event.identity) : undefined;
  return {
    handler: resolve(__dirname, '../../dist/handler/s3-handler.js'), spoolPrefix: 's3-batch-manifest-', event, token, tokenPattern: /^s3b1-[0-9a-f]{59}$/,
    credentials: { AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: ACCESS_KEY_SECRET, AWS_EC2_METADATA_DISABLED: 'true' },
    jobResultFields: ['jobId', 'jobArn', 'status', 'totalTasks', 'succeededTasks', 'failedTasks', 'reportLocation', 'clientRequestToken'],
    expectedJobResult: (job): S3BatchJobResult => ({
      jobId: job.jobId, jobArn: `arn:aws:s3:${emulator.s3Region}:${ACCOUNT}:job/${job.jobId}`, status: job.status, totalTasks: job.totalTasks,
      succeededTasks: job.succeededTasks, failedTasks: job.failedTasks, reportLocation: `s3://ops/r/job-${job.jobId}/`, clientRequestToken: token!,
    }),
  };
}

async function runSchedule(schedule: Schedule): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), `oss-batch-rel-${schedule.backend}-${schedule.seed}-`));
  const emulatorLog: string[] = [];
  let child: ChildProcess | undefined;
  let trigger = killTrigger(schedule.kill, schedule.backend);
  let seen = 0;
  const emulator = await startEmulator({
    persist: false, accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, tasksPerSecond: schedule.tasksPerSecond, seed: schedule.seed,
    log: (line) => {
      emulatorLog.push(line);
      const [, , api, status] = line.split(' ');
      if (trigger && child && api === trigger.api && status === '200' && ++seen >= trigger.count) {
        child.kill('SIGKILL');
        trigger = undefined;
      }
    },
  });
  try {
    const store = emulator.store;
    for (const bucket of ['src', 'ops']) store.createBucket({ name: bucket, created: new Date().toISOString(), storageClass: 'Standard', versioning: 'Off' });
    const now = new Date().toISOString();
    for (let i = 0; i < schedule.objects; i++) {
      store.putObject('src', `data/object-${String(i).padStart(5, '0')}, "quoted".bin`, { etag: 'E', size: 10, storageClass: 'Standard', acl: 'default', contentType: 'x', lastModified: now, tags: [] });
    }
    const backend = schedule.backend === 's3' ? s3Run(schedule, emulator) : ossRun(schedule, emulator);
    const resultFile = join(work, '.oss-batch', 'result.json');
    // The handler's temp directory (the manifest spool), private to this schedule.
    const spoolParent = join(work, 'tmp');
    mkdirSync(spoolParent);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH, HOME: work, TMPDIR: spoolParent, ...backend.credentials,
      OSS_BATCH_EVENT: JSON.stringify(backend.event), OSS_BATCH_RESULT: resultFile, OSS_BATCH_MANIFEST_PART_BYTES: '102400',
    };
    const fields = schedule.kind === 'job' ? backend.jobResultFields : ['bucket', 'key', 'etag', 'objectCount', 'contentSha256', 'fields'];

    emulator.setFaults(schedule.faults, schedule.seed);
    let success: Attempt | undefined;
    const attempts: Attempt[] = [];
    for (let i = 0; i < MAX_ATTEMPTS && !success; i++) {
      const attempt = await runHandler(backend.handler, env, (c) => {
        child = c;
        if (i === 0 && schedule.kill === 'at-start') setTimeout(() => c.kill('SIGKILL'), schedule.seed % 50);
      });
      attempts.push(attempt);
      checkResultFile(resultFile, fields);
      if (attempt.code === 0) success = attempt;
      else if (attempt.signal !== 'SIGKILL') {
        // A failure Terraform shows must be one clear line, not a stack trace.
        expect(attempt.stderr).toMatch(/^cdktf-oss-batch: \S/m);
        expect(attempt.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
        expect([1, 3, 4]).toContain(attempt.code);
      }
    }
    const tally = stats[schedule.backend];
    tally.handlerRuns += attempts.length;
    tally.killed += attempts.filter((a) => a.signal === 'SIGKILL').length;
    tally.failedRuns += attempts.filter((a) => a.code !== 0 && a.signal !== 'SIGKILL').length;
    tally.injectedFaults += emulatorLog.filter((l) => FAULT_LINE.test(l)).length;
    tally[schedule.kind]++;
    if (!success) throw new Error(`${schedule.backend} seed ${schedule.seed}: no success in ${MAX_ATTEMPTS} attempts; last stderr: ${attempts.at(-1)?.stderr}`);
    emulator.setFaults('');

    const everything = attempts.map((a) => a.stdout + a.stderr).join('') + emulatorLog.join('\n');
    expect(everything).not.toContain(ACCESS_KEY_SECRET);
    // A run that ended (failed or succeeded) removed its spool; only a SIGKILLed one can leave it behind.
    const spools = readdirSync(spoolParent);
    expect(spools.every((d) => d.startsWith(backend.spoolPrefix))).toBe(true);
    const killed = attempts.filter((a) => a.signal === 'SIGKILL').length;
    expect(spools.length).toBeLessThanOrEqual(schedule.kind === 'job' ? 0 : killed);
    // A run killed while listing or uploading had its spool open: it is there (so TMPDIR did reach the handler).
    if ((schedule.kill === 'mid-list' || schedule.kill === 'mid-upload') && killed > 0) expect(spools.length).toBeGreaterThanOrEqual(1);

    if (schedule.kind === 'job') {
      expect(backend.token).toMatch(backend.tokenPattern);
      const jobs = [...store.jobs()].filter((j) => j.clientRequestToken === backend.token);
      expect(jobs).toHaveLength(1);
      const result = JSON.parse(readFileSync(resultFile, 'utf8')) as BatchJobResult;
      expect(result).toEqual(backend.expectedJobResult(jobs[0]));
      expect(result).toMatchObject({ status: 'Complete', totalTasks: schedule.objects, succeededTasks: schedule.objects });
    } else {
      const result = JSON.parse(readFileSync(resultFile, 'utf8')) as ManifestResult;
      // Every attempt listed the same objects, so every upload (complete or not) went to the same
      // content-addressed key: exactly one manifest object, the one the result names.
      const manifests = [...store.liveObjects('ops', 'manifests/')].map(([key]) => key);
      expect(manifests).toEqual([result.key]);
      const stored = store.version('ops', result.key);
      const body = store.blobs.read(stored.blob);
      const sha = createHash('sha256').update(body).digest('hex');
      // S3 spells ETags in lower case and quoted, OSS in upper case.
      expect({ ...result, etag: result.etag.replace(/"/g, '').toLowerCase() }).toEqual({
        bucket: 'ops', key: `manifests/${sha}.csv`, etag: stored.etag.toLowerCase(), objectCount: schedule.objects, contentSha256: sha, fields: 'Bucket,Key',
      });
      expect(body.toString('utf8').split('\n').filter(Boolean)).toHaveLength(schedule.objects);
    }
  } finally {
    child?.kill('SIGKILL');
    await emulator.stop();
  }
}

describe.each(['oss', 's3'] as const)('fault schedules, %s handler', (backend) => {
  const bundle = resolve(__dirname, `../../dist/handler/${backend === 's3' ? 's3-handler.js' : 'handler.js'}`);
  beforeAll(() => {
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build (npm test does)`);
  });
  afterAll(() => {
    const t = stats[backend];
    // eslint-disable-next-line no-console
    console.log(`reliability (${backend}): ${SCHEDULES[backend]} schedules (${t.job} jobs, ${t.manifest} manifests), ${t.handlerRuns} handler runs, ` +
      `${t.killed} SIGKILLed, ${t.failedRuns} failed with a clear error, ${t.injectedFaults} injected faults`);
  });
  const schedules = Array.from({ length: SCHEDULES[backend] }, (_, i) => makeSchedule(i + 1, backend));
  test.concurrent.each(schedules.map((s) => [s.seed, s.kind, s.kill, s] as const))('seed %i: %s, kill %s', async (_seed, _kind, _kill, schedule) => {
    await runSchedule(schedule);
  }, 180_000);
});
