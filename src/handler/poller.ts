/**
 * Adaptive polling: the next DescribeJob delay is a pure function of what the answers showed.
 * - Active with progress: aim at a fraction of the estimated time to completion, so calls fall off
 *   logarithmically while detection stays within about a second of the end. The estimate uses the
 *   faster of the overall rate (Timers.ElapsedTimeInActiveSeconds) and the rate since the previous
 *   poll, and the delay never exceeds a fraction of the time waited so far: a job that speeds up
 *   (slow start, a burst of small objects) cannot make us sleep through its end;
 * - Completing/Cancelling/Failing: short polls, the end is near;
 * - otherwise (queued, preparing, suspended, no progress yet): back off with elapsed time toward a
 *   cap of 30 s, 60 s after the first hour.
 * Jitter spreads concurrent pollers; no sleep runs past the deadline.
 */

/** What the poller knows when it picks the next delay. */
export interface PollObservation {
  /** Time since the wait started. */
  elapsedMs: number;
  /** Time left before the overall deadline. */
  remainingMs: number;
  status: string;
  totalTasks: number;
  /** Succeeded + failed tasks. */
  doneTasks: number;
  /** ProgressSummary.Timers.ElapsedTimeInActiveSeconds, when known. */
  activeSeconds?: number;
  /** The previous answer, when there was one: its progress gives the recent rate. */
  previous?: { elapsedMs: number; status: string; doneTasks: number };
}

export interface PollPolicy {
  minMs: number;
  /** Cap while the job shows no progress, during the first hour. */
  idleCapMs: number;
  /** Cap while the job shows no progress, after the first hour. */
  idleCapAfterHourMs: number;
  /** Cap while the job is Active with a known rate. */
  activeCapMs: number;
  /** Fraction of elapsed time to wait when there is no rate to go by. */
  idleFraction: number;
  /** Fraction of the estimated remaining time to wait while Active. */
  etaFraction: number;
  /** While Active, never wait longer than this fraction of the time waited so far. */
  trustFraction: number;
  /** ± fraction of jitter. */
  jitter: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  minMs: 1000, idleCapMs: 30_000, idleCapAfterHourMs: 60_000, activeCapMs: 300_000,
  idleFraction: 0.25, etaFraction: 0.5, trustFraction: 0.5, jitter: 0.1,
};

const HOUR_MS = 3_600_000;
const FINISHING = ['Completing', 'Cancelling', 'Failing'];

/** The delay before the next DescribeJob. Pure: same inputs (and random answers), same result. */
export function nextPollDelayMs(obs: PollObservation, random: () => number = Math.random, policy: PollPolicy = DEFAULT_POLL_POLICY): number {
  let base: number;
  const eta = estimateRemainingMs(obs);
  if (FINISHING.includes(obs.status)) {
    base = policy.minMs;
  } else if (obs.status === 'Active' && eta !== undefined) {
    base = Math.min(policy.activeCapMs, eta * policy.etaFraction, obs.elapsedMs * policy.trustFraction);
  } else {
    const cap = obs.elapsedMs < HOUR_MS ? policy.idleCapMs : policy.idleCapAfterHourMs;
    base = Math.min(cap, obs.elapsedMs * policy.idleFraction);
  }
  const jittered = base * (1 + policy.jitter * (2 * random() - 1));
  const delay = Math.max(policy.minMs, Math.round(jittered));
  return Math.max(0, Math.min(delay, obs.remainingMs));
}

/** Remaining time at the faster of the overall and the recent task rate; undefined without progress. */
export function estimateRemainingMs(obs: PollObservation): number | undefined {
  if (obs.totalTasks <= 0 || obs.doneTasks <= 0) return undefined;
  const left = Math.max(0, obs.totalTasks - obs.doneTasks);
  const rates: number[] = []; // tasks per ms
  if (obs.activeSeconds && obs.activeSeconds > 0) rates.push(obs.doneTasks / (obs.activeSeconds * 1000));
  const prev = obs.previous;
  if (prev && obs.doneTasks > prev.doneTasks && obs.elapsedMs > prev.elapsedMs) {
    rates.push((obs.doneTasks - prev.doneTasks) / (obs.elapsedMs - prev.elapsedMs));
  }
  if (!rates.length) return undefined;
  return left / Math.max(...rates);
}

// ---- simulation (benchmarks and tests) ------------------------------------------------

/** A job's life on a simulated clock: phases in ms; progress while Active follows `progress`. */
export interface JobTimeline {
  queuedMs: number;
  activeMs: number;
  completingMs: number;
  totalTasks: number;
  /** Fraction of tasks done at a fraction of the Active phase (monotone, 0→0, 1→1); linear when absent. */
  progress?: (activeFraction: number) => number;
}

export type PollDelayFn = (obs: PollObservation) => number;

export interface SimulationResult {
  calls: number;
  /** Time between the terminal transition and the poll that saw it. */
  detectionDelayMs: number;
}

/** What DescribeJob answers at simulated time `t`. */
export function observeAt(t: number, job: JobTimeline): Omit<PollObservation, 'elapsedMs' | 'remainingMs' | 'previous'> {
  const activeStart = job.queuedMs;
  const activeEnd = activeStart + job.activeMs;
  if (t < activeStart) return { status: t < activeStart / 2 ? 'Preparing' : 'Ready', totalTasks: job.totalTasks, doneTasks: 0 };
  if (t < activeEnd) {
    const fraction = (job.progress ?? ((x: number) => x))((t - activeStart) / job.activeMs);
    return { status: 'Active', totalTasks: job.totalTasks, doneTasks: Math.floor(fraction * job.totalTasks), activeSeconds: Math.floor((t - activeStart) / 1000) };
  }
  const status = t < activeEnd + job.completingMs ? 'Completing' : 'Complete';
  return { status, totalTasks: job.totalTasks, doneTasks: job.totalTasks, activeSeconds: Math.floor(job.activeMs / 1000) };
}

/**
 * Poll a simulated job until it is terminal (pure: a simulated clock, no sleeping); the first
 * poll happens right after creation. A policy that never sees the end by the deadline reports
 * an infinite detection delay.
 */
export function simulatePolling(delayFor: PollDelayFn, job: JobTimeline, deadlineMs = 24 * HOUR_MS): SimulationResult {
  const endAt = job.queuedMs + job.activeMs + job.completingMs;
  let t = 0;
  let calls = 0;
  let previous: PollObservation['previous'];
  for (;;) {
    calls++;
    const obs: PollObservation = { ...observeAt(t, job), elapsedMs: t, remainingMs: deadlineMs - t, previous };
    if (obs.status === 'Complete') return { calls, detectionDelayMs: t - endAt };
    if (t >= deadlineMs) return { calls, detectionDelayMs: Number.POSITIVE_INFINITY };
    previous = { elapsedMs: t, status: obs.status, doneTasks: obs.doneTasks };
    t += Math.max(1, delayFor(obs));
  }
}
