/**
 * Checks and normalization of identity values, run twice with the same rules and messages: at
 * synth on the literal props (a value Terraform only knows at apply is *deferred* and passes
 * through untouched), and in the handler on the whole resolved event (nothing is deferred). So a
 * referenced value that is wrong fails the apply with the message synth gives for that literal,
 * before any call to OSS.
 *
 * Every method returns the normalized value (or the deferred value as it is). Apply-time values
 * come from Terraform's `jsonencode`, so a number variable declared as a string arrives as "10":
 * integers and booleans accept their string spellings, as Terraform's own type conversion does.
 */
import { normalizeRegion } from '../oss/model';
import {
  badObjectKey, integerOutOfRange, invalidProp, lengthOutOfRange, notABoolean, notABucketName, notAnEndpoint, notAnIsoDate,
  notARegion, notARoleArn, notOneOf, notPrintable, ValidationError,
} from './validation-errors';

/** True when the value is only known at apply time (a Terraform reference at synth). */
export type IsDeferred = (value: unknown) => boolean;
/** At apply every value is resolved. */
export const NOTHING_DEFERRED: IsDeferred = () => false;

const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const ROLE_ARN = /^acs:ram::\d+:role\/[A-Za-z0-9.@_+=,-]{1,64}$/;
const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const INTEGER_TEXT = /^-?\d+$/;
// A date (midnight UTC), or a date-time WITH its zone: without one, JavaScript reads local time, and
// the identity would depend on the machine's time zone.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export { normalizeRegion };

export class Checks {
  /** @param service named in messages whose rule is the service's (object keys, printable tokens). */
  constructor(public readonly path: string, public readonly isDeferred: IsDeferred, public readonly service: 'OSS' | 'S3' = 'OSS') {}

  /** The same checks, with `service` named in messages (the S3 backend's rules run on these). */
  forService(service: 'OSS' | 'S3'): Checks {
    return service === this.service ? this : new Checks(this.path, this.isDeferred, service);
  }

  error(prop: string, problem: string): ValidationError {
    return invalidProp(this.path, prop, problem);
  }

  string(prop: string, value: unknown): string {
    if (this.isDeferred(value)) return value as string;
    if (typeof value !== 'string') throw this.error(prop, `is required and must be a string (got ${describe(value)})`);
    return value;
  }

  optionalString(prop: string, value: unknown): string | undefined {
    return value === undefined || value === null ? undefined : this.string(prop, value);
  }

  /** A string of `min`-`max` characters. */
  text(prop: string, value: unknown, min: number, max: number): string {
    const text = this.string(prop, value);
    if (this.isDeferred(text)) return text;
    if (text.length < min || text.length > max) throw lengthOutOfRange(this.path, prop, text.length, min, max);
    return text;
  }

  printable(prop: string, value: string): string {
    if (!this.isDeferred(value) && !PRINTABLE_ASCII.test(value)) throw notPrintable(this.path, prop, this.service);
    return value;
  }

  bucket(prop: string, value: unknown): string {
    const text = this.string(prop, value);
    if (!this.isDeferred(text) && !BUCKET.test(text)) throw notABucketName(this.path, prop, text);
    return text;
  }

  region(value: unknown): string {
    const text = this.string('region', value);
    if (this.isDeferred(text)) return text;
    const region = normalizeRegion(text);
    if (!REGION.test(region)) throw notARegion(this.path, text);
    return region;
  }

  roleArn(value: unknown): string {
    const text = this.string('roleArn', value);
    if (!this.isDeferred(text) && !ROLE_ARN.test(text)) throw notARoleArn(this.path, text);
    return text;
  }

  /**
   * An http(s) URL in one spelling (lower-case host, no trailing slash). An empty string counts as
   * not given: `endpoint: process.env.OSS_ENDPOINT` with the variable set to '' means the default.
   */
  endpoint(value: unknown): string | undefined {
    const text = this.optionalString('endpoint', value);
    if (text === '') return undefined;
    if (text === undefined || this.isDeferred(text)) return text;
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw notAnEndpoint(this.path, text);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw notAnEndpoint(this.path, text);
    // User info would put a secret into Terraform state; a query or fragment means nothing to OSS.
    if (url.username || url.password || url.search || url.hash) throw notAnEndpoint(this.path, text);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  }

  integer(prop: string, value: unknown, min: number, max: number, note?: string): number {
    if (this.isDeferred(value)) return value as number;
    const number = typeof value === 'string' && INTEGER_TEXT.test(value) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
      throw integerOutOfRange(this.path, prop, value as number, min, max, note);
    }
    return number;
  }

  optionalInteger(prop: string, value: unknown, min: number, max: number): number | undefined {
    return value === undefined || value === null ? undefined : this.integer(prop, value, min, max);
  }

  boolean(prop: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined || value === null) return fallback;
    if (this.isDeferred(value)) return value as boolean;
    if (value === 'true' || value === 'false') return value === 'true';
    if (typeof value !== 'boolean') throw notABoolean(this.path, prop, value);
    return value;
  }

  oneOf<T extends string>(prop: string, value: unknown, allowed: readonly T[]): T {
    if (this.isDeferred(value)) return value as T;
    if (!allowed.includes(value as T)) throw notOneOf(this.path, prop, value, allowed);
    return value as T;
  }

  /** 1-1023 bytes of UTF-8 (0 allowed for prefixes), not starting with a slash. */
  objectKey(prop: string, value: unknown, allowEmpty = false): string {
    const key = this.string(prop, value);
    if (this.isDeferred(key)) return key;
    const bytes = Buffer.byteLength(key, 'utf8');
    if (!allowEmpty && bytes < 1) throw badObjectKey(this.path, prop, 'must not be empty', this.service);
    if (bytes > 1023) throw badObjectKey(this.path, prop, `is ${bytes} bytes long`, this.service);
    if (key.startsWith('/') || key.startsWith('\\')) throw badObjectKey(this.path, prop, `starts with "${key[0]}" (got "${key}")`, this.service);
    return key;
  }

  /** A list of strings, sorted and without duplicates (their order means nothing). */
  stringSet(prop: string, value: unknown): string[] {
    if (value === undefined || value === null) return [];
    if (this.isDeferred(value)) return value as string[];
    if (!Array.isArray(value)) throw this.error(prop, `must be a list of strings (got ${describe(value)})`);
    for (const item of value) {
      if (this.isDeferred(item)) return value as string[];
      if (typeof item !== 'string') throw this.error(prop, `must be a list of strings (got an item of type ${describe(item)})`);
    }
    return [...new Set(value as string[])].sort();
  }

  /** An instant, normalized to `toISOString()` form. */
  isoInstant(prop: string, value: unknown): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (this.isDeferred(value)) return value as string;
    const ms = typeof value === 'string' && ISO_8601.test(value) && isCalendarDate(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(ms)) throw notAnIsoDate(this.path, prop, String(value));
    return new Date(ms).toISOString();
  }

  /** An object (a props group such as `report`). */
  group(prop: string, value: unknown, problem: string): Record<string, unknown> {
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw this.error(prop, problem);
    return value as Record<string, unknown>;
  }
}

/** `Date.parse` rolls 2025-02-30 over to March 2nd: the written day must exist. */
function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value;
}
