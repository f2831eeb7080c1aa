/**
 * Runs the real CLI as a child process against an in-process emulator. The CLI is bundled from
 * src/cli/bin.ts with esbuild exactly like scripts/build.mjs does, but into a private temp file:
 * the test always runs the current source, and never races another suite that rebuilds dist/.
 */
import { spawn, ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { RunningEmulator, startEmulator } from '../../src/emulator';
import { OssClient } from '../../src/oss/client';
import { encodeManifestLine } from '../../src/oss/csv';
import type { CreateJobInput } from '../../src/oss/model';

export interface Run { code: number | null; stdout: string; stderr: string }

export async function bundleCli(): Promise<{ file: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'oss-batch-cli-'));
  const file = join(dir, 'oss-batch.js');
  await build({
    entryPoints: [resolve(__dirname, '../../src/cli/bin.ts')], outfile: file,
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'none',
  });
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function spawnCli(file: string, args: string[], env: Record<string, string>): ChildProcess {
  // A minimal environment: no credentials or OSS_* settings leak in from the machine running the tests.
  return spawn(process.execPath, [file, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function runCli(file: string, args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<Run> {
  return new Promise((done) => {
    const child = spawnCli(file, args, env);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => { stdout += d; });
    child.stderr?.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); done({ code, stdout, stderr }); });
  });
}

/** An emulator with buckets `src` (objects a, b, c) and `ops`, a client, and a CLI runner pointed at it. */
export interface CliWorld {
  /** The bundled CLI. */
  file: string;
  emulator: RunningEmulator;
  client: OssClient;
  env: Record<string, string>;
  run(args: string[], extraEnv?: Record<string, string>): Promise<Run>;
  /** Create a PutObjectTagging job over `keys` in bucket src, report to oss://ops/r/. */
  createJob(keys: string[], extra?: Partial<CreateJobInput>): Promise<string>;
  close(): Promise<void>;
}

export async function startCliWorld(emulatorOptions: Parameters<typeof startEmulator>[0] = {}): Promise<CliWorld> {
  const { file, cleanup } = await bundleCli();
  const emulator = await startEmulator({ persist: false, ...emulatorOptions });
  const client = new OssClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials });
  await client.createBucket('src');
  await client.createBucket('ops');
  await Promise.all(['a', 'b', 'c'].map((k) => client.putObject('src', k, k)));
  const env = {
    ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
    OSS_ENDPOINT: emulator.endpoint,
  };
  let seq = 0;
  return {
    file, emulator, client, env,
    run: (args, extraEnv = {}) => runCli(file, args, { ...env, ...extraEnv }),
    createJob: async (keys, extra = {}) => {
      const key = `manifest-${++seq}.csv`;
      await client.putObject('ops', key, keys.map((k) => encodeManifestLine('src', k)).join(''));
      const created = await client.createJob({
        operation: { type: 'PutObjectTagging', tags: [{ key: 'a', value: 'b' }] },
        report: { bucket: 'ops', enabled: true, prefix: 'r/' },
        clientRequestToken: `cli-test-${process.pid}-${seq}-${Date.now()}`,
        manifest: { location: { bucket: 'ops', object: key }, spec: { format: 'OSS_BatchOperations_CSV_20250611', fields: 'Bucket,Key' } },
        priority: 5, roleArn: 'acs:ram::1234567890123456:role/BatchRole', description: `job ${seq}`, ...extra,
      });
      return created.jobId;
    },
    close: async () => { await emulator.stop(); cleanup(); },
  };
}

/** Poll DescribeJob until the job shows `status` (for setting up a state before a CLI call). */
export async function untilStatus(client: OssClient, jobId: string, status: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await client.describeJob(jobId);
    if (job.status === status) return;
    if (Date.now() > deadline) throw new Error(`job ${jobId} is ${job.status}, not ${status}, after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
