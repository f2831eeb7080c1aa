/**
 * Retries with exponential backoff and full jitter. The delay is a pure function of the
 * attempt number and a random source; sleeping and randomness are injected for tests.
 */
import { isRetryableError, OssError } from './errors';

export interface RetryOptions {
  /** Total attempts including the first. @default 3 */
  maxAttempts?: number;
  /** @default 200 */
  baseDelayMs?: number;
  /** @default 20000 */
  maxDelayMs?: number;
}

export interface RetryDeps {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called before each retry, e.g. for logging. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 20_000 };

/**
 * Options over the defaults. An explicit `undefined` (e.g. an unset CLI flag) keeps the default:
 * a plain spread would let it through, and `attempt >= undefined` never ends the loop.
 */
export function resolveRetryOptions(options: RetryOptions = {}): Required<RetryOptions> {
  const resolved = { ...DEFAULT_RETRY };
  for (const name of Object.keys(DEFAULT_RETRY) as (keyof RetryOptions)[]) {
    const value = options[name];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < (name === 'maxAttempts' ? 1 : 0)) {
      throw new RangeError(`retry option ${name} must be a finite number ≥ ${name === 'maxAttempts' ? 1 : 0}, got ${value}`);
    }
    resolved[name] = value;
  }
  return resolved;
}

/** Full jitter: uniform in [0, min(max, base·2^(attempt-1))]. `attempt` is the 1-based attempt that failed. */
export function retryDelayMs(attempt: number, options: RetryOptions = {}, random: () => number = Math.random): number {
  const { baseDelayMs, maxDelayMs } = resolveRetryOptions(options);
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After as seconds or an HTTP date, in ms from `now`; undefined when absent or unparsable. */
export function parseRetryAfterMs(value: string | undefined, now: Date = new Date()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Every HTTP-date form starts with a day name; without this check V8's lenient Date.parse
  // would read "-5" or "1.5" as dates in 2001.
  if (!/^[A-Za-z]{3}/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withRetries<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}, deps: RetryDeps = {}): Promise<T> {
  const resolved = resolveRetryOptions(options);
  const { maxAttempts, maxDelayMs } = resolved;
  const sleep = deps.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryableError(error)) throw error;
      const jittered = retryDelayMs(attempt, resolved, deps.random);
      // The server's Retry-After wins over our own guess, but never beyond the configured cap.
      const retryAfter = error instanceof OssError ? error.retryAfterMs : undefined;
      const delayMs = retryAfter === undefined ? jittered : Math.min(maxDelayMs, Math.max(jittered, retryAfter));
      deps.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}
