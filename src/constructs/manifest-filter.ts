/**
 * ManifestFilter (public props) and its normalization into the event's filter: sorted, de-duplicated
 * lists and canonical instants, so equivalent filters give the same manifest identity.
 */
import type { ManifestFromPrefixEvent } from '../shared/contract';
import { invalidProp, minAboveMax, notAnIsoDate, notOneOf } from './errors';
import { requireLiteral, STORAGE_CLASS_NAMES } from './validation';

/** Which listed objects go into the manifest. All given conditions must hold. */
export interface ManifestFilter {
  /**
   * Keep keys ending with one of these suffixes.
   *
   * E.g. `['.jpg', '.png']`; the comparison is case-sensitive, as OSS keys are.
   * @default - every key
   */
  readonly suffixes?: string[];
  /**
   * Minimum object size in bytes (inclusive).
   *
   * A whole number ≥ 0, at most `maxSizeBytes`.
   * @default - no minimum
   */
  readonly minSizeBytes?: number;
  /**
   * Maximum object size in bytes (inclusive).
   *
   * A whole number ≥ 0, at least `minSizeBytes`.
   * @default - no maximum
   */
  readonly maxSizeBytes?: number;
  /**
   * Keep objects last modified after this instant.
   *
   * An ISO-8601 date (midnight UTC) or a date-time with its zone, e.g. `2025-01-01T00:00:00Z`.
   * @default - any time
   */
  readonly modifiedAfter?: string;
  /**
   * Keep objects of these storage classes.
   *
   * Any of Standard, IA, Archive, ColdArchive, DeepColdArchive.
   * @default - every storage class
   */
  readonly storageClasses?: string[];
}

export type NormalizedFilter = ManifestFromPrefixEvent['filter'];

// A date (midnight UTC), or a date-time WITH its zone: without one, JavaScript reads local time, and
// the manifest identity would depend on the machine's time zone.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export function normalizeFilter(path: string, filter: ManifestFilter): NormalizedFilter {
  const suffixes = [...new Set(stringList(path, 'filter.suffixes', filter.suffixes))].sort();
  if (suffixes.includes('')) throw invalidProp(path, 'filter.suffixes', 'must not contain an empty suffix (it would match every key: leave suffixes out instead)');
  for (const prop of ['minSizeBytes', 'maxSizeBytes'] as const) {
    const value = filter[prop];
    if (value === undefined) continue;
    requireLiteral(path, `filter.${prop}`, value);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalidProp(path, `filter.${prop}`, `must be a whole number of bytes ≥ 0 (got ${value})`);
  }
  if (filter.minSizeBytes !== undefined && filter.maxSizeBytes !== undefined && filter.minSizeBytes > filter.maxSizeBytes) {
    throw minAboveMax(path, 'filter.minSizeBytes', 'filter.maxSizeBytes', filter.minSizeBytes, filter.maxSizeBytes);
  }
  let modifiedAfter: string | undefined;
  if (filter.modifiedAfter !== undefined) {
    requireLiteral(path, 'filter.modifiedAfter', filter.modifiedAfter);
    const text = filter.modifiedAfter;
    const ms = typeof text === 'string' && ISO_8601.test(text) ? Date.parse(text) : NaN;
    if (Number.isNaN(ms)) throw notAnIsoDate(path, 'filter.modifiedAfter', String(text));
    modifiedAfter = new Date(ms).toISOString();
  }
  const storageClasses = [...new Set(stringList(path, 'filter.storageClasses', filter.storageClasses))].sort();
  for (const storageClass of storageClasses) {
    if (!STORAGE_CLASS_NAMES.includes(storageClass)) throw notOneOf(path, 'filter.storageClasses', storageClass, STORAGE_CLASS_NAMES);
  }
  return { suffixes, minSizeBytes: filter.minSizeBytes, maxSizeBytes: filter.maxSizeBytes, modifiedAfter, storageClasses };
}

function stringList(path: string, prop: string, value: string[] | undefined): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidProp(path, prop, `must be a list of strings (got ${typeof value})`);
  for (const item of value) {
    if (typeof item !== 'string') throw invalidProp(path, prop, `must be a list of strings (got an item of type ${typeof item})`);
    requireLiteral(path, prop, item);
  }
  return value;
}
