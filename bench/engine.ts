/**
 * Benchmark 5: emulator job engine throughput on a 1M-object job (unthrottled; every object
 * change journaled and fsync'd unless BENCH_ENGINE_PERSIST=0), against a baseline loop doing the
 * bare minimum per object (the same store update, no engine around it).
 */
import { rmSync } from 'node:fs';
import { startEmulator } from '../src/emulator';
import type { Store } from '../src/emulator/store';
import { OssClient } from '../src/oss/client';
import { BenchResult } from './lib/report';

/** `count` objects without bodies under `prefix`, straight into the store (the bucket is created when missing). */
export async function seedObjects(store: Store, bucket: string, count: number, prefix = 'k/'): Promise<void> {
  const now = new Date().toISOString();
  store.createBucket({ name: bucket, created: now, storageClass: 'Standard', versioning: 'Off' });
  for (let i = 0; i < count; i++) {
    store.putObject(bucket, `${prefix}${String(i).padStart(8, '0')}`, {
      etag: 'D41D8CD98F00B204E9800998ECF8427E', size: 100 + (i % 1000), storageClass: 'Standard', acl: 'default', contentType: 'application/octet-stream', lastModified: now, tags: [],
    });
    if (i % 20_000 === 19_999) await store.durable(); // a persisted store writes as it goes
  }
  await store.durable();
}

export async function runEngineBench(count = 1_000_000, persist = process.env.BENCH_ENGINE_PERSIST !== '0'): Promise<BenchResult> {
  const emulator = await startEmulator({ persist });
  try {
    const client = new OssClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials });
    await client.createBucket('bench-src');
    await client.createBucket('bench-ops');
    await seedObjects(emulator.store, 'bench-src', count);

    // Baseline: the same per-object state change with no engine around it (through the store, as the engine does).
    const t0 = process.hrtime.bigint();
    for (const [key] of emulator.store.liveObjects('bench-src', 'k/')) emulator.store.updateVersion('bench-src', key, undefined, { tags: [{ key: 'baseline', value: '1' }] });
    await emulator.store.durable();
    const baselineSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

    const { jobId } = await client.createJob({
      operation: { type: 'PutObjectTagging', tags: [{ key: 'env', value: 'prod' }] }, report: { bucket: 'bench-ops', enabled: true, prefix: 'r/', reportScope: 'FailedTasksOnly' },
      clientRequestToken: `bench-${Date.now()}`, keyPrefixManifestGenerator: { sourceBucket: 'bench-src', prefix: 'k/' }, priority: 1, roleArn: 'acs:ram::1234567890123456:role/BatchRole',
    });
    const job = emulator.store.job(jobId)!;
    let activeAt = 0n;
    let doneAt = 0n;
    const created = process.hrtime.bigint();
    const status = (): string => job.status; // read fresh each turn: the engine mutates the record
    while (status() !== 'Complete' && status() !== 'Failed') {
      if (!activeAt && status() === 'Active') activeAt = process.hrtime.bigint();
      if (!doneAt && status() === 'Completing') doneAt = process.hrtime.bigint();
      await new Promise((r) => setImmediate(r));
    }
    const finished = process.hrtime.bigint();
    if (!doneAt) doneAt = finished;
    if (!activeAt) activeAt = created;
    const activeSeconds = Number(doneAt - activeAt) / 1e9;
    const tasksPerSecond = job.succeededTasks / activeSeconds;
    const baselineRate = count / baselineSeconds;
    return {
      name: `Emulator job engine: PutObjectTagging over ${count.toLocaleString('en')} objects (${persist ? 'journaled + fsync\'d' : 'in memory'}, unthrottled)`,
      baseline: { label: 'bare loop tagging the same records', value: baselineRate, unit: 'objects/s' },
      ours: { label: 'job engine while Active', value: tasksPerSecond, unit: 'tasks/s' },
      ratio: tasksPerSecond / baselineRate, ratioLabel: 'engine / bare loop',
      goal: '≥ 20,000 tasks/s', met: tasksPerSecond >= 20_000 && job.status === 'Complete',
      details: {
        'status': job.status, 'succeeded tasks': job.succeededTasks,
        'CreateJob → Complete incl. manifest + report (s)': Number(finished - created) / 1e9,
      },
    };
  } finally {
    await emulator.stop();
    rmSync(emulator.dataDir, { recursive: true, force: true });
  }
}
