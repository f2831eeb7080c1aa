/**
 * Adaptive polling: when to ask DescribeJob again. One poller per job, because the decision uses
 * the job's history (the rate since the previous answer).
 *
 * The promise we keep on any progress shape: a job's end is seen within max(5 s, 5% of the time
 * waited so far). The delay is bounded by that lag budget, because progress seen so far says little
 * about how a job ends: a job that speeds up, or crawls and then bursts, can finish well before any
 * estimate from its past. Only a job whose recent rate has matched its overall rate for several
 * answers in a row (steady progress) may be polled less often: up to a multiple of the budget that
 * grows with the square of the share done (a slow start looks steady too, and must not earn a long
 * sleep), and never past half its estimated time left. Jitter only shortens a delay, so it spreads
 * concurrent pollers without breaking the bound. BENCHMARKS.md has the trade-off behind the numbers.
 */

/** What the poller is told after each DescribeJob. */
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
}

export interface PollPolicy {
  /** Never poll more often than this. */
  minMs: number;
  /** Never wait longer than this. */
  maxMs: number;
  /** The lag budget: max(floorMs, lagFraction × time waited) ... */
  floorMs: number;
  lagFraction: number;
  /** ... times this factor (1: the budget exactly; above 1 trades late detections for fewer calls). */
  slack: number;
  /** Steady progress: the recent rate (over the last `window` answers) within [lo, hi] × the overall rate, for `steadyAnswers` answers in a row. */
  steadyBand: [number, number];
  steadyAnswers: number;
  window: number;
  /** A steady job waits up to this multiple of the lag budget ... */
  stretch: number;
  /** ... scaled by the share of tasks done, 1 + (stretch - 1) × (done/total)^progressExponent, when true. */
  stretchByProgress: boolean;
  progressExponent: number;
  /** ... but never more than this fraction of its estimated time left. */
  etaFraction: number;
  /** Delays are shortened by up to this fraction at random. */
  jitter: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  minMs: 1000, maxMs: 600_000, floorMs: 5000, lagFraction: 0.05, slack: 1,
  steadyBand: [0.5, 1.25], steadyAnswers: 3, window: 3, stretch: 10, stretchByProgress: true, progressExponent: 2, etaFraction: 0.5, jitter: 0.03,
};

/** Picks the delay before the next DescribeJob from an observation; keeps the job's history. */
export type Poller = (obs: PollObservation) => number;

/** The lag budget at a given point of the wait (before jitter). */
export function lagBudgetMs(elapsedMs: number, policy: PollPolicy = DEFAULT_POLL_POLICY): number {
  return policy.slack * Math.max(policy.floorMs, policy.lagFraction * Math.max(0, elapsedMs));
}

/** One poller per job. Same observations and random answers → same delays. */
export function createPoller(random: () => number = Math.random, policy: PollPolicy = DEFAULT_POLL_POLICY): Poller {
  /** The last answers while Active, oldest first: the recent rate spans them, so coarse counts still give a rate. */
  let recent: PollObservation[] = [];
  /** Where the Active phase began on our clock, for jobs whose service reports no active timer. */
  let activeSince: number | undefined;
  let steady = 0;
  return (obs) => {
    if (obs.status === 'Active' && activeSince === undefined) activeSince = obs.elapsedMs;
    const rates = obs.status === 'Active' ? activeRates(obs, recent[0], activeSince) : undefined;
    const last = obs.status === 'Active' ? activeRates(obs, recent[recent.length - 1], activeSince) : undefined;
    // Steady: the rate over the last answers matches the overall rate, and the last interval moved.
    const inBand = rates !== undefined && last !== undefined && rates.recent >= rates.overall * policy.steadyBand[0] && rates.recent <= rates.overall * policy.steadyBand[1];
    steady = inBand ? steady + 1 : 0;
    recent = obs.status === 'Active' ? [...recent, obs].slice(-policy.window) : [];

    const budget = lagBudgetMs(obs.elapsedMs, policy);
    let base = budget;
    if (rates && steady >= policy.steadyAnswers) {
      const etaMs = Math.max(0, obs.totalTasks - obs.doneTasks) / Math.max(rates.recent, rates.overall, last?.recent ?? 0);
      // The stretch grows with the share done: a slow start (a crawl before a burst) looks steady
      // too, and must not earn a long sleep before most of the work is visibly done.
      const stretch = policy.stretchByProgress ? 1 + (policy.stretch - 1) * Math.min(1, obs.doneTasks / obs.totalTasks) ** policy.progressExponent : policy.stretch;
      base = Math.min(stretch * budget, Math.max(budget, policy.etaFraction * etaMs));
    }
    const jittered = base * (1 - policy.jitter * random());
    const delay = Math.round(Math.min(policy.maxMs, Math.max(policy.minMs, jittered)));
    return Math.max(0, Math.min(delay, Math.floor(obs.remainingMs)));
  };
}

/** Tasks per ms overall and since an earlier Active answer; undefined until both are known and positive. */
function activeRates(obs: PollObservation, previous: PollObservation | undefined, activeSince: number | undefined): { recent: number; overall: number } | undefined {
  if (obs.totalTasks <= 0 || obs.doneTasks <= 0 || !previous) return undefined;
  const span = obs.elapsedMs - previous.elapsedMs;
  const recent = span > 0 ? (obs.doneTasks - previous.doneTasks) / span : 0;
  const activeMs = obs.activeSeconds !== undefined && obs.activeSeconds > 0 ? obs.activeSeconds * 1000 : obs.elapsedMs - (activeSince ?? obs.elapsedMs);
  const overall = activeMs > 0 ? obs.doneTasks / activeMs : 0;
  return recent > 0 && overall > 0 ? { recent, overall } : undefined;
}
