/**
 * What the props fuzz tests of both backends share (props-fuzz.test.ts for OSS, s3-props-fuzz.test.ts
 * for S3): run counts, the valid/invalid value generators, the Terraform references, the props whose
 * rules are the same for every construct (endpoint, pathStyle, settings, rerunToken, filter) and the
 * property itself.
 */
import fc from 'fast-check';
import { App, TerraformStack, TerraformVariable, Token } from 'cdktf';
import { DeletionBehavior } from '../../src';
import { ValidationError } from '../../src/constructs/errors';

export const RUNS = process.env.SOAK ? 10_000 : 1_000;

/** A value for one prop and whether it is valid: the oracle is the union of these flags. */
export type Field<T> = fc.Arbitrary<{ value: T; valid: boolean }>;
type Choice<T> = fc.WeightedArbitrary<{ value: T; valid: boolean }>;
// Valid values are drawn 5 times as often as invalid ones, so that with a dozen props some cases are
// entirely valid (they must synthesize) and most have one or two invalid props (the error must name one).
export const ok = <T>(arb: fc.Arbitrary<T>): Choice<T> => ({ arbitrary: arb.map((value) => ({ value, valid: true })), weight: 5 });
export const bad = <T>(...values: T[]): Choice<T> => ({ arbitrary: fc.constantFrom(...values).map((value) => ({ value, valid: false })), weight: 1 });
/** Values whose validity an oracle decides (for generated values that may fall on either side of a rule). */
export const judged = <T>(arb: fc.Arbitrary<T>, oracle: (value: T) => boolean, weight = 5): Choice<T> => (
  { arbitrary: arb.map((value) => ({ value, valid: oracle(value) })), weight }
);

// References (known only at apply): valid at synth for identity and connection props, refused for settings.
export const stack = new TerraformStack(new App(), 'fuzz');
const variable = (id: string, type: string) => new TerraformVariable(stack, id, { type });
export const ref = {
  string: variable('s', 'string').stringValue,
  number: variable('n', 'number').numberValue,
  bool: Token.asAny(variable('b', 'bool').booleanValue) as unknown as boolean,
  inText: `photos-${variable('suffix', 'string').stringValue}`,
};
const refs: unknown[] = Object.values(ref);
/** A Terraform reference of the ones above (synth defers its check to apply). */
export const isRef = (value: unknown): boolean => refs.includes(value);

export const endpoint = fc.oneof(ok(fc.constantFrom(undefined, 'http://127.0.0.1:9000', 'https://oss-cn-hangzhou.aliyuncs.com', ref.string)), bad('not a url', 'ftp://host/x'));
export const pathStyle = fc.oneof(ok(fc.constantFrom(undefined, true, false, ref.bool)), bad('yes' as unknown as boolean));
export const rerunToken = fc.oneof(
  ok(fc.option(fc.stringMatching(/^[\x20-\x7e]{1,64}$/), { nil: undefined })), ok(fc.constant(ref.string)),
  bad('', 'r'.repeat(65), 'café', 'tab\there'),
);

/** The settings of every job construct: checked at synth, so a reference is refused. */
export const settings = {
  autoConfirm: fc.oneof(ok(fc.constantFrom(undefined, true, false)), bad(ref.bool)),
  waitForCompletion: fc.oneof(ok(fc.constantFrom(undefined, true, false)), bad(ref.bool)),
  timeoutSeconds: fc.oneof(ok(fc.option(fc.integer({ min: 1, max: 604800 }), { nil: undefined })), bad(0, 604801, 1.5, ref.number)),
  maxFailedTasks: fc.oneof(ok(fc.option(fc.nat(), { nil: undefined })), bad(-1, 0.5, ref.number)),
  deletionBehavior: fc.oneof(ok(fc.constantFrom(undefined, DeletionBehavior.RETAIN, DeletionBehavior.CANCEL)), bad('destroy' as DeletionBehavior, ref.string as DeletionBehavior)),
};

/** A prefix manifest's filter, with the backend's storage class names (valid sets) and one it does not have. */
export function filter(storageClassSets: string[][], foreignStorageClass: string) {
  return fc.oneof(
    ok(fc.record({
      suffixes: fc.constantFrom(undefined, [], ['.jpg'], ['.png', '.jpg', '.jpg'], [ref.string]),
      minSizeBytes: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
      maxSizeBytes: fc.option(fc.integer({ min: 1000, max: 10_000 }), { nil: undefined }),
      modifiedAfter: fc.constantFrom(undefined, '2025-01-01', '2025-01-01T08:00:00+08:00', '2025-06-01T00:00:00.123Z', ref.string),
      storageClasses: fc.constantFrom(undefined, [], ...storageClassSets),
    }, { requiredKeys: [] })),
    ok(fc.constantFrom(undefined, { minSizeBytes: ref.number, maxSizeBytes: 1 })),
    bad({ suffixes: [''] }, { minSizeBytes: 10, maxSizeBytes: 5 }, { minSizeBytes: -1 }, { maxSizeBytes: 1.5 }, { modifiedAfter: 'yesterday' },
      { modifiedAfter: '2025-01-01T00:00:00' }, { storageClasses: [foreignStorageClass] }, { suffixes: '.jpg' as unknown as string[] }),
  );
}

/**
 * Builds each generated combination: valid ones must synthesize, invalid ones must throw a
 * ValidationError whose message starts with the construct path and one of the invalid props.
 * Returns how many were rejected.
 */
function fuzz<F extends Record<string, Field<unknown>>>(kind: string, make: (id: string, props: Record<string, unknown>) => void, arbitraries: F, seed: number): number {
  const names = Object.keys(arbitraries);
  let n = 0;
  let rejected = 0;
  fc.assert(fc.property(fc.record(arbitraries), (generated) => {
    const props = Object.fromEntries(names.map((name) => [name, (generated[name] as { value: unknown }).value]));
    const invalid = names.filter((name) => !(generated[name] as { valid: boolean }).valid);
    const id = `${kind}${n++}`;
    let error: unknown;
    try {
      make(id, props);
    } catch (err) {
      error = err;
    }
    if (invalid.length === 0) {
      expect(error).toBeUndefined();
      return;
    }
    rejected++;
    expect(error).toBeInstanceOf(ValidationError);
    const message = (error as Error).message;
    expect(message.startsWith(`fuzz/${id}: `)).toBe(true);
    if (!invalid.some((name) => message.startsWith(`fuzz/${id}: ${name}`))) throw new Error(`invalid ${invalid.join(', ')}, but the error names another prop: ${message}`);
  }), { numRuns: RUNS, seed });
  return rejected;
}

/**
 * The jest test of one construct: `make` builds it from each generated combination (see `fuzz`), and
 * both sides are exercised — many invalid combinations, and valid ones too.
 */
export function fuzzTest<F extends Record<string, Field<unknown>>>(
  construct: string, kind: string, make: (id: string, props: Record<string, unknown>) => void, arbitraries: F, seed: number,
): void {
  test(`${construct}: valid props synthesize (references included), invalid ones fail with an error naming an invalid prop`, () => {
    const rejected = fuzz(kind, make, arbitraries, seed);
    expect(rejected).toBeGreaterThan(RUNS / 4);
    expect(rejected).toBeLessThan(RUNS * 0.97);
  });
}
