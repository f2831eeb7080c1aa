/** Shared output for the benchmarks: one block per benchmark with the ratio against its baseline. */
export interface BenchResult {
  name: string;
  baseline: { label: string; value: number; unit: string };
  ours: { label: string; value: number; unit: string };
  /** ours / baseline, or baseline / ours when lower is better: always "higher is better" as printed. */
  ratio: number;
  ratioLabel: string;
  goal: string;
  met: boolean;
  details?: Record<string, unknown>;
}

export function printResult(r: BenchResult): void {
  const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
  console.log(`\n## ${r.name}`);
  console.log(`  baseline  ${r.baseline.label}: ${fmt(r.baseline.value)} ${r.baseline.unit}`);
  console.log(`  ours      ${r.ours.label}: ${fmt(r.ours.value)} ${r.ours.unit}`);
  console.log(`  ratio     ${r.ratioLabel}: ${r.ratio.toFixed(2)}×   goal: ${r.goal}   ${r.met ? 'MET' : 'MISSED'}`);
  for (const [k, v] of Object.entries(r.details ?? {})) console.log(`  ${k}: ${typeof v === 'number' ? fmt(v) : JSON.stringify(v)}`);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}
