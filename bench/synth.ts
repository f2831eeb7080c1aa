/** Benchmark 3: synth of 1,000 BatchJobs vs 1,000 bare terraform_data resources, each in a fresh process. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BenchResult, median } from './lib/report';

const ROOT = resolve(__dirname, '..');

function synthOnce(kind: string, count: number): number {
  const outdir = mkdtempSync(join(tmpdir(), 'oss-batch-synth-'));
  const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'bench/synth-app.ts'), kind, String(count), outdir], { cwd: outdir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`synth bench child failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { ms: number }).ms;
}

export function runSynthBench(count = 1000, runs = 3): BenchResult {
  const baseline = median(Array.from({ length: runs }, () => synthOnce('terraform-data', count)));
  const ours = median(Array.from({ length: runs }, () => synthOnce('batch-job', count)));
  // Each BatchJob is two terraform_data resources by design (§2): this shows what that alone costs.
  const sameResourceCount = median(Array.from({ length: runs }, () => synthOnce('terraform-data', 2 * count)));
  return {
    name: `Synth: ${count} constructs (median of ${runs} fresh processes, cdktf load excluded)`,
    baseline: { label: `${count} bare terraform_data resources`, value: baseline, unit: 'ms' },
    ours: { label: `${count} BatchJobs (2 terraform_data each + shared asset)`, value: ours, unit: 'ms' },
    ratio: ours / baseline, ratioLabel: 'ours / baseline',
    goal: '≤ 1.5×', met: ours / baseline <= 1.5,
    details: {
      [`${2 * count} bare terraform_data resources (same resource count as ours), ms`]: sameResourceCount,
      'ours / same resource count': ours / sameResourceCount,
    },
  };
}
