import fc from 'fast-check';
import { OssError, OssNetworkError } from '../../src/oss/errors';
import { DEFAULT_RETRY, parseRetryAfterMs, resolveRetryOptions, retryDelayMs, withRetries } from '../../src/oss/retry';

const ossError = (status: number, code: string, retryAfterMs?: number) => new OssError({ code, status, message: code, retryAfterMs });

/** withRetries with a recorded sleep and a fixed random source. */
function harness(random = () => 0.5) {
  const slept: number[] = [];
  return { slept, deps: { sleep: async (ms: number) => { slept.push(ms); }, random } };
}

describe('retryDelayMs (full jitter)', () => {
  test('the ceiling doubles per attempt from the base and stops at the cap', () => {
    expect(retryDelayMs(1, {}, () => 0.999)).toBe(199);
    expect(retryDelayMs(3, {}, () => 0.999)).toBe(799);
    expect(retryDelayMs(30, {}, () => 0.999)).toBe(19_980);
    expect(retryDelayMs(5, {}, () => 0)).toBe(0);
    expect(retryDelayMs(2, { baseDelayMs: 50, maxDelayMs: 60 }, () => 0.5)).toBe(30);
  });

  test('always within [0, min(max, base·2^(attempt-1))]', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (attempt, baseDelayMs, maxDelayMs, r) => {
        const delay = retryDelayMs(attempt, { baseDelayMs, maxDelayMs }, () => r);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
      },
    ));
  });
});

describe('parseRetryAfterMs', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  test('seconds or an HTTP date; past dates are 0; anything else is ignored', () => {
    expect(parseRetryAfterMs('3', now)).toBe(3000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfterMs('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs('-5', now)).toBeUndefined();
    expect(parseRetryAfterMs('1.5', now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('withRetries', () => {
  test('503 then success: one retry, one sleep, the value comes back', async () => {
    const { slept, deps } = harness();
    let calls = 0;
    const result = await withRetries(async (attempt) => {
      calls++;
      if (attempt === 1) throw ossError(503, 'ServiceUnavailable');
      return 'ok';
    }, {}, deps);
    expect(result).toBe('ok');
    expect(calls).toBe(2);
    expect(slept).toEqual([100]); // 0.5 × 200 ms
  });

  test('network resets are retried like 5xx', async () => {
    const { deps } = harness();
    let calls = 0;
    await expect(withRetries(async () => {
      if (++calls < 3) throw new OssNetworkError('ECONNRESET', 'socket hang up');
      return calls;
    }, {}, deps)).resolves.toBe(3);
  });

  test('400 and 403 are not retried', async () => {
    for (const error of [ossError(400, 'InvalidArgument'), ossError(403, 'AccessDenied')]) {
      const { slept, deps } = harness();
      let calls = 0;
      await expect(withRetries(async () => { calls++; throw error; }, { maxAttempts: 5 }, deps)).rejects.toBe(error);
      expect(calls).toBe(1);
      expect(slept).toEqual([]);
    }
  });

  test('attempts are bounded (default 3, configurable); the last error is thrown', async () => {
    for (const maxAttempts of [undefined, 1, 5]) {
      const { slept, deps } = harness();
      let calls = 0;
      const error = await withRetries(async () => { throw ossError(500, `InternalError${++calls}`); }, { maxAttempts }, deps).catch((e) => e);
      const expected = maxAttempts ?? DEFAULT_RETRY.maxAttempts;
      expect(calls).toBe(expected);
      expect(error.code).toBe(`InternalError${expected}`);
      expect(slept).toHaveLength(expected - 1);
    }
  });

  test('Retry-After is honoured when longer than the jitter, and capped at maxDelayMs', async () => {
    const first = harness(() => 0);
    await withRetries(async (attempt) => { if (attempt === 1) throw ossError(503, 'SlowDown', 4000); }, {}, first.deps);
    expect(first.slept).toEqual([4000]);

    const capped = harness(() => 0);
    await withRetries(async (attempt) => { if (attempt === 1) throw ossError(503, 'SlowDown', 3_600_000); }, { maxDelayMs: 1500 }, capped.deps);
    expect(capped.slept).toEqual([1500]);

    const jitterWins = harness(() => 0.999);
    await withRetries(async (attempt) => { if (attempt < 4) throw ossError(503, 'SlowDown', 10); }, { maxAttempts: 4 }, jitterWins.deps);
    expect(jitterWins.slept).toEqual([199, 399, 799]);
  });

  test('onRetry reports each retry with its delay and error', async () => {
    const seen: { attempt: number; delayMs: number; code: string }[] = [];
    const error = ossError(429, 'TooManyRequests');
    await withRetries(async (attempt) => { if (attempt < 3) throw error; }, {}, {
      sleep: async () => undefined, random: () => 0.5,
      onRetry: ({ attempt, delayMs, error: e }) => seen.push({ attempt, delayMs, code: (e as OssError).code }),
    });
    expect(seen).toEqual([{ attempt: 1, delayMs: 100, code: 'TooManyRequests' }, { attempt: 2, delayMs: 200, code: 'TooManyRequests' }]);
  });
});

describe('resolveRetryOptions', () => {
  test('explicit undefined keeps the default; nonsense is refused', () => {
    expect(resolveRetryOptions({ maxAttempts: undefined, baseDelayMs: 10 })).toEqual({ ...DEFAULT_RETRY, baseDelayMs: 10 });
    expect(() => resolveRetryOptions({ maxAttempts: 0 })).toThrow(/maxAttempts must be a finite number ≥ 1, got 0/);
    expect(() => resolveRetryOptions({ maxDelayMs: Number.NaN })).toThrow(RangeError);
    expect(() => resolveRetryOptions({ baseDelayMs: -1 })).toThrow(/baseDelayMs/);
  });
});
