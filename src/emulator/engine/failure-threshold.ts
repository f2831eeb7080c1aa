/**
 * When a job stops for too many task failures. OSS does not publish its rule; we take S3's:
 * once at least min(total, 1,000) tasks were attempted, the job fails as soon as more than half
 * of the attempted tasks failed. Checked after every task batch, so a job may run up to one
 * batch past the point where the rule first holds.
 */
export const FAILURE_SAMPLE = 1000;
export const FAILURE_RATIO = 0.5;

export function exceedsFailureThreshold(attempted: number, failed: number, total: number): boolean {
  if (attempted === 0 || attempted < Math.min(total, FAILURE_SAMPLE)) return false;
  return failed / attempted > FAILURE_RATIO;
}

export function tooManyFailuresReason(attempted: number, failed: number): string {
  return `Too many failures: ${failed} of the first ${attempted} tasks failed.`;
}
