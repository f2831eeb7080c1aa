/** The command tree: --help with examples everywhere, usage errors → exit 2, --json errors on stdout. */
import type { Command } from 'commander';
import { buildProgram, exitWhenFlushed } from '../../src/cli/main';
import { bundleCli, runCli } from './harness';

let cli: { file: string; cleanup: () => void };
beforeAll(async () => { cli = await bundleCli(); });
afterAll(() => cli.cleanup());

/** Every command path in the real tree, e.g. [], ['jobs'], ['jobs', 'wait'] (commander's own `help` excluded). */
function commandPaths(cmd: Command, path: string[] = []): string[][] {
  return [path, ...cmd.commands.filter((c) => c.name() !== 'help').flatMap((c) => commandPaths(c, [...path, c.name()]))];
}

test('the tree has the documented commands', () => {
  expect(commandPaths(buildProgram()).map((p) => p.join(' '))).toEqual([
    '', 'jobs', 'jobs list', 'jobs describe', 'jobs wait', 'jobs cancel', 'jobs confirm', 'jobs priority', 'report', 'report summary', 'emulator',
  ]);
});

test('--help on every command exits 0 and shows usage and examples', async () => {
  for (const path of commandPaths(buildProgram())) {
    const r = await runCli(cli.file, [...path, '--help'], {});
    expect({ path, code: r.code }).toEqual({ path, code: 0 });
    expect(r.stdout.startsWith(`Usage: ${['oss-batch', ...path].join(' ')} `)).toBe(true);
    expect(r.stdout).toMatch(/\nExamples?:\n {2}oss-batch /);
  }
});

test('the root help names the credential variables and the exit codes', async () => {
  const r = await runCli(cli.file, ['--help'], {});
  expect(r.stdout).toContain('ALIBABA_CLOUD_ACCESS_KEY_ID');
  expect(r.stdout).toMatch(/Exit codes: 0 success; 1 .*2 usage;\s+3 timeout; 4 /);
});

test.each([
  [['jobs', 'frobnicate'], "unknown command 'frobnicate'"],
  [['jobs', 'list', '--frob'], "unknown option '--frob'"],
  [['jobs', 'wait'], "missing required argument 'jobId'"],
  [['jobs', 'describe', ' '], 'the job id is empty'],
  [['jobs', 'wait', 'J', '--timeout', '0'], '--timeout must be a whole number ≥ 1'],
  [['jobs', 'list', '--status', 'Sleeping'], 'unknown status "Sleeping" (valid: New, Preparing'],
  [['jobs', 'list', '--max-keys', 'ten'], '--max-keys must be a whole number ≥ 1'],
  [['jobs'], 'Usage: oss-batch jobs'],
  [[], 'Usage: oss-batch'],
])('usage error %j → exit 2 with the usage on stderr', async (args, message) => {
  const r = await runCli(cli.file, args, {});
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(message);
  expect(r.stderr).toContain('Usage: oss-batch');
  expect(r.stdout).toBe('');
});

test('with --json a usage error is also one JSON document on stdout', async () => {
  const r = await runCli(cli.file, ['jobs', 'list', '--status', 'Sleeping', '--json'], {});
  expect(r.code).toBe(2);
  expect(JSON.parse(r.stdout)).toEqual({ error: { exitCode: 2, message: expect.stringContaining('unknown status "Sleeping"') } });
});

test('exitWhenFlushed exits only after every stream has written what came before', () => {
  const pending: (() => void)[] = [];
  const stream = { write: (_chunk: string, cb: () => void) => { pending.push(cb); return false; } } as unknown as NodeJS.WritableStream;
  const exits: number[] = [];
  const saved = process.exitCode;
  try {
    exitWhenFlushed(3, [stream, stream], (code) => exits.push(code));
    expect(exits).toEqual([]);
    pending[0]();
    expect(exits).toEqual([]);
    pending[1]();
    expect(exits).toEqual([3]);
  } finally {
    process.exitCode = saved;
  }
});
