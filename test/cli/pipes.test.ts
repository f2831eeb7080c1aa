/**
 * Output that survives a pipe: the CLI must not exit before stdout drains (a pipe holds 64 KiB),
 * must end quietly when the reader goes away, and prints what scripts rely on (--version, ISO
 * times, usage errors, the credentials message for this environment).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isoTime } from '../../src/cli/format';
import { CliWorld, Run, startCliWorld } from './harness';

const JOBS = 3000;
let world: CliWorld;
let dir: string;

beforeAll(async () => {
  world = await startCliWorld();
  dir = mkdtempSync(join(tmpdir(), 'oss-batch-pipes-'));
  await world.client.putObject('ops', 'pipes.csv', 'src,a\n');
  let next = 0;
  // Suspended jobs (confirmation required) stay put: the engine does no work while we list.
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < JOBS) {
      const i = next++;
      await world.client.createJob({
        operation: { type: 'PutObjectTagging', tags: [{ key: 'a', value: 'b' }] }, report: { bucket: 'ops', enabled: false }, clientRequestToken: `pipes-${i}`,
        manifest: { location: { bucket: 'ops', object: 'pipes.csv' }, spec: { format: 'OSS_BatchOperations_CSV_20250611', fields: 'Bucket,Key' } },
        priority: 1, roleArn: 'acs:ram::1234567890123456:role/R', confirmationRequired: true, description: `job ${i}`,
      });
    }
  }));
}, 120_000);
afterAll(async () => {
  await world?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Run a shell pipeline with $NODE and $CLI set; the CLI's stderr goes to $ERR (a file). */
function shell(script: string, env: Record<string, string> = world.env): Promise<Run & { cliStderr: string }> {
  const errFile = join(dir, `err-${Math.random().toString(36).slice(2)}`);
  writeFileSync(errFile, '');
  return new Promise((done) => {
    const child = spawn('sh', ['-c', script], { env: { PATH: process.env.PATH ?? '', ...env, NODE: process.execPath, CLI: world.file, ERR: errFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => done({ code, stdout, stderr, cliStderr: readFileSync(errFile, 'utf8') }));
  });
}

// The reader sleeps first, so the pipe fills up and the CLI has to wait for it to drain.
const SLOW_READER = 'sleep 1;';

test(`--json jobs list --all: all ${JOBS} jobs reach a slow reader, and the exit status is the CLI's`, async () => {
  const parse = `"$NODE" -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>console.log(JSON.parse(s).jobs.length))'`;
  const r = await shell(`{ "$NODE" "$CLI" --json jobs list --all --max-keys 1000 2>"$ERR"; echo "exit $?" >&2; } | { ${SLOW_READER} ${parse}; }`);
  expect(r.cliStderr).toBe('');
  expect(r.stdout.trim()).toBe(String(JOBS));
  expect(r.stderr.trim()).toBe('exit 0');
}, 60_000);

test('the table through a pipe into wc -l has as many lines as written to a file', async () => {
  const file = join(dir, 'table.txt');
  const r = await shell(`"$NODE" "$CLI" jobs list --all --max-keys 1000 >"${file}" && "$NODE" "$CLI" jobs list --all --max-keys 1000 2>"$ERR" | { ${SLOW_READER} wc -l; }`);
  const written = readFileSync(file, 'utf8');
  expect(written.length).toBeGreaterThan(64 * 1024);
  expect(written.split('\n').filter((l) => l.includes('job ')).length).toBe(JOBS);
  expect(Number(r.stdout.trim())).toBe(written.split('\n').length - 1);
  expect(r.cliStderr).toBe('');
}, 60_000);

test('a reader that stops early ends the CLI quietly: no EPIPE, no stack trace', async () => {
  const help = await shell('"$NODE" "$CLI" --help 2>"$ERR" | head -1');
  expect(help.stdout).toBe('Usage: oss-batch [options] [command]\n');
  expect(help.cliStderr).toBe('');
  const big = await shell('"$NODE" "$CLI" --json jobs list --all --max-keys 1000 2>"$ERR" | head -c 100 >/dev/null; echo done');
  expect(big.stdout).toBe('done\n');
  expect(big.cliStderr).toBe('');
}, 60_000);

test('--version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string };
  const r = await world.run(['--version']);
  expect(r).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
});

test.each(['ftp://127.0.0.1:1', '127.0.0.1:9000', 'file:///tmp/x'])('--endpoint %s is not http(s): usage error, exit 2', async (endpoint) => {
  const r = await world.run(['--endpoint', endpoint, 'jobs', 'list']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`the endpoint "${endpoint}" is not an http:// or https:// URL; fix --endpoint or OSS_ENDPOINT`);
});

test('--json times are ISO 8601 like the tables', async () => {
  const { jobs } = await world.client.listJobs({ maxKeys: 1 });
  const id = jobs[0].jobId;
  const described = await world.client.describeJob(id);
  const doc = JSON.parse((await world.run(['--json', 'jobs', 'describe', id])).stdout);
  expect(doc.creationTime).toBe(isoTime(described.creationTime));
  expect(doc.creationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const table = (await world.run(['jobs', 'describe', id])).stdout;
  expect(table).toMatch(new RegExp(`^Created\\s+${doc.creationTime}$`, 'm'));
  const listed = JSON.parse((await world.run(['--json', 'jobs', 'list', '--max-keys', '5'])).stdout);
  for (const j of listed.jobs) expect(j.creationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('no credentials: exit 4, a message for this shell, no upstream noise', async () => {
  const home = mkdtempSync(join(dir, 'home-'));
  // No key in the environment, an empty home (no profiles), no ECS metadata lookup (it is off-box).
  const r = await world.run(['jobs', 'list'], { ALIBABA_CLOUD_ACCESS_KEY_ID: '', ALIBABA_CLOUD_ACCESS_KEY_SECRET: '', HOME: home, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' });
  expect(r.code).toBe(4);
  expect(r.stderr).toContain('oss-batch: no Alibaba Cloud credentials found. Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET');
  expect(r.stderr).toContain('in the environment oss-batch runs in (this shell)');
  expect(r.stderr).not.toMatch(/Terraform|ENOTFOUND|undefined|getaddrinfo/);
});
