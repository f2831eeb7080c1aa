import fc from 'fast-check';
import { seededRandom } from '../../src/emulator/faults';
import {
  DEFAULT_POLL_POLICY, estimateRemainingMs, JobTimeline, nextPollDelayMs, observeAt, PollObservation, simulatePolling,
} from '../../src/handler/poller';
import { jobMix } from '../../bench/polling';

const mid = () => 0.5; // no jitter
const obs = (o: Partial<PollObservation>): PollObservation => ({ elapsedMs: 0, remainingMs: 86_400_000, status: 'Preparing', totalTasks: 0, doneTasks: 0, ...o });
const STATUSES = ['New', 'Preparing', 'Ready', 'Suspended', 'Active', 'Pausing', 'Paused', 'Completing', 'Cancelling', 'Failing'];

describe('nextPollDelayMs', () => {
  test.each([
    ['first poll after creation', obs({ elapsedMs: 0 }), 1000],
    ['queued 20 s: a quarter of the wait', obs({ elapsedMs: 20_000 }), 5000],
    ['queued 10 min: capped at 30 s in the first hour', obs({ elapsedMs: 600_000 }), 30_000],
    ['queued 2 h: capped at 60 s after the first hour', obs({ elapsedMs: 7_200_000 }), 60_000],
    ['Suspended behaves like queued', obs({ status: 'Suspended', elapsedMs: 600_000 }), 30_000],
    ['Active without progress yet behaves like queued', obs({ status: 'Active', elapsedMs: 40_000, totalTasks: 100 }), 10_000],
    ['Completing: the end is near', obs({ status: 'Completing', elapsedMs: 3_600_000 }), 1000],
    ['Cancelling: the end is near', obs({ status: 'Cancelling', elapsedMs: 3_600_000 }), 1000],
    // 100 of 1000 tasks in 100 s → 900 s left → half is 450 s, over the 300 s cap.
    ['Active, long way to go: the active cap', obs({ status: 'Active', elapsedMs: 1_000_000, totalTasks: 1000, doneTasks: 100, activeSeconds: 100 }), 300_000],
    // 100 of 1000 in 10 s → 90 s left → 45 s; waited 200 s so trust allows 100 s.
    ['Active: half the estimated time left', obs({ status: 'Active', elapsedMs: 200_000, totalTasks: 1000, doneTasks: 100, activeSeconds: 10 }), 45_000],
    // Same estimate, but only 12 s of history: never more than half of that.
    ['Active with little history: trust bound', obs({ status: 'Active', elapsedMs: 12_000, totalTasks: 1000, doneTasks: 100, activeSeconds: 10 }), 6000],
    ['Active, nearly done: the minimum', obs({ status: 'Active', elapsedMs: 120_000, totalTasks: 1000, doneTasks: 990, activeSeconds: 99 }), 1000],
    // Overall 500 tasks in 500 s (1/s), but 400 in the last 100 s (4/s): 500 left → 125 s → 62.5 s.
    ['Active, speeding up: the recent rate wins', obs({
      status: 'Active', elapsedMs: 600_000, totalTasks: 1000, doneTasks: 500, activeSeconds: 500, previous: { elapsedMs: 500_000, status: 'Active', doneTasks: 100 },
    }), 62_500],
    ['never past the deadline', obs({ elapsedMs: 100_000, remainingMs: 300 }), 300],
    ['deadline reached: no sleep', obs({ elapsedMs: 100_000, remainingMs: 0 }), 0],
  ])('%s', (_name, o, expected) => {
    expect(nextPollDelayMs(o, mid)).toBe(expected);
  });

  test('jitter is ±10% around the base', () => {
    const o = obs({ elapsedMs: 600_000 });
    expect(nextPollDelayMs(o, () => 0)).toBe(27_000);
    expect(nextPollDelayMs(o, () => 0.999999)).toBe(33_000);
  });

  test('estimateRemainingMs needs progress to go by and takes the faster rate', () => {
    expect(estimateRemainingMs(obs({ status: 'Active', totalTasks: 10, doneTasks: 0, activeSeconds: 5 }))).toBeUndefined();
    expect(estimateRemainingMs(obs({ status: 'Active', totalTasks: 10, doneTasks: 5 }))).toBeUndefined();
    expect(estimateRemainingMs(obs({ status: 'Active', totalTasks: 10, doneTasks: 5, activeSeconds: 5 }))).toBe(5000);
    // No timer from the service: the rate between two polls still gives an estimate.
    expect(estimateRemainingMs(obs({ elapsedMs: 20_000, totalTasks: 10, doneTasks: 6, previous: { elapsedMs: 10_000, status: 'Active', doneTasks: 1 } }))).toBe(8000);
    // Slower recently than overall: the overall (faster) rate is used.
    expect(estimateRemainingMs(obs({ elapsedMs: 20_000, totalTasks: 10, doneTasks: 6, activeSeconds: 6, previous: { elapsedMs: 10_000, status: 'Active', doneTasks: 5 } }))).toBe(4000);
  });

  const arbObservation = fc.record({
    elapsedMs: fc.integer({ min: 0, max: 86_400_000 }), remainingMs: fc.integer({ min: 0, max: 86_400_000 }), status: fc.constantFrom(...STATUSES),
    totalTasks: fc.integer({ min: 0, max: 10_000_000 }), doneTasks: fc.integer({ min: 0, max: 10_000_000 }),
    activeSeconds: fc.option(fc.integer({ min: 0, max: 86_400 }), { nil: undefined }),
    previous: fc.option(fc.record({ elapsedMs: fc.integer({ min: 0, max: 86_400_000 }), status: fc.constantFrom(...STATUSES), doneTasks: fc.integer({ min: 0, max: 10_000_000 }) }), { nil: undefined }),
  });

  test('properties: within [min, cap] unless the deadline is closer, never past the deadline, jitter within ±10%', () => {
    fc.assert(fc.property(arbObservation, fc.double({ min: 0, max: 0.999999, noNaN: true }), (o, r) => {
      const d = nextPollDelayMs(o, () => r);
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(o.remainingMs);
      expect(d).toBeLessThanOrEqual(Math.ceil(DEFAULT_POLL_POLICY.activeCapMs * 1.1));
      if (o.status !== 'Active') expect(d).toBeLessThanOrEqual(Math.ceil(DEFAULT_POLL_POLICY.idleCapAfterHourMs * 1.1));
      if (o.remainingMs >= DEFAULT_POLL_POLICY.minMs) expect(d).toBeGreaterThanOrEqual(DEFAULT_POLL_POLICY.minMs);
      const unjittered = nextPollDelayMs(o, mid);
      if (unjittered > DEFAULT_POLL_POLICY.minMs && unjittered < o.remainingMs) expect(Math.abs(d - unjittered)).toBeLessThanOrEqual(unjittered * 0.1 + 1);
    }), { numRuns: 3000 });
  });

  test('properties: while Active the delay never exceeds half the time waited (a speeding job cannot be slept through)', () => {
    fc.assert(fc.property(arbObservation, (o) => {
      const active = { ...o, status: 'Active' };
      if (estimateRemainingMs(active) === undefined) return;
      expect(nextPollDelayMs(active, mid)).toBeLessThanOrEqual(Math.max(DEFAULT_POLL_POLICY.minMs, Math.round(active.elapsedMs * DEFAULT_POLL_POLICY.trustFraction)));
    }), { numRuns: 2000 });
  });

  test('without progress the delay grows (monotone in elapsed time, without jitter)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 20_000_000 }), fc.integer({ min: 0, max: 20_000_000 }), fc.constantFrom('New', 'Preparing', 'Ready', 'Suspended', 'Paused', 'Active'), (a, b, status) => {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      expect(nextPollDelayMs(obs({ status, elapsedMs: lo }), mid)).toBeLessThanOrEqual(nextPollDelayMs(obs({ status, elapsedMs: hi }), mid));
    }));
  });

  const { minMs, idleCapMs, idleCapAfterHourMs, activeCapMs, idleFraction, etaFraction, trustFraction, jitter } = DEFAULT_POLL_POLICY;
  const IDLE = ['New', 'Preparing', 'Ready', 'Suspended', 'Pausing', 'Paused'];

  test('properties: idle statuses back off toward idleCapMs in the first hour and idleCapAfterHourMs after it', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 86_400_000 }), fc.constantFrom(...IDLE), fc.double({ min: 0, max: 0.999999, noNaN: true }), (elapsedMs, status, r) => {
      const o = obs({ status, elapsedMs });
      const cap = elapsedMs < 3_600_000 ? idleCapMs : idleCapAfterHourMs;
      const base = Math.max(minMs, Math.min(cap, elapsedMs * idleFraction));
      expect(nextPollDelayMs(o, mid)).toBe(Math.round(base));
      const d = nextPollDelayMs(o, () => r);
      expect(d).toBeLessThanOrEqual(Math.ceil(cap * (1 + jitter)));
      if (elapsedMs >= idleCapMs / idleFraction && elapsedMs < 3_600_000) expect(nextPollDelayMs(o, mid)).toBe(idleCapMs); // reached the cap
    }), { numRuns: 2000 });
  });

  test('properties: Completing, Cancelling and Failing poll at about minMs whatever else is known', () => {
    fc.assert(fc.property(arbObservation, fc.constantFrom('Completing', 'Cancelling', 'Failing'), fc.double({ min: 0, max: 0.999999, noNaN: true }), (o, status, r) => {
      const d = nextPollDelayMs({ ...o, status }, () => r);
      expect(d).toBeGreaterThanOrEqual(Math.min(minMs, o.remainingMs));
      expect(d).toBeLessThanOrEqual(Math.min(o.remainingMs, Math.ceil(minMs * (1 + jitter))));
    }), { numRuns: 2000 });
  });

  test('properties: Active with a known rate aims at etaFraction of the estimated time left', () => {
    fc.assert(fc.property(arbObservation, (o) => {
      const active = { ...o, status: 'Active', remainingMs: 86_400_000 };
      const eta = estimateRemainingMs(active);
      if (eta === undefined) return;
      const d = nextPollDelayMs(active, mid);
      // Never more than the aimed-at fraction of the ETA (or the floor).
      expect(d).toBeLessThanOrEqual(Math.max(minMs, Math.round(eta * etaFraction)));
      // Exactly that fraction when neither the cap, the trust bound nor the floor bind.
      const aim = eta * etaFraction;
      if (aim > minMs && aim < activeCapMs && aim < active.elapsedMs * trustFraction) expect(Math.abs(d - aim)).toBeLessThanOrEqual(0.5);
    }), { numRuns: 3000 });
  });

  test('a steady Active job: successive delays shrink as it nears the end, and the last one lands within ~half the time left', () => {
    // 10,000 tasks at 10 tasks/s since t=0: the ETA is (10,000 - done) / 10 s.
    const delays = [1000, 3000, 6000, 9000, 9900].map((done) =>
      nextPollDelayMs(obs({ status: 'Active', elapsedMs: 1_000_000, totalTasks: 10_000, doneTasks: done, activeSeconds: done / 10 }), mid));
    expect(delays).toEqual([300_000, 300_000, 200_000, 50_000, 5000]);
  });

  test('closer to completion means a shorter delay (monotone in done tasks at a fixed rate history)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 1, max: 99_999 }), (a, b) => {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      const at = (done: number) => nextPollDelayMs(obs({ status: 'Active', elapsedMs: 3_600_000, totalTasks: 100_000, doneTasks: done, activeSeconds: 1000 }), mid);
      expect(at(hi)).toBeLessThanOrEqual(at(lo));
    }));
  });
});

describe('simulatePolling over 1 s - 2 h jobs', () => {
  const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(0.95 * xs.length) - 1];
  const calls = (rs: { calls: number }[]) => rs.reduce((a, r) => a + r.calls, 0);
  const compare = (jobs: JobTimeline[], seed: number) => {
    const random = seededRandom(seed);
    const fixed = jobs.map((j) => simulatePolling(() => 5000, j));
    const ours = jobs.map((j) => simulatePolling((o) => nextPollDelayMs(o, random), j));
    return { ratio: calls(fixed) / calls(ours), fixedP95: p95(fixed.map((r) => r.detectionDelayMs)), oursP95: p95(ours.map((r) => r.detectionDelayMs)) };
  };

  test.each([7, 42, 1001])('seed %i: ≥ 5× fewer calls than a fixed 5 s poller, and a p95 detection delay no worse', (seed) => {
    const { ratio, fixedP95, oursP95 } = compare(jobMix(300, seed), seed + 1);
    expect(ratio).toBeGreaterThanOrEqual(5);
    expect(oursP95).toBeLessThanOrEqual(fixedP95);
  });

  test.each([
    ['accelerating (x²)', (x: number) => x * x],
    ['slow first half, fast second half', (x: number) => (x < 0.5 ? x * 0.2 : 0.1 + (x - 0.5) * 1.8)],
    ['decelerating (√x)', Math.sqrt],
  ])('progress %s: detection stays no worse than the fixed poller at p95', (_name, progress) => {
    const { ratio, fixedP95, oursP95 } = compare(jobMix(300, 11).map((j) => ({ ...j, progress })), 12);
    expect(oursP95).toBeLessThanOrEqual(fixedP95);
    expect(ratio).toBeGreaterThanOrEqual(4); // decelerating jobs cost a few more calls: the estimate runs short
  });

  test('the job mix is log-uniform over 1 s to 2 h', () => {
    const durations = jobMix(300, 7).map((j) => j.queuedMs + j.activeMs + j.completingMs);
    expect(Math.min(...durations)).toBeLessThan(5000);
    expect(Math.max(...durations)).toBeGreaterThan(3_600_000);
    expect(Math.max(...durations)).toBeLessThanOrEqual(7_200_000 + 1000);
    // Log-uniform: about a third of the jobs in each of [1 s, 20 s), [20 s, 6.5 min), [6.5 min, 2 h).
    const decade = (lo: number, hi: number) => durations.filter((d) => d >= lo && d < hi).length;
    for (const n of [decade(0, 20_000), decade(20_000, 390_000), decade(390_000, Infinity)]) expect(n).toBeGreaterThan(60);
  });

  test('the harness itself: a fixed poller, the timeline and the deadline', () => {
    const job = { queuedMs: 1000, activeMs: 8000, completingMs: 500, totalTasks: 10 };
    expect(simulatePolling(() => 5000, job)).toEqual({ calls: 3, detectionDelayMs: 500 }); // polls at 0, 5 s, 10 s; Complete at 9.5 s
    expect(observeAt(5000, job)).toEqual({ status: 'Active', totalTasks: 10, doneTasks: 5, activeSeconds: 4 });
    expect(observeAt(9200, job).status).toBe('Completing');
    expect(simulatePolling(() => 5000, job, 4000)).toEqual({ calls: 2, detectionDelayMs: Number.POSITIVE_INFINITY });
  });

  test('the policy sees the previous answer', () => {
    const seen: PollObservation[] = [];
    simulatePolling((o) => { seen.push(o); return 2000; }, { queuedMs: 1000, activeMs: 8000, completingMs: 500, totalTasks: 10 });
    expect(seen[0].previous).toBeUndefined();
    expect(seen[2].previous).toEqual({ elapsedMs: 2000, status: 'Active', doneTasks: 1 });
  });
});
