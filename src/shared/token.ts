/**
 * ClientRequestToken derivation (design §3). Pure and deterministic: the token
 * depends only on the normalized spec, never on time, machine, path or process.
 * Imported by the constructs (synth) and the handler bundle (apply).
 */
import { createHash } from 'node:crypto';
import stableStringify from 'json-stable-stringify';

/** OSS accepts 1–64 characters. We use a versioned prefix plus hex so tokens are recognisable. */
export const TOKEN_PREFIX = 'cdktf1-';
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

/** Token for a normalized spec: `cdktf1-` + the first 57 hex chars of SHA-256 (228 bits). */
export function tokenForSpec(spec: unknown): string {
  return (TOKEN_PREFIX + hexDigest(canonicalJson(spec))).slice(0, TOKEN_MAX_LENGTH);
}

/** Token actually sent when the manifest's content is only known at apply time. */
export function deriveEffectiveToken(token: string, manifestIdentity?: string): string {
  if (!manifestIdentity) return token;
  return tokenForSpec({ token, manifestIdentity });
}
