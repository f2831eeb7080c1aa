/**
 * Prop checks shared by the constructs. Each throws a ValidationError (errors.ts) naming the prop.
 * Values that are part of a job's identity must be literals, except where `acceptReference` says
 * a reference to another resource is fine (identity.ts explains how those are hashed).
 */
import { Token, Tokenization } from 'cdktf';
import {
  badObjectKey, integerOutOfRange, invalidProp, lengthOutOfRange, mustBeKnownAtSynth, notABucketName, notAnEndpoint, notARegion,
  notARoleArn, notOneOf, notPrintable, settingMustBeLiteral,
} from './errors';

export const MAX_PRIORITY = 2147483647;
export const STORAGE_CLASS_NAMES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];
const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const ROLE_ARN = /^acs:ram::\d+:role\/[A-Za-z0-9.@_+=,-]{1,64}$/;
const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** A string/number token, or an IResolvable object (how a boolean reference such as `booleanValue` arrives). */
export function isToken(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number') return Token.isUnresolved(value);
  return Tokenization.isResolvable(value);
}

/** A value that is part of the job identity must be a literal. */
export function requireLiteral(path: string, prop: string, value: unknown): void {
  if (value !== undefined && isToken(value)) throw mustBeKnownAtSynth(path, prop);
}

/** A setting checked at synth (range, enum) must be a literal; it is not part of the identity. */
export function requireLiteralSetting(path: string, prop: string, value: unknown): void {
  if (value !== undefined && isToken(value)) throw settingMustBeLiteral(path, prop);
}

export function requireString(path: string, prop: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') throw invalidProp(path, prop, `is required and must be a string (got ${value === undefined ? 'nothing' : typeof value})`);
}

/** @param acceptReference a token (e.g. another resource's bucket name) is accepted unchecked */
export function checkBucket(path: string, prop: string, value: string, acceptReference = false): void {
  requireString(path, prop, value);
  if (isToken(value)) {
    if (acceptReference) return;
    throw mustBeKnownAtSynth(path, prop);
  }
  if (!BUCKET.test(value)) throw notABucketName(path, prop, value);
}

/** `oss-cn-hangzhou` and `cn-hangzhou` name the same region. */
export function normalizeRegion(value: string): string {
  return value.replace(/^oss-/, '');
}

export function checkRegion(path: string, value: string): void {
  requireString(path, 'region', value);
  requireLiteral(path, 'region', value);
  if (!REGION.test(normalizeRegion(value))) throw notARegion(path, value);
}

export function checkEndpoint(path: string, value: string | undefined): void {
  if (value === undefined) return;
  requireString(path, 'endpoint', value);
  requireLiteral(path, 'endpoint', value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw notAnEndpoint(path, value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw notAnEndpoint(path, value);
}

/**
 * One spelling per endpoint (lower-case host, no trailing slash), so `http://127.0.0.1:9000/` and
 * `http://127.0.0.1:9000` are the same job; an endpoint equal to the region's default is dropped.
 */
export function normalizeEndpoint(value: string | undefined, region: string): string | undefined {
  if (value === undefined) return undefined;
  const url = new URL(value);
  const text = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  return text === `https://oss-${region}.aliyuncs.com` ? undefined : text;
}

export function checkRoleArn(path: string, value: string): void {
  requireString(path, 'roleArn', value);
  if (isToken(value)) return; // e.g. the ARN of a RAM role created in the same stack
  if (!ROLE_ARN.test(value)) throw notARoleArn(path, value);
}

/** @param setting the value is a setting (not identity): a token gets the setting message */
export function checkInteger(path: string, prop: string, value: number, min: number, max: number, options: { note?: string; setting?: boolean } = {}): void {
  (options.setting ? requireLiteralSetting : requireLiteral)(path, prop, value);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw integerOutOfRange(path, prop, value, min, max, options.note);
}

export function checkLength(path: string, prop: string, value: string | undefined, min: number, max: number): void {
  if (value === undefined) return;
  requireString(path, prop, value);
  requireLiteral(path, prop, value);
  if (value.length < min || value.length > max) throw lengthOutOfRange(path, prop, value.length, min, max);
}

export function checkPrintable(path: string, prop: string, value: string | undefined): void {
  if (value !== undefined && !PRINTABLE_ASCII.test(value)) throw notPrintable(path, prop);
}

export function checkOneOf(path: string, prop: string, value: string, allowed: readonly string[], setting = false): void {
  (setting ? requireLiteralSetting : requireLiteral)(path, prop, value);
  if (!allowed.includes(value)) throw notOneOf(path, prop, value, allowed);
}

export function checkObjectKey(path: string, prop: string, value: string | undefined, allowEmpty = false): void {
  if (value === undefined) return;
  requireString(path, prop, value);
  requireLiteral(path, prop, value);
  const bytes = Buffer.byteLength(value, 'utf8');
  if (!allowEmpty && bytes < 1) throw badObjectKey(path, prop, 'must not be empty');
  if (bytes > 1023) throw badObjectKey(path, prop, `is ${bytes} bytes long`);
  if (value.startsWith('/') || value.startsWith('\\')) throw badObjectKey(path, prop, `starts with "${value[0]}" (got "${value}")`);
}
