/** `oss-batch emulator` as a real process: one stdout line, request log on stderr, clean stop on signals. */
import { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  expect(JSON.parse(emu.line)).toEqual({ endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), region: 'cn-beijing', s3Region: 'us-east-1' });
});

test('--s3-region sets the region of the S3 APIs', async () => {
  const emu = await firstLine(['--json', 'emulator', '--quiet', '--s3-region', 'eu-central-1']);
  emu.child.kill('SIGTERM');
  expect(await emu.exited).toBe(0);
  expect(JSON.parse(emu.line)).toMatchObject({ region: 'cn-hangzhou', s3Region: 'eu-central-1' });
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

describe('data in from the shell, secrets, a damaged --data-dir', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'oss-batch-emu-fx-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('--fixtures loads each subfolder as a bucket; the docs\' ali-oss snippet (default V1 signature) reads it', async () => {
    const fixtures = join(dir, 'fixtures');
    mkdirSync(join(fixtures, 'photos', 'raw'), { recursive: true });
    mkdirSync(join(fixtures, 'ops'), { recursive: true });
    writeFileSync(join(fixtures, 'photos', 'raw', 'IMG 1.jpg'), 'jpeg bytes');
    writeFileSync(join(fixtures, 'photos', 'notes.txt'), 'hello\r\n');
    writeFileSync(join(fixtures, 'ops', 'manifest.csv'), 'photos,raw/IMG 1.jpg\n');
    const emu = await start(['--quiet', '--fixtures', fixtures]);
    try {
      // as in docs/emulator.md
      const OSS = require('ali-oss');
      const oss = new OSS({
        region: 'oss-cn-hangzhou', endpoint: emu.endpoint, bucket: 'photos',
        accessKeyId: EMULATOR_ACCESS_KEY_ID, accessKeySecret: EMULATOR_ACCESS_KEY_SECRET,
      });
      const listed = await oss.listV2({ 'max-keys': 100 });
      expect(listed.objects.map((o: { name: string }) => o.name)).toEqual(['notes.txt', 'raw/IMG 1.jpg']);
      const got = await oss.get('raw/IMG 1.jpg');
      expect([got.content.toString(), got.res.headers['content-type']]).toEqual(['jpeg bytes', 'image/jpeg']);
      expect((await oss.get('notes.txt')).content.toString()).toBe('hello\r\n');
      oss.useBucket('ops');
      expect((await oss.get('manifest.csv')).content.toString()).toBe('photos,raw/IMG 1.jpg\n');
    } finally {
      emu.child.kill('SIGTERM');
      await emu.exited;
    }
  });

  test('a --fixtures folder with a file at the top or a bad bucket name is a usage error (exit 2)', async () => {
    writeFileSync(join(dir, 'stray.txt'), 'x');
    const stray = await runCli(cli.file, ['emulator', '--fixtures', dir], {});
    expect([stray.code, stray.stderr]).toEqual([2, expect.stringContaining('stray.txt is not a folder')]);
    rmSync(join(dir, 'stray.txt'));
    mkdirSync(join(dir, 'Bad_Name'));
    const bad = await runCli(cli.file, ['emulator', '--fixtures', dir], {});
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('folder "Bad_Name" is not a bucket name')]);
  });

  test('credentials from OSS_EMULATOR_ACCESS_KEY_ID / _SECRET (not visible in ps)', async () => {
    const credentials = { accessKeyId: 'LTAIfromEnv', accessKeySecret: 'secret-from-env' };
    const child = spawnCli(cli.file, ['emulator', '--quiet'], { OSS_EMULATOR_ACCESS_KEY_ID: credentials.accessKeyId, OSS_EMULATOR_ACCESS_KEY_SECRET: credentials.accessKeySecret });
    const exited = new Promise<number | null>((r) => child.on('close', r));
    const line = await new Promise<string>((resolve) => { let out = ''; child.stdout?.on('data', (d) => { out += d; if (out.includes('\n')) resolve(out.trim()); }); });
    try {
      const endpoint = line.replace('OSS emulator listening on ', '');
      await new OssClient({ region: 'cn-hangzhou', endpoint, credentials }).createBucket('from-env');
      const defaults = new OssClient({ region: 'cn-hangzhou', endpoint, credentials: { accessKeyId: EMULATOR_ACCESS_KEY_ID, accessKeySecret: EMULATOR_ACCESS_KEY_SECRET }, retry: { maxAttempts: 1 } });
      await expect(defaults.listJobs()).rejects.toMatchObject({ code: 'InvalidAccessKeyId' });
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  test('a corrupt store in --data-dir: exit 2 with one line naming the file', async () => {
    const first = await start(['--quiet', '--data-dir', dir]);
    await new OssClient({ region: 'cn-hangzhou', endpoint: first.endpoint, credentials: { accessKeyId: EMULATOR_ACCESS_KEY_ID, accessKeySecret: EMULATOR_ACCESS_KEY_SECRET } }).createBucket('kept');
    first.child.kill('SIGKILL');
    await first.exited;
    appendFileSync(join(dir, 'journal-0.jsonl'), 'not json\n');
    const run = await runCli(cli.file, ['emulator', '--data-dir', dir], {});
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`the emulator store ${join(dir, 'journal-0.jsonl')} is corrupt (line 2:`);
  });

  test('after a SIGKILL the next emulator takes the data directory over; a live one is a usage error', async () => {
    const first = await start(['--quiet', '--data-dir', dir]);
    const busy = await runCli(cli.file, ['emulator', '--data-dir', dir], {});
    expect([busy.code, busy.stderr]).toEqual([2, expect.stringContaining(`is in use by process ${first.child.pid}`)]);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await start(['--quiet', '--data-dir', dir]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
