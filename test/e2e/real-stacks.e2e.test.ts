/**
 * Stacks as people write them, with real Terraform against the emulator: identity values from
 * variables (one `-var` set per environment, in Terraform workspaces), a bucket name from another
 * resource's attribute, and connection changes (endpoint, path style) that must never start a job.
 */
import { join } from 'node:path';
import { RunningEmulator, startEmulator } from '../../src/emulator';
import { OssClient } from '../../src/oss/client';
import { encodeInventory } from '../../src/oss/inventory';
import { describeWithTerraform, synthApp, TerraformRunner, tmpWorkDir } from './terraform-harness';

const ACCESS_KEY_ID = 'LTAIgitopsMarkerKey01';
const ACCESS_KEY_SECRET = 'gitops-marker-secret-value-01';
const ENV = { ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET };
const OBJECTS = 6;

const vars = (values: Record<string, string | number>) => Object.entries(values).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
const DEV = { role_arn: 'acs:ram::1234567890123456:role/DevBatch', priority: 5, tag_key: 'env', tag_value: 'dev', report_prefix: 'reports/dev/' };
const PROD = { role_arn: 'acs:ram::1234567890123456:role/ProdBatch', priority: 50, tag_key: 'env', tag_value: 'prod', report_prefix: 'reports/prod/' };

/** An emulator on `dataDir` with the test's credentials, a client for it and the given buckets. */
async function startWithBuckets(dataDir: string, buckets: string[]): Promise<{ emulator: RunningEmulator; client: OssClient }> {
  const emulator = await startEmulator({ dataDir, accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, log: () => undefined });
  const client = new OssClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials });
  for (const bucket of buckets) await client.createBucket(bucket);
  return { emulator, client };
}

describeWithTerraform('real stacks: references, workspaces, connection changes', () => {
  let emulator: RunningEmulator | undefined;
  let tf: TerraformRunner | undefined;
  afterEach(async () => {
    tf?.current?.kill('SIGKILL');
    await emulator?.stop();
    emulator = undefined;
  });

  test('two -var sets give two jobs; re-apply none; a tag key change a new job; endpoint and pathStyle changes none', async () => {
    const work = tmpWorkDir('gitops');
    const dataDir = join(work, 'data');
    let client: OssClient;
    ({ emulator, client } = await startWithBuckets(dataDir, ['gitops-src', 'gitops-ops']));
    await Promise.all(Array.from({ length: OBJECTS }, (_, i) => client.putObject('gitops-src', `data/o-${i}`, `body ${i}`)));
    const jobCount = async () => (await client.listJobs({ maxKeys: 1000 })).jobs.length;

    const outdir = join(work, 'cdktf.out');
    const synth = (config: object) => synthApp('test/e2e/apps/gitops.ts', outdir, { ...ENV, OSS_BATCH_GITOPS: JSON.stringify(config) });
    const stackDir = synth({ endpoint: emulator.endpoint, region: emulator.region });
    tf = new TerraformRunner(stackDir, ENV);
    await tf.init();
    const inWorkspace = async (name: string, values: object) => {
      await tf!.must(['workspace', 'select', '-or-create', name, '-no-color']);
      return vars(values as Record<string, string>);
    };

    // Two environments of one stack: two jobs, each with its own token.
    await tf.must(['apply', '-auto-approve', '-no-color', ...(await inWorkspace('dev', DEV))]);
    const dev = await tf.outputs();
    await tf.must(['apply', '-auto-approve', '-no-color', ...(await inWorkspace('prod', PROD))]);
    const prod = await tf.outputs();
    expect(dev.JobId).not.toEqual(prod.JobId);
    expect(dev.Token).toMatch(/^ossb2-[0-9a-f]{58}$/);
    expect(dev.Token).not.toEqual(prod.Token);
    expect(await jobCount()).toBe(2);
    const devJob = await client.describeJob(String(dev.JobId));
    expect(devJob.roleArn).toBe(DEV.role_arn);
    expect(devJob.priority).toBe(DEV.priority);
    expect((await client.getObjectTagging('gitops-src', 'data/o-0'))).toEqual([{ key: 'env', value: 'prod' }]);

    // Re-apply of either environment: no job; plan: no changes.
    await tf.must(['apply', '-auto-approve', '-no-color', ...(await inWorkspace('dev', DEV))]);
    const plan = await tf.run(['plan', '-detailed-exitcode', '-no-color', ...vars(DEV)]);
    expect(plan.status).toBe(0);
    expect(await jobCount()).toBe(2);

    // A tag key given as a variable is identity: another key is another job.
    const team = { ...DEV, tag_key: 'team' };
    await tf.must(['apply', '-auto-approve', '-no-color', ...(await inWorkspace('dev', team))]);
    const teamOutputs = await tf.outputs();
    expect(teamOutputs.JobId).not.toEqual(dev.JobId);
    expect(await jobCount()).toBe(3);
    expect((await client.getObjectTagging('gitops-src', 'data/o-0'))).toEqual([{ key: 'team', value: 'dev' }]);

    // The emulator moves to another port (same data): only the endpoint changes.
    await emulator.stop();
    ({ emulator, client } = await startWithBuckets(dataDir, []));
    synth({ endpoint: emulator.endpoint, region: emulator.region });
    const movedPlan = await tf.run(['plan', '-no-color', ...vars(team)]);
    expect(movedPlan.stdout).not.toMatch(/must be replaced|forces replacement/);
    expect(movedPlan.stdout).toMatch(/0 to add, \d+ to change, 0 to destroy/);
    await tf.must(['apply', '-auto-approve', '-no-color', ...vars(team)]);
    expect((await tf.outputs()).JobId).toEqual(teamOutputs.JobId);
    expect(await jobCount()).toBe(3);

    // Path style is a transport detail too.
    synth({ endpoint: emulator.endpoint, region: emulator.region, pathStyle: false });
    const stylePlan = await tf.run(['plan', '-no-color', ...vars(team)]);
    expect(stylePlan.stdout).not.toMatch(/must be replaced|forces replacement/);
    await tf.must(['apply', '-auto-approve', '-no-color', ...vars(team)]);
    expect((await tf.outputs()).JobId).toEqual(teamOutputs.JobId);
    expect((await tf.run(['plan', '-detailed-exitcode', '-no-color', ...vars(team)])).status).toBe(0);
    expect(await jobCount()).toBe(3);
  }, 300_000);

  test('a referenced value that is invalid fails the apply with the prop named, before any call to OSS', async () => {
    const work = tmpWorkDir('gitops-bad');
    const started = await startWithBuckets(join(work, 'data'), ['gitops-src', 'gitops-ops']);
    emulator = started.emulator;
    const client = started.client;
    await client.putObject('gitops-src', 'data/o-0', 'body');
    const stackDir = synthApp('test/e2e/apps/gitops.ts', join(work, 'cdktf.out'),
      { ...ENV, OSS_BATCH_GITOPS: JSON.stringify({ endpoint: emulator.endpoint, region: emulator.region }) });
    tf = new TerraformRunner(stackDir, ENV);
    await tf.init();
    const r = await tf.run(['apply', '-auto-approve', '-no-color', ...vars({ ...DEV, priority: -1 })]);
    expect(r.status).not.toBe(0);
    expect(r.stderr + r.stdout).toContain('gitops/Tag: priority must be an integer from 0 to 2147483647 (got -1)');
    expect((await client.listJobs({ maxKeys: 100 })).jobs).toHaveLength(0);
  }, 180_000);

  test('a bucket inventory run as the manifest: every object it lists is processed', async () => {
    const work = tmpWorkDir('inventory');
    const started = await startWithBuckets(join(work, 'data'), ['inv-src', 'inv-dest']);
    emulator = started.emulator;
    const client = started.client;
    const keys = Array.from({ length: 7 }, (_, i) => `photos/p ${i},"x".jpg`);
    await Promise.all(keys.map((key) => client.putObject('inv-src', key, 'body')));
    const inventory = encodeInventory({
      sourceBucket: 'inv-src', destinationBucket: 'inv-dest', prefix: 'inventory/', inventoryId: 'daily', runTime: new Date('2026-12-01T00:00:00Z'),
      objects: keys.map((key) => ({ key, size: 4 })), linesPerFile: 3,
    });
    let etag = '';
    for (const file of inventory.files) etag = (await client.putObject('inv-dest', file.key, file.body)).etag; // manifest.json last
    const stackDir = synthApp('test/e2e/apps/inventory.ts', join(work, 'cdktf.out'), {
      ...ENV, OSS_BATCH_INVENTORY: JSON.stringify({ endpoint: emulator.endpoint, region: emulator.region, manifestKey: inventory.manifestKey, etag }),
    });
    tf = new TerraformRunner(stackDir, ENV);
    await tf.init();
    await tf.apply();
    const outputs = await tf.outputs();
    expect(outputs.TotalTasks).toBe(keys.length);
    const job = await client.describeJob(String(outputs.JobId));
    expect(job.manifest?.spec.format).toBe('OSS_InventoryReport_CSV_20250611');
    expect(job.manifest?.location.object).toBe(inventory.manifestKey);
    for (const key of keys) expect(await client.getObjectTagging('inv-src', key)).toEqual([{ key: 'inventoried', value: 'yes' }]);
    expect((await tf.planExitCode()).code).toBe(0);
  }, 180_000);
});
