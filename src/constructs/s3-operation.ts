/**
 * S3BatchOperation: the one operation an S3BatchJob runs on every object of its manifest. The
 * values are checked by the shared S3 rules (src/shared/s3-identity.ts) against the job that uses
 * the operation, so errors name that job.
 */
import type { S3OperationSpec } from '../shared/s3-identity';
import { toTags } from './operation';
import type { S3CannedAcl, S3RestoreTier, S3StorageClass } from './s3-enums';

/** Options of `S3BatchOperation.initiateRestoreObject`. */
export interface S3RestoreOptions {
  /**
   * Days the restored copy stays available.
   *
   * An integer ≥ 1 (S3 Glacier Flexible Retrieval and Deep Archive objects). May be a reference.
   */
  readonly days: number;
  /**
   * Retrieval tier.
   *
   * BULK is the cheapest and slowest; S3 Batch Operations offers no Expedited restores.
   * @default S3RestoreTier.STANDARD
   */
  readonly tier?: S3RestoreTier | undefined;
}

/** Options of `S3BatchOperation.putObjectCopy`. */
export interface S3CopyOptions {
  /**
   * Bucket the copies are written to.
   *
   * May be the source bucket (with a `targetKeyPrefix`, or a `storageClass` to change it in place).
   * May be a reference to a bucket created in the same stack.
   */
  readonly targetBucket: string;
  /**
   * Key prefix put in front of every copied key.
   *
   * E.g. `backup/` copies `raw/a.jpg` to `backup/raw/a.jpg`. At most 1023 bytes, not starting with "/".
   * @default - none: the copy keeps the source key
   */
  readonly targetKeyPrefix?: string | undefined;
  /**
   * Storage class of the copies.
   *
   * @default - S3's default for a copy: STANDARD
   */
  readonly storageClass?: S3StorageClass | undefined;
  /**
   * Canned ACL of the copies.
   *
   * Buckets with S3 Object Ownership "bucket owner enforced" (the default for new buckets) refuse ACLs.
   * @default - none: S3 applies the target bucket's default
   */
  readonly cannedAcl?: S3CannedAcl | undefined;
}

/**
 * The one operation an S3BatchJob runs on every object.
 *
 * Build with the static factories, e.g. `S3BatchOperation.putObjectTagging({ env: 'prod' })`. The
 * names follow S3 Control's CreateJob operations (S3PutObjectTagging, …).
 */
export class S3BatchOperation {
  /**
   * Replace all tags of every object with `tags` (S3PutObjectTagging).
   *
   * 0-10 tags: an empty map removes every tag. Keys and values may be references; the map itself
   * may not be one.
   */
  public static putObjectTagging(tags: { [key: string]: string }): S3BatchOperation {
    return new S3BatchOperation({ type: 'S3PutObjectTagging', tags: toTags('S3BatchOperation.putObjectTagging', tags) });
  }

  /** Remove all tags from every object (S3DeleteObjectTagging). */
  public static deleteObjectTagging(): S3BatchOperation {
    return new S3BatchOperation({ type: 'S3DeleteObjectTagging' });
  }

  /** Set a canned ACL on every object (S3PutObjectAcl). */
  public static putObjectAcl(acl: S3CannedAcl): S3BatchOperation {
    return new S3BatchOperation({ type: 'S3PutObjectAcl', cannedAcl: acl });
  }

  /**
   * Restore every archived object for `days` days (S3InitiateRestoreObject).
   *
   * The job only starts the restores; S3 makes the copies available hours later, per object.
   */
  public static initiateRestoreObject(options: S3RestoreOptions): S3BatchOperation {
    return new S3BatchOperation({ type: 'S3InitiateRestoreObject', days: options?.days, tier: options?.tier });
  }

  /** Copy every object, e.g. to another bucket or storage class (S3PutObjectCopy; objects up to 5 GB). */
  public static putObjectCopy(options: S3CopyOptions): S3BatchOperation {
    return new S3BatchOperation({
      type: 'S3PutObjectCopy', targetBucket: options?.targetBucket, targetKeyPrefix: options?.targetKeyPrefix,
      storageClass: options?.storageClass, cannedAcl: options?.cannedAcl,
    });
  }

  private constructor(private readonly spec: S3OperationSpec) {}

  /** The operation in the job's identity form, checked against the job that uses it. @internal */
  public _validate(_path: string): S3OperationSpec {
    return this.spec;
  }
}
