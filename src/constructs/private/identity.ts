/**
 * Job identity when some inputs are references to other resources (a bucket created in the same
 * stack, a RAM role's ARN). The ClientRequestToken must be known at synth, so it hashes the
 * reference's Terraform expression (`${alicloud_oss_bucket.ops.bucket}`), which is stable across
 * synths; the values themselves are folded in at apply time (`applyTimeIdentity`, which the handler
 * passes to `deriveEffectiveToken`), and they go into `triggers_replace` so a changed value makes
 * a new job rather than reusing the token with a different body.
 */
import { IConstruct } from 'constructs';
import { DefaultTokenResolver, Fn, StringConcat, Token, Tokenization } from 'cdktf';

export interface SynthIdentity {
  /** The input with every token replaced by its Terraform expression: literals only. */
  readonly value: unknown;
  /** The tokens found, in document order, without duplicates. */
  readonly references: string[];
}

const TOKEN_MARKER = '${TfToken[';

/** Replaces tokens by their (stable) Terraform expression and lists them. */
export function synthIdentity(scope: IConstruct, input: unknown): SynthIdentity {
  const references: string[] = [];
  // Fast path: most specs hold literals only, and this runs once per construct.
  if (!JSON.stringify(input).includes(TOKEN_MARKER)) return { value: input, references };
  const resolver = new DefaultTokenResolver(new StringConcat());
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string' && Token.isUnresolved(value)) {
      if (!references.includes(value)) references.push(value);
      return { reference: Tokenization.resolve(value, { scope, resolver }) };
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
    }
    return value;
  };
  return { value: walk(input), references };
}

/**
 * The apply-time part of the identity as one hex string, or undefined when there is none.
 * A single hex reference (a manifest's content hash) is used as it is; several values are hashed
 * by Terraform (`sha256(jsonencode([...]))`), which also keeps the event JSON valid whatever the
 * values contain.
 * @param hexReference a reference known to resolve to hex (e.g. ManifestFromPrefix.contentSha256)
 */
export function applyTimeIdentity(hexReference: string | undefined, references: readonly string[]): string | undefined {
  if (references.length === 0) return hexReference;
  const parts = hexReference === undefined ? [...references] : [hexReference, ...references];
  return Token.asString(Fn.sha256(Fn.jsonencode(parts)));
}
