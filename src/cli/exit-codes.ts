/**
 * Exit codes of `oss-batch` (the handler's meaning, docs/cli.md; a job's outcome is judged by
 * src/jobs/verdict.ts). Scripts branch on these, so they never change meaning.
 */

export const EXIT = {
  /** Success; for `jobs wait`: Complete with failed tasks ≤ --max-failed-tasks. */
  OK: 0,
  /** The job Failed, was Cancelled or has too many failed tasks; or no completion report exists. */
  OUTCOME: 1,
  /** Bad command line (unknown command or option, bad value, bad --endpoint). */
  USAGE: 2,
  /** `--timeout` passed before the job ended (the job keeps running). */
  TIMEOUT: 3,
  /** OSS answered with an error, was unreachable, or no credentials were found. */
  API: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Statuses from which UpdateJobStatus accepts each request. */
const ACCEPTED_FROM: Record<'Ready' | 'Cancelled', readonly string[]> = {
  Ready: ['Suspended', 'Preparing'],
  Cancelled: ['New', 'Preparing', 'Ready', 'Suspended', 'Active', 'Pausing', 'Paused'],
};

/**
 * Why a status change was refused, in words, when the job's current status explains it;
 * undefined when it does not (then the API's own error is the best message).
 */
export function explainRefusedStatusChange(jobId: string, requested: 'Ready' | 'Cancelled', current: string): string | undefined {
  if (ACCEPTED_FROM[requested].includes(current)) return undefined;
  if (requested === 'Ready') return `cannot confirm job ${jobId}: it is ${current}, and only a Suspended or Preparing job can be confirmed.`;
  return `cannot cancel job ${jobId}: it is ${current}, and a job that is ${current} can no longer be cancelled.`;
}
