/**
 * Benchmark 4: cold start of the bundled handlers vs `node -e 0` (median of N runs each): the OSS
 * handler and the S3 handler (which carries the AWS SDK clients). Run directly
 * (`npx tsx bench/cold-start.ts`) it measures both.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { BenchResult, median, printResult } from './lib/report';

const HANDLER = resolve(__dirname, '../dist/handler/handler.js');
const S3_HANDLER = resolve(__dirname, '../dist/handler/s3-handler.js');

function timeRun(args: string[]): number {
  const start = process.hrtime.bigint();
  // No command: the bundle loads completely, then exits 2 with its usage message.
  spawnSync(process.execPath, args, { stdio: 'ignore', env: { ...process.env, OSS_BATCH_EVENT: '' } });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function coldStart(file: string, name: string, label: string, runs: number): BenchResult {
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  // Warm the file cache for both.
  for (let i = 0; i < 3; i++) {
    timeRun(['-e', '0']);
    timeRun([file]);
  }
  // Interleaved, so load from other processes on a shared machine weighs on both sides alike.
  const baseline: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < runs; i++) {
    baseline.push(timeRun(['-e', '0']));
    ours.push(timeRun([file]));
  }
  const b = median(baseline);
  const o = median(ours);
  return {
    name: `${name} (median of ${runs} runs)`,
    baseline: { label: 'node -e 0', value: b, unit: 'ms' },
    ours: { label, value: o, unit: 'ms' },
    ratio: o / b, ratioLabel: 'ours / baseline',
    goal: '≤ 2×', met: o / b <= 2,
  };
}

export function runColdStartBench(runs = 25): BenchResult {
  return coldStart(HANDLER, 'Handler cold start', 'node dist/handler/handler.js (loads the whole bundle)', runs);
}

export function runS3ColdStartBench(runs = 25): BenchResult {
  return coldStart(S3_HANDLER, 'S3 handler cold start', 'node dist/handler/s3-handler.js (loads the whole bundle, AWS SDK clients included)', runs);
}

if (require.main === module) {
  for (const result of [runColdStartBench(), runS3ColdStartBench()]) printResult(result);
}
