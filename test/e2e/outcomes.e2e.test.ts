/**
 * Outcomes that tell the truth, with real terraform: a job that reports Complete with tasks never
 * processed fails the apply naming the counts; a failed restore of Standard objects names the
 * per-object cause and the exact `oss-batch report summary` command, which then works as printed.
 */
import { execFile, spawn } from 'node:child_process';
import { createServer, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, RunningEmulator } from '../../src/emulator';
import { OssClient } from '../../src/oss/client';
import { descendantsOf, findDescendant, ProcessInfo, waitForDescendant } from './process-tree';
import { describeWithTerraform, PACKAGE_ROOT, synthApp, TerraformRunner, tmpWorkDir } from './terraform-harness';

const [SOURCE, OPS, OBJECTS] = ['outcomes-src', 'outcomes-ops', 12] as const;
/** The emulator accepts these; Terraform's environment carries them to the handler. */
const KEYS = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIoutcomesKeyId0001', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'outcomes-secret-value-0001' };

type AppConfig = { endpoint: string; region: string; operation: 'tag' | 'restore' };

/**
 * The stack, written into the test's own directory (imports by absolute path, so it needs no
 * file in the repository): one BatchJob over a key prefix, report under the default prefix.
 */
function writeApp(dir: string): string {
  const file = join(dir, 'outcomes-app.ts');
  writeFileSync(file, `
import { App, TerraformOutput, TerraformStack } from ${JSON.stringify(join(PACKAGE_ROOT, 'node_modules/cdktf'))};
import { BatchJob, BatchOperation, JobManifest } from ${JSON.stringify(join(PACKAGE_ROOT, 'src'))};
const config = JSON.parse(process.env.OSS_BATCH_OUTCOMES ?? '{}');
const app = new App();
const stack = new TerraformStack(app, 'outcomes');
const job = new BatchJob(stack, 'Job', {
  region: config.region, endpoint: config.endpoint, roleArn: 'acs:ram::1234567890123456:role/BatchRole', priority: 10,
  operation: config.operation === 'restore' ? BatchOperation.restoreObject({ days: 1 }) : BatchOperation.putObjectTagging({ env: 'prod' }),
  manifest: JobManifest.fromKeyPrefix({ sourceBucket: ${JSON.stringify(SOURCE)}, prefix: 'data/' }),
  report: { bucket: ${JSON.stringify(OPS)} },
  timeoutSeconds: 300,
});
new TerraformOutput(stack, 'JobId', { value: job.jobId });
app.synth();
`);
  return file;
}

/**
 * A loopback proxy in front of the emulator that rewrites DescribeJob answers of Complete jobs to
 * 0 succeeded and 0 failed: the emulator itself never ends a job with tasks unprocessed. Headers
 * (Host included) pass unchanged, so the emulator's signature check still holds.
 */
async function countsDroppingProxy(target: string): Promise<{ endpoint: string; rewritten: () => number; close: () => Promise<void> }> {
  const upstream = new URL(target);
  let rewritten = 0;
  const server: Server = createServer((req, res) => {
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        let body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        if (req.method === 'GET' && /[?&]batchJobId=/.test(req.url ?? '') && text.includes('<Status>Complete</Status>')) {
          body = Buffer.from(text.replace(/<NumberOfTasks(Succeeded|Failed)>\d+</g, '<NumberOfTasks$1>0<'));
          rewritten++;
        }
        res.writeHead(up.statusCode ?? 502, { ...up.headers, 'content-length': String(body.length) });
        res.end(body);
      });
    });
    forward.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(forward);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`, rewritten: () => rewritten,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** Terraform's diagnostics box and wrap long lines: compare text with the frame and line breaks removed. */
const flat = (text: string) => text.replace(/[│╷╵]/g, ' ').replace(/\s+/g, ' ');

describeWithTerraform('outcomes with real terraform against the emulator', () => {
  let emulator: RunningEmulator | undefined;
  let proxy: Awaited<ReturnType<typeof countsDroppingProxy>> | undefined;
  let tf: TerraformRunner | undefined;
  afterEach(async () => {
    tf?.current?.kill('SIGKILL');
    await proxy?.close();
    await emulator?.stop();
    emulator = proxy = tf = undefined;
  });

  async function setUp(operation: AppConfig['operation'], viaProxy: boolean): Promise<{ client: OssClient; endpoint: string }> {
    const work = tmpWorkDir('outcomes');
    emulator = await startEmulator({ dataDir: join(work, 'data'), accessKeyId: KEYS.ALIBABA_CLOUD_ACCESS_KEY_ID, accessKeySecret: KEYS.ALIBABA_CLOUD_ACCESS_KEY_SECRET, log: () => undefined });
    const client = new OssClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials });
    await client.createBucket(SOURCE);
    await client.createBucket(OPS);
    await Promise.all(Array.from({ length: OBJECTS }, (_, i) => client.putObject(SOURCE, `data/obj-${i}.bin`, `body ${i}`)));
    if (viaProxy) proxy = await countsDroppingProxy(emulator.endpoint);
    const endpoint = proxy?.endpoint ?? emulator.endpoint;
    const config: AppConfig = { endpoint, region: emulator.region, operation };
    const stackDir = synthApp(relative(PACKAGE_ROOT, writeApp(work)), join(work, 'cdktf.out'), { ...KEYS, OSS_BATCH_OUTCOMES: JSON.stringify(config) });
    tf = new TerraformRunner(stackDir, KEYS);
    await tf.init();
    return { client, endpoint };
  }

  test('a job Complete with unprocessed tasks fails the apply, naming both counts', async () => {
    const { client } = await setUp('tag', true);
    const r = await tf!.apply(1);
    const text = flat(r.stderr);
    expect(text).toContain(`is Complete but only 0 of ${OBJECTS} tasks were processed (0 succeeded, 0 failed): ${OBJECTS} never ran.`);
    expect(text).toMatch(/rerunToken/);
    expect(proxy!.rewritten()).toBeGreaterThan(0);
    // Behind the proxy the emulator did run every task: only the answer lied.
    const [job] = (await client.listJobs({ maxKeys: 10 })).jobs;
    expect((await client.describeJob(job.jobId)).progressSummary.numberOfTasksSucceeded).toBe(OBJECTS);
  });

  test('a failed restore of Standard objects names OperationNotSupported and the report command, which works as printed', async () => {
    const { client, endpoint } = await setUp('restore', false);
    const r = await tf!.apply(1);
    const text = flat(r.stderr);
    const [job] = (await client.listJobs({ maxKeys: 10 })).jobs;
    expect(text).toContain(`job ${job.jobId} Failed (TooManyFailures`);
    expect(text).toMatch(/- oss:\/\/outcomes-src\/data\/obj-\d+\.bin: OperationNotSupported \(HTTP 400\) — the object's storage class is Standard/);
    const command = `oss-batch report summary --job ${job.jobId} --region ${emulator!.region} --endpoint ${endpoint}`;
    expect(text).toContain(`The whole report: ${command}`);
    // The command as printed, run with the CLI build (the report is found from DescribeJob).
    const cli = join(PACKAGE_ROOT, 'dist/cli/oss-batch.js');
    const summary = await promisify(execFile)(process.execPath, [cli, ...command.split(' ').slice(1)], {
      env: { PATH: process.env.PATH ?? '', ...KEYS },
    });
    expect(summary.stdout).toMatch(/^Failures by error code:\n {2}OperationNotSupported: \d+$/m);
  });
});

describe('process-tree: finding a process among one process\'s descendants', () => {
  test('finds a grandchild by its command line, and never a look-alike outside the tree', async () => {
    const marker = `process-tree-marker-${process.pid}-${Date.now()}`;
    const sleeper = `setTimeout(() => {}, 30000); // ${marker}`;
    // Inside the tree: sh → node (a grandchild of this test). Outside: a sibling with the same command line.
    const tree = spawn('sh', ['-c', `"${process.execPath}" -e "${sleeper}"; true`], { stdio: 'ignore' });
    const outside = spawn(process.execPath, ['-e', sleeper], { stdio: 'ignore' });
    try {
      const found = await waitForDescendant(tree.pid!, new RegExp(`^\\S*node\\S* -e .*${marker}`), 5000);
      expect(found).toBeDefined();
      expect(found.pid).not.toBe(outside.pid);
      expect(descendantsOf(tree.pid!).map((p) => p.pid)).toContain(found.pid);
      expect(descendantsOf(tree.pid!).map((p) => p.pid)).not.toContain(outside.pid);
    } finally {
      tree.kill('SIGKILL');
      outside.kill('SIGKILL');
      for (const p of descendantsOf(process.pid)) if (p.args.includes(marker)) process.kill(p.pid, 'SIGKILL');
    }
  });

  test('descendantsOf walks every generation of a listing, nearest first', () => {
    const listing: ProcessInfo[] = [
      { pid: 10, ppid: 1, args: 'terraform apply' }, { pid: 11, ppid: 10, args: '/bin/sh -c node handler.js create' },
      { pid: 12, ppid: 11, args: 'node handler.js create' }, { pid: 20, ppid: 1, args: 'node handler.js create' },
    ];
    expect(descendantsOf(10, listing).map((p) => p.pid)).toEqual([11, 12]);
    expect(findDescendant(10, /^\S*node\S* .*handler\.js create/, listing)?.pid).toBe(12);
    expect(findDescendant(30, /handler/, listing)).toBeUndefined();
  });
});
