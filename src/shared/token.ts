/**
 * ClientRequestToken derivation. Pure and deterministic: the token depends only on the normalized
 * identity (shared/identity.ts), never on time, machine, path, process, endpoint or credentials.
 * The handler computes it at apply from the resolved values; synth computes the same function
 * when every value is a literal.
 *
 * Stability is a contract (docs/identity.md): a changed token means a duplicate job for every
 * stack already deployed. test/shared/token-pins.test.ts pins known tokens; a change to the
 * derivation must bump TOKEN_FORMAT (and so the prefix) and be recorded in CHANGELOG.md.
 */
import { createHash } from 'node:crypto';
import stableStringify from 'json-stable-stringify';
import type { JobIdentity } from './identity';
import type { S3JobIdentity } from './s3-identity';

/** Version of the derivation; part of both the prefix and the hashed text. */
export const TOKEN_FORMAT = 2;
/** OSS accepts 1–64 characters. A versioned prefix plus hex, so tokens are recognisable. */
export const TOKEN_PREFIX = `ossb${TOKEN_FORMAT}-`;
export const TOKEN_MAX_LENGTH = 64;

/**
 * Canonical JSON: sorted keys, undefined dropped. Callers normalize first
 * (defaults filled in, numbers as numbers) so equal specs serialize equally.
 */
export function canonicalJson(value: unknown): string {
  const text = stableStringify(value);
  if (text === undefined) throw new Error('canonicalJson: value is not serializable');
  return text;
}

function hexDigest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `ossb2-` + the first 58 hex digits of SHA-256 (232 bits) of the canonical identity. */
export function jobToken(identity: JobIdentity): string {
  return (TOKEN_PREFIX + hexDigest(canonicalJson({ tokenFormat: TOKEN_FORMAT, job: identity }))).slice(0, TOKEN_MAX_LENGTH);
}

/** Version of the S3 backend's derivation; its own prefix so S3 and OSS tokens never look alike. */
export const S3_TOKEN_FORMAT = 1;
export const S3_TOKEN_PREFIX = `s3b${S3_TOKEN_FORMAT}-`;

/**
 * `s3b1-` + the first 59 hex digits of SHA-256 of the canonical S3 identity. S3 Control accepts
 * ClientRequestTokens of 1-64 characters, like OSS.
 */
export function s3JobToken(identity: S3JobIdentity): string {
  return (S3_TOKEN_PREFIX + hexDigest(canonicalJson({ tokenFormat: S3_TOKEN_FORMAT, backend: 's3', job: identity }))).slice(0, TOKEN_MAX_LENGTH);
}
