/**
 * Benchmark 1: our adaptive poller vs a fixed 5 s poller over simulated jobs of 1 s to 2 h
 * (log-uniform mix, seeded), on a simulated clock. Measures DescribeJob calls per job and the
 * delay between the terminal transition and the poll that sees it.
 */
import { seededRandom } from '../src/emulator/faults';
import { JobTimeline, nextPollDelayMs, simulatePolling } from '../src/handler/poller';
import { BenchResult, percentile } from './lib/report';

export function jobMix(count: number, seed: number): JobTimeline[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const durationMs = Math.exp(Math.log(1000) + random() * (Math.log(7_200_000) - Math.log(1000)));
    const queuedMs = 500 + Math.min(30_000, durationMs * 0.05);
    const completingMs = 300 + Math.min(10_000, durationMs * 0.01);
    return { queuedMs, activeMs: Math.max(200, durationMs - queuedMs - completingMs), completingMs, totalTasks: Math.max(1, Math.round(durationMs / 10)) };
  });
}

export function runPollingBench(count = 500, seed = 42): BenchResult {
  const jobs = jobMix(count, seed);
  const random = seededRandom(seed + 1);
  const fixed = jobs.map((job) => simulatePolling(() => 5000, job));
  const adaptive = jobs.map((job) => simulatePolling((obs) => nextPollDelayMs(obs, random), job));
  const calls = (rs: { calls: number }[]) => rs.reduce((a, r) => a + r.calls, 0) / rs.length;
  const p95 = (rs: { detectionDelayMs: number }[]) => percentile(rs.map((r) => r.detectionDelayMs), 95);
  const fixedCalls = calls(fixed);
  const ourCalls = calls(adaptive);
  const ratio = fixedCalls / ourCalls;
  return {
    name: `Polling: ${count} simulated jobs, 1 s-2 h (log-uniform, seed ${seed})`,
    baseline: { label: 'fixed 5 s poller, DescribeJob calls per job', value: fixedCalls, unit: 'calls' },
    ours: { label: 'adaptive poller, DescribeJob calls per job', value: ourCalls, unit: 'calls' },
    ratio, ratioLabel: 'fewer calls (fixed / ours)',
    goal: '≥ 5× fewer calls and p95 detection delay ≤ fixed poller',
    met: ratio >= 5 && p95(adaptive) <= p95(fixed),
    details: {
      'p95 detection delay, fixed (ms)': p95(fixed),
      'p95 detection delay, ours (ms)': p95(adaptive),
      'p50 detection delay, ours (ms)': percentile(adaptive.map((r) => r.detectionDelayMs), 50),
      'max calls for one job, ours': Math.max(...adaptive.map((r) => r.calls)),
    },
  };
}
