/**
 * Fault injection for reliability tests, reproducible with a seed; the OSS, S3 and S3 Control
 * fronts all ask the same injector, by API name (`CreateJob`, `S3:PutObject`,
 * `S3Control:CreateJob`, …). Spec grammar (comma-separated):
 *   500:<rate>  503:<rate>  slowdown:<rate>   error answers, before the request is processed
 *   reset:<rate>                              destroy the connection before processing
 *   reset-after:<rate>                        process the request, then drop the connection (the
 *                                             client never sees the answer: the idempotency case)
 *   timeout:<rate>                            hold the request for timeoutMs, then drop it
 *   latency:<min>-<max>ms | latency:<n>ms      added delay on every matching request
 *   apis:<Api>|<Api>                          only these APIs (e.g. CreateJob|DescribeJob, S3Control:CreateJob,
 *                                             S3:PutObject); default all, OSS, S3 and S3 Control alike
 *   timeoutMs:<n>                             how long `timeout` holds a request (default 35000)
 * Rates are probabilities 0..1. An empty spec clears all faults.
 */
import type http from 'node:http';
import { Readable } from 'node:stream';
import { EmulatorError } from './errors';

export type FaultAction = 'none' | '500' | '503' | 'slowdown' | 'reset' | 'reset-after' | 'timeout';
const ACTIONS: Exclude<FaultAction, 'none'>[] = ['500', '503', 'slowdown', 'reset', 'reset-after', 'timeout'];

export interface FaultSpec {
  rates: Partial<Record<Exclude<FaultAction, 'none'>, number>>;
  latencyMs?: [number, number];
  apis?: string[];
  timeoutMs: number;
}

export const NO_FAULTS: FaultSpec = { rates: {}, timeoutMs: 35_000 };

export function parseFaultSpec(text: string): FaultSpec {
  const spec: FaultSpec = { rates: {}, timeoutMs: 35_000 };
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const colon = item.indexOf(':');
    if (colon < 0) throw new Error(`fault spec item "${item}" needs a value (e.g. 503:0.1)`);
    const name = item.slice(0, colon).trim().toLowerCase();
    const value = item.slice(colon + 1).trim();
    if ((ACTIONS as string[]).includes(name)) {
      const rate = Number(value);
      if (!(rate >= 0 && rate <= 1)) throw new Error(`fault rate for ${name} must be between 0 and 1, got "${value}"`);
      spec.rates[name as Exclude<FaultAction, 'none'>] = rate;
    } else if (name === 'latency') {
      const m = /^(\d+)(?:-(\d+))?ms$/.exec(value);
      if (!m) throw new Error(`latency must look like 50ms or 50-200ms, got "${value}"`);
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : Number(m[2]);
      if (max < min) throw new Error(`latency range ${value} is reversed`);
      spec.latencyMs = [min, max];
    } else if (name === 'apis') {
      spec.apis = value.split('|').map((s) => s.trim()).filter(Boolean);
    } else if (name === 'timeoutms') {
      if (!/^\d+$/.test(value)) throw new Error(`timeoutMs must be a whole number, got "${value}"`);
      spec.timeoutMs = Number(value);
    } else {
      throw new Error(`unknown fault "${name}" (known: ${[...ACTIONS, 'latency', 'apis', 'timeoutMs'].join(', ')})`);
    }
  }
  const total = Object.values(spec.rates).reduce((a, b) => a + (b ?? 0), 0);
  if (total > 1) throw new Error(`fault rates add up to ${total}; they must not exceed 1`);
  return spec;
}

/** mulberry32: a small seeded PRNG, so a fault schedule replays exactly for a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultDecision {
  action: FaultAction;
  latencyMs: number;
}

export class FaultInjector {
  private random: () => number;
  constructor(private spec: FaultSpec = NO_FAULTS, seed = 1) {
    this.random = seededRandom(seed);
  }

  get timeoutMs(): number {
    return this.spec.timeoutMs;
  }

  set(spec: FaultSpec | string, seed?: number): void {
    this.spec = typeof spec === 'string' ? parseFaultSpec(spec) : spec;
    if (seed !== undefined) this.random = seededRandom(seed);
  }

  decide(api: string): FaultDecision {
    const { rates, latencyMs, apis } = this.spec;
    if (apis && !apis.includes(api)) return { action: 'none', latencyMs: 0 };
    const latency = latencyMs ? latencyMs[0] + Math.floor(this.random() * (latencyMs[1] - latencyMs[0] + 1)) : 0;
    let roll = this.random();
    for (const action of ACTIONS) {
      const rate = rates[action] ?? 0;
      if (roll < rate) return { action, latencyMs: latency };
      roll -= rate;
    }
    return { action: 'none', latencyMs: latency };
  }
}

/** Wait `ms`, or less when the client goes away or the server stops (it destroys the sockets). */
function holdRequest(req: http.IncomingMessage, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      req.socket.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    req.socket.once('close', done);
  });
}

/**
 * The part of a fault that comes before the request is processed: the added latency, then a
 * dropped connection (reset, timeout: returns true) or an error answer (thrown as the codes OSS
 * and S3 share: InternalError 500, ServiceUnavailable 503, SlowDown 503).
 */
export async function faultBefore(faults: FaultInjector, fault: FaultDecision, req: http.IncomingMessage): Promise<boolean> {
  if (fault.latencyMs) await holdRequest(req, fault.latencyMs);
  if (fault.action === 'reset' || fault.action === 'timeout') {
    if (fault.action === 'timeout') await holdRequest(req, faults.timeoutMs);
    req.socket.destroy();
    return true;
  }
  if (fault.action === '500') throw new EmulatorError('InternalError', 'injected fault: internal error', 500);
  if (fault.action === '503') throw new EmulatorError('ServiceUnavailable', 'injected fault: service unavailable', 503);
  if (fault.action === 'slowdown') throw new EmulatorError('SlowDown', 'injected fault: please reduce your request rate', 503);
  return false;
}

/** reset-after: the request was processed and is durable; drop the connection instead of answering (returns true). */
export function faultAfter(fault: FaultDecision, req: http.IncomingMessage, body?: unknown): boolean {
  if (fault.action !== 'reset-after') return false;
  if (body instanceof Readable) body.destroy();
  req.socket.destroy();
  return true;
}
