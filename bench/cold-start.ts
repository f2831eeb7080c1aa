/** Benchmark 4: cold start of the bundled handler vs `node -e 0` (median of N runs each). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { BenchResult, median } from './lib/report';

const HANDLER = resolve(__dirname, '../dist/handler/handler.js');

function timeRun(args: string[], runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    // No command: the bundle loads completely, then exits 2 with its usage message.
    spawnSync(process.execPath, args, { stdio: 'ignore', env: { ...process.env, OSS_BATCH_EVENT: '' } });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}

export function runColdStartBench(runs = 25): BenchResult {
  if (!existsSync(HANDLER)) throw new Error(`${HANDLER} is missing: run npm run build first`);
  timeRun(['-e', '0'], 3); // warm the file cache for both
  timeRun([HANDLER], 3);
  const baseline = median(timeRun(['-e', '0'], runs));
  const ours = median(timeRun([HANDLER], runs));
  return {
    name: `Handler cold start (median of ${runs} runs)`,
    baseline: { label: 'node -e 0', value: baseline, unit: 'ms' },
    ours: { label: 'node dist/handler/handler.js (loads the whole bundle)', value: ours, unit: 'ms' },
    ratio: ours / baseline, ratioLabel: 'ours / baseline',
    goal: '≤ 2×', met: ours / baseline <= 2,
  };
}
