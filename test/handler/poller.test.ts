import fc from 'fast-check';
import { seededRandom } from '../../src/emulator/faults';
import { createPoller, DEFAULT_POLL_POLICY, lagBudgetMs, PollObservation, PollPolicy } from '../../src/handler/poller';
import { durationOf, isLate, JobTimeline, observeAt, SHAPES, shapeJobs, simulatePolling, TUNING_PARAMS } from '../../bench/lib/job-shapes';
import { compareOnMix, CURVE_SETS, LATE_GOAL } from '../../bench/polling';

const P = DEFAULT_POLL_POLICY;
const noJitter = () => 0;
const obs = (o: Partial<PollObservation>): PollObservation => ({ elapsedMs: 0, remainingMs: 86_400_000, status: 'Preparing', totalTasks: 0, doneTasks: 0, ...o });
const STATUSES = ['New', 'Preparing', 'Ready', 'Suspended', 'Active', 'Pausing', 'Paused', 'Completing', 'Cancelling', 'Failing'];

/** A steady job: `rate` tasks per second from t=0, polled every `stepMs`. */
function steadyAnswers(n: number, stepMs: number, rate: number, total: number): PollObservation[] {
  return Array.from({ length: n }, (_, i) => {
    const t = (i + 1) * stepMs;
    return obs({ status: 'Active', elapsedMs: t, totalTasks: total, doneTasks: Math.min(total, Math.floor((rate * t) / 1000)), activeSeconds: Math.floor(t / 1000) });
  });
}

describe('createPoller: the lag budget', () => {
  test.each([
    ['right after creation: the 5 s floor', obs({ elapsedMs: 0 }), 5000],
    ['queued 60 s: still the floor', obs({ elapsedMs: 60_000 }), 5000],
    ['queued 10 min: 5% of the time waited', obs({ elapsedMs: 600_000 }), 30_000],
    ['Suspended 2 h: 5% of two hours', obs({ status: 'Suspended', elapsedMs: 7_200_000 }), 360_000],
    ['waited 1 day: capped at maxMs', obs({ elapsedMs: 86_000_000 }), P.maxMs],
    ['Completing: the budget, like any other status', obs({ status: 'Completing', elapsedMs: 600_000 }), 30_000],
    ['never past the deadline', obs({ elapsedMs: 100_000, remainingMs: 300 }), 300],
    ['deadline reached: no sleep', obs({ elapsedMs: 100_000, remainingMs: 0 }), 0],
  ])('%s', (_name, o, expected) => {
    expect(createPoller(noJitter)(o)).toBe(expected);
  });

  test('jitter only shortens a delay, by at most the jitter fraction', () => {
    const o = obs({ elapsedMs: 600_000 });
    expect(createPoller(() => 0)(o)).toBe(30_000);
    expect(createPoller(() => 0.999999)(o)).toBe(Math.round(30_000 * (1 - P.jitter * 0.999999)));
  });

  const arbObservation = fc.record({
    elapsedMs: fc.integer({ min: 0, max: 86_400_000 }), remainingMs: fc.integer({ min: 0, max: 86_400_000 }), status: fc.constantFrom(...STATUSES),
    totalTasks: fc.integer({ min: 0, max: 10_000_000 }), doneTasks: fc.integer({ min: 0, max: 10_000_000 }),
    activeSeconds: fc.option(fc.integer({ min: 0, max: 86_400 }), { nil: undefined }),
  });
  const arbHistory = fc.array(arbObservation, { minLength: 1, maxLength: 12 }).map((xs) => {
    // Elapsed time only grows along one job's history.
    let t = 0;
    return xs.map((x) => ({ ...x, elapsedMs: (t += x.elapsedMs % 3_600_000) }));
  });

  test('properties: any history gives whole delays within [minMs, min(maxMs, stretch × budget)], never past the deadline', () => {
    fc.assert(fc.property(arbHistory, fc.double({ min: 0, max: 0.999999, noNaN: true }), (history, r) => {
      const poll = createPoller(() => r);
      for (const o of history) {
        const d = poll(o);
        expect(Number.isInteger(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.max(0, o.remainingMs));
        expect(d).toBeLessThanOrEqual(Math.min(P.maxMs, Math.ceil(P.stretch * lagBudgetMs(o.elapsedMs))));
        if (o.remainingMs >= P.minMs) expect(d).toBeGreaterThanOrEqual(P.minMs);
      }
    }), { numRuns: 1000 });
  });

  test('properties: outside Active the delay is the budget (less jitter), whatever came before', () => {
    fc.assert(fc.property(arbHistory, fc.constantFrom(...STATUSES.filter((s) => s !== 'Active')), fc.double({ min: 0, max: 0.999999, noNaN: true }), (history, status, r) => {
      const poll = createPoller(() => r);
      history.forEach((o) => poll(o));
      const last = history[history.length - 1];
      const o = { ...last, status, remainingMs: 86_400_000 };
      const budget = Math.min(P.maxMs, lagBudgetMs(o.elapsedMs));
      const d = poll(o);
      expect(d).toBeLessThanOrEqual(Math.ceil(budget));
      expect(d).toBeGreaterThanOrEqual(Math.floor(budget * (1 - P.jitter)));
    }), { numRuns: 1000 });
  });

  test('properties: the same answers and random numbers give the same delays (one poller per job)', () => {
    fc.assert(fc.property(arbHistory, fc.integer(), (history, seed) => {
      const a = createPoller(seededRandom(seed));
      const b = createPoller(seededRandom(seed));
      expect(history.map(a)).toEqual(history.map(b));
    }), { numRuns: 300 });
  });
});

describe('createPoller: steady jobs wait longer, others never', () => {
  test('a steady job earns a stretched delay only after several steady answers', () => {
    const poll = createPoller(noJitter);
    // 10 tasks/s of 100,000 tasks, polled every 10 min: 6,000 tasks more per answer.
    const delays = steadyAnswers(5, 600_000, 10, 100_000).map(poll);
    const budgets = steadyAnswers(5, 600_000, 10, 100_000).map((o) => Math.round(lagBudgetMs(o.elapsedMs)));
    expect(delays.slice(0, P.steadyAnswers)).toEqual(budgets.slice(0, P.steadyAnswers));
    expect(delays[P.steadyAnswers]).toBeGreaterThan(budgets[P.steadyAnswers]);
  });

  test('the stretch grows with (share done)^progressExponent and stops at half the estimated time left', () => {
    const total = 100_000;
    const poll = createPoller(noJitter, { ...P, maxMs: Number.MAX_SAFE_INTEGER });
    const answers = steadyAnswers(20, 300_000, 10, total);
    const delays = answers.map(poll);
    for (let i = P.steadyAnswers; i < answers.length; i++) {
      const o = answers[i];
      if (o.doneTasks >= total) break;
      const etaMs = ((total - o.doneTasks) / 10) * 1000;
      const stretch = 1 + (P.stretch - 1) * (o.doneTasks / total) ** P.progressExponent;
      const expected = Math.min(stretch * lagBudgetMs(o.elapsedMs), Math.max(lagBudgetMs(o.elapsedMs), P.etaFraction * etaMs));
      expect(Math.abs(delays[i] - expected)).toBeLessThanOrEqual(1);
    }
  });

  test('a job that speeds up falls back to the budget at once', () => {
    const poll = createPoller(noJitter);
    const steady = steadyAnswers(6, 600_000, 10, 1_000_000);
    steady.forEach(poll);
    const last = steady[steady.length - 1];
    const faster = obs({ ...last, elapsedMs: last.elapsedMs + 600_000, doneTasks: last.doneTasks + 60_000 * 5, activeSeconds: (last.activeSeconds ?? 0) + 600 });
    expect(poll(faster)).toBe(Math.round(lagBudgetMs(faster.elapsedMs)));
  });

  test('a stalled job (no progress since the last answers) gets the budget', () => {
    const poll = createPoller(noJitter);
    const steady = steadyAnswers(6, 600_000, 10, 1_000_000);
    steady.forEach(poll);
    const last = steady[steady.length - 1];
    const stalled = { ...last, elapsedMs: last.elapsedMs + 600_000, activeSeconds: (last.activeSeconds ?? 0) + 600 };
    expect(poll(stalled)).toBe(Math.round(lagBudgetMs(stalled.elapsedMs)));
  });

  test('without the service timer the rate comes from our own clock', () => {
    const poll = createPoller(noJitter);
    const answers = steadyAnswers(6, 600_000, 10, 1_000_000).map((o) => ({ ...o, activeSeconds: undefined }));
    const delays = answers.map(poll);
    expect(delays[5]).toBeGreaterThan(Math.round(lagBudgetMs(answers[5].elapsedMs)));
  });
});

/** A monotone progress curve through random points: any shape a job might show. */
const arbProgress = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }).map((ys) => {
  const points = [0, ...[...ys].sort((a, b) => a - b), 1];
  return (x: number) => {
    const at = Math.min(points.length - 2, Math.floor(x * (points.length - 1)));
    const frac = x * (points.length - 1) - at;
    return points[at] + frac * (points[at + 1] - points[at]);
  };
});
const arbJob: fc.Arbitrary<JobTimeline> = fc.record({
  queuedMs: fc.integer({ min: 0, max: 3_600_000 }), activeMs: fc.integer({ min: 1, max: 7_200_000 }), completingMs: fc.integer({ min: 0, max: 60_000 }),
  totalTasks: fc.integer({ min: 1, max: 1_000_000 }), progress: arbProgress, stepTasks: fc.integer({ min: 1, max: 100 }),
});

describe('simulated jobs of any shape', () => {
  test('properties: the end is seen within stretch × the budget of the job’s duration; with no stretch, within the budget (never late)', () => {
    const strict: PollPolicy = { ...P, stretch: 1 };
    fc.assert(fc.property(arbJob, fc.integer(), (job, seed) => {
      const bound = (stretch: number) => Math.min(P.maxMs, stretch * lagBudgetMs(durationOf(job)));
      expect(simulatePolling(createPoller(seededRandom(seed)), job).detectionDelayMs).toBeLessThanOrEqual(bound(P.stretch));
      expect(simulatePolling(createPoller(seededRandom(seed), strict), job).detectionDelayMs).toBeLessThanOrEqual(bound(1));
    }), { numRuns: 300 });
  });

  // The tuning set, a different one, and two where a slow start hides a burst.
  test.each(CURVE_SETS)('$label: ≤ 5% of jobs late on every shape, and far fewer calls than a fixed 5 s poller', (params) => {
    const mix = compareOnMix(100, 5, params);
    for (const row of mix.rows) expect({ shape: row.shape, late: row.ourLate <= LATE_GOAL }).toEqual({ shape: row.shape, late: true });
    // The ≥ 5× goal is out of reach with late detections in bounds (BENCHMARKS.md); guard against regressions.
    expect(mix.ratio).toBeGreaterThanOrEqual(4);
  });
});

describe('the simulation harness', () => {
  test('a fixed poller, the timeline and the deadline', () => {
    const job = { queuedMs: 1000, activeMs: 8000, completingMs: 500, totalTasks: 10 };
    expect(simulatePolling(() => 5000, job)).toEqual({ calls: 3, detectionDelayMs: 500, durationMs: 9500 }); // polls at 0, 5 s, 10 s
    expect(observeAt(5000, job)).toEqual({ status: 'Active', totalTasks: 10, doneTasks: 5, activeSeconds: 4 });
    expect(observeAt(9200, job).status).toBe('Completing');
    expect(simulatePolling(() => 5000, job, 4000).detectionDelayMs).toBe(Number.POSITIVE_INFINITY);
  });

  test('coarse counts move in steps; late means past max(5 s, 5% of the duration)', () => {
    const job = { queuedMs: 0, activeMs: 10_000, completingMs: 0, totalTasks: 1000, stepTasks: 300 };
    expect(observeAt(5000, job).doneTasks).toBe(300);
    expect(isLate({ calls: 1, detectionDelayMs: 5000, durationMs: 10_000 })).toBe(false);
    expect(isLate({ calls: 1, detectionDelayMs: 5001, durationMs: 10_000 })).toBe(true);
    expect(isLate({ calls: 1, detectionDelayMs: 9000, durationMs: 200_000 })).toBe(false);
    expect(isLate({ calls: 1, detectionDelayMs: 10_001, durationMs: 200_000 })).toBe(true);
  });

  test.each(SHAPES)('shape %s: durations within 1 s - 2 h (tiny: seconds), seeded', (shape) => {
    const jobs = shapeJobs(shape, 50, 3, TUNING_PARAMS);
    expect(shapeJobs(shape, 50, 3, TUNING_PARAMS).map(durationOf)).toEqual(jobs.map(durationOf));
    for (const j of jobs) {
      expect(durationOf(j)).toBeGreaterThanOrEqual(shape === 'tiny' ? 500 : 1000);
      expect(durationOf(j)).toBeLessThanOrEqual(shape === 'tiny' ? 12_000 : 7_300_000);
      const p = j.progress ?? ((x: number) => x);
      expect(p(0)).toBeCloseTo(0);
      expect(p(1)).toBeCloseTo(1);
    }
  });
});
