/** BatchOperation: the one operation a batch job runs on every object of its manifest. */
import type { OperationSpec } from '../shared/contract';
import { RestoreTier, ObjectAcl } from './enums';
import { badTag, badTagCount } from './errors';
import { checkInteger, checkOneOf, requireLiteral } from './validation';

/** Options of `BatchOperation.restoreObject`. */
export interface RestoreObjectOptions {
  /**
   * Days the restored copy stays readable.
   *
   * 1-7 for Archive objects, 1-365 for ColdArchive and DeepColdArchive objects. The storage class
   * is per object, so synth checks 1-365 and OSS checks each object when the job runs.
   */
  readonly days: number;
  /**
   * Restore priority.
   *
   * How fast OSS restores; which tiers an object accepts depends on its storage class (OSS RestoreObject docs).
   * @default - the service default (Standard)
   */
  readonly tier?: RestoreTier;
}

export const MAX_TAGS = 10;

/**
 * The one operation a BatchJob runs on every object.
 *
 * Build with the static factories, e.g. `BatchOperation.putObjectTagging({ env: 'prod' })`. Tags
 * are checked against the job that uses the operation, so errors name that job.
 */
export class BatchOperation {
  /** Replace all tags of every object with `tags` (1-10 tags). */
  public static putObjectTagging(tags: { [key: string]: string }): BatchOperation {
    return new BatchOperation({ type: 'PutObjectTagging', tags: toTags(tags) });
  }

  /** Add `tags` to every object, keeping its other tags (read-then-write, not atomic). */
  public static addObjectTagging(tags: { [key: string]: string }): BatchOperation {
    return new BatchOperation({ type: 'AddObjectTagging', tags: toTags(tags) });
  }

  /** Remove all tags from every object. */
  public static deleteObjectTagging(): BatchOperation {
    return new BatchOperation({ type: 'DeleteObjectTagging' });
  }

  /** Set the ACL of every object. */
  public static putObjectAcl(acl: ObjectAcl): BatchOperation {
    return new BatchOperation({ type: 'PutObjectAcl', acl });
  }

  /** Restore every archived object for `days` days. */
  public static restoreObject(options: RestoreObjectOptions): BatchOperation {
    return new BatchOperation({ type: 'RestoreObject', days: options?.days, tier: options?.tier });
  }

  /** @internal */
  public readonly _spec: OperationSpec;

  private constructor(spec: OperationSpec) {
    this._spec = spec;
  }

  /** Validates against the job that uses it and returns the normalized operation. @internal */
  public _validate(path: string): OperationSpec {
    const spec = this._spec;
    if (spec.tags) checkTags(path, spec.type, spec.tags);
    if (spec.type === 'PutObjectAcl') checkOneOf(path, 'operation acl', spec.acl as string, Object.values(ObjectAcl));
    if (spec.type === 'RestoreObject') {
      checkInteger(path, 'operation days', spec.days as number, 1, 365, {
        note: 'OSS allows 1-7 for Archive objects and 1-365 for ColdArchive and DeepColdArchive objects (checked per object when the job runs)',
      });
      if (spec.tier !== undefined) checkOneOf(path, 'operation tier', spec.tier, Object.values(RestoreTier));
    }
    return spec;
  }
}

function checkTags(path: string, type: string, tags: { key: string; value: string }[]): void {
  // Keys come from an object, so duplicates cannot be written; each key and value is checked here.
  if (tags.length < 1 || tags.length > MAX_TAGS) throw badTagCount(path, type, tags.length, MAX_TAGS);
  for (const { key, value } of tags) {
    requireLiteral(path, 'operation tag key', key);
    requireLiteral(path, `operation tag "${key}"`, value);
    if (key.length < 1 || key.length > 128) throw badTag(path, `tag key "${key.slice(0, 40)}${key.length > 40 ? '…' : ''}" must be 1-128 characters (got ${key.length})`);
    if (typeof value !== 'string') throw badTag(path, `tag value of "${key}" must be a string (got ${typeof value})`);
    if (value.length > 256) throw badTag(path, `tag value of "${key}" must be at most 256 characters (got ${value.length})`);
  }
}

function toTags(tags: { [key: string]: string }): { key: string; value: string }[] {
  // Sorted so that the same tags written in another order give the same job identity.
  return Object.keys(tags ?? {}).sort().map((key) => ({ key, value: tags[key] }));
}
