/**
 * Simulated OSS batch jobs for the polling benchmark and the poller tests: a job's life on a
 * simulated clock (Preparing → Ready → Active → Completing → Complete) whose Active progress
 * follows a shape. Lives outside src/ so the handler bundle never carries it.
 */
import { seededRandom } from '../../src/emulator/faults';
import type { PollObservation } from '../../src/jobs/poller';

/** A job's life in ms; progress while Active follows `progress` (monotone, 0 → 0, 1 → 1). */
export interface JobTimeline {
  queuedMs: number;
  activeMs: number;
  completingMs: number;
  totalTasks: number;
  progress?: (activeFraction: number) => number;
  /** Counts move in steps of this many tasks (a service that reports per batch); 1 when absent. */
  stepTasks?: number;
}

export type PollDelayFn = (obs: PollObservation) => number;

export interface SimulationResult {
  calls: number;
  /** Time between the terminal transition and the poll that saw it. */
  detectionDelayMs: number;
  durationMs: number;
}

export const durationOf = (job: JobTimeline): number => job.queuedMs + job.activeMs + job.completingMs;

/** What DescribeJob answers at simulated time `t` (ms since creation). */
export function observeAt(t: number, job: JobTimeline): Omit<PollObservation, 'elapsedMs' | 'remainingMs'> {
  const activeStart = job.queuedMs;
  const activeEnd = activeStart + job.activeMs;
  if (t < activeStart) return { status: t < activeStart / 2 ? 'Preparing' : 'Ready', totalTasks: job.totalTasks, doneTasks: 0 };
  if (t < activeEnd) {
    const fraction = Math.min(1, Math.max(0, (job.progress ?? ((x: number) => x))((t - activeStart) / job.activeMs)));
    const step = job.stepTasks ?? 1;
    const done = Math.min(job.totalTasks, Math.floor((fraction * job.totalTasks) / step) * step);
    return { status: 'Active', totalTasks: job.totalTasks, doneTasks: done, activeSeconds: Math.floor((t - activeStart) / 1000) };
  }
  const status = t < activeEnd + job.completingMs ? 'Completing' : 'Complete';
  return { status, totalTasks: job.totalTasks, doneTasks: job.totalTasks, activeSeconds: Math.floor(job.activeMs / 1000) };
}

/**
 * Poll a simulated job until it is terminal, on a simulated clock; the first poll happens right
 * after creation. A poller that has not seen the end by the deadline gets an infinite delay.
 */
export function simulatePolling(delayFor: PollDelayFn, job: JobTimeline, deadlineMs = 24 * 3_600_000): SimulationResult {
  const endAt = durationOf(job);
  let t = 0;
  let calls = 0;
  for (;;) {
    calls++;
    const obs: PollObservation = { ...observeAt(t, job), elapsedMs: t, remainingMs: deadlineMs - t };
    if (obs.status === 'Complete') return { calls, detectionDelayMs: t - endAt, durationMs: endAt };
    if (t >= deadlineMs) return { calls, detectionDelayMs: Number.POSITIVE_INFINITY, durationMs: endAt };
    t += Math.max(1, delayFor(obs));
  }
}

/** Late: seen more than max(5 s, 5% of the job's duration) after it ended. */
const lateBoundMs = (durationMs: number): number => Math.max(5000, 0.05 * durationMs);
export const isLate = (r: SimulationResult): boolean => r.detectionDelayMs > lateBoundMs(r.durationMs);

/** Knobs of the shape mix; two sets exist so the poller is checked on parameters it was not tuned on. */
export interface ShapeParams {
  label: string;
  /** Accelerating: progress = x^accelExponent. */
  accelExponent: number;
  /** Decelerating: progress = 1 - (1 - x)^decelExponent. */
  decelExponent: number;
  /** Stall then burst: share of Active with (almost) no progress, and the progress made during it. */
  stallShare: [number, number];
  stallProgress: number;
  /** Long Preparing: queued minutes, then an Active phase of seconds. */
  preparingMs: [number, number];
  shortActiveMs: [number, number];
  /** Tiny jobs: total duration. */
  tinyMs: [number, number];
  /** Share of the duration spent queued and completing for the ordinary shapes. */
  queuedShare: number;
  completingShare: number;
  tasksPerSecond: number;
  stepTasks: number;
}

export const TUNING_PARAMS: ShapeParams = {
  label: 'tuning set', accelExponent: 2, decelExponent: 2, stallShare: [0.3, 0.7], stallProgress: 0,
  preparingMs: [120_000, 900_000], shortActiveMs: [2_000, 30_000], tinyMs: [1_000, 10_000],
  queuedShare: 0.05, completingShare: 0.01, tasksPerSecond: 100, stepTasks: 1,
};

/** Different on purpose: sharper acceleration, a trickle while stalled, later bursts, coarse counts. */
export const CHECK_PARAMS: ShapeParams = {
  label: 'check set', accelExponent: 3.5, decelExponent: 3, stallShare: [0.6, 0.95], stallProgress: 0.05,
  preparingMs: [60_000, 1_800_000], shortActiveMs: [1_000, 10_000], tinyMs: [500, 5_000],
  queuedShare: 0.1, completingShare: 0.03, tasksPerSecond: 7, stepTasks: 50,
};

export const SHAPES = ['linear', 'accelerating', 'decelerating', 'stall-then-burst', 'long-preparing', 'tiny'] as const;
export type ShapeName = (typeof SHAPES)[number];

const MIN_MS = 1000;
const MAX_MS = 7_200_000;

/** `count` jobs of one shape, durations log-uniform over 1 s - 2 h (tiny and long-preparing use their own ranges). */
export function shapeJobs(shape: ShapeName, count: number, seed: number, p: ShapeParams): JobTimeline[] {
  const random = seededRandom(seed);
  const between = ([lo, hi]: [number, number]) => lo + random() * (hi - lo);
  const logUniform = (lo: number, hi: number) => Math.exp(Math.log(lo) + random() * (Math.log(hi) - Math.log(lo)));
  return Array.from({ length: count }, (): JobTimeline => {
    if (shape === 'long-preparing') {
      const activeMs = between(p.shortActiveMs);
      return { queuedMs: between(p.preparingMs), activeMs, completingMs: 500, totalTasks: tasks(activeMs, p), stepTasks: p.stepTasks };
    }
    const durationMs = shape === 'tiny' ? between(p.tinyMs) : logUniform(MIN_MS, MAX_MS);
    const queuedMs = 300 + durationMs * p.queuedShare;
    const completingMs = 200 + durationMs * p.completingShare;
    const activeMs = Math.max(200, durationMs - queuedMs - completingMs);
    return { queuedMs, activeMs, completingMs, totalTasks: tasks(activeMs, p), stepTasks: p.stepTasks, progress: progressOf(shape, p, between) };
  });
}

function tasks(activeMs: number, p: ShapeParams): number {
  return Math.max(1, Math.round((activeMs / 1000) * p.tasksPerSecond));
}

function progressOf(shape: ShapeName, p: ShapeParams, between: (r: [number, number]) => number): ((x: number) => number) | undefined {
  switch (shape) {
    case 'accelerating':
      return (x) => x ** p.accelExponent;
    case 'decelerating':
      return (x) => 1 - (1 - x) ** p.decelExponent;
    case 'stall-then-burst': {
      const s = between(p.stallShare);
      return (x) => (x < s ? (x / s) * p.stallProgress : p.stallProgress + ((x - s) / (1 - s)) * (1 - p.stallProgress));
    }
    default:
      return undefined;
  }
}
