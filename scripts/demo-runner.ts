/** The demo's steps that do not depend on the backend: synth an example, terraform init/apply/plan, read outputs. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, capture = false): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolveRun(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
  });
}

export class DemoRunner {
  private stackDir = '';

  /** The process environment plus `extra`, quiet for terraform and cdktf. */
  environment(extra: Record<string, string>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, ...extra, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
    // Some machines point TF_CLI_CONFIG_FILE at a file that does not exist; terraform only warns, noisily.
    if (env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
    return env;
  }

  /** Synthesize `examples/<example>` into `<work>/cdktf.out`, init and apply it; returns an output reader. */
  async deploy(example: string, work: string, env: NodeJS.ProcessEnv): Promise<(name: string) => unknown> {
    const outdir = join(work, 'cdktf.out');
    console.log(`\n$ npx tsx examples/${example}/main.ts   (synth into ${outdir})`);
    // cdktf's default local backend writes the state into the synth cwd: the temp work dir.
    await run(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'examples', example, 'main.ts')], work, { ...env, CDKTF_OUTDIR: outdir });
    this.stackDir = join(outdir, 'stacks', example);
    console.log(`\n$ terraform init && terraform apply   (in ${this.stackDir})`);
    await run('terraform', ['init', '-input=false', '-no-color'], this.stackDir, env, true);
    await run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], this.stackDir, env);
    const outputs = JSON.parse(await run('terraform', ['output', '-json'], this.stackDir, env, true)) as Record<string, { value: unknown }>;
    return (name: string) => outputs[name]?.value;
  }

  /** `terraform plan` after the apply: a second deployment must not start another job. */
  async planShowsNoChanges(env: NodeJS.ProcessEnv): Promise<void> {
    console.log('\n$ terraform plan   (a second deployment must not start another job)');
    const plan = await run('terraform', ['plan', '-input=false', '-no-color', '-detailed-exitcode'], this.stackDir, env, true).catch((e: Error) => e.message);
    console.log(plan.includes('No changes') ? 'No changes: the job is created exactly once.' : plan);
  }
}
