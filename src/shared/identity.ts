/**
 * What identifies a job (and a prefix manifest): the values that are hashed into the
 * ClientRequestToken, checked and normalized by one function that synth and the handler share.
 *
 * Normalization fills in defaults, sorts what has no order (tags, filter lists), strips an ETag's
 * quotes and a region's `oss-` prefix. It is idempotent, so the handler may normalize again what
 * synth already normalized, and a spec written with literals or with Terraform references that
 * resolve to the same values gives the same token (docs/identity.md).
 */
import { MANIFEST_FORMAT_CSV, MANIFEST_FORMAT_INVENTORY, OBJECT_ACLS, OPERATION_TYPES, REPORT_SCOPES, RESTORE_TIERS, STORAGE_CLASSES } from '../oss/model';
import { Checks } from './validation';
import { badTag, badTagCount, minAboveMax, notBuiltWithFactory } from './validation-errors';

export const MAX_PRIORITY = 2147483647;
export const MAX_TAGS = 10;
export const MAX_DESCRIPTION_LENGTH = 256;
export const DEFAULT_REPORT_PREFIX = 'oss-batch-reports/';
export const DEFAULT_MANIFEST_PREFIX = 'oss-batch-manifests/';
const MANIFEST_FIELDS = /^(Bucket|Key|VersionId|Ignore)(,(Bucket|Key|VersionId|Ignore))*$/;

/** Normalized operation (defaults filled in). */
export interface OperationSpec {
  type: 'PutObjectTagging' | 'AddObjectTagging' | 'DeleteObjectTagging' | 'PutObjectAcl' | 'RestoreObject';
  tags?: { key: string; value: string }[];
  acl?: string;
  days?: number;
  tier?: string;
}

/** Normalized manifest: exactly one of csv / keyPrefix / inventory. */
export interface ManifestSpec {
  csv?: { bucket: string; key: string; etag?: string; versionId?: string; fields: string; format: string };
  keyPrefix?: { sourceBucket: string; prefix: string };
  /** A bucket inventory's `manifest.json` (its data files list the objects). */
  inventory?: { bucket: string; manifestKey: string; etag?: string; format: string };
}

export interface ReportSpec {
  enabled: boolean;
  bucket: string;
  prefix: string;
  scope: string;
}

/** The job's identity: every field counts for the token; nothing else does. */
export interface JobIdentity {
  region: string;
  roleArn: string;
  priority: number;
  description: string;
  confirmationRequired: boolean;
  operation: OperationSpec;
  manifest: ManifestSpec;
  report: ReportSpec;
  rerunToken?: string;
}

/** A ManifestFromPrefix's identity: the listing it runs and where it writes the result. */
export interface PrefixManifestIdentity {
  region: string;
  sourceBucket: string;
  prefix: string;
  filter: ManifestFilterSpec;
  includeVersionIds: boolean;
  manifestBucket: string;
  manifestPrefix: string;
  rerunToken?: string;
}

export interface ManifestFilterSpec {
  suffixes: string[];
  minSizeBytes?: number;
  maxSizeBytes?: number;
  /** ISO-8601 (toISOString form). */
  modifiedAfter?: string;
  storageClasses: string[];
}

type Raw = Record<string, unknown>;

/** Checks and normalizes a job identity (see the file comment). */
export function checkJobIdentity(c: Checks, raw: Raw): JobIdentity {
  const rerunToken = checkRerunToken(c, raw.rerunToken);
  return dropUndefined({
    region: c.region(raw.region),
    roleArn: c.roleArn(raw.roleArn),
    priority: c.integer('priority', raw.priority, 0, MAX_PRIORITY, 'higher runs first'),
    description: raw.description === undefined || raw.description === null ? '' : c.text('description', raw.description, 0, MAX_DESCRIPTION_LENGTH),
    confirmationRequired: c.boolean('confirmationRequired', raw.confirmationRequired, false),
    operation: checkOperation(c, c.group('operation', raw.operation, 'must be built with a BatchOperation factory')),
    manifest: checkManifest(c, c.group('manifest', raw.manifest, 'must be built with a JobManifest factory')),
    report: checkReport(c, c.group('report', raw.report,
      'is required (at least { bucket }): OSS needs to know where the completion report goes, or { bucket, enabled: false }')),
    rerunToken,
  });
}

export function checkRerunToken(c: Checks, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return c.printable('rerunToken', c.text('rerunToken', value, 1, 64));
}

export function checkOperation(c: Checks, raw: Raw): OperationSpec {
  // The type comes from the factory used, never from a reference.
  const type = c.oneOf('operation', raw.type, OPERATION_TYPES);
  switch (type) {
    case 'PutObjectTagging':
    case 'AddObjectTagging':
      return { type, tags: checkTagList(c, raw.tags, { operation: type, service: 'OSS', minTags: 1 }) };
    case 'DeleteObjectTagging':
      return { type };
    case 'PutObjectAcl':
      return { type, acl: c.oneOf('operation acl', raw.acl, OBJECT_ACLS) };
    case 'RestoreObject':
      return dropUndefined({
        type,
        days: c.integer('operation days', raw.days, 1, 365,
          'OSS allows 1-7 for Archive objects and 1-365 for ColdArchive and DeepColdArchive objects (checked per object when the job runs)'),
        tier: raw.tier === undefined || raw.tier === null ? undefined : c.oneOf('operation tier', raw.tier, RESTORE_TIERS),
      });
  }
}

/** Whose tag rules: the operation and service named in messages, and the fewest tags allowed. */
export interface TagRules {
  operation: string;
  service: 'OSS' | 'S3';
  /** OSS tagging needs a tag; S3's PutObjectTagging with none removes every tag. */
  minTags: number;
}

/** Tags as `{ key, value }` pairs: checked, sorted by key, no key twice (keys and values 1-128 / 0-256 characters). */
export function checkTagList(c: Checks, raw: unknown, rules: TagRules): { key: string; value: string }[] {
  const { operation, service, minTags } = rules;
  const tagError = (problem: string) => badTag(c.path, problem, service);
  if (!Array.isArray(raw)) throw badTagCount(c.path, operation, 0, minTags, MAX_TAGS, service);
  if (raw.length < minTags || raw.length > MAX_TAGS) throw badTagCount(c.path, operation, raw.length, minTags, MAX_TAGS, service);
  const tags = raw.map((tag: Raw) => {
    const key = c.string('operation tag key', tag?.key);
    const value = tag?.value;
    const keyText = c.isDeferred(key) ? 'a referenced key' : `"${key.slice(0, 40)}${key.length > 40 ? '…' : ''}"`;
    if (!c.isDeferred(key) && (key.length < 1 || key.length > 128)) throw tagError(`tag key ${keyText} must be 1-128 characters (got ${key.length})`);
    if (!c.isDeferred(value)) {
      if (typeof value !== 'string') throw tagError(`tag value of ${keyText} must be a string (got ${value === undefined ? 'nothing' : typeof value})`);
      if (value.length > 256) throw tagError(`tag value of ${keyText} must be at most 256 characters (got ${value.length})`);
    }
    return { key, value: value as string };
  });
  if (tags.some((t) => c.isDeferred(t.key))) return tags; // sorted at apply, once the keys are known
  // Sorted so that the same tags written in another order give the same identity.
  tags.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let i = 1; i < tags.length; i++) {
    if (tags[i].key === tags[i - 1].key) throw tagError(`tag key "${tags[i].key}" is given twice`);
  }
  return tags;
}

export function checkReport(c: Checks, raw: Raw): ReportSpec {
  return {
    enabled: c.boolean('report.enabled', raw.enabled, true),
    bucket: c.bucket('report.bucket', raw.bucket),
    prefix: raw.prefix === undefined || raw.prefix === null ? DEFAULT_REPORT_PREFIX : c.objectKey('report.prefix', raw.prefix, true),
    scope: raw.scope === undefined || raw.scope === null ? 'AllTasks' : c.oneOf('report.scope', raw.scope, REPORT_SCOPES),
  };
}

export function checkManifest(c: Checks, raw: Raw): ManifestSpec {
  const forms = ['csv', 'keyPrefix', 'inventory'].filter((form) => raw[form] !== undefined && raw[form] !== null);
  if (forms.length !== 1) {
    throw notBuiltWithFactory(c.path, 'manifest', 'JobManifest.fromCsv, fromKeyPrefix, fromInventoryReport or fromManifestFromPrefix');
  }
  if (raw.csv) {
    const csv = raw.csv as Raw;
    const given = csv.fields === undefined || csv.fields === null ? 'Bucket,Key' : c.string('manifest.fields', csv.fields);
    const fields = c.isDeferred(given) ? given : given.replace(/\s/g, '');
    const columns = fields.split(',');
    if (!c.isDeferred(fields) && (!MANIFEST_FIELDS.test(fields) || !columns.includes('Bucket') || !columns.includes('Key'))) {
      throw c.error('manifest.fields', `must be a comma-separated list of Bucket, Key, VersionId, Ignore that includes Bucket and Key (got "${fields}")`);
    }
    return { csv: { ...checkManifestObject(c, csv, ossBucket, 256), fields, format: MANIFEST_FORMAT_CSV } };
  }
  if (raw.inventory) return { inventory: checkInventoryManifest(c, raw.inventory as Raw, ossBucket, MANIFEST_FORMAT_INVENTORY) };
  const keyPrefix = raw.keyPrefix as Raw;
  return {
    keyPrefix: {
      sourceBucket: c.bucket('manifest.sourceBucket', keyPrefix.sourceBucket),
      prefix: keyPrefix.prefix === undefined || keyPrefix.prefix === null ? '' : c.objectKey('manifest.prefix', keyPrefix.prefix, true),
    },
  };
}

/** A backend's bucket-name rule. */
export type BucketCheck = (c: Checks, prop: string, value: unknown) => string;
const ossBucket: BucketCheck = (c, prop, value) => c.bucket(prop, value);

/** A CSV manifest object: bucket, key and the pinned ETag / version id (version ids are up to `maxVersionIdLength`). */
export function checkManifestObject(c: Checks, raw: Raw, bucket: BucketCheck, maxVersionIdLength: number): { bucket: string; key: string; etag?: string; versionId?: string } {
  return dropUndefined({
    bucket: bucket(c, 'manifest.bucket', raw.bucket),
    key: c.objectKey('manifest.key', raw.key),
    etag: checkPinned(c, 'manifest.etag', raw.etag, 128),
    versionId: checkPinned(c, 'manifest.versionId', raw.versionId, maxVersionIdLength),
  });
}

/** An inventory's `manifest.json`: bucket, key and the pinned ETag, with the backend's format name. */
export function checkInventoryManifest(c: Checks, raw: Raw, bucket: BucketCheck, format: string): { bucket: string; manifestKey: string; etag?: string; format: string } {
  return dropUndefined({
    bucket: bucket(c, 'manifest.bucket', raw.bucket),
    manifestKey: c.objectKey('manifest.manifestKey', raw.manifestKey),
    etag: checkPinned(c, 'manifest.etag', raw.etag, 128),
    format,
  });
}

/** An ETag or version id: quotes (as HTTP puts around an ETag) removed, then its length checked. */
function checkPinned(c: Checks, prop: string, value: unknown, maxLength: number): string | undefined {
  const text = c.optionalString(prop, value);
  if (text === undefined || c.isDeferred(text)) return text;
  const bare = text.replace(/"/g, '');
  if (bare.length < 1 || bare.length > maxLength) throw c.error(prop, `must be 1-${maxLength} characters long without quotes (got ${bare.length})`);
  return bare;
}

/** A backend's vocabulary for a prefix manifest: its region and bucket rules, default prefix and storage classes. */
export interface PrefixManifestRules {
  region(c: Checks, value: unknown): string;
  bucket: BucketCheck;
  defaultManifestPrefix: string;
  storageClasses: readonly string[];
}

const OSS_PREFIX_MANIFEST_RULES: PrefixManifestRules = {
  region: (c, value) => c.region(value),
  bucket: ossBucket,
  defaultManifestPrefix: DEFAULT_MANIFEST_PREFIX,
  storageClasses: STORAGE_CLASSES,
};

export function checkPrefixManifestIdentity(c: Checks, raw: Raw, rules: PrefixManifestRules = OSS_PREFIX_MANIFEST_RULES): PrefixManifestIdentity {
  return dropUndefined({
    region: rules.region(c, raw.region),
    sourceBucket: rules.bucket(c, 'sourceBucket', raw.sourceBucket),
    prefix: raw.prefix === undefined || raw.prefix === null ? '' : c.objectKey('prefix', raw.prefix, true),
    filter: checkFilter(c, raw.filter === undefined || raw.filter === null ? {} : c.group('filter', raw.filter, 'must be an object'), rules.storageClasses),
    includeVersionIds: c.boolean('includeVersionIds', raw.includeVersionIds, false),
    manifestBucket: rules.bucket(c, 'manifestBucket', raw.manifestBucket),
    manifestPrefix: raw.manifestPrefix === undefined || raw.manifestPrefix === null
      ? rules.defaultManifestPrefix : c.objectKey('manifestPrefix', raw.manifestPrefix, true),
    rerunToken: checkRerunToken(c, raw.rerunToken),
  });
}

/** @param storageClassNames the backend's storage classes (OSS by default; the S3 rules pass S3's). */
export function checkFilter(c: Checks, raw: Raw, storageClassNames: readonly string[] = STORAGE_CLASSES): ManifestFilterSpec {
  const suffixes = c.stringSet('filter.suffixes', raw.suffixes);
  if (!c.isDeferred(suffixes) && suffixes.includes('')) {
    throw c.error('filter.suffixes', 'must not contain an empty suffix (it would match every key: leave suffixes out instead)');
  }
  const minSizeBytes = c.optionalInteger('filter.minSizeBytes', raw.minSizeBytes, 0, Number.MAX_SAFE_INTEGER);
  const maxSizeBytes = c.optionalInteger('filter.maxSizeBytes', raw.maxSizeBytes, 0, Number.MAX_SAFE_INTEGER);
  if (minSizeBytes !== undefined && maxSizeBytes !== undefined && !c.isDeferred(minSizeBytes) && !c.isDeferred(maxSizeBytes) && minSizeBytes > maxSizeBytes) {
    throw minAboveMax(c.path, 'filter.minSizeBytes', 'filter.maxSizeBytes', minSizeBytes, maxSizeBytes);
  }
  const storageClasses = c.stringSet('filter.storageClasses', raw.storageClasses);
  if (!c.isDeferred(storageClasses)) {
    for (const storageClass of storageClasses) c.oneOf('filter.storageClasses', storageClass, storageClassNames);
  }
  return dropUndefined({ suffixes, minSizeBytes, maxSizeBytes, modifiedAfter: c.isoInstant('filter.modifiedAfter', raw.modifiedAfter), storageClasses });
}

/** Absent has one spelling (no key), so `{ a: undefined }` and `{}` hash alike. */
export function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
