import fc from 'fast-check';
import { seededRandom } from '../../src/emulator/faults';
import { DEFAULT_POLL_POLICY, estimateRemainingMs, nextPollDelayMs, PollObservation, simulatePolling } from '../../src/handler/poller';
import { jobMix } from '../../bench/polling';

const mid = () => 0.5; // no jitter
const obs = (o: Partial<PollObservation>): PollObservation => ({ elapsedMs: 0, remainingMs: 3_600_000, status: 'Preparing', totalTasks: 0, doneTasks: 0, ...o });

describe('nextPollDelayMs', () => {
  test('table', () => {
    expect(nextPollDelayMs(obs({ elapsedMs: 0 }), mid)).toBe(1000);
    expect(nextPollDelayMs(obs({ elapsedMs: 20_000 }), mid)).toBe(5000);
    expect(nextPollDelayMs(obs({ elapsedMs: 3_600_000 }), mid)).toBe(60_000);
    expect(nextPollDelayMs(obs({ status: 'Completing', elapsedMs: 3_600_000 }), mid)).toBe(1000);
    // Active, 100 of 1000 tasks in 10 s → 90 s left → wait half of that.
    expect(nextPollDelayMs(obs({ status: 'Active', elapsedMs: 12_000, totalTasks: 1000, doneTasks: 100, activeSeconds: 10 }), mid)).toBe(45_000);
    // Nearly done → short.
    expect(nextPollDelayMs(obs({ status: 'Active', elapsedMs: 12_000, totalTasks: 1000, doneTasks: 990, activeSeconds: 99 }), mid)).toBe(1000);
    // Never past the deadline.
    expect(nextPollDelayMs(obs({ elapsedMs: 100_000, remainingMs: 300 }), mid)).toBe(300);
  });

  test('estimateRemainingMs needs progress to go by', () => {
    expect(estimateRemainingMs(obs({ status: 'Active', totalTasks: 10, doneTasks: 0, activeSeconds: 5 }))).toBeUndefined();
    expect(estimateRemainingMs(obs({ status: 'Active', totalTasks: 10, doneTasks: 5, activeSeconds: 5 }))).toBe(5000);
  });

  test('properties: bounded by the deadline and the caps, ≥ min unless the deadline is closer, jitter within ±10%', () => {
    const statuses = ['New', 'Preparing', 'Ready', 'Suspended', 'Active', 'Completing', 'Cancelling', 'Failing', 'Paused'];
    fc.assert(fc.property(
      fc.record({
        elapsedMs: fc.integer({ min: 0, max: 86_400_000 }), remainingMs: fc.integer({ min: 0, max: 86_400_000 }), status: fc.constantFrom(...statuses),
        totalTasks: fc.integer({ min: 0, max: 10_000_000 }), doneTasks: fc.integer({ min: 0, max: 10_000_000 }), activeSeconds: fc.option(fc.integer({ min: 0, max: 86_400 }), { nil: undefined }),
      }),
      fc.double({ min: 0, max: 0.999999, noNaN: true }),
      (o, r) => {
        const d = nextPollDelayMs(o, () => r);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(o.remainingMs);
        expect(d).toBeLessThanOrEqual(DEFAULT_POLL_POLICY.activeCapMs * 1.1 + 1);
        if (o.remainingMs >= DEFAULT_POLL_POLICY.minMs) expect(d).toBeGreaterThanOrEqual(DEFAULT_POLL_POLICY.minMs);
        const unjittered = nextPollDelayMs(o, mid);
        if (unjittered > DEFAULT_POLL_POLICY.minMs && unjittered < o.remainingMs) expect(Math.abs(d - unjittered)).toBeLessThanOrEqual(unjittered * 0.1 + 1);
      },
    ), { numRuns: 2000 });
  });

  test('while idle the delay grows with elapsed time (monotone without jitter)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), (a, b) => {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      expect(nextPollDelayMs(obs({ elapsedMs: lo }), mid)).toBeLessThanOrEqual(nextPollDelayMs(obs({ elapsedMs: hi }), mid));
    }));
  });
});

describe('simulatePolling over 1 s - 2 h jobs', () => {
  const jobs = jobMix(300, 7);
  const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(0.95 * xs.length) - 1];

  test('≥ 5× fewer calls than a fixed 5 s poller, and a p95 detection delay no worse', () => {
    const random = seededRandom(3);
    const fixed = jobs.map((j) => simulatePolling(() => 5000, j));
    const ours = jobs.map((j) => simulatePolling((o) => nextPollDelayMs(o, random), j));
    const calls = (rs: { calls: number }[]) => rs.reduce((a, r) => a + r.calls, 0);
    expect(calls(fixed) / calls(ours)).toBeGreaterThanOrEqual(5);
    expect(p95(ours.map((r) => r.detectionDelayMs))).toBeLessThanOrEqual(p95(fixed.map((r) => r.detectionDelayMs)));
  });

  test('the fixed poller simulation itself is right (sanity check of the harness)', () => {
    const r = simulatePolling(() => 5000, { queuedMs: 1000, activeMs: 8000, completingMs: 500, totalTasks: 10 });
    expect(r).toEqual({ calls: 3, detectionDelayMs: 500 }); // polls at 0, 5 s, 10 s; Complete at 9.5 s
  });
});
