/**
 * Finding the official AWS CLI for the CLI suites, and their skip rule: skipped loudly without
 * `aws`, a failure under CI=true (as the terraform suites).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findAws(): string | undefined {
  const explicit = process.env.AWS_CLI_BIN;
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter).concat('/usr/local/bin', '/root/.pyenv/shims')) {
    const candidate = join(dir, 'aws');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function describeWithAws(aws: string | undefined, name: string, body: () => void): void {
  if (aws) {
    describe(name, body);
  } else if (process.env.CI === 'true' || process.env.CI === '1') {
    describe(name, () => {
      test('the AWS CLI is installed', () => {
        throw new Error('aws was not found on PATH, /root/.pyenv/shims or AWS_CLI_BIN and CI=true: the AWS CLI suite must not be skipped in CI');
      });
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(`\n!!!!!!!!!!\n!! SKIPPING "${name}": aws (the AWS CLI) not found on PATH (set AWS_CLI_BIN). CI=true makes this a failure.\n!!!!!!!!!!\n`);
    describe.skip(name, body);
  }
}

export interface CliResult { code: number; stdout: string; stderr: string }

/**
 * `aws <args>` against `emulator` with a private HOME and config (no user setting leaks in);
 * asynchronous, because the emulator runs in the test's own process.
 */
export function runAws(
  bin: string, home: string, emulator: { region: string; credentials: { accessKeyId: string; accessKeySecret: string } },
  args: string[], overrides: Record<string, string> = {}, timeoutMs = 20_000,
): Promise<CliResult> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '', HOME: home, AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: emulator.credentials.accessKeySecret,
    AWS_DEFAULT_REGION: emulator.region, AWS_MAX_ATTEMPTS: '1', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '', ...overrides,
  };
  if (process.env.PYENV_ROOT) env.PYENV_ROOT = process.env.PYENV_ROOT;
  return new Promise((resolve) => {
    execFile(bin, args, { env, cwd: home, timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}
