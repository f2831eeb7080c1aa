/**
 * Validation of an S3 event before any call to AWS: the whole event goes through the rules synth
 * uses (src/shared/s3-identity.ts, settings.ts), so a bad value Terraform resolved from a reference
 * fails the apply with synth's message, naming the construct and the prop (exit 2). An event of
 * another `format` is an EventFormatError, as for the OSS handler.
 */
import { ENV_EVENT, EVENT_FORMAT, S3BatchJobEvent, S3HandlerEvent, S3ManifestFromPrefixEvent } from '../../shared/contract';
import { checkS3JobIdentity, checkS3PrefixManifestIdentity } from '../../shared/s3-identity';
import { checkConnection, checkJobSettings } from '../../shared/settings';
import { Checks, NOTHING_DEFERRED } from '../../shared/validation';
import { ValidationError } from '../../shared/validation-errors';
import { EventFormatError, EXIT, HandlerError } from '../errors';

type Raw = Record<string, unknown>;

const RESYNTH = 're-run `cdktf synth` (or your app) with the cdktf-oss-batch version whose handler runs here';
const KINDS = ['s3-batch-job', 's3-manifest-from-prefix'];

/** Parse, check and normalize OSS_BATCH_EVENT for the S3 handler; every problem is a usage error (exit 2). */
export function parseS3Event(raw: string): S3HandlerEvent {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new HandlerError(EXIT.USAGE, `${ENV_EVENT} is not valid JSON (${(err as Error).message}).`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new HandlerError(EXIT.USAGE, `${ENV_EVENT} must be a JSON object.`);
  const event = value as Raw;
  const kind = event.kind;
  if (kind !== 's3-batch-job' && kind !== 's3-manifest-from-prefix') {
    // An OSS event given to this handler (or the other way round) is a wiring mistake, not a format change.
    throw new HandlerError(EXIT.USAGE, `${ENV_EVENT} has an unknown kind ${JSON.stringify(kind ?? null)} for the S3 handler (expected ${KINDS.map((k) => `"${k}"`).join(' or ')}).`);
  }
  if (event.format !== EVENT_FORMAT) {
    throw new EventFormatError(EXIT.USAGE,
      `${ENV_EVENT} has event format ${JSON.stringify(event.format ?? null)}, this handler reads format ${EVENT_FORMAT}: ${RESYNTH}.`);
  }
  if (typeof event.name !== 'string' || event.name === '') throw new HandlerError(EXIT.USAGE, `${ENV_EVENT} has no construct name: ${RESYNTH}.`);
  const name = event.name;
  const c = new Checks(name, NOTHING_DEFERRED);
  const group = (key: string): Raw => {
    const v = event[key];
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw c.error(`the event's ${key}`, `is missing: ${RESYNTH}`);
    return v as Raw;
  };
  try {
    const connection = checkConnection(c, group('connection'));
    if (kind === 's3-batch-job') {
      const job: S3BatchJobEvent = {
        kind, format: EVENT_FORMAT, name, connection, identity: checkS3JobIdentity(c, group('identity')), settings: checkJobSettings(c, group('settings')),
      };
      return job;
    }
    const manifest: S3ManifestFromPrefixEvent = { kind, format: EVENT_FORMAT, name, connection, identity: checkS3PrefixManifestIdentity(c, group('identity')) };
    return manifest;
  } catch (err) {
    if (err instanceof ValidationError) {
      throw new HandlerError(EXIT.USAGE, `${err.message} (checked at apply time, after Terraform resolved the references; nothing was sent to AWS)`);
    }
    throw err;
  }
}
