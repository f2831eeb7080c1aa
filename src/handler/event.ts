/**
 * Validation of OSS_BATCH_EVENT. The constructs write it at synth, so a bad event means a
 * hand-edited state, or a handler bundle from another version than the one that synthesized it:
 * say which fields are wrong rather than fail later with a TypeError.
 * Hand-written: about twenty field checks do not justify a schema library in the handler bundle.
 */
import { ENV_EVENT, HandlerEvent } from '../shared/contract';
import { EXIT, HandlerError } from './errors';

/** Returns what was expected when the value is wrong, undefined when it is fine. */
type Check = (value: unknown) => string | undefined;

const string: Check = (v) => (typeof v === 'string' ? undefined : 'a string');
const nonEmpty: Check = (v) => (typeof v === 'string' && v !== '' ? undefined : 'a non-empty string');
const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'true or false');
const number = (min: number): Check => (v) => (typeof v === 'number' && Number.isFinite(v) && v >= min ? undefined : `a number ≥ ${min}`);
const oneOf = (...values: string[]): Check => (v) => (values.includes(v as string) ? undefined : `one of ${values.join(', ')}`);
const stringList: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'a list of strings');
const optional = (check: Check): Check => (v) => (v === undefined || v === null ? undefined : check(v));
const isoDate: Check = (v) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? undefined : 'an ISO-8601 date');
const object = (fields: Record<string, Check>): Check => (v) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'an object';
  const problems = Object.entries(fields).flatMap(([key, check]) => {
    const wrong = check((v as Record<string, unknown>)[key]);
    return wrong === undefined ? [] : [`${key} must be ${wrong}`];
  });
  return problems.length ? `an object where ${problems.join(', ')}` : undefined;
};

const connection = object({ region: nonEmpty, endpoint: optional(string), pathStyle: optional(boolean) });

const manifest: Check = (v) => {
  const m = v as { csv?: unknown; keyPrefix?: unknown } | undefined;
  if (!m || typeof m !== 'object') return 'an object';
  if ((m.csv === undefined) === (m.keyPrefix === undefined)) return 'an object with exactly one of csv and keyPrefix';
  return m.csv !== undefined
    ? object({ csv: object({ bucket: nonEmpty, key: nonEmpty, etag: optional(string), versionId: optional(string), fields: string, format: nonEmpty }) })(m)
    : object({ keyPrefix: object({ sourceBucket: nonEmpty, prefix: string }) })(m);
};

const batchJob = object({
  name: string,
  token: nonEmpty,
  manifestIdentity: optional(string),
  spec: object({
    connection,
    roleArn: nonEmpty,
    priority: number(0),
    description: string,
    confirmationRequired: boolean,
    operation: object({ type: oneOf('PutObjectTagging', 'AddObjectTagging', 'DeleteObjectTagging', 'PutObjectAcl', 'RestoreObject') }),
    manifest,
    report: object({ enabled: boolean, bucket: string, prefix: string, scope: string }),
    rerunToken: optional(string),
  }),
  settings: object({
    autoConfirm: boolean, waitForCompletion: boolean, timeoutSeconds: number(1), maxFailedTasks: number(0), deletionBehavior: oneOf('retain', 'cancel'),
  }),
});

const manifestFromPrefix = object({
  name: string,
  token: nonEmpty,
  connection,
  sourceBucket: nonEmpty,
  prefix: string,
  manifestBucket: nonEmpty,
  manifestKey: nonEmpty,
  filter: object({
    suffixes: stringList, storageClasses: stringList, minSizeBytes: optional(number(0)), maxSizeBytes: optional(number(0)), modifiedAfter: optional(isoDate),
  }),
  includeVersionIds: boolean,
});

/** Parse and check OSS_BATCH_EVENT; every problem is a usage error (exit 2). */
export function parseEvent(raw: string): HandlerEvent {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new HandlerError(EXIT.USAGE, `${ENV_EVENT} is not valid JSON (${(err as Error).message}).`);
  }
  const kind = (value as { kind?: unknown } | null)?.kind;
  const check = kind === 'batch-job' ? batchJob : kind === 'manifest-from-prefix' ? manifestFromPrefix : undefined;
  if (!check) {
    throw new HandlerError(EXIT.USAGE, `${ENV_EVENT} has an unknown kind ${JSON.stringify(kind ?? null)} (expected "batch-job" or "manifest-from-prefix").`);
  }
  const wrong = check(value);
  if (wrong !== undefined) {
    throw new HandlerError(EXIT.USAGE,
      `${ENV_EVENT} is not a valid ${kind} event: it must be ${wrong}. The event is written by the construct at synth; ` +
      're-run `cdktf synth` with the cdktf-oss-batch version whose handler runs here.');
  }
  return value as HandlerEvent;
}
