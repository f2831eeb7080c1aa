/**
 * The local OSS emulator: `startEmulator()` in-process, or `oss-batch emulator` from a shell.
 */
import { mkdtempSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OssCredentials } from '../oss/signer';
import { BatchController } from './batch-controller';
import {
  DEFAULT_ALLOWED_SKEW_SECONDS, DEFAULT_TASKS_PER_SECOND, EMULATOR_ACCESS_KEY_ID, EMULATOR_ACCESS_KEY_SECRET, EMULATOR_HOST, EMULATOR_REGION, EMULATOR_S3_REGION,
} from './defaults';
import { JobEngine } from './engine/engine';
import { FaultInjector, FaultSpec, NO_FAULTS, parseFaultSpec } from './faults';
import { loadFixtures } from './fixtures';
import { ObjectController } from './object-controller';
import { createServer } from './server';
import { Store } from './store';

export * from './defaults';
export { StoreCorruptError } from './journal';
export { FixturesError } from './fixtures';
export { DataDirLockedError } from './disk';
export { parseFaultSpec } from './faults';
export type { FaultSpec } from './faults';

export interface EmulatorOptions {
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** @default 127.0.0.1 */
  host?: string;
  /** State directory; reused across restarts. @default a fresh temp directory */
  dataDir?: string;
  /** false keeps everything in memory and writes nothing to dataDir (benchmarks). @default true */
  persist?: boolean;
  accessKeyId?: string;
  accessKeySecret?: string;
  /** OSS region. @default cn-hangzhou */
  region?: string;
  /** Region of the S3 and S3 Control APIs; S3 requests signed for `region` are accepted too. @default us-east-1 */
  s3Region?: string;
  /** Job task throughput; 0 = as fast as possible. @default 0 */
  tasksPerSecond?: number;
  faults?: FaultSpec | string;
  /** Seed of the fault PRNG. @default 1 */
  seed?: number;
  /** Simulated clock (14-day Suspended rule, restores, signature skew). */
  clock?: () => Date;
  /** One line per request. @default no logging */
  log?: (line: string) => void;
  /** @default 900 */
  allowedClockSkewSeconds?: number;
  /** The journal is folded into a snapshot once it is larger than this and twice the snapshot. @default 64 MiB */
  compactMinBytes?: number;
  /** A folder whose subfolders are buckets and whose files are objects, loaded at start (fixtures.ts). */
  fixtures?: string;
}

export interface RunningEmulator {
  endpoint: string;
  host: string;
  port: number;
  region: string;
  s3Region: string;
  dataDir: string;
  credentials: OssCredentials;
  engine: JobEngine;
  store: Store;
  setFaults(spec: FaultSpec | string, seed?: number): void;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? EMULATOR_HOST;
  const region = options.region ?? EMULATOR_REGION;
  const s3Region = options.s3Region ?? EMULATOR_S3_REGION;
  const clock = options.clock ?? (() => new Date());
  const credentials = { accessKeyId: options.accessKeyId ?? EMULATOR_ACCESS_KEY_ID, accessKeySecret: options.accessKeySecret ?? EMULATOR_ACCESS_KEY_SECRET };
  // Parse the fault spec first: a bad spec must not leave a locked data directory and a running engine behind.
  const faultSpec = typeof options.faults === 'string' ? parseFaultSpec(options.faults) : options.faults ?? NO_FAULTS;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'oss-emulator-'));
  const store = new Store(dataDir, options.persist ?? true, options.compactMinBytes);
  const engine = new JobEngine(store, { tasksPerSecond: options.tasksPerSecond ?? DEFAULT_TASKS_PER_SECOND, clock });
  const faults = new FaultInjector(faultSpec, options.seed ?? 1);
  const server = createServer({
    controllers: { objects: new ObjectController(store, clock), batch: new BatchController(store, engine, clock) },
    store,
    faults,
    secrets: new Map([[credentials.accessKeyId, credentials.accessKeySecret]]),
    region,
    s3Regions: [...new Set([s3Region, region])],
    clock,
    allowedSkewSeconds: options.allowedClockSkewSeconds ?? DEFAULT_ALLOWED_SKEW_SECONDS,
    log: options.log ?? (() => undefined),
    engine,
  });
  try {
    if (options.fixtures) await loadFixtures(store, options.fixtures, clock);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (err) {
    engine.stop();
    store.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  let stopped = false;
  return {
    endpoint: `http://${hostForUrl}:${port}`, host, port, region, s3Region, dataDir, credentials, engine, store,
    setFaults: (spec, seed) => faults.set(spec, seed),
    reset: async () => {
      engine.reset();
      store.reset();
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      engine.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    },
  };
}
