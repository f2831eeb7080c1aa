/**
 * The product path with real Terraform: construct → synth → terraform apply → bundled handler
 * → emulator → outputs. Each test gets a fresh emulator and stack directory.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, RunningEmulator } from '../../src/emulator';
import { OssClient } from '../../src/oss/client';
import { encodeManifestLine } from '../../src/oss/csv';
import type { E2eConfig } from './apps/configurable';
import { waitForDescendant } from './process-tree';
import { describeWithTerraform, synthApp, TerraformRunner, tmpWorkDir } from './terraform-harness';

const SOURCE = 'e2e-src';
const OPS = 'e2e-ops';
const OBJECTS = 12;
// Marker credentials: the emulator is started with them, and they must never show up in synth output or state.
const ACCESS_KEY_ID = 'LTAIe2eMarkerKeyId0001';
const ACCESS_KEY_SECRET = 'e2e-marker-secret-value-0001';

interface Fixture {
  emulator: RunningEmulator;
  client: OssClient;
  outdir: string;
  env: Record<string, string>;
  config: E2eConfig;
  tf: TerraformRunner;
}

async function setUp(overrides: Partial<E2eConfig> = {}, tasksPerSecond?: number): Promise<Fixture> {
  const work = tmpWorkDir('e2e');
  const emulator = await startEmulator({
    dataDir: join(work, 'data'), accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, tasksPerSecond, log: () => undefined,
  });
  const client = new OssClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials });
  await client.createBucket(SOURCE);
  await client.createBucket(OPS);
  await Promise.all(Array.from({ length: OBJECTS }, (_, i) => client.putObject(SOURCE, `data/obj-${i}.bin`, `body ${i}`)));
  const config: E2eConfig = {
    stack: 'e2e', endpoint: emulator.endpoint, region: emulator.region, sourceBucket: SOURCE, prefix: 'data/',
    opsBucket: OPS, tags: { env: 'prod' }, manifest: 'prefix', ...overrides,
  };
  const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET };
  const outdir = join(work, 'cdktf.out');
  const stackDir = synthApp('test/e2e/apps/configurable.ts', outdir, { ...env, OSS_BATCH_E2E: JSON.stringify(config) });
  const tf = new TerraformRunner(stackDir, env);
  await tf.init();
  return { emulator, client, outdir, env, config, tf };
}

function resynth(f: Fixture, overrides: Partial<E2eConfig>): void {
  f.config = { ...f.config, ...overrides };
  synthApp('test/e2e/apps/configurable.ts', f.outdir, { ...f.env, OSS_BATCH_E2E: JSON.stringify(f.config) });
}

async function allJobs(client: OssClient) {
  return (await client.listJobs({ maxKeys: 1000 })).jobs;
}

async function tagsOf(client: OssClient, key: string): Promise<Record<string, string>> {
  return Object.fromEntries((await client.getObjectTagging(SOURCE, key)).map((t) => [t.key, t.value]));
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describeWithTerraform('BatchJob with real terraform against the emulator', () => {
  let fixture: Fixture | undefined;
  afterEach(async () => {
    fixture?.tf.current?.kill('SIGKILL');
    await fixture?.emulator.stop();
    fixture = undefined;
  });

  test('apply creates exactly one job, tags the objects and outputs the JobId; re-apply and a fresh runner plan no changes', async () => {
    const f = (fixture = await setUp());
    const applied = await f.tf.apply();
    expect(applied.stdout).toMatch(/Apply complete/);
    const out = await f.tf.outputs();
    expect(String(out.JobId)).toMatch(/^[A-Za-z0-9]{44}$/);
    expect(out).toMatchObject({ Status: 'Complete', TotalTasks: OBJECTS, SucceededTasks: OBJECTS, FailedTasks: 0, ManifestObjectCount: OBJECTS });
    const jobs = await allJobs(f.client);
    expect(jobs.map((j) => j.jobId)).toEqual([out.JobId]);
    for (const i of [0, OBJECTS - 1]) expect(await tagsOf(f.client, `data/obj-${i}.bin`)).toEqual({ env: 'prod' });

    // Same spec again: nothing to do, still one job.
    const again = await f.tf.apply();
    expect(again.stdout).toMatch(/0 added, 0 changed, 0 destroyed/);
    expect(await allJobs(f.client)).toHaveLength(1);

    // A GitOps runner with the state but without the local result files sees no changes.
    const fresh = f.tf.copyWithoutResultFiles();
    expect((await fresh.planExitCode()).code).toBe(0);
    expect(await fresh.outputs()).toMatchObject({ JobId: out.JobId });

    // Credentials appear neither in the synthesized JSON nor in the state.
    for (const text of f.tf.persistedTexts()) {
      expect(text).not.toContain(ACCESS_KEY_ID);
      expect(text).not.toContain(ACCESS_KEY_SECRET);
    }
  });

  test('changing the tags replaces the job: two jobs in total and updated outputs', async () => {
    const f = (fixture = await setUp());
    await f.tf.apply();
    const first = await f.tf.outputs();
    resynth(f, { tags: { env: 'staging', team: 'media' } });
    const replaced = await f.tf.apply();
    expect(replaced.stdout).toMatch(/destroyed/);
    const second = await f.tf.outputs();
    expect(second.JobId).not.toEqual(first.JobId);
    expect(second.Token).not.toEqual(first.Token);
    expect((await allJobs(f.client)).map((j) => j.jobId).sort()).toEqual([first.JobId, second.JobId].sort());
    expect(await tagsOf(f.client, 'data/obj-3.bin')).toEqual({ env: 'staging', team: 'media' });
  });

  test('a create that fails after CreateJob is retried by the next apply against the same job', async () => {
    const f = (fixture = await setUp({ manifest: 'keyPrefix' }));
    f.emulator.setFaults('503:1,apis:DescribeJob');
    const failed = await f.tf.apply(1);
    expect(failed.stderr).toMatch(/ServiceUnavailable|503/);
    expect(await allJobs(f.client)).toHaveLength(1);
    f.emulator.setFaults('');
    await f.tf.apply();
    const jobs = await allJobs(f.client);
    expect(jobs).toHaveLength(1);
    expect((await f.tf.outputs()).JobId).toBe(jobs[0].jobId);
  });

  test('a handler killed mid-poll leaves one job, which the next apply adopts', async () => {
    const f = (fixture = await setUp({ manifest: 'keyPrefix' }, 4));
    const applying = f.tf.apply(1);
    await waitFor('the job to be created', async () => (await allJobs(f.client)).length === 1);
    // Among the descendants of this test's own terraform, never a machine-wide match (other runs share the machine).
    const handlerPid = (await waitForDescendant(f.tf.current!.pid!, /^\S*node\S* \S*handler\.js create/)).pid;
    process.kill(handlerPid, 'SIGKILL');
    await applying;
    f.emulator.setFaults('');
    await f.tf.apply();
    const jobs = await allJobs(f.client);
    expect(jobs).toHaveLength(1);
    expect((await f.tf.outputs()).JobId).toBe(jobs[0].jobId);
  });

  test('a job that completes with failed tasks fails the apply and names the failed keys', async () => {
    const f = (fixture = await setUp({ manifest: 'csv', csvKey: 'partly-missing.csv' }));
    const keys = ['data/obj-0.bin', 'data/obj-1.bin', 'data/does-not-exist.bin'];
    await f.client.putObject(OPS, 'partly-missing.csv', keys.map((k) => encodeManifestLine(SOURCE, k)).join(''));
    const r = await f.tf.apply(1);
    expect(r.stderr).toMatch(/1 of 3 tasks failed|failed tasks/i);
    expect(r.stderr).toContain('data/does-not-exist.bin');
    expect(r.stderr).toMatch(/rerunToken/);
    expect(await allJobs(f.client)).toHaveLength(1);
  });

  test('a Failed job fails the apply with its failure reasons', async () => {
    const f = (fixture = await setUp({ manifest: 'csv', csvKey: 'all-missing.csv' }));
    const keys = Array.from({ length: 5 }, (_, i) => `data/missing-${i}.bin`);
    await f.client.putObject(OPS, 'all-missing.csv', keys.map((k) => encodeManifestLine(SOURCE, k)).join(''));
    const r = await f.tf.apply(1);
    expect(r.stderr).toMatch(/Failed/);
    expect(r.stderr).toMatch(/TooManyFailures/);
  });

  test('destroy with DeletionBehavior.CANCEL cancels a running job', async () => {
    const f = (fixture = await setUp({ manifest: 'keyPrefix', waitForCompletion: false, cancelOnDelete: true }, 1));
    await f.tf.apply();
    const { JobId } = await f.tf.outputs();
    expect(existsSync(join(f.tf.stackDir, '.oss-batch'))).toBe(true);
    const destroyed = await f.tf.destroy();
    expect(destroyed.stdout).toMatch(/Destroy complete/);
    expect((await f.client.describeJob(String(JobId))).status).toBe('Cancelled');
  });
});

