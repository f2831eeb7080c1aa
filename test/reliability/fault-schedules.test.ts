/**
 * Reliability under faults: for each seeded schedule the emulator injects transport faults into
 * every API the handler uses, the real bundled handler process is SIGKILLed at a chosen step, and
 * the handler is re-run the way Terraform re-runs a tainted resource, until it succeeds.
 * Asserted per schedule: exactly one job per token, the result file matches the emulator's truth,
 * every failure surfaced as a clear error, the result path never holds a partial file, no
 * secret appears in any output, a manifest lands at exactly one content-addressed key, and only a
 * killed run may leave its spool directory behind. `npm test` runs 100 schedules; `npm run soak` runs 1,000.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator } from '../../src/emulator';
import { BatchJobEvent, BatchJobResult, EVENT_FORMAT, ManifestFromPrefixEvent, ManifestResult } from '../../src/shared/contract';
import { jobToken } from '../../src/shared/token';
import { killTrigger, makeSchedule, Schedule } from './schedules';

const HANDLER = resolve(__dirname, '../../dist/handler/handler.js');
const SCHEDULES = process.env.SOAK ? 1000 : 100;
const MAX_ATTEMPTS = 10;
const ACCESS_KEY_ID = 'LTAIreliabilityKeyId01';
const ACCESS_KEY_SECRET = 'reliability-secret-must-never-print';

interface Attempt {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runHandler(env: NodeJS.ProcessEnv, onSpawn: (child: ChildProcess) => void): Promise<Attempt> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [HANDLER, 'create'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
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
const stats = { handlerRuns: 0, killed: 0, failedRuns: 0, injectedFaults: 0, jobs: 0, manifests: 0 };
const FAULT_LINE = / (InternalError|ServiceUnavailable|SlowDown)$| fault=/;

async function runSchedule(schedule: Schedule): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), `oss-batch-rel-${schedule.seed}-`));
  const emulatorLog: string[] = [];
  let child: ChildProcess | undefined;
  let trigger = killTrigger(schedule.kill);
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
    const resultFile = join(work, '.oss-batch', 'result.json');
    // The handler's temp directory (the manifest spool), private to this schedule.
    const spoolParent = join(work, 'tmp');
    mkdirSync(spoolParent);
    const connection = { endpoint: emulator.endpoint };
    // Normalized identities (as the handler's parseEvent returns them), so jobToken(identity) is the token it sends.
    const event: BatchJobEvent | ManifestFromPrefixEvent = schedule.kind === 'batch-job'
      ? {
        kind: 'batch-job', format: EVENT_FORMAT, name: `rel/${schedule.seed}`, connection,
        identity: {
          region: emulator.region, roleArn: 'acs:ram::1234567890123456:role/BatchRole', priority: 1, description: '', confirmationRequired: false,
          operation: { type: 'PutObjectTagging', tags: [{ key: 'seed', value: String(schedule.seed) }] },
          manifest: { keyPrefix: { sourceBucket: 'src', prefix: 'data/' } }, report: { enabled: true, bucket: 'ops', prefix: 'r/', scope: 'AllTasks' },
          rerunToken: `rel-${schedule.seed}`,
        },
        settings: { autoConfirm: false, waitForCompletion: true, timeoutSeconds: 120, maxFailedTasks: 0, deletionBehavior: 'retain' },
      }
      : {
        kind: 'manifest-from-prefix', format: EVENT_FORMAT, name: `rel/${schedule.seed}`, connection,
        identity: {
          region: emulator.region, sourceBucket: 'src', prefix: 'data/', filter: { suffixes: [], storageClasses: [] }, includeVersionIds: false,
          manifestBucket: 'ops', manifestPrefix: 'manifests/', rerunToken: `rel-${schedule.seed}`,
        },
      };
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH, ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET, TMPDIR: spoolParent,
      OSS_BATCH_EVENT: JSON.stringify(event), OSS_BATCH_RESULT: resultFile, OSS_BATCH_MANIFEST_PART_BYTES: '102400',
    };
    const fields = schedule.kind === 'batch-job'
      ? ['jobId', 'status', 'totalTasks', 'succeededTasks', 'failedTasks', 'reportLocation', 'clientRequestToken']
      : ['bucket', 'key', 'etag', 'objectCount', 'contentSha256', 'fields'];

    emulator.setFaults(schedule.faults, schedule.seed);
    let success: Attempt | undefined;
    const attempts: Attempt[] = [];
    for (let i = 0; i < MAX_ATTEMPTS && !success; i++) {
      const attempt = await runHandler(env, (c) => {
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
    stats.handlerRuns += attempts.length;
    stats.killed += attempts.filter((a) => a.signal === 'SIGKILL').length;
    stats.failedRuns += attempts.filter((a) => a.code !== 0 && a.signal !== 'SIGKILL').length;
    stats.injectedFaults += emulatorLog.filter((l) => FAULT_LINE.test(l)).length;
    stats[schedule.kind === 'batch-job' ? 'jobs' : 'manifests']++;
    if (!success) throw new Error(`seed ${schedule.seed}: no success in ${MAX_ATTEMPTS} attempts; last stderr: ${attempts.at(-1)?.stderr}`);
    emulator.setFaults('');

    const everything = attempts.map((a) => a.stdout + a.stderr).join('') + emulatorLog.join('\n');
    expect(everything).not.toContain(ACCESS_KEY_SECRET);
    // A run that ended (failed or succeeded) removed its spool; only a SIGKILLed one can leave it behind.
    const spools = readdirSync(spoolParent);
    expect(spools.every((d) => d.startsWith('oss-batch-manifest-'))).toBe(true);
    const killed = attempts.filter((a) => a.signal === 'SIGKILL').length;
    expect(spools.length).toBeLessThanOrEqual(schedule.kind === 'batch-job' ? 0 : killed);
    // A run killed while listing or uploading had its spool open: it is there (so TMPDIR did reach the handler).
    if ((schedule.kill === 'mid-list' || schedule.kill === 'mid-upload') && killed > 0) expect(spools.length).toBeGreaterThanOrEqual(1);

    if (schedule.kind === 'batch-job') {
      const token = jobToken((event as BatchJobEvent).identity);
      expect(token).toMatch(/^ossb2-[0-9a-f]{58}$/);
      const jobs = [...store.jobs()].filter((j) => j.clientRequestToken === token);
      expect(jobs).toHaveLength(1);
      const result = JSON.parse(readFileSync(resultFile, 'utf8')) as BatchJobResult;
      expect(result).toEqual({
        jobId: jobs[0].jobId, status: jobs[0].status, totalTasks: jobs[0].totalTasks, succeededTasks: jobs[0].succeededTasks,
        failedTasks: jobs[0].failedTasks, reportLocation: `oss://ops/r/job-${jobs[0].jobId}/`, clientRequestToken: token,
      });
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
      expect(result).toEqual({
        bucket: 'ops', key: `manifests/${sha}.csv`, etag: stored.etag, objectCount: schedule.objects, contentSha256: sha, fields: 'Bucket,Key',
      });
      expect(body.toString('utf8').split('\n').filter(Boolean)).toHaveLength(schedule.objects);
    }
  } finally {
    child?.kill('SIGKILL');
    await emulator.stop();
  }
}

describe(`fault schedules (${SCHEDULES} seeded schedules)`, () => {
  beforeAll(() => {
    if (!existsSync(HANDLER)) throw new Error(`${HANDLER} is missing: run npm run build (npm test does)`);
  });
  afterAll(() => {
    // eslint-disable-next-line no-console
    console.log(`reliability: ${SCHEDULES} schedules (${stats.jobs} jobs, ${stats.manifests} manifests), ${stats.handlerRuns} handler runs, ` +
      `${stats.killed} SIGKILLed, ${stats.failedRuns} failed with a clear error, ${stats.injectedFaults} injected faults`);
  });
  const schedules = Array.from({ length: SCHEDULES }, (_, i) => makeSchedule(i + 1));
  test.concurrent.each(schedules.map((s) => [s.seed, s.kind, s.kill, s] as const))('seed %i: %s, kill %s', async (_seed, _kind, _kill, schedule) => {
    await runSchedule(schedule);
  }, 180_000);
});
