/**
 * `npm run demo`: the whole path on a machine with no cloud account and no provider download.
 * Starts the OSS emulator (temp data dir) with sample objects loaded from a fixtures folder (as
 * `oss-batch emulator --fixtures DIR` does from a shell), synthesizes the
 * tag-prefix-manifest example, runs real `terraform init` + `apply`, prints the JobId, status
 * and counts, shows the tags on the objects, then stops the emulator.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator } from '../src/emulator';
import { OssClient } from '../src/oss/client';
import { DEFAULT_SEED, OPS_BUCKET, SOURCE_BUCKET } from '../examples/seed';

const ROOT = resolve(__dirname, '..');
const EXAMPLE = 'tag-prefix-manifest';

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, capture = false): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolveRun(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
  });
}

/** The demo's objects as a fixtures folder: each subfolder a bucket, each file an object. */
function writeFixtures(dir: string): void {
  mkdirSync(join(dir, SOURCE_BUCKET, 'raw'), { recursive: true });
  mkdirSync(join(dir, OPS_BUCKET), { recursive: true });
  for (let i = 0; i < DEFAULT_SEED.raw; i++) writeFileSync(join(dir, SOURCE_BUCKET, 'raw', `IMG_${String(i).padStart(4, '0')}.jpg`), `jpeg bytes ${i}`);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'oss-batch-demo-'));
  writeFixtures(join(work, 'fixtures'));
  const emulator = await startEmulator({ dataDir: join(work, 'emulator-data'), fixtures: join(work, 'fixtures'), log: () => undefined });
  console.log(`OSS emulator listening on ${emulator.endpoint} (data in ${emulator.dataDir})`);
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
      OSS_ENDPOINT: emulator.endpoint,
      OSS_REGION: emulator.region,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
    };
    // Some machines point TF_CLI_CONFIG_FILE at a file that does not exist; terraform only warns, noisily.
    if (env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
    const client = new OssClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials });
    console.log(`Loaded ${DEFAULT_SEED.raw} objects under oss://${SOURCE_BUCKET}/raw/ from ${join(work, 'fixtures')}`);

    const outdir = join(work, 'cdktf.out');
    console.log(`\n$ npx tsx examples/${EXAMPLE}/main.ts   (synth into ${outdir})`);
    // cdktf's default local backend writes the state into the synth cwd: the temp work dir.
    await run(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'examples', EXAMPLE, 'main.ts')], work, { ...env, CDKTF_OUTDIR: outdir });
    const stackDir = join(outdir, 'stacks', EXAMPLE);

    console.log(`\n$ terraform init && terraform apply   (in ${stackDir})`);
    await run('terraform', ['init', '-input=false', '-no-color'], stackDir, env, true);
    await run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], stackDir, env);

    const outputs = JSON.parse(await run('terraform', ['output', '-json'], stackDir, env, true)) as Record<string, { value: unknown }>;
    const value = (name: string) => outputs[name]?.value;
    console.log('\n=== Result');
    console.log(`JobId:           ${value('JobId')}`);
    console.log(`Status:          ${value('Status')}`);
    console.log(`Tasks:           ${value('SucceededTasks')} succeeded, ${value('FailedTasks')} failed, ${value('TotalTasks')} total`);
    console.log(`Report:          ${value('ReportLocation')}`);
    for (const key of ['raw/IMG_0000.jpg', `raw/IMG_${String(DEFAULT_SEED.raw - 1).padStart(4, '0')}.jpg`]) {
      const tags = await client.getObjectTagging(SOURCE_BUCKET, key);
      console.log(`Tags on ${key}: ${tags.map((t) => `${t.key}=${t.value}`).join(', ') || '(none)'}`);
    }

    console.log('\n$ terraform plan   (a second deployment must not start another job)');
    const plan = await run('terraform', ['plan', '-input=false', '-no-color', '-detailed-exitcode'], stackDir, env, true).catch((e: Error) => e.message);
    console.log(plan.includes('No changes') ? 'No changes: the job is created exactly once.' : plan);
    const jobs = await client.listJobs({ maxKeys: 100 });
    console.log(`Jobs in the emulator: ${jobs.jobs.length}`);
  } finally {
    await emulator.stop();
    console.log('Emulator stopped.');
  }
}

main().catch((err: Error) => {
  console.error(`demo failed: ${err.message}`);
  process.exit(1);
});
