/**
 * User-facing validation errors, one named factory each (cdktf style): what is wrong, why, and how
 * to fix it. Every message starts with the construct path and names the property, so a stack with
 * many jobs points at the one to fix. Synth (literal values) and the handler (values Terraform
 * resolved at apply) throw the same messages: this file has no cdktf or Node I/O imports.
 */
export class ValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationError';
  }
}

const fail = (path: string, prop: string, problem: string) => new ValidationError(`${path}: ${prop} ${problem}`);

/** Generic form for checks that have no better-named factory below. */
export function invalidProp(path: string, prop: string, problem: string): ValidationError {
  return fail(path, prop, problem);
}

export function integerOutOfRange(path: string, prop: string, value: number, min: number, max: number, note = ''): ValidationError {
  return fail(path, prop, `must be an integer from ${min} to ${max} (got ${value})${note ? `; ${note}` : ''}`);
}

export function lengthOutOfRange(path: string, prop: string, length: number, min: number, max: number): ValidationError {
  return fail(path, prop, `must be ${min}-${max} characters long (got ${length})`);
}

export function notPrintable(path: string, prop: string, service = 'OSS'): ValidationError {
  return fail(path, prop, `must contain only printable ASCII characters (space to ~), because ${service} rejects other characters in it`);
}

export function notOneOf(path: string, prop: string, value: unknown, allowed: readonly string[]): ValidationError {
  return fail(path, prop, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
}

export function notABucketName(path: string, prop: string, value: string): ValidationError {
  return fail(path, prop, `must be a bucket name: 3-63 lowercase letters, digits or hyphens, not starting or ending with a hyphen (got "${value}")`);
}

export function notARegion(path: string, value: string): ValidationError {
  return fail(path, 'region', `must be a region id such as cn-hangzhou or ap-southeast-1 (got "${value}")`);
}

export function notAnEndpoint(path: string, value: string): ValidationError {
  return fail(path, 'endpoint', `must be an http or https URL such as https://oss-cn-hangzhou.aliyuncs.com or http://127.0.0.1:9000 (got "${value}")`);
}

export function notARoleArn(path: string, value: string): ValidationError {
  return fail(path, 'roleArn', `must look like acs:ram::<account id>:role/<role name> (got "${value}")`);
}

export function badObjectKey(path: string, prop: string, problem: string, service = 'OSS'): ValidationError {
  return fail(path, prop, `${problem}: ${service} object keys are 1-1023 bytes of UTF-8 and must not start with "/" or "\\"`);
}

/** `service` names whose limit it is (OSS or S3: the same numbers). */
export function badTagCount(path: string, operation: string, count: number, min: number, max: number, service = 'OSS'): ValidationError {
  return fail(path, 'operation', `${operation} needs ${min}-${max} tags (got ${count}); ${service} allows at most ${max} tags per object`);
}

export function badTag(path: string, problem: string, service = 'OSS'): ValidationError {
  return fail(path, 'operation', `${problem} (${service} tag keys are 1-128 characters, values 0-256)`);
}

export function notBuiltWithFactory(path: string, prop: string, factories: string): ValidationError {
  return fail(path, prop, `must be built with ${factories}`);
}

export function notABoolean(path: string, prop: string, value: unknown): ValidationError {
  return fail(path, prop, `must be true or false (got ${JSON.stringify(value)})`);
}

export function notAnIsoDate(path: string, prop: string, value: string): ValidationError {
  return fail(path, prop, `must be an ISO-8601 date such as 2025-01-01, or a date-time with its zone such as 2025-01-01T00:00:00Z or 2025-01-01T08:00:00+08:00 (got "${value}")`);
}

export function minAboveMax(path: string, minProp: string, maxProp: string, min: number, max: number): ValidationError {
  return fail(path, minProp, `must not exceed ${maxProp} (${min} > ${max}): no object could match the filter`);
}
