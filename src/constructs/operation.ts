/** BatchOperation: the one operation a batch job runs on every object of its manifest. */
import type { OperationSpec } from '../shared/identity';
import { ObjectAcl, RestoreTier } from './enums';
import { tagsMapIsReference } from './errors';
import { isDeferred } from './validation';

/** Options of `BatchOperation.restoreObject`. */
export interface RestoreObjectOptions {
  /**
   * Days the restored copy stays readable.
   *
   * 1-7 for Archive objects, 1-365 for ColdArchive and DeepColdArchive objects. The storage class
   * is per object, so 1-365 is checked (at synth, or at apply for a reference) and OSS checks each
   * object when the job runs.
   */
  readonly days: number;
  /**
   * Restore priority.
   *
   * How fast OSS restores; which tiers an object accepts depends on its storage class (OSS RestoreObject docs).
   * @default - the service default (Standard)
   */
  readonly tier?: RestoreTier | undefined;
}

/**
 * The one operation a BatchJob runs on every object.
 *
 * Build with the static factories, e.g. `BatchOperation.putObjectTagging({ env: 'prod' })`. Tags
 * are checked against the job that uses the operation, so errors name that job.
 */
export class BatchOperation {
  /** Replace all tags of every object with `tags` (1-10 tags; keys and values may be references). */
  public static putObjectTagging(tags: { [key: string]: string }): BatchOperation {
    return new BatchOperation({ type: 'PutObjectTagging', tags: toTags('BatchOperation.putObjectTagging', tags) });
  }

  /** Add `tags` to every object, keeping its other tags (read-then-write, not atomic). */
  public static addObjectTagging(tags: { [key: string]: string }): BatchOperation {
    return new BatchOperation({ type: 'AddObjectTagging', tags: toTags('BatchOperation.addObjectTagging', tags) });
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

  /**
   * The operation in the job's identity form; the shared rules (src/shared/identity.ts) check it
   * against the job that uses it, so errors name that job. @internal
   */
  public _validate(_path: string): OperationSpec {
    return this._spec;
  }
}

/** A tags map as the identity's list; `factory` (e.g. `BatchOperation.putObjectTagging`) names the call in errors. */
export function toTags(factory: string, tags: { [key: string]: string }): { key: string; value: string }[] {
  if (isDeferred(tags)) throw tagsMapIsReference(factory);
  // Sorted here for literal keys; the shared check sorts again once references are resolved.
  return Object.keys(tags ?? {}).sort().map((key) => ({ key, value: tags[key] }));
}
