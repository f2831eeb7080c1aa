/**
 * The envelope of OSS_BATCH_EVENT that both handlers check before their own rules: JSON, an
 * object, a kind this handler runs, the event format it reads, a construct name. What is inside
 * (identity, connection, settings) is each backend's (./event.ts, ./s3/event.ts).
 */
import { ENV_EVENT, EVENT_FORMAT } from '../shared/contract';
import { Checks, NOTHING_DEFERRED } from '../shared/validation';
import { ValidationError } from '../shared/validation-errors';
import { EventFormatError, EXIT, HandlerError } from './errors';

export type Raw = Record<string, unknown>;

export const RESYNTH = 're-run `cdktf synth` (or your app) with the cdktf-oss-batch version whose handler runs here';

export interface Envelope<K extends string> {
  kind: K;
  name: string;
  /** Synth's checks, naming the construct. */
  checks: Checks;
  /** One group of the event (`identity`, `connection`, `settings`); a missing one is a ValidationError naming it. */
  group(key: string): Raw;
}

/**
 * Parse OSS_BATCH_EVENT's envelope; every problem is a usage error (exit 2), an event of another
 * `format` an EventFormatError. `handler` names this handler in the unknown-kind message, where an
 * event of the other backend is a wiring mistake rather than a format change.
 */
export function parseEnvelope<K extends string>(raw: string, kinds: readonly K[], handler?: string): Envelope<K> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new HandlerError(EXIT.USAGE, `${ENV_EVENT} is not valid JSON (${(err as Error).message}).`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new HandlerError(EXIT.USAGE, `${ENV_EVENT} must be a JSON object.`);
  const event = value as Raw;
  const kind = event.kind;
  if (!kinds.includes(kind as K)) {
    throw new HandlerError(EXIT.USAGE, `${ENV_EVENT} has an unknown kind ${JSON.stringify(kind ?? null)}${handler ? ` for the ${handler} handler` : ''} ` +
      `(expected ${kinds.map((k) => `"${k}"`).join(' or ')}).`);
  }
  if (event.format !== EVENT_FORMAT) {
    throw new EventFormatError(EXIT.USAGE,
      `${ENV_EVENT} has event format ${JSON.stringify(event.format ?? null)}, this handler reads format ${EVENT_FORMAT}: ${RESYNTH}.`);
  }
  if (typeof event.name !== 'string' || event.name === '') throw new HandlerError(EXIT.USAGE, `${ENV_EVENT} has no construct name: ${RESYNTH}.`);
  const checks = new Checks(event.name, NOTHING_DEFERRED);
  return {
    kind: kind as K, name: event.name, checks,
    group: (key) => {
      const v = event[key];
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw checks.error(`the event's ${key}`, `is missing: ${RESYNTH}`);
      return v as Raw;
    },
  };
}

/**
 * Run the backend's checks of the event's groups; a ValidationError (synth's message, naming the
 * construct and the prop) becomes exit 2, saying that nothing reached `service`.
 */
export function checkedAtApply<T>(service: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof ValidationError) {
      throw new HandlerError(EXIT.USAGE, `${err.message} (checked at apply time, after Terraform resolved the references; nothing was sent to ${service})`);
    }
    throw err;
  }
}
