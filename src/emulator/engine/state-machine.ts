/**
 * The job status machine as a table (OSS CreateJob/ListJobs docs). Pure: the engine
 * and the UpdateJobStatus handler ask it for the next status and never set one directly.
 */
import type { JobStatus } from '../../oss/model';

export type JobEvent =
  | 'prepare' // New → Preparing
  | 'prepared' // Preparing → Ready
  | 'needsConfirmation' // Preparing → Suspended (ConfirmationRequired)
  | 'confirm' // UpdateJobStatus Ready: Suspended|Preparing → Ready
  | 'start' // Ready → Active
  | 'finish' // Active → Completing
  | 'reported' // Completing → Complete
  | 'cancel' // UpdateJobStatus Cancelled
  | 'cancelled' // Cancelling → Cancelled
  | 'fail' // system error or too many failures → Failing
  | 'failed' // Failing → Failed
  | 'suspendExpired' // Suspended > 14 days → Failed
  | 'pause' // system-driven: Active → Pausing
  | 'paused' // Pausing → Paused
  | 'resume'; // Paused → Active

const CANCELLABLE: JobStatus[] = ['New', 'Preparing', 'Ready', 'Suspended', 'Active', 'Pausing', 'Paused'];

export const TRANSITIONS: Readonly<Record<JobStatus, Partial<Record<JobEvent, JobStatus>>>> = {
  New: { prepare: 'Preparing', cancel: 'Cancelling' },
  Preparing: { prepared: 'Ready', needsConfirmation: 'Suspended', confirm: 'Ready', cancel: 'Cancelling', fail: 'Failing' },
  Ready: { start: 'Active', cancel: 'Cancelling' },
  Suspended: { confirm: 'Ready', cancel: 'Cancelling', suspendExpired: 'Failed' },
  Active: { finish: 'Completing', cancel: 'Cancelling', fail: 'Failing', pause: 'Pausing' },
  Pausing: { paused: 'Paused', cancel: 'Cancelling' },
  Paused: { resume: 'Active', cancel: 'Cancelling' },
  Completing: { reported: 'Complete' },
  Complete: {},
  Cancelling: { cancelled: 'Cancelled' },
  Cancelled: {},
  Failing: { failed: 'Failed' },
  Failed: {},
};

export class InvalidTransitionError extends Error {
  constructor(readonly from: JobStatus, readonly event: JobEvent) {
    super(`a job in status ${from} cannot ${describe(event)}`);
  }
}

function describe(event: JobEvent): string {
  switch (event) {
    case 'confirm': return 'be set to Ready (allowed only from Suspended or Preparing)';
    case 'cancel': return `be cancelled (allowed only from ${CANCELLABLE.join(', ')})`;
    default: return `take the "${event}" step`;
  }
}

export function nextStatus(from: JobStatus, event: JobEvent): JobStatus {
  const to = TRANSITIONS[from][event];
  if (!to) throw new InvalidTransitionError(from, event);
  return to;
}

export function canTransition(from: JobStatus, event: JobEvent): boolean {
  return TRANSITIONS[from][event] !== undefined;
}
