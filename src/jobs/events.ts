/**
 * Structured progress of a wait: one event shape that every front end renders its own way (the
 * handler prints lines for Terraform, the CLI draws a bar), so nobody re-parses log text.
 */
import type { JobDescriptor } from '../oss/model';

/** One DescribeJob answer, with what the wait derived from it. */
export interface ProgressEvent {
  type: 'progress';
  jobId: string;
  status: string;
  succeeded: number;
  failed: number;
  total: number;
  /** Time since the wait started. */
  elapsedMs: number;
  /** Tasks per second while Active, from the service's active timer; undefined before there is progress. */
  ratePerSecond?: number;
  /** Estimated time to the last task at that rate; only while Active. */
  etaMs?: number;
  /** The delay before the next DescribeJob; undefined once the job is terminal (or out of time). */
  nextPollMs?: number;
  /** The status or a count differs from the previous answer. */
  changed: boolean;
  /** Unchanged, but nothing was reported for HEARTBEAT_MS: a sign of life for line-based output. */
  heartbeat: boolean;
}

/** Something the wait did or needs, besides progress. */
export interface NoticeEvent {
  type: 'notice';
  jobId: string;
  kind: 'awaiting-confirmation' | 'confirmed' | 'confirm-refused' | 'poll-retry';
  message: string;
}

export type JobEvent = ProgressEvent | NoticeEvent;

/** Rate and ETA from an answer: tasks done over the service's time Active. */
export function progressEstimate(job: JobDescriptor): { ratePerSecond?: number; etaMs?: number } {
  const p = job.progressSummary;
  const done = p.numberOfTasksSucceeded + p.numberOfTasksFailed;
  const active = p.elapsedTimeInActiveSeconds;
  if (!active || active <= 0 || done <= 0) return {};
  const ratePerSecond = done / active;
  const etaMs = job.status === 'Active' ? (Math.max(0, p.totalNumberOfTasks - done) / ratePerSecond) * 1000 : undefined;
  return etaMs === undefined ? { ratePerSecond } : { ratePerSecond, etaMs };
}

export function formatElapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatRate(perSecond: number): string {
  return perSecond >= 10 ? String(Math.round(perSecond)) : perSecond.toFixed(perSecond >= 1 ? 1 : 2);
}

/**
 * `[<name>] job <id> <status> <succeeded>/<failed>/<total> tasks, <elapsed>`, then while Active
 * with progress `, <rate> tasks/s, ETA <eta>`.
 */
export function progressLine(name: string, e: ProgressEvent): string {
  const base = `[${name}] job ${e.jobId} ${e.status} ${e.succeeded}/${e.failed}/${e.total} tasks, ${formatElapsed(e.elapsedMs)}`;
  if (e.ratePerSecond === undefined || e.etaMs === undefined) return base;
  return `${base}, ${formatRate(e.ratePerSecond)} tasks/s, ETA ${formatElapsed(e.etaMs)}`;
}

/** The line a line-based front end prints for an event, or undefined when it prints nothing. */
export function eventLine(name: string, e: JobEvent): string | undefined {
  if (e.type === 'notice') return `[${name}] ${e.message}`;
  return e.changed || e.heartbeat ? progressLine(name, e) : undefined;
}
