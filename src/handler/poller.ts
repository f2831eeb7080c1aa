/**
 * Adaptive polling: the next DescribeJob delay is a pure function of what the last answer showed.
 * - Active with progress: aim at half the estimated time to completion (from the task rate), so
 *   calls fall off logarithmically while detection stays within about a second of the end;
 * - Completing/Cancelling/Failing: short polls, the end is near;
 * - otherwise (queued, preparing, suspended, no progress yet): back off with elapsed time.
 * Jitter spreads concurrent pollers; no sleep runs past the deadline.
 */

export interface PollObservation {
  /** Time since the wait started. */
  elapsedMs: number;
  /** Time left before the overall deadline. */
  remainingMs: number;
  status: string;
  totalTasks: number;
  doneTasks: number;
  /** ProgressSummary.Timers.ElapsedTimeInActiveSeconds, when known. */
  activeSeconds?: number;
}

export interface PollPolicy {
  minMs: number;
  /** Cap while the job shows no progress. */
  idleCapMs: number;
  /** Cap while the job is Active with a known rate. */
  activeCapMs: number;
  /** Fraction of elapsed time to wait when there is no rate to go by. */
  idleFraction: number;
  /** Fraction of the estimated remaining time to wait while Active. */
  etaFraction: number;
  /** ± fraction of jitter. */
  jitter: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  minMs: 1000, idleCapMs: 60_000, activeCapMs: 300_000, idleFraction: 0.25, etaFraction: 0.5, jitter: 0.1,
};

const FINISHING = ['Completing', 'Cancelling', 'Failing'];

/** The delay before the next DescribeJob. Pure: same inputs, same answer. */
export function nextPollDelayMs(obs: PollObservation, random: () => number = Math.random, policy: PollPolicy = DEFAULT_POLL_POLICY): number {
  let base: number;
  const eta = estimateRemainingMs(obs);
  if (FINISHING.includes(obs.status)) {
    base = policy.minMs;
  } else if (obs.status === 'Active' && eta !== undefined) {
    base = Math.min(policy.activeCapMs, eta * policy.etaFraction);
  } else {
    base = Math.min(policy.idleCapMs, obs.elapsedMs * policy.idleFraction);
  }
  const jittered = base * (1 + policy.jitter * (2 * random() - 1));
  const delay = Math.max(policy.minMs, Math.round(jittered));
  return Math.max(0, Math.min(delay, obs.remainingMs));
}

/** Remaining time from the task rate so far; undefined without progress to go by. */
export function estimateRemainingMs(obs: PollObservation): number | undefined {
  if (!obs.activeSeconds || obs.doneTasks <= 0 || obs.totalTasks <= 0) return undefined;
  const rate = obs.doneTasks / obs.activeSeconds;
  return (Math.max(0, obs.totalTasks - obs.doneTasks) / rate) * 1000;
}

// ---- simulation (benchmarks and tests) ------------------------------------------------

/** A job's life on a simulated clock: phases in ms, linear progress while Active. */
export interface JobTimeline {
  queuedMs: number;
  activeMs: number;
  completingMs: number;
  totalTasks: number;
}

export type PollDelayFn = (obs: PollObservation) => number;

export interface SimulationResult {
  calls: number;
  /** Time between the terminal transition and the poll that saw it. */
  detectionDelayMs: number;
}

export function observeAt(t: number, job: JobTimeline): Omit<PollObservation, 'elapsedMs' | 'remainingMs'> {
  const activeStart = job.queuedMs;
  const activeEnd = activeStart + job.activeMs;
  if (t < activeStart) return { status: t < activeStart / 2 ? 'Preparing' : 'Ready', totalTasks: job.totalTasks, doneTasks: 0 };
  if (t < activeEnd) {
    const fraction = (t - activeStart) / job.activeMs;
    return { status: 'Active', totalTasks: job.totalTasks, doneTasks: Math.floor(fraction * job.totalTasks), activeSeconds: Math.floor((t - activeStart) / 1000) };
  }
  const status = t < activeEnd + job.completingMs ? 'Completing' : 'Complete';
  return { status, totalTasks: job.totalTasks, doneTasks: job.totalTasks, activeSeconds: Math.floor(job.activeMs / 1000) };
}

/** Poll a simulated job until it is terminal; the first poll happens right after creation. */
export function simulatePolling(delayFor: PollDelayFn, job: JobTimeline, deadlineMs = 24 * 3600_000): SimulationResult {
  const endAt = job.queuedMs + job.activeMs + job.completingMs;
  let t = 0;
  let calls = 0;
  for (;;) {
    calls++;
    const obs = { ...observeAt(t, job), elapsedMs: t, remainingMs: deadlineMs - t };
    if (obs.status === 'Complete') return { calls, detectionDelayMs: t - endAt };
    if (t >= deadlineMs) return { calls, detectionDelayMs: Number.POSITIVE_INFINITY };
    t += Math.max(1, delayFor(obs));
  }
}
