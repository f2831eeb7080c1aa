/**
 * `createPoller` where it has always been exported (the public entry for the poller); it lives in
 * the lifecycle core shared with the CLI (src/jobs/poller.ts).
 */
export { createPoller, DEFAULT_POLL_POLICY, lagBudgetMs } from '../jobs/poller';
export type { PollObservation, Poller, PollPolicy } from '../jobs/poller';
