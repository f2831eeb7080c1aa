/**
 * Benchmark 2: ManifestFromPrefix (the bundled handler, as Terraform runs it) vs a raw
 * ListObjectsV2 pagination of the same bucket: keys/s, and the handler's peak RSS at 10k, 100k
 * and 1M keys. The emulator runs in this process; each measured run is a child process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator } from '../src/emulator';
import { EVENT_FORMAT, ManifestFromPrefixEvent } from '../src/shared/contract';
import { seedObjects } from './engine';
import { BenchResult } from './lib/report';

const ROOT = resolve(__dirname, '..');

function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<{ seconds: number; maxRssKiB: number; stdout: string }> {
  const rssFile = join(mkdtempSync(join(tmpdir(), 'oss-batch-rss-')), 'rss');
  const start = process.hrtime.bigint();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['-r', join(ROOT, 'bench/lib/max-rss.cjs'), ...args], { env: { ...process.env, ...env, MAX_RSS_FILE: rssFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`child ${args.join(' ')} exited ${code}: ${stderr}`));
      resolvePromise({ seconds: Number(process.hrtime.bigint() - start) / 1e9, maxRssKiB: Number(readFileSync(rssFile, 'utf8')), stdout });
    });
  });
}

export async function runManifestBench(sizes = [10_000, 100_000, 1_000_000]): Promise<BenchResult> {
  const emulator = await startEmulator({ persist: false });
  const rows: { keys: number; rawKeysPerSecond: number; oursKeysPerSecond: number; rssMiB: number }[] = [];
  try {
    const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret };
    emulator.store.createBucket({ name: 'bench-ops', created: new Date().toISOString(), storageClass: 'Standard', versioning: 'Off' });
    let seeded = 0;
    for (const keys of sizes) {
      const bucket = `bench-src-${keys}`;
      await seedObjects(emulator.store, bucket, keys);
      seeded += keys;
      const raw = await runChild([join(ROOT, 'bench/raw-list.ts')], { ...env, ENDPOINT: emulator.endpoint, BUCKET: bucket, NODE_OPTIONS: '--import tsx' });
      if (Number(raw.stdout) !== keys) throw new Error(`raw listing saw ${raw.stdout} keys, expected ${keys}`);
      const event: ManifestFromPrefixEvent = {
        kind: 'manifest-from-prefix', format: EVENT_FORMAT, name: 'bench', connection: { endpoint: emulator.endpoint },
        identity: {
          region: emulator.region, sourceBucket: bucket, prefix: 'k/', filter: { suffixes: [], storageClasses: [] }, includeVersionIds: false,
          manifestBucket: 'bench-ops', manifestPrefix: `manifests-${keys}/`,
        },
      };
      const resultFile = join(mkdtempSync(join(tmpdir(), 'oss-batch-manifest-')), 'result.json');
      const ours = await runChild([join(ROOT, 'dist/handler/handler.js'), 'create'], { ...env, OSS_BATCH_EVENT: JSON.stringify(event), OSS_BATCH_RESULT: resultFile });
      const result = JSON.parse(readFileSync(resultFile, 'utf8')) as { objectCount: number };
      if (result.objectCount !== keys) throw new Error(`manifest has ${result.objectCount} keys, expected ${keys}`);
      rows.push({ keys, rawKeysPerSecond: keys / raw.seconds, oursKeysPerSecond: keys / ours.seconds, rssMiB: ours.maxRssKiB / 1024 });
    }
  } finally {
    await emulator.stop();
  }
  const largest = rows[rows.length - 1];
  const rssGrowth = largest.rssMiB - rows[0].rssMiB;
  const ratio = largest.oursKeysPerSecond / largest.rawKeysPerSecond;
  return {
    name: `ManifestFromPrefix vs raw ListObjectsV2 pagination (${sizes.map((s) => s.toLocaleString('en')).join(' / ')} keys)`,
    baseline: { label: `raw ListObjectsV2 pagination, ${largest.keys.toLocaleString('en')} keys`, value: largest.rawKeysPerSecond, unit: 'keys/s' },
    ours: { label: `bundled handler building + uploading the manifest, ${largest.keys.toLocaleString('en')} keys`, value: largest.oursKeysPerSecond, unit: 'keys/s' },
    ratio, ratioLabel: 'ours / raw listing',
    goal: '≥ 0.8× and peak RSS growth ≤ 64 MB from 10k to 1M keys',
    met: ratio >= 0.8 && rssGrowth <= 64,
    details: Object.fromEntries(rows.flatMap((r) => [
      [`${r.keys} keys: raw keys/s`, r.rawKeysPerSecond], [`${r.keys} keys: ours keys/s`, r.oursKeysPerSecond], [`${r.keys} keys: handler peak RSS (MiB)`, r.rssMiB],
    ]).concat([['peak RSS growth, smallest → largest (MiB)', rssGrowth]])),
  };
}
