/**
 * Enums of the S3 constructs; their values are the wire values of S3 Control's CreateJob (the
 * lists in src/shared/s3-identity.ts, which the handler checks again at apply).
 */

/** Canned ACL for `S3BatchOperation.putObjectAcl` and `putObjectCopy` (S3 Control `CannedAccessControlList`). */
export enum S3CannedAcl {
  /** Only the owner has access. */
  PRIVATE = 'private',
  /** Anyone may read the object. */
  PUBLIC_READ = 'public-read',
  /** Anyone may read and write the object: rarely what you want. */
  PUBLIC_READ_WRITE = 'public-read-write',
  /** The owner has full control; Amazon EC2 may read the object (AMI bundles). */
  AWS_EXEC_READ = 'aws-exec-read',
  /** Any authenticated AWS principal may read the object. */
  AUTHENTICATED_READ = 'authenticated-read',
  /** The object owner has full control; the bucket owner may read it. */
  BUCKET_OWNER_READ = 'bucket-owner-read',
  /** Both the object owner and the bucket owner have full control. */
  BUCKET_OWNER_FULL_CONTROL = 'bucket-owner-full-control',
}

/** Retrieval tier of `S3BatchOperation.initiateRestoreObject` (S3 Control `GlacierJobTier`). */
export enum S3RestoreTier {
  /** Slowest and cheapest; the only tier S3 Glacier Deep Archive offers besides STANDARD. */
  BULK = 'BULK',
  /** The S3 default. */
  STANDARD = 'STANDARD',
}

/** Storage class of the copies `S3BatchOperation.putObjectCopy` makes. */
export enum S3StorageClass {
  /** S3 Standard. */
  STANDARD = 'STANDARD',
  /** S3 Standard-Infrequent Access. */
  STANDARD_IA = 'STANDARD_IA',
  /** S3 One Zone-Infrequent Access. */
  ONEZONE_IA = 'ONEZONE_IA',
  /** S3 Intelligent-Tiering. */
  INTELLIGENT_TIERING = 'INTELLIGENT_TIERING',
  /** S3 Glacier Flexible Retrieval. */
  GLACIER = 'GLACIER',
  /** S3 Glacier Deep Archive. */
  DEEP_ARCHIVE = 'DEEP_ARCHIVE',
  /** S3 Glacier Instant Retrieval. */
  GLACIER_IR = 'GLACIER_IR',
}
