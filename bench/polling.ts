/**
 * Benchmark 1: the adaptive poller vs a fixed 5 s poller on the same seeded simulated jobs, per
 * progress shape (bench/lib/job-shapes.ts), durations 1 s - 2 h. Goal: ≥ 5× fewer DescribeJob
 * calls in total, and on every shape ≤ 5% of jobs seen later than max(5 s, 5% of the duration).
 * Run on two parameter sets: the one the poller was tuned on and a different one.
 */
import { seededRandom } from '../src/emulator/faults';
import { createPoller, DEFAULT_POLL_POLICY, PollPolicy } from '../src/jobs/poller';
import { CHECK_PARAMS, isLate, JobTimeline, ShapeName, ShapeParams, SHAPES, shapeJobs, simulatePolling, SimulationResult, TUNING_PARAMS } from './lib/job-shapes';
import { BenchResult, percentile } from './lib/report';

const CALLS_GOAL = 5;
export const LATE_GOAL = 0.05;

export interface ShapeRow {
  shape: ShapeName;
  jobs: number;
  fixedCalls: number;
  ourCalls: number;
  /** Share of jobs seen later than max(5 s, 5% of their duration). */
  fixedLate: number;
  ourLate: number;
  fixedP95Ms: number;
  ourP95Ms: number;
}

export interface MixResult {
  params: ShapeParams;
  rows: ShapeRow[];
  fixedCalls: number;
  ourCalls: number;
  ratio: number;
  worstLate: number;
  met: boolean;
}

function mixJobs(perShape: number, seed: number, params: ShapeParams): Map<ShapeName, JobTimeline[]> {
  return new Map(SHAPES.map((shape, i) => [shape, shapeJobs(shape, perShape, seed * 31 + i, params)]));
}

/** Fixed 5 s vs the adaptive poller (a fresh one per job) over the mix. */
export function compareOnMix(perShape: number, seed: number, params: ShapeParams, policy: PollPolicy = DEFAULT_POLL_POLICY): MixResult {
  const random = seededRandom(seed + 1);
  const rows: ShapeRow[] = [];
  for (const [shape, jobs] of mixJobs(perShape, seed, params)) {
    const fixed = jobs.map((job) => simulatePolling(() => 5000, job));
    const ours = jobs.map((job) => simulatePolling(createPoller(random, policy), job));
    rows.push({
      shape, jobs: jobs.length, fixedCalls: sumCalls(fixed), ourCalls: sumCalls(ours), fixedLate: lateShare(fixed), ourLate: lateShare(ours),
      fixedP95Ms: p95(fixed), ourP95Ms: p95(ours),
    });
  }
  const fixedCalls = rows.reduce((a, r) => a + r.fixedCalls, 0);
  const ourCalls = rows.reduce((a, r) => a + r.ourCalls, 0);
  const worstLate = Math.max(...rows.map((r) => r.ourLate));
  const ratio = fixedCalls / ourCalls;
  return { params, rows, fixedCalls, ourCalls, ratio, worstLate, met: ratio >= CALLS_GOAL && worstLate <= LATE_GOAL };
}

const sumCalls = (rs: SimulationResult[]) => rs.reduce((a, r) => a + r.calls, 0);
const lateShare = (rs: SimulationResult[]) => rs.filter(isLate).length / rs.length;
const p95 = (rs: SimulationResult[]) => percentile(rs.map((r) => r.detectionDelayMs), 95);

function shapeTable(m: MixResult): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const head = '| shape | jobs | calls fixed 5 s | calls ours | ratio | late fixed | late ours | p95 delay fixed | p95 delay ours |';
  const lines = [head, '|---|---|---|---|---|---|---|---|---|'];
  for (const r of m.rows) {
    lines.push(`| ${r.shape} | ${r.jobs} | ${r.fixedCalls} | ${r.ourCalls} | ${(r.fixedCalls / r.ourCalls).toFixed(2)}× | ${pct(r.fixedLate)} | ${pct(r.ourLate)} | ${s(r.fixedP95Ms)} | ${s(r.ourP95Ms)} |`);
  }
  lines.push(`| **all** | ${m.rows.reduce((a, r) => a + r.jobs, 0)} | ${m.fixedCalls} | ${m.ourCalls} | **${m.ratio.toFixed(2)}×** | | worst ${pct(m.worstLate)} | | |`);
  return lines.join('\n');
}

function goalLine(m: MixResult): string {
  return `goal (${m.params.label}): ≥ ${CALLS_GOAL}× fewer calls: ${m.ratio.toFixed(2)}× ${m.ratio >= CALLS_GOAL ? 'met' : 'MISSED'}; ` +
    `late ≤ ${100 * LATE_GOAL}% on every shape: worst ${(100 * m.worstLate).toFixed(1)}% ${m.worstLate <= LATE_GOAL ? 'met' : 'MISSED'}`;
}

/** The trade-off between calls and lateness: how far a delay may go past the lag budget. */
const CURVE: { label: string; policy: Partial<PollPolicy> }[] = [
  { label: 'lag budget only (no stretch)', policy: { stretch: 1 } },
  { label: 'stretch 10 × (share done)² (default)', policy: {} },
  { label: 'stretch 20 × (share done)²', policy: { stretch: 20 } },
  { label: 'stretch 10 × share done', policy: { progressExponent: 1 } },
  { label: 'stretch 10 × share done, budget +4%', policy: { progressExponent: 1, slack: 1.04, jitter: 0.05 } },
  { label: 'stretch 10, unscaled', policy: { stretchByProgress: false } },
  { label: 'stretch 20, unscaled', policy: { stretch: 20, stretchByProgress: false } },
];

/**
 * Sets the curve also runs on: a job that crawls (2% done while stalled) before its burst, and one
 * that does 30% slowly and then bursts through the rest in the last 3-20% of its time.
 */
export const CURVE_SETS: ShapeParams[] = [
  TUNING_PARAMS, CHECK_PARAMS,
  { ...TUNING_PARAMS, label: 'crawl-then-burst set', stallProgress: 0.02, accelExponent: 1.5, decelExponent: 1.5 },
  { ...TUNING_PARAMS, label: 'slow-then-burst set', stallProgress: 0.3, stallShare: [0.8, 0.97] },
];

function tradeOffTable(perShape: number, seed: number): string {
  const lines = [
    `| policy | ${CURVE_SETS.map((p) => `${p.label}: ratio / worst late`).join(' | ')} |`,
    `|---|${CURVE_SETS.map(() => '---').join('|')}|`,
  ];
  for (const point of CURVE) {
    const cells = CURVE_SETS.map((p, i) => {
      const m = compareOnMix(perShape, seed + 1000 * i, p, { ...DEFAULT_POLL_POLICY, ...point.policy });
      return `${m.ratio.toFixed(2)}× / ${(100 * m.worstLate).toFixed(1)}%${m.worstLate > LATE_GOAL ? ' ✗' : ''}`;
    });
    lines.push(`| ${point.label} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export function runPollingBench(perShape = 200, seed = 42): BenchResult {
  const tuned = compareOnMix(perShape, seed, TUNING_PARAMS);
  const check = compareOnMix(perShape, seed + 1000, CHECK_PARAMS);
  for (const m of [tuned, check]) {
    console.log(`\n### Polling per shape, ${m.params.label} (${perShape} jobs per shape)\n${shapeTable(m)}\n${goalLine(m)}`);
  }
  console.log(`\n### Polling trade-off (calls ratio vs fixed 5 s / worst late share over the shapes)\n${tradeOffTable(perShape, seed)}`);
  return {
    name: `Polling: ${SHAPES.length} progress shapes × ${perShape} simulated jobs, 1 s-2 h (seed ${seed}), two parameter sets`,
    baseline: { label: 'fixed 5 s poller, DescribeJob calls (tuning set)', value: tuned.fixedCalls, unit: 'calls' },
    ours: { label: 'adaptive poller, DescribeJob calls (tuning set)', value: tuned.ourCalls, unit: 'calls' },
    ratio: tuned.ratio, ratioLabel: 'fewer calls (fixed / ours)',
    goal: `≥ ${CALLS_GOAL}× fewer calls in total and ≤ ${100 * LATE_GOAL}% late jobs on every shape, on both parameter sets`,
    met: tuned.met && check.met,
    details: {
      'ratio, check set': check.ratio,
      'worst late share, tuning set': tuned.worstLate,
      'worst late share, check set': check.worstLate,
    },
  };
}
