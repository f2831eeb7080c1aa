/**
 * Emulator store at scale: small-object PUT throughput with 4 concurrent clients on a data
 * directory already holding N objects, against the same on 10k objects (every PUT is fsync'd
 * before its 200), and the restart time of that data directory. The emulator runs in a child
 * process; the clients here.
 */
import { EMULATOR_REGION } from '../src/emulator';
import { OssClient } from '../src/oss/client';
import { ChildEmulator, seededDataDir, startChildEmulator } from './emulator-common';
import { BenchResult } from './lib/report';

const CLIENTS = 4;
const BODY = Buffer.alloc(1024, 'x');

async function putRate(emulator: ChildEmulator, seconds: number, label: string): Promise<number> {
  const credentials = { accessKeyId: 'LTAIemulatorAccessKey1', accessKeySecret: 'emulator-access-key-secret' };
  const client = new OssClient({ region: EMULATOR_REGION, endpoint: emulator.endpoint, credentials, retry: { maxAttempts: 1 } });
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
    for (let n = 0; Date.now() < deadline; n++) {
      await client.putObject('bench', `${label}/c${c}/${n}`, BODY);
      done++;
    }
  }));
  return done / (Number(process.hrtime.bigint() - started) / 1e9);
}

interface SizeRun { objects: number; putsPerSecond: number; restartSeconds: number; seedSeconds: number }

async function measure(objects: number, seconds: number): Promise<SizeRun> {
  const seeded = await seededDataDir(objects);
  try {
    const emulator = await startChildEmulator({ dataDir: seeded.dataDir });
    try {
      await putRate(emulator, 1, 'warmup');
      return { objects, putsPerSecond: await putRate(emulator, seconds, 'measured'), restartSeconds: emulator.startSeconds, seedSeconds: seeded.seconds };
    } finally {
      await emulator.stop();
    }
  } finally {
    seeded.cleanup();
  }
}

export async function runEmulatorPutBench(large = Number(process.env.BENCH_EMULATOR_OBJECTS ?? 1_000_000), seconds = 10): Promise<BenchResult> {
  const small = await measure(10_000, seconds);
  const big = await measure(large, seconds);
  const ratio = big.putsPerSecond / small.putsPerSecond;
  return {
    name: `Emulator PUT throughput, ${CLIENTS} clients, 1 KiB objects, fsync'd: ${large.toLocaleString('en')} stored objects vs 10,000`,
    baseline: { label: '10,000 stored objects', value: small.putsPerSecond, unit: 'PUT/s' },
    ours: { label: `${large.toLocaleString('en')} stored objects`, value: big.putsPerSecond, unit: 'PUT/s' },
    ratio, ratioLabel: `at ${large.toLocaleString('en')} / at 10,000`,
    goal: '≥ 0.8× (and restart ≤ 10 s: see emulator-restart)', met: ratio >= 0.8,
    details: {
      [`restart with ${large} objects (s)`]: big.restartSeconds, 'restart with 10,000 objects (s)': small.restartSeconds,
      [`seeding ${large} objects through the store (s)`]: big.seedSeconds,
    },
  };
}

export async function runEmulatorRestartBench(large = Number(process.env.BENCH_EMULATOR_OBJECTS ?? 1_000_000)): Promise<BenchResult> {
  const empty = await seededDataDir(0);
  const seeded = await seededDataDir(large);
  try {
    const times = async (dataDir: string) => {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const emulator = await startChildEmulator({ dataDir });
        runs.push(emulator.startSeconds);
        await emulator.stop();
      }
      return runs.sort((a, b) => a - b)[1];
    };
    const baseline = await times(empty.dataDir);
    const ours = await times(seeded.dataDir);
    return {
      name: `Emulator restart on a data directory with ${large.toLocaleString('en')} objects (median of 3, spawn → listening)`,
      baseline: { label: 'empty data directory', value: baseline, unit: 's' },
      ours: { label: `${large.toLocaleString('en')} objects`, value: ours, unit: 's' },
      ratio: baseline / ours, ratioLabel: 'empty / full (lower is slower)',
      goal: '≤ 10 s', met: ours <= 10,
    };
  } finally {
    empty.cleanup();
    seeded.cleanup();
  }
}
