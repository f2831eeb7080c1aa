/** Prop checks shared by the constructs. Each throws a ValidationError naming the prop. */
import { Token } from 'cdktf';
import { invalidProp, mustBeKnownAtSynth } from './errors';

export const MAX_PRIORITY = 2147483647;
export const STORAGE_CLASS_NAMES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];
const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const ROLE_ARN = /^acs:ram::\d+:role\/[A-Za-z0-9.@_+=,-]{1,64}$/;
const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;

/** Any unresolved value: string and number tokens, and IResolvable objects such as `TerraformVariable.booleanValue`. */
export function isToken(value: unknown): boolean {
  return Token.isUnresolved(value);
}

/** A value that is part of the job identity must be a literal. */
export function requireLiteral(path: string, prop: string, value: unknown): void {
  if (value !== undefined && isToken(value)) throw mustBeKnownAtSynth(path, prop);
}

export function checkBucket(path: string, prop: string, value: string): void {
  requireLiteral(path, prop, value);
  if (!BUCKET.test(value)) throw invalidProp(path, prop, `must be a bucket name: 3-63 lowercase letters, digits or hyphens, not starting or ending with a hyphen (got "${value}")`);
}

export function checkRegion(path: string, value: string): void {
  requireLiteral(path, 'region', value);
  if (!REGION.test(value.replace(/^oss-/, ''))) throw invalidProp(path, 'region', `must be a region id such as cn-hangzhou or ap-southeast-1 (got "${value}")`);
}

export function checkEndpoint(path: string, value: string | undefined): void {
  if (value === undefined) return;
  requireLiteral(path, 'endpoint', value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidProp(path, 'endpoint', `must be a URL such as https://oss-cn-hangzhou.aliyuncs.com or http://127.0.0.1:9000 (got "${value}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidProp(path, 'endpoint', `must use http or https (got "${value}")`);
}

export function checkRoleArn(path: string, value: string): void {
  requireLiteral(path, 'roleArn', value);
  if (!ROLE_ARN.test(value)) throw invalidProp(path, 'roleArn', `must look like acs:ram::<account id>:role/<role name> (got "${value}")`);
}

export function checkInteger(path: string, prop: string, value: number, min: number, max: number): void {
  requireLiteral(path, prop, value);
  if (!Number.isInteger(value) || value < min || value > max) throw invalidProp(path, prop, `must be an integer from ${min} to ${max} (got ${value})`);
}

export function checkLength(path: string, prop: string, value: string | undefined, min: number, max: number): void {
  if (value === undefined) return;
  requireLiteral(path, prop, value);
  if (value.length < min || value.length > max) throw invalidProp(path, prop, `must be ${min === max ? min : `${min}-${max}`} characters long (got ${value.length})`);
}

export function checkOneOf(path: string, prop: string, value: string, allowed: readonly string[]): void {
  requireLiteral(path, prop, value);
  if (!allowed.includes(value)) throw invalidProp(path, prop, `must be one of ${allowed.join(', ')} (got "${value}")`);
}

export function checkObjectKey(path: string, prop: string, value: string | undefined, allowEmpty = false): void {
  if (value === undefined) return;
  requireLiteral(path, prop, value);
  const bytes = Buffer.byteLength(value, 'utf8');
  if ((!allowEmpty && bytes < 1) || bytes > 1023) throw invalidProp(path, prop, `must be ${allowEmpty ? 0 : 1}-1023 bytes (got ${bytes})`);
  if (value.startsWith('/') || value.startsWith('\\')) throw invalidProp(path, prop, `must not start with "/" or "\\" (got "${value}")`);
}
