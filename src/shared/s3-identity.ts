/**
 * The S3 backend's identity rules (S3BatchJob, S3ManifestFromPrefix): the same pattern as the OSS
 * rules in identity.ts — one check-and-normalize function that synth runs on literals and the S3
 * handler runs on the resolved event, idempotent, with the same messages — over AWS's vocabulary
 * (12-digit account ids, IAM role ARNs, S3 bucket names, S3 operation and manifest names).
 *
 * Values are kept in the form the user writes (bucket names, not ARNs): the handler turns them into
 * the ARNs S3 Control wants, so the identity does not depend on the partition spelling.
 */
import {
  checkInventoryManifest, checkManifestObject, checkPrefixManifestIdentity, checkRerunToken, checkTagList, dropUndefined, MAX_DESCRIPTION_LENGTH, MAX_PRIORITY,
  PrefixManifestIdentity, PrefixManifestRules,
} from './identity';
import type { Checks } from './validation';
import { invalidProp, notBuiltWithFactory } from './validation-errors';

export const S3_OPERATION_TYPES = ['S3PutObjectTagging', 'S3DeleteObjectTagging', 'S3PutObjectAcl', 'S3InitiateRestoreObject', 'S3PutObjectCopy'] as const;
export type S3OperationType = (typeof S3_OPERATION_TYPES)[number];
/** S3's canned ACLs (S3 Control `CannedAccessControlList`). */
export const S3_CANNED_ACLS = [
  'private', 'public-read', 'public-read-write', 'aws-exec-read', 'authenticated-read', 'bucket-owner-read', 'bucket-owner-full-control',
] as const;
/** `GlacierJobTier` of S3InitiateRestoreObject. */
export const S3_RESTORE_TIERS = ['BULK', 'STANDARD'] as const;
/** `StorageClass` of S3PutObjectCopy. */
export const S3_STORAGE_CLASSES = ['STANDARD', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR'] as const;
/** Storage classes a ListObjectsV2 entry can have (the prefix manifest's filter). */
export const S3_LISTED_STORAGE_CLASSES = [...S3_STORAGE_CLASSES, 'REDUCED_REDUNDANCY', 'OUTPOSTS', 'SNOW', 'EXPRESS_ONEZONE'] as const;
export const S3_REPORT_SCOPES = ['AllTasks', 'FailedTasksOnly'] as const;

export const S3_MANIFEST_FORMAT_CSV = 'S3BatchOperations_CSV_20180820';
export const S3_MANIFEST_FORMAT_INVENTORY = 'S3InventoryReport_CSV_20161130';
export const S3_REPORT_FORMAT = 'Report_CSV_20180820';
/** The CSV columns S3 accepts for `S3BatchOperations_CSV_20180820`. */
export const S3_CSV_FIELDS = ['Bucket,Key', 'Bucket,Key,VersionId'] as const;

export const S3_DEFAULT_REPORT_PREFIX = 's3-batch-reports';
export const S3_DEFAULT_MANIFEST_PREFIX = 's3-batch-manifests/';

// S3's rules for new buckets (3-63 lowercase letters, digits, dots, hyphens; begins and ends with a
// letter or digit; not an IP address).
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;
const ACCOUNT_ID = /^\d{12}$/;
// `arn:<partition>:iam::<account>:role<path><name>`: the partition `aws` or `aws-<words>` (aws-cn,
// aws-us-gov), the path `/` or `/a/b/` (at most 512 characters, no empty segment), the name 1-64 characters.
const IAM_ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role(?<path>\/(?:[\w+=,.@-]+\/)*)[\w+=,.@-]{1,64}$/;
const MAX_ROLE_PATH = 512;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export interface S3OperationSpec {
  type: S3OperationType;
  tags?: { key: string; value: string }[];
  cannedAcl?: string;
  days?: number;
  tier?: string;
  /** S3PutObjectCopy: where copies go. */
  targetBucket?: string;
  targetKeyPrefix?: string;
  storageClass?: string;
}

/** Normalized manifest: exactly one of csv / inventory / generator. */
export interface S3ManifestSpec {
  csv?: { bucket: string; key: string; etag?: string; versionId?: string; fields: string; format: string };
  inventory?: { bucket: string; manifestKey: string; etag?: string; format: string };
  /** S3JobManifestGenerator over one bucket and key prefix (S3 lists the objects when the job starts). */
  generator?: { sourceBucket: string; prefix: string };
}

export interface S3ReportSpec {
  enabled: boolean;
  /** '' when the report is disabled and no bucket was given. */
  bucket: string;
  prefix: string;
  scope: string;
}

/** The S3 job's identity: every field counts for the token; nothing else does. */
export interface S3JobIdentity {
  region: string;
  accountId: string;
  roleArn: string;
  priority: number;
  description: string;
  confirmationRequired: boolean;
  operation: S3OperationSpec;
  manifest: S3ManifestSpec;
  report: S3ReportSpec;
  rerunToken?: string;
}

/** An S3ManifestFromPrefix's identity: the same fields as the OSS one, checked with S3's rules. */
export type S3PrefixManifestIdentity = PrefixManifestIdentity;

type Raw = Record<string, unknown>;

export function checkS3Region(c: Checks, value: unknown): string {
  const text = c.string('region', value);
  if (!c.isDeferred(text) && !AWS_REGION.test(text)) throw invalidProp(c.path, 'region', `must be an AWS region id such as us-east-1 or eu-central-1 (got "${text}")`);
  return text;
}

export function checkS3Bucket(c: Checks, prop: string, value: unknown): string {
  const text = c.string(prop, value);
  if (!c.isDeferred(text) && (!S3_BUCKET.test(text) || IP_ADDRESS.test(text) || text.includes('..'))) {
    throw invalidProp(c.path, prop, `must be an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit (got "${text}")`);
  }
  return text;
}

function checkAccountId(c: Checks, value: unknown): string {
  // A number variable arrives as a number: 12 digits may start with 0, so only a string is safe.
  const text = c.string('accountId', value);
  if (!c.isDeferred(text) && !ACCOUNT_ID.test(text)) throw invalidProp(c.path, 'accountId', `must be a 12-digit AWS account id, written as a string (got "${text}")`);
  return text;
}

/** IAM's rule for a role ARN: partition, 12-digit account, an optional path of at most 512 characters, a name of 1-64. */
export function isIamRoleArn(text: string): boolean {
  const path = IAM_ROLE_ARN.exec(text)?.groups?.path;
  return path !== undefined && path.length <= MAX_ROLE_PATH;
}

function checkIamRoleArn(c: Checks, value: unknown): string {
  const text = c.string('roleArn', value);
  if (!c.isDeferred(text) && !isIamRoleArn(text)) throw invalidProp(c.path, 'roleArn', `must look like arn:aws:iam::<12-digit account id>:role/<role name> (got "${text}")`);
  return text;
}

/** Checks and normalizes an S3 job identity (see the file comment). */
export function checkS3JobIdentity(checks: Checks, raw: Raw): S3JobIdentity {
  const c = checks.forService('S3');
  const accountId = checkAccountId(c, raw.accountId);
  const roleArn = checkIamRoleArn(c, raw.roleArn);
  return dropUndefined({
    region: checkS3Region(c, raw.region),
    accountId,
    roleArn,
    priority: c.integer('priority', raw.priority, 0, MAX_PRIORITY, 'higher runs first'),
    description: raw.description === undefined || raw.description === null ? '' : c.text('description', raw.description, 0, MAX_DESCRIPTION_LENGTH),
    confirmationRequired: c.boolean('confirmationRequired', raw.confirmationRequired, false),
    operation: checkS3Operation(c, c.group('operation', raw.operation, 'must be built with an S3BatchOperation factory')),
    manifest: checkS3Manifest(c, c.group('manifest', raw.manifest, 'must be built with an S3JobManifest factory')),
    report: checkS3Report(c, c.group('report', raw.report,
      'is required: { bucket } for a completion report (recommended: it names the failed keys), or { enabled: false }')),
    rerunToken: checkRerunToken(c, raw.rerunToken),
  });
}

export function checkS3Operation(c: Checks, raw: Raw): S3OperationSpec {
  const type = c.oneOf('operation', raw.type, S3_OPERATION_TYPES);
  switch (type) {
    case 'S3PutObjectTagging':
      // S3 allows 0-10 tags: an empty set removes every tag.
      return { type, tags: checkTagList(c, raw.tags, { operation: type, service: 'S3', minTags: 0 }) };
    case 'S3DeleteObjectTagging':
      return { type };
    case 'S3PutObjectAcl':
      return { type, cannedAcl: c.oneOf('operation cannedAcl', raw.cannedAcl, S3_CANNED_ACLS) };
    case 'S3InitiateRestoreObject':
      return {
        type,
        days: c.integer('operation days', raw.days, 1, 2147483647, 'days the restored copy stays available'),
        tier: raw.tier === undefined || raw.tier === null ? 'STANDARD' : c.oneOf('operation tier', raw.tier, S3_RESTORE_TIERS),
      };
    case 'S3PutObjectCopy':
      return dropUndefined({
        type,
        targetBucket: checkS3Bucket(c, 'operation targetBucket', raw.targetBucket),
        targetKeyPrefix: raw.targetKeyPrefix === undefined || raw.targetKeyPrefix === null || raw.targetKeyPrefix === ''
          ? undefined : c.objectKey('operation targetKeyPrefix', raw.targetKeyPrefix, true),
        storageClass: raw.storageClass === undefined || raw.storageClass === null ? undefined : c.oneOf('operation storageClass', raw.storageClass, S3_STORAGE_CLASSES),
        cannedAcl: raw.cannedAcl === undefined || raw.cannedAcl === null ? undefined : c.oneOf('operation cannedAcl', raw.cannedAcl, S3_CANNED_ACLS),
      });
  }
}

export function checkS3Report(c: Checks, raw: Raw): S3ReportSpec {
  const enabled = c.boolean('report.enabled', raw.enabled, true);
  // '' is how the normalized identity spells "no bucket" for a disabled report: checking it again must accept it.
  const absent = raw.bucket === undefined || raw.bucket === null || (raw.bucket === '' && enabled === false);
  if (absent && enabled === true) throw invalidProp(c.path, 'report.bucket', 'is required while the report is enabled (or set report.enabled to false)');
  return {
    enabled,
    bucket: absent ? '' : checkS3Bucket(c, 'report.bucket', raw.bucket),
    // S3 writes `<prefix>/job-<id>/`: a trailing slash would only double the separator.
    prefix: raw.prefix === undefined || raw.prefix === null ? S3_DEFAULT_REPORT_PREFIX : trimSlashes(c.objectKey('report.prefix', raw.prefix, true), c),
    scope: raw.scope === undefined || raw.scope === null ? 'AllTasks' : c.oneOf('report.scope', raw.scope, S3_REPORT_SCOPES),
  };
}

function trimSlashes(prefix: string, c: Checks): string {
  return c.isDeferred(prefix) ? prefix : prefix.replace(/\/+$/, '');
}

export function checkS3Manifest(c: Checks, raw: Raw): S3ManifestSpec {
  const forms = ['csv', 'inventory', 'generator'].filter((form) => raw[form] !== undefined && raw[form] !== null);
  if (forms.length !== 1) {
    throw notBuiltWithFactory(c.path, 'manifest', 'S3JobManifest.fromCsv, fromInventoryReport, fromGenerator or fromManifestFromPrefix');
  }
  if (raw.csv) {
    const csv = raw.csv as Raw;
    const fields = csv.fields === undefined || csv.fields === null ? 'Bucket,Key' : c.oneOf('manifest.fields', csv.fields, S3_CSV_FIELDS);
    return { csv: { ...checkManifestObject(c, csv, checkS3Bucket, 1024), fields, format: S3_MANIFEST_FORMAT_CSV } };
  }
  if (raw.inventory) return { inventory: checkInventoryManifest(c, raw.inventory as Raw, checkS3Bucket, S3_MANIFEST_FORMAT_INVENTORY) };
  const generator = raw.generator as Raw;
  return {
    generator: {
      sourceBucket: checkS3Bucket(c, 'manifest.sourceBucket', generator.sourceBucket),
      prefix: generator.prefix === undefined || generator.prefix === null ? '' : c.objectKey('manifest.prefix', generator.prefix, true),
    },
  };
}

const S3_PREFIX_MANIFEST_RULES: PrefixManifestRules = {
  region: checkS3Region,
  bucket: checkS3Bucket,
  defaultManifestPrefix: S3_DEFAULT_MANIFEST_PREFIX,
  storageClasses: S3_LISTED_STORAGE_CLASSES,
};

export function checkS3PrefixManifestIdentity(c: Checks, raw: Raw): S3PrefixManifestIdentity {
  return checkPrefixManifestIdentity(c.forService('S3'), raw, S3_PREFIX_MANIFEST_RULES);
}

/** `<prefix>/job-<id>/`: the folder S3 writes a job's completion report to ('' prefix: the bucket's root). */
export function s3ReportFolder(prefix: string | undefined, jobId: string): string {
  const base = (prefix ?? '').replace(/\/+$/, '');
  return `${base ? `${base}/` : ''}job-${jobId}/`;
}

/** The ARN partition of a region: `aws-cn` for China, `aws-us-gov` for GovCloud, else `aws`. */
export function awsPartition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
/** `arn:<partition>:s3:::bucket`: how S3 Control names buckets. */
export const s3BucketArn = (region: string, bucket: string): string => `arn:${awsPartition(region)}:s3:::${bucket}`;
/** `arn:<partition>:s3:::bucket/key`. */
export const s3ObjectArn = (region: string, bucket: string, key: string): string => `${s3BucketArn(region, bucket)}/${key}`;

