/**
 * The S3 backend's product path with real Terraform: S3BatchJob → synth → terraform apply → the
 * bundled S3 handler (AWS SDK v3) → the emulator's S3 and S3 Control APIs → outputs. Each test gets
 * a fresh emulator (S3 region us-east-1) and stack directory. What the handler created is read back
 * with the AWS SDK, and with the official AWS CLI where the machine has it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectTaggingCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeJobCommand, ListJobsCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { s3Clients } from '../../examples/s3-seed';
import { startEmulator, RunningEmulator } from '../../src/emulator';
import { describeWithAws, findAws, runAws } from '../emulator/aws-cli';
import type { S3E2eConfig } from './apps/s3-configurable';
import { describeWithTerraform, synthApp, TerraformRunner, tmpWorkDir } from './terraform-harness';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const SOURCE = 'e2e-s3-src';
const OPS = 'e2e-s3-ops';
const OBJECTS = 10;
// Marker credentials: the emulator is started with them; they must never show up in synth output or state.
const ACCESS_KEY_ID = 'AKIAE2EMARKERKEYID01';
const SECRET = 'e2e-s3-marker-secret-value-0001';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Fixture {
  emulator: RunningEmulator;
  s3: S3Client;
  control: S3ControlClient;
  outdir: string;
  env: Record<string, string>;
  config: S3E2eConfig;
  tf: TerraformRunner;
}

async function setUp(overrides: Partial<S3E2eConfig> = {}, tasksPerSecond?: number): Promise<Fixture> {
  const work = tmpWorkDir('e2e-s3');
  const emulator = await startEmulator({
    dataDir: join(work, 'data'), accessKeyId: ACCESS_KEY_ID, accessKeySecret: SECRET, s3Region: REGION, tasksPerSecond, log: () => undefined,
  });
  // S3 Control clients put the account id in front of the host: `localhost`, not an IP, is the endpoint.
  const endpoint = `http://localhost:${emulator.port}`;
  const { s3, control } = s3Clients({ endpoint, region: REGION, credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET } });
  for (const bucket of [SOURCE, OPS]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await Promise.all(Array.from({ length: OBJECTS }, (_, i) => s3.send(new PutObjectCommand({ Bucket: SOURCE, Key: `data/obj ${i}.bin`, Body: `body ${i}` }))));
  const config: S3E2eConfig = {
    stack: 'e2e-s3', endpoint, region: REGION, accountId: ACCOUNT, sourceBucket: SOURCE, prefix: 'data/',
    opsBucket: OPS, tags: { env: 'prod' }, manifest: 'generator', ...overrides,
  };
  const env = { AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET, AWS_EC2_METADATA_DISABLED: 'true' };
  const outdir = join(work, 'cdktf.out');
  const stackDir = synthApp('test/e2e/apps/s3-configurable.ts', outdir, { ...env, S3_BATCH_E2E: JSON.stringify(config) });
  const tf = new TerraformRunner(stackDir, env);
  await tf.init();
  return { emulator, s3, control, outdir, env, config, tf };
}

function resynth(f: Fixture, overrides: Partial<S3E2eConfig>): void {
  f.config = { ...f.config, ...overrides };
  synthApp('test/e2e/apps/s3-configurable.ts', f.outdir, { ...f.env, S3_BATCH_E2E: JSON.stringify(f.config) });
}

async function allJobIds(f: Fixture): Promise<string[]> {
  const listed = await f.control.send(new ListJobsCommand({ AccountId: ACCOUNT, MaxResults: 1000 }));
  return (listed.Jobs ?? []).map((j) => j.JobId!).sort();
}

async function tagsOf(f: Fixture, key: string): Promise<Record<string, string>> {
  const { TagSet } = await f.s3.send(new GetObjectTaggingCommand({ Bucket: SOURCE, Key: key }));
  return Object.fromEntries((TagSet ?? []).map((t) => [t.Key, t.Value]));
}

async function tearDown(f: Fixture | undefined): Promise<void> {
  f?.tf.current?.kill('SIGKILL');
  f?.s3.destroy();
  f?.control.destroy();
  await f?.emulator.stop();
}

describeWithTerraform('S3BatchJob with real terraform against the emulator', () => {
  let fixture: Fixture | undefined;
  afterEach(async () => {
    await tearDown(fixture);
    fixture = undefined;
  });

  test('apply creates exactly one S3 job, tags the objects and outputs the JobId; re-apply and a fresh runner plan no changes', async () => {
    const f = (fixture = await setUp());
    const applied = await f.tf.apply();
    expect(applied.stdout).toMatch(/Apply complete/);
    const out = await f.tf.outputs();
    expect(String(out.JobId)).toMatch(UUID);
    expect(out).toMatchObject({ Status: 'Complete', TotalTasks: OBJECTS, SucceededTasks: OBJECTS, FailedTasks: 0 });
    expect(String(out.Token)).toMatch(/^s3b1-[0-9a-f]{59}$/);
    expect(out.JobArn).toBe(`arn:aws:s3:${REGION}:${ACCOUNT}:job/${out.JobId}`);
    expect(out.ReportLocation).toBe(`s3://${OPS}/reports/job-${out.JobId}/`);
    expect(await allJobIds(f)).toEqual([out.JobId]);
    for (const i of [0, OBJECTS - 1]) expect(await tagsOf(f, `data/obj ${i}.bin`)).toEqual({ env: 'prod' });
    const { Job } = await f.control.send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId: String(out.JobId) }));
    expect(Job?.ProgressSummary).toMatchObject({ TotalNumberOfTasks: OBJECTS, NumberOfTasksSucceeded: OBJECTS, NumberOfTasksFailed: 0 });

    const again = await f.tf.apply();
    expect(again.stdout).toMatch(/0 added, 0 changed, 0 destroyed/);
    expect(await allJobIds(f)).toHaveLength(1);

    // A GitOps runner with the state but without the local result files sees no changes.
    const fresh = f.tf.copyWithoutResultFiles();
    expect((await fresh.planExitCode()).code).toBe(0);
    expect(await fresh.outputs()).toMatchObject({ JobId: out.JobId });

    const persisted = f.tf.persistedTexts();
    expect(persisted[0]).toContain('s3-handler.js');
    for (const text of persisted) {
      expect(text).not.toContain(ACCESS_KEY_ID);
      expect(text).not.toContain(SECRET);
    }
  });

  test('changing the tags replaces the job: two jobs, updated outputs; an endpoint change alone updates in place', async () => {
    const f = (fixture = await setUp());
    await f.tf.apply();
    const first = await f.tf.outputs();
    // Another spelling of the same endpoint: connection, not identity.
    resynth(f, { endpoint: `${f.config.endpoint}/` });
    const moved = await f.tf.apply();
    expect(moved.stdout).toMatch(/0 added, (0|1) changed, 0 destroyed/);
    expect(await allJobIds(f)).toEqual([first.JobId]);

    resynth(f, { tags: { env: 'staging', team: 'media' } });
    const replaced = await f.tf.apply();
    expect(replaced.stdout).toMatch(/destroyed/);
    const second = await f.tf.outputs();
    expect(second.JobId).not.toEqual(first.JobId);
    expect(second.Token).not.toEqual(first.Token);
    expect(await allJobIds(f)).toEqual([first.JobId, second.JobId].sort());
    expect(await tagsOf(f, 'data/obj 3.bin')).toEqual({ env: 'staging', team: 'media' });
  });

  test('literals turned into Terraform variables that resolve to the same values are the same job; another -var value is a new one', async () => {
    const f = (fixture = await setUp());
    await f.tf.apply();
    const first = await f.tf.outputs();
    resynth(f, { asVariables: true });
    expect((await f.tf.planExitCode()).code).toBe(0);
    const withVar = await f.tf.must(['apply', '-auto-approve', '-input=false', '-no-color', '-var', 'tag_env=dev']);
    expect(withVar.stdout).toMatch(/destroyed/);
    const second = await f.tf.outputs();
    expect(second.JobId).not.toEqual(first.JobId);
    expect(String(second.Token)).toMatch(/^s3b1-[0-9a-f]{59}$/);
    expect(await tagsOf(f, 'data/obj 2.bin')).toEqual({ env: 'dev' });
    expect(await allJobIds(f)).toEqual([first.JobId, second.JobId].sort());
  });

  test('a manifest listed at apply (S3ManifestFromPrefix) feeds the job; keys with spaces survive the URL-encoded CSV', async () => {
    const f = (fixture = await setUp({ manifest: 'listing' }));
    await f.tf.apply();
    const out = await f.tf.outputs();
    expect(out).toMatchObject({ Status: 'Complete', TotalTasks: OBJECTS, SucceededTasks: OBJECTS, ManifestObjectCount: OBJECTS });
    expect(await tagsOf(f, 'data/obj 7.bin')).toEqual({ env: 'prod' });
    expect((await f.tf.apply()).stdout).toMatch(/0 added, 0 changed, 0 destroyed/);
    expect(await allJobIds(f)).toHaveLength(1);
  });

  test('a job with failed tasks fails the apply, names the failed key as s3://… and says how to run again', async () => {
    const f = (fixture = await setUp({ manifest: 'csv', csvKey: 'partly-missing.csv' }));
    const keys = ['data/obj 0.bin', 'data/obj 1.bin', 'data/does-not-exist.bin'];
    await f.s3.send(new PutObjectCommand({ Bucket: OPS, Key: 'partly-missing.csv', Body: keys.map((k) => `${SOURCE},${encodeURIComponent(k)}\n`).join('') }));
    const r = await f.tf.apply(1);
    expect(r.stderr).toContain(`s3://${SOURCE}/data/does-not-exist.bin`);
    // Terraform wraps the handler's output: match across line breaks.
    expect(r.stderr).toMatch(/1\s+of\s+3\s+tasks\s+failed/);
    expect(r.stderr).toMatch(/rerunToken/);
    expect(await allJobIds(f)).toHaveLength(1);
    expect(await tagsOf(f, 'data/obj 1.bin')).toEqual({ env: 'prod' });
  });

  test('a create that fails after CreateJob (S3 Control DescribeJob answers 503) is adopted by the next apply', async () => {
    const f = (fixture = await setUp());
    // More 503s than the SDK's own retries and the poller's tolerance: the handler exits 4.
    f.emulator.setFaults('503:1,apis:S3Control:DescribeJob');
    const failed = await f.tf.apply(1);
    expect(failed.stderr).toMatch(/ServiceUnavailable|503/);
    expect(await allJobIds(f)).toHaveLength(1);
    f.emulator.setFaults('');
    await f.tf.apply();
    const jobs = await allJobIds(f);
    expect(jobs).toHaveLength(1);
    expect((await f.tf.outputs()).JobId).toBe(jobs[0]);
  });

  test('destroy with DeletionBehavior.CANCEL cancels the running S3 job', async () => {
    const f = (fixture = await setUp({ waitForCompletion: false, cancelOnDelete: true }, 1));
    await f.tf.apply();
    const { JobId } = await f.tf.outputs();
    const destroyed = await f.tf.destroy();
    expect(destroyed.stdout).toMatch(/Destroy complete/);
    const { Job } = await f.control.send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId: String(JobId) }));
    expect(Job?.Status).toBe('Cancelled');
  });
});

const AWS = findAws();
describeWithTerraform('S3BatchJob and the AWS CLI agree', () => {
  describeWithAws(AWS, 'aws s3control sees the job the handler created', () => {
    let fixture: Fixture | undefined;
    afterAll(async () => tearDown(fixture));

    test('describe-job and list-jobs answer what the handler wrote to Terraform', async () => {
      const f = (fixture = await setUp());
      await f.tf.apply();
      const out = await f.tf.outputs();
      const home = mkdtempSync(join(tmpdir(), 'aws-cli-home-'));
      writeFileSync(join(home, 'config'), '[default]\n');
      const target = { region: REGION, credentials: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: SECRET } };
      // The CLI cannot resolve `<account>.localhost`: the emulator is also its HTTP proxy (docs/emulator.md).
      const proxy = { HTTP_PROXY: `http://127.0.0.1:${f.emulator.port}`, NO_PROXY: '' };
      const cli = async (...args: string[]) => {
        const r = await runAws(AWS!, home, target, ['s3control', ...args, '--account-id', ACCOUNT, '--endpoint-url', f.config.endpoint, '--output', 'json'], proxy, 30_000);
        if (r.code !== 0) throw new Error(`aws s3control ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
        return JSON.parse(r.stdout);
      };
      const { Job } = await cli('describe-job', '--job-id', String(out.JobId));
      expect(Job).toMatchObject({
        JobId: out.JobId, JobArn: out.JobArn, Status: out.Status, Priority: 10,
        ProgressSummary: { TotalNumberOfTasks: out.TotalTasks, NumberOfTasksSucceeded: out.SucceededTasks, NumberOfTasksFailed: out.FailedTasks },
        Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'env', Value: 'prod' }] } },
        Report: { Bucket: `arn:aws:s3:::${OPS}`, Prefix: 'reports', Enabled: true, Format: 'Report_CSV_20180820' },
      });
      const sdk = await f.control.send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId: String(out.JobId) }));
      expect(Job.ProgressSummary.TotalNumberOfTasks).toBe(sdk.Job?.ProgressSummary?.TotalNumberOfTasks);
      const listed = await cli('list-jobs');
      expect(listed.Jobs.map((j: { JobId: string }) => j.JobId)).toEqual([out.JobId]);
      rmSync(home, { recursive: true, force: true });
    });
  });
});
