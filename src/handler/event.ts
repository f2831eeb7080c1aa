/**
 * Validation of OSS_BATCH_EVENT before any call to OSS. Synth checked the literal values; the
 * values Terraform resolved from references (variables, other resources' attributes) are seen here
 * for the first time. The whole event goes through the same shared rules as synth
 * (src/shared/identity.ts, src/shared/settings.ts), so a bad referenced value fails the apply with
 * the message synth would give for that literal, naming the construct and the prop (exit 2).
 * The returned event is normalized (defaults, sorted tags, bare ETags), ready to hash.
 */
import { BatchJobEvent, ENV_EVENT, EVENT_FORMAT, HandlerEvent, ManifestFromPrefixEvent } from '../shared/contract';
import { checkJobIdentity, checkPrefixManifestIdentity } from '../shared/identity';
import { checkConnection, checkJobSettings } from '../shared/settings';
import { Checks, NOTHING_DEFERRED } from '../shared/validation';
import { ValidationError } from '../shared/validation-errors';
import { EventFormatError, EXIT, HandlerError } from './errors';

type Raw = Record<string, unknown>;

const RESYNTH = 're-run `cdktf synth` (or your app) with the cdktf-oss-batch version whose handler runs here';

/** Parse, check and normalize OSS_BATCH_EVENT; every problem is a usage error (exit 2). */
export function parseEvent(raw: string): HandlerEvent {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new HandlerError(EXIT.USAGE, `${ENV_EVENT} is not valid JSON (${(err as Error).message}).`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new HandlerError(EXIT.USAGE, `${ENV_EVENT} must be a JSON object.`);
  const event = value as Raw;
  const kind = event.kind;
  if (kind !== 'batch-job' && kind !== 'manifest-from-prefix') {
    throw new HandlerError(EXIT.USAGE, `${ENV_EVENT} has an unknown kind ${JSON.stringify(kind ?? null)} (expected "batch-job" or "manifest-from-prefix").`);
  }
  if (event.format !== EVENT_FORMAT) {
    throw new EventFormatError(EXIT.USAGE,
      `${ENV_EVENT} has event format ${JSON.stringify(event.format ?? null)}, this handler reads format ${EVENT_FORMAT}: ${RESYNTH}.`);
  }
  if (typeof event.name !== 'string' || event.name === '') throw new HandlerError(EXIT.USAGE, `${ENV_EVENT} has no construct name: ${RESYNTH}.`);
  const c = new Checks(event.name, NOTHING_DEFERRED);
  try {
    const connection = checkConnection(c, group(c, event, 'connection'));
    if (kind === 'batch-job') {
      const job: BatchJobEvent = {
        kind, format: EVENT_FORMAT, name: event.name, connection,
        identity: checkJobIdentity(c, group(c, event, 'identity')),
        settings: checkJobSettings(c, group(c, event, 'settings')),
      };
      return job;
    }
    const manifest: ManifestFromPrefixEvent = {
      kind, format: EVENT_FORMAT, name: event.name, connection, identity: checkPrefixManifestIdentity(c, group(c, event, 'identity')),
    };
    return manifest;
  } catch (err) {
    if (err instanceof ValidationError) {
      throw new HandlerError(EXIT.USAGE, `${err.message} (checked at apply time, after Terraform resolved the references; nothing was sent to OSS)`);
    }
    throw err;
  }
}

function group(c: Checks, event: Raw, key: string): Raw {
  const value = event[key];
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw c.error(`the event's ${key}`, `is missing: ${RESYNTH}`);
  return value as Raw;
}
