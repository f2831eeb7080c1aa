/**
 * `npm run demo`: the whole path on a machine with no cloud account and no provider download.
 * Starts the OSS emulator (temp data dir) with sample objects loaded from a fixtures folder (as
 * `oss-batch emulator --fixtures DIR` does from a shell), synthesizes the
 * tag-prefix-manifest example, runs real `terraform init` + `apply`, prints the JobId, status
 * and counts, shows the tags on the objects, then stops the emulator.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../src/emulator';
import { OssClient } from '../src/oss/client';
import { DEFAULT_SEED, OPS_BUCKET, SOURCE_BUCKET } from '../examples/seed';
import { DemoRunner } from './demo-runner';
import { s3Demo } from './demo-s3';

const EXAMPLE = 'tag-prefix-manifest';
const USAGE = 'usage: npm run demo [-- --s3]\n  (no flag)  OSS: the tag-prefix-manifest example\n  --s3       AWS S3 Batch Operations: the s3-tag-generator example';

/** The demo's objects as a fixtures folder: each subfolder a bucket, each file an object. */
function writeFixtures(dir: string): void {
  mkdirSync(join(dir, SOURCE_BUCKET, 'raw'), { recursive: true });
  mkdirSync(join(dir, OPS_BUCKET), { recursive: true });
  for (let i = 0; i < DEFAULT_SEED.raw; i++) writeFileSync(join(dir, SOURCE_BUCKET, 'raw', `IMG_${String(i).padStart(4, '0')}.jpg`), `jpeg bytes ${i}`);
}

async function ossDemo(demo: DemoRunner): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'oss-batch-demo-'));
  writeFixtures(join(work, 'fixtures'));
  const emulator = await startEmulator({ dataDir: join(work, 'emulator-data'), fixtures: join(work, 'fixtures'), log: () => undefined });
  console.log(`OSS emulator listening on ${emulator.endpoint} (data in ${emulator.dataDir})`);
  try {
    const env = demo.environment({
      ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
      OSS_ENDPOINT: emulator.endpoint,
      OSS_REGION: emulator.region,
    });
    const client = new OssClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials });
    console.log(`Loaded ${DEFAULT_SEED.raw} objects under oss://${SOURCE_BUCKET}/raw/ from ${join(work, 'fixtures')}`);
    const value = await demo.deploy(EXAMPLE, work, env);
    console.log('\n=== Result');
    console.log(`JobId:           ${value('JobId')}`);
    console.log(`Status:          ${value('Status')}`);
    console.log(`Tasks:           ${value('SucceededTasks')} succeeded, ${value('FailedTasks')} failed, ${value('TotalTasks')} total`);
    console.log(`Report:          ${value('ReportLocation')}`);
    for (const key of ['raw/IMG_0000.jpg', `raw/IMG_${String(DEFAULT_SEED.raw - 1).padStart(4, '0')}.jpg`]) {
      const tags = await client.getObjectTagging(SOURCE_BUCKET, key);
      console.log(`Tags on ${key}: ${tags.map((t) => `${t.key}=${t.value}`).join(', ') || '(none)'}`);
    }
    await demo.planShowsNoChanges(env);
    const jobs = await client.listJobs({ maxKeys: 100 });
    console.log(`Jobs in the emulator: ${jobs.jobs.length}`);
  } finally {
    await emulator.stop();
    console.log('Emulator stopped.');
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const unknown = argv.filter((a) => a !== '--s3');
  if (unknown.length) throw new Error(`unknown argument ${unknown.join(' ')}\n${USAGE}`);
  await (argv.includes('--s3') ? s3Demo(new DemoRunner()) : ossDemo(new DemoRunner()));
}

main(process.argv.slice(2)).catch((err: Error) => {
  console.error(`demo failed: ${err.message}`);
  process.exit(1);
});
