/** `oss-batch emulator` as a real process: one stdout line, request log on stderr, clean stop on signals. */
import { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMULATOR_ACCESS_KEY_ID, EMULATOR_ACCESS_KEY_SECRET } from '../../../src/emulator';
import { OssClient } from '../../../src/oss/client';
import { OssError } from '../../../src/oss/errors';
import { bundleCli, runCli, spawnCli } from '../harness';

let cli: { file: string; cleanup: () => void };
beforeAll(async () => { cli = await bundleCli(); });
afterAll(() => cli.cleanup());

interface Started { child: ChildProcess; endpoint: string; stdout: () => string; stderr: () => string; exited: Promise<number | null> }

/** Spawn `oss-batch <args>` and wait for its first stdout line (rejecting if it exits first). */
async function firstLine(args: string[]): Promise<Omit<Started, 'endpoint'> & { line: string }> {
  const child = spawnCli(cli.file, args, {});
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((r) => child.on('close', r));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d) => { stdout += d; if (stdout.includes('\n')) resolve(); });
    exited.then((code) => reject(new Error(`emulator exited ${code}: ${stderr}`)));
  });
  return { child, line: stdout.slice(0, stdout.indexOf('\n')), stdout: () => stdout, stderr: () => stderr, exited };
}

async function start(args: string[]): Promise<Started> {
  const started = await firstLine(['emulator', ...args]);
  const endpoint = /^OSS emulator listening on (http:\/\/\S+)$/.exec(started.line)?.[1];
  if (!endpoint) throw new Error(`unexpected first output: ${JSON.stringify(started.stdout())}`);
  return { ...started, endpoint };
}

test.each(['SIGTERM', 'SIGINT'] as const)('prints exactly one stdout line, logs requests to stderr, exits 0 on %s', async (signal) => {
  const emu = await start([]);
  expect(emu.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const client = new OssClient({ region: 'cn-hangzhou', endpoint: emu.endpoint, credentials: { accessKeyId: EMULATOR_ACCESS_KEY_ID, accessKeySecret: EMULATOR_ACCESS_KEY_SECRET } });
  await client.createBucket('logged');
  await new Promise((r) => setTimeout(r, 50));
  emu.child.kill(signal);
  expect(await emu.exited).toBe(0);
  expect(emu.stdout()).toBe(`OSS emulator listening on ${emu.endpoint}\n`);
  expect(emu.stderr()).toContain('/logged');
  expect(emu.stderr()).not.toContain(EMULATOR_ACCESS_KEY_SECRET);
});

test('with --json the one stdout line is a JSON document; SIGTERM still exits 0', async () => {
  const emu = await firstLine(['--json', 'emulator', '--quiet', '--region', 'cn-beijing']);
  emu.child.kill('SIGTERM');
  expect(await emu.exited).toBe(0);
  expect(emu.stdout()).toBe(`${emu.line}\n`);
  expect(JSON.parse(emu.line)).toEqual({ endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), region: 'cn-beijing' });
});

test('--region, credentials and --data-dir are honoured; --quiet logs nothing', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'oss-batch-emu-'));
  const credentials = { accessKeyId: 'LTAIcustomKey', accessKeySecret: 'custom-secret' };
  const args = ['--region', 'eu-central-1', '--access-key-id', credentials.accessKeyId, '--access-key-secret', credentials.accessKeySecret, '--data-dir', dataDir, '--quiet'];
  try {
    const first = await start(args);
    await new OssClient({ region: 'eu-central-1', endpoint: first.endpoint, credentials }).createBucket('kept');
    const wrongRegion = new OssClient({ region: 'cn-hangzhou', endpoint: first.endpoint, credentials });
    await expect(wrongRegion.listJobs()).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    const defaultKey = new OssClient({ region: 'eu-central-1', endpoint: first.endpoint, credentials: { accessKeyId: EMULATOR_ACCESS_KEY_ID, accessKeySecret: EMULATOR_ACCESS_KEY_SECRET } });
    await expect(defaultKey.listJobs()).rejects.toBeInstanceOf(OssError);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stderr()).toBe('');

    const second = await start(args);
    const listing = await new OssClient({ region: 'eu-central-1', endpoint: second.endpoint, credentials }).listObjectsV2('kept');
    expect(listing.contents).toEqual([]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('bad options are usage errors (exit 2): a fault spec, a port, a port in use', async () => {
  const faults = await runCli(cli.file, ['emulator', '--faults', 'bogus'], {});
  expect(faults.code).toBe(2);
  expect(faults.stderr).toContain('fault spec item "bogus" needs a value');
  expect(faults.stdout).toBe('');
  expect((await runCli(cli.file, ['emulator', '--port', '70000'], {})).code).toBe(2);
  const emu = await start(['--quiet']);
  try {
    const busy = await runCli(cli.file, ['emulator', '--port', new URL(emu.endpoint).port], {});
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain('is already in use: pick another --port');
  } finally {
    emu.child.kill('SIGTERM');
    await emu.exited;
  }
});
