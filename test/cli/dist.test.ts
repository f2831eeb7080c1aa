/**
 * The shipped artifacts: `node scripts/build.mjs` output (dist/cli/oss-batch.js), the bin/oss-batch
 * launcher that package users run, and `npx tsx src/cli/main.ts` from source. The other CLI suites
 * run a private bundle of the same source (harness.ts); this one proves the real build wires it up.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { CliWorld, runCli, spawnCli, startCliWorld } from './harness';

const root = resolve(__dirname, '../..');
const dist = resolve(root, 'dist/cli/oss-batch.js');
const launcher = resolve(root, 'bin/oss-batch');
const tsx = resolve(root, 'node_modules/.bin/tsx');

let world: CliWorld;
beforeAll(async () => {
  // --bundles-only: the jsii library compile is not what these tests are about, and takes minutes.
  await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--bundles-only'], { cwd: root });
  world = await startCliWorld();
}, 120_000);
afterAll(() => world?.close());

test('dist/cli/oss-batch.js waits for a job to Complete; --json output parses', async () => {
  const id = await world.createJob(['a', 'b', 'c']);
  const r = await runCli(dist, ['--json', 'jobs', 'wait', id], world.env);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ jobId: id, status: 'Complete', exitCode: 0, progressSummary: { numberOfTasksSucceeded: 3 } });
});

test('bin/oss-batch launches the bundle: describe, and exit 2 with usage on a bad command', async () => {
  const id = await world.createJob(['a']);
  const described = await runCli(launcher, ['jobs', 'describe', id], world.env);
  expect(described.code).toBe(0);
  expect(described.stdout).toMatch(new RegExp(`^JobId\\s+${id.replace(/[+/=]/g, '\\$&')}$`, 'm'));
  const bad = await runCli(launcher, ['jobs', 'describ', id], world.env);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("unknown command 'describ'");
  expect(bad.stderr).toContain('Usage: oss-batch jobs');
});

test('the bundled emulator command serves once: one stdout line, exit 0 on SIGTERM', async () => {
  const child = spawnCli(dist, ['emulator', '--quiet'], {});
  let stdout = '';
  child.stdout?.on('data', (d) => { stdout += d; });
  const exited = new Promise<number | null>((r) => child.on('close', r));
  await new Promise<void>((ready, fail) => {
    child.stdout?.on('data', () => { if (stdout.includes('\n')) ready(); });
    exited.then((code) => fail(new Error(`exited ${code} before listening`)));
  });
  // Time for a second server to announce itself, were the CLI started twice in one process.
  await new Promise((r) => setTimeout(r, 300));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(stdout).toMatch(/^OSS emulator listening on http:\/\/127\.0\.0\.1:\d+\n$/);
});

test('`tsx src/cli/main.ts` runs the CLI from source', async () => {
  const id = await world.createJob(['a']);
  const r = await runCli(tsx, [resolve(root, 'src/cli/main.ts'), '--json', 'jobs', 'describe', id], world.env);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ jobId: id });
}, 60_000);
