/** The one operation a batch job runs on every object of its manifest. */
import type { OperationSpec } from '../shared/contract';
import { RestoreTier, ObjectAcl } from './enums';
import { invalidProp } from './errors';
import { checkInteger, checkOneOf, requireLiteral } from './validation';

/** Options of `BatchOperation.restoreObject`. */
export interface RestoreObjectOptions {
  /**
   * Days the restored copy stays readable: 1-7 for Archive objects, 1-365 for Cold Archive and
   * Deep Cold Archive objects (checked per object by OSS; synth checks 1-365).
   */
  readonly days: number;
  /**
   * Restore priority (Cold Archive: Standard or Bulk; Deep Cold Archive: Standard).
   * @default - the service default (Standard)
   */
  readonly tier?: RestoreTier;
}

export const MAX_TAGS = 10;

/** Build with the static factories, e.g. `BatchOperation.putObjectTagging({ env: 'prod' })`. */
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
    return new BatchOperation({ type: 'RestoreObject', days: options.days, tier: options.tier });
  }

  /** @internal */
  public readonly _spec: OperationSpec;

  private constructor(spec: OperationSpec) {
    this._spec = spec;
  }

  /** Validate against the construct that uses it. @internal */
  public _validate(path: string): OperationSpec {
    const spec = this._spec;
    if (spec.tags) {
      if (spec.tags.length < 1 || spec.tags.length > MAX_TAGS) throw invalidProp(path, 'operation', `${spec.type} needs 1-${MAX_TAGS} tags (got ${spec.tags.length})`);
      for (const { key, value } of spec.tags) {
        requireLiteral(path, `operation tag "${key}"`, value);
        if (key.length < 1 || key.length > 128) throw invalidProp(path, 'operation', `tag key "${key}" must be 1-128 characters`);
        if (value.length > 256) throw invalidProp(path, 'operation', `tag value of "${key}" must be at most 256 characters (got ${value.length})`);
      }
    }
    if (spec.type === 'PutObjectAcl') checkOneOf(path, 'operation acl', spec.acl ?? '', Object.values(ObjectAcl));
    if (spec.type === 'RestoreObject') {
      checkInteger(path, 'operation days (1-7 for Archive, 1-365 for Cold/Deep Cold Archive)', spec.days ?? NaN, 1, 365);
      if (spec.tier !== undefined) checkOneOf(path, 'operation tier', spec.tier, Object.values(RestoreTier));
    }
    return spec;
  }
}

function toTags(tags: { [key: string]: string }): { key: string; value: string }[] {
  // Sorted so that the same tags written in another order give the same job identity.
  return Object.keys(tags).sort().map((key) => ({ key, value: tags[key] }));
}
