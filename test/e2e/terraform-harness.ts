/**
 * Runs real `terraform` against synthesized example stacks. When Terraform is missing the
 * suites skip with a loud message locally, and FAIL under CI=true (a suite that needs terraform must never pass by skipping in CI).
 */
import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { RESULT_DIR } from '../../src/shared/contract';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';

export const PACKAGE_ROOT = resolve(__dirname, '../..');

export function findTerraform(): string | undefined {
  const explicit = process.env.TERRAFORM_BIN;
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter).concat('/usr/local/bin')) {
    const candidate = join(dir, 'terraform');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** `describe` that needs Terraform: skips loudly locally, fails under CI=true. */
export function describeWithTerraform(name: string, body: () => void): void {
  if (findTerraform()) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true' || process.env.CI === '1') {
    describe(name, () => {
      test('terraform is installed', () => {
        throw new Error('terraform was not found on PATH (or TERRAFORM_BIN) and CI=true: the end-to-end suite must not be skipped in CI');
      });
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`\n!!!!!!!!!!\n!! SKIPPING "${name}": terraform not found on PATH (set TERRAFORM_BIN). CI=true makes this a failure.\n!!!!!!!!!!\n`);
  describe.skip(name, body);
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

function toResult(r: SpawnSyncReturns<string>): RunResult {
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Run a process asynchronously (a blocking spawnSync would stop an in-process emulator from
 * answering), collecting its output; SIGKILL after `timeoutMs`.
 */
export function runProcess(
  cmd: string, args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number; onSpawn?: (child: ChildProcess) => void },
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code) => { clearTimeout(timer); resolvePromise({ status: code ?? -1, stdout, stderr }); });
  });
}

export function tmpWorkDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `oss-batch-${prefix}-`));
}

/** Synthesize a cdktf app (a .ts file relative to the package root) into `outdir`; returns the stack dir. */
export function synthApp(appFile: string, outdir: string, env: Record<string, string>): string {
  const tsx = join(PACKAGE_ROOT, 'node_modules/.bin/tsx');
  // cdktf's default local backend puts the state in the synth process's cwd: keep it beside outdir.
  const r = toResult(spawnSync(tsx, [join(PACKAGE_ROOT, appFile)], {
    cwd: dirname(outdir), encoding: 'utf8', env: { ...process.env, ...env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
  }));
  if (r.status !== 0) throw new Error(`synth of ${appFile} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  const stacks = Object.values(manifest.stacks) as { workingDirectory: string }[];
  if (stacks.length !== 1) throw new Error(`expected one stack in ${appFile}, got ${stacks.length}`);
  return join(outdir, stacks[0].workingDirectory);
}

/**
 * Terraform runs asynchronously: the emulator usually lives in the test process, and a
 * blocking spawnSync would stop it from answering the handler's requests.
 */
export class TerraformRunner {
  /** The running terraform process, so tests can interfere with it (e.g. kill the handler). */
  current?: ChildProcess;

  constructor(readonly stackDir: string, readonly env: Record<string, string>) {}

  run(args: string[], timeoutMs = 300_000): Promise<RunResult> {
    const terraform = findTerraform();
    if (!terraform) throw new Error('terraform not found');
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
    // A TF_CLI_CONFIG_FILE naming a missing file only makes terraform print warnings.
    if (env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
    return runProcess(terraform, args, { cwd: this.stackDir, env, timeoutMs, onSpawn: (child) => { this.current = child; } })
      .finally(() => { this.current = undefined; });
  }

  /** Run and throw with the whole output when the exit status is not `expected`. */
  async must(args: string[], expected = 0): Promise<RunResult> {
    const r = await this.run(args);
    if (r.status !== expected) {
      throw new Error(`terraform ${args.join(' ')} exited ${r.status} (expected ${expected})\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
    }
    return r;
  }

  async init(): Promise<void> {
    await this.must(['init', '-input=false', '-no-color']);
  }

  apply(expected = 0): Promise<RunResult> {
    return this.must(['apply', '-auto-approve', '-input=false', '-no-color'], expected);
  }

  destroy(expected = 0): Promise<RunResult> {
    return this.must(['destroy', '-auto-approve', '-input=false', '-no-color'], expected);
  }

  /** `terraform plan -detailed-exitcode`: 0 = no changes, 2 = changes. */
  async planExitCode(): Promise<{ code: number; output: string }> {
    const r = await this.run(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
    if (r.status === 1) throw new Error(`terraform plan failed:\n${r.stdout}\n${r.stderr}`);
    return { code: r.status, output: r.stdout };
  }

  async outputs(): Promise<Record<string, unknown>> {
    const r = await this.must(['output', '-json']);
    const parsed = JSON.parse(r.stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value]));
  }

  /** Path of the state file: cdktf's local backend path from cdk.tf.json. */
  statePath(): string {
    const config = JSON.parse(readFileSync(join(this.stackDir, 'cdk.tf.json'), 'utf8'));
    const path = config.terraform?.backend?.local?.path;
    if (!path) throw new Error('the stack has no local backend path');
    return resolve(this.stackDir, path);
  }

  stateText(): string {
    const text = readFileSync(this.statePath(), 'utf8');
    if (!text.includes('"resources"')) throw new Error(`state file ${this.statePath()} has no resources`);
    return text;
  }

  /** What a deployment leaves on disk: the synthesized JSON and the state (to check no secret is in them). */
  persistedTexts(): string[] {
    return [readFileSync(join(this.stackDir, 'cdk.tf.json'), 'utf8'), this.stateText()];
  }

  /** A GitOps runner: a copy of the stack directory with the state but without the local result files. */
  copyWithoutResultFiles(): TerraformRunner {
    const copy = join(tmpWorkDir('copy'), 'stack');
    cpSync(this.stackDir, copy, { recursive: true });
    rmSync(join(copy, RESULT_DIR), { recursive: true, force: true });
    return new TerraformRunner(copy, this.env);
  }
}
