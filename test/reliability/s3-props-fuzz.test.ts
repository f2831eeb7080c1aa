/**
 * Property-based fuzzing of S3BatchJob and S3ManifestFromPrefix props: every generated combination is
 * either accepted (when an independent oracle says it is valid) or rejected at synth with a
 * ValidationError that names one of the invalid props. No crash, no accepted invalid spec.
 *
 * The oracle is written here from the documented rules (the props' docs, README "The S3 backend"),
 * not by calling the shared checks of src/shared/s3-identity.ts: generated strings (regions, account
 * ids, role ARNs, bucket names, keys, ETags, tags, …) land on both sides of each rule and the oracle
 * decides. Identity props may be Terraform references (synth defers them to the handler's checks at
 * apply); settings must be literals. 1,000 cases each in `npm test`, 10,000 in the soak.
 */
import fc from 'fast-check';
import {
  BatchOperation, JobManifest, ReportScope, S3BatchJob, S3BatchJobProps, S3BatchOperation, S3CannedAcl, S3JobManifest, S3ManifestFromPrefix,
  S3ManifestFromPrefixProps, S3RestoreTier, S3StorageClass,
} from '../../src';
import { bad, endpoint, filter, fuzzTest, isRef, judged, ok, pathStyle, ref, rerunToken, RUNS, settings, stack } from './fuzz-helpers';

// ---- The oracle: the documented rules, one predicate each. A reference is always valid at synth. ----

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
/** Characters of an IAM role name and of a role path's segments. */
const ROLE_CHARS = `${LOWER}${LOWER.toUpperCase()}${DIGITS}_+=,.@-`;
const only = (text: string, chars: string) => [...text].every((ch) => chars.includes(ch));
const isDigits = (text: string) => text.length > 0 && only(text, DIGITS);
/** A literal that must satisfy `rule`, or a reference. */
const literal = (rule: (text: string) => boolean) => (value: unknown): boolean => isRef(value) || (typeof value === 'string' && rule(value));
const absent = (value: unknown) => value === undefined;
const optional = (rule: (value: unknown) => boolean) => (value: unknown) => absent(value) || rule(value);
const bytes = (text: string) => new TextEncoder().encode(text).length;

/** An AWS region id: two letters, one or more words, a number (us-east-1, us-gov-west-1, ap-southeast-5). */
const isRegion = literal((text) => {
  const parts = text.split('-');
  const last = parts[parts.length - 1];
  return parts.length >= 3 && parts[0].length === 2 && only(parts[0], LOWER) && parts.slice(1, -1).every((p) => p.length > 0 && only(p, LOWER)) && isDigits(last);
});
/** 12 digits, written as a string. */
const isAccountId = literal((text) => text.length === 12 && isDigits(text));
/**
 * `arn:<partition>:iam::<12-digit account>:role<path><name>`: the partition `aws` or `aws-` words
 * (aws-cn, aws-us-gov); the path `/` or `/a/b/` (at most 512 characters), the name 1-64 characters.
 */
const isRoleArn = literal((text) => {
  const parts = text.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'iam' || parts[3] !== '' || !(parts[4].length === 12 && isDigits(parts[4]))) return false;
  const [aws, ...words] = parts[1].split('-');
  if (aws !== 'aws' || !words.every((w) => w.length > 0 && only(w, LOWER))) return false;
  if (!parts[5].startsWith('role/')) return false;
  const segments = parts[5].slice('role'.length).split('/').slice(1);
  const name = segments.pop()!;
  const path = `/${segments.map((s) => `${s}/`).join('')}`;
  return name.length >= 1 && name.length <= 64 && only(name, ROLE_CHARS) && segments.every((s) => s.length > 0 && only(s, ROLE_CHARS)) && path.length <= 512;
});
const isPriority = (value: unknown) => isRef(value) || (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 2147483647);
const isFlag = (value: unknown) => absent(value) || value === true || value === false || isRef(value);
/** 3-63 lowercase letters, digits, dots, hyphens; a letter or digit at both ends; no ".."; not an IP address. */
const isBucket = literal((text) => {
  const ends = `${LOWER}${DIGITS}`;
  const ip = text.split('.').length === 4 && text.split('.').every(isDigits);
  return text.length >= 3 && text.length <= 63 && only(text, `${ends}.-`) && ends.includes(text[0]) && ends.includes(text[text.length - 1])
    && !text.includes('..') && !ip;
});
/** An object key: 1-1023 bytes of UTF-8, not starting with a slash (or a backslash); a prefix may be empty. */
const isKey = (allowEmpty: boolean) => literal((text) => (allowEmpty || text.length > 0) && bytes(text) <= 1023 && !text.startsWith('/') && !text.startsWith('\\'));
/** An ETag or version id: its surrounding quotes removed, `max` characters at most, not empty. */
const isPinned = (max: number) => optional(literal((text) => {
  const bare = text.replace(/^"|"$/g, '');
  return bare.length >= 1 && bare.length <= max;
}));
const CANNED_ACLS = ['private', 'public-read', 'public-read-write', 'aws-exec-read', 'authenticated-read', 'bucket-owner-read', 'bucket-owner-full-control'];
const STORAGE_CLASSES = ['STANDARD', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR'];
const oneOf = (allowed: string[]) => (value: unknown) => isRef(value) || allowed.includes(value as string);

// ---- Generators: values on both sides of each rule. ----

/** Strings of `chars` (boundary lengths included). */
const textOf = (chars: string, minLength: number, maxLength: number) => fc.string({ unit: fc.constantFrom(...chars), minLength, maxLength });

const regions = fc.oneof(
  { arbitrary: fc.constantFrom('us-east-1', 'eu-central-1', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-5', 'il-central-1', 'mx-central-1', ref.string), weight: 40 },
  // OSS region ids are not AWS ones (cn-hangzhou, oss-cn-shanghai); ap-southeast-1 is both.
  fc.constantFrom('cn-hangzhou', 'oss-cn-shanghai', 'ap-southeast-1', 'US-EAST-1', 'us_east_1', 'useast1', 'us-east-', '', 42 as unknown as string),
  fc.array(fc.constantFrom('us', 'eu', 'gov', 'east', 'west', 'central', '1', '12', 'x', 'E', ''), { minLength: 1, maxLength: 4 }).map((p) => p.join('-')),
);
const region = fc.oneof(judged(regions, isRegion));

const accountId = fc.oneof(judged(fc.oneof(
  { arbitrary: fc.oneof(fc.stringMatching(/^\d{12}$/), fc.constantFrom('000000000000', ref.string)), weight: 30 },
  // Near misses: 11 or 13 digits, a letter or space among digits, a number, Arabic-Indic digits.
  fc.stringMatching(/^(\d{11}|\d{13})$/), textOf(`${DIGITS}a `, 11, 13),
  fc.constantFrom(123456789012 as unknown as string, undefined as unknown as string, '٠١٢٣٤٥٦٧٨٩٠١'),
), isAccountId));

const roleName = fc.oneof({ arbitrary: fc.stringMatching(/^[\w+=,.@-]{1,20}$/), weight: 40 }, textOf('aB9_+=,.@-', 60, 70), fc.constantFrom('', 'a b', 'a:b', 'é'));
const roleArns = fc.oneof(
  { arbitrary: fc.record({
    partition: fc.oneof({ arbitrary: fc.constantFrom('aws', 'aws-cn', 'aws-us-gov'), weight: 40 }, fc.constantFrom('aws-iso-b', 'acs', 'AWS', 'awsx', 'aws-', 'aws--cn', 'aws-c1')),
    account: fc.oneof({ arbitrary: fc.stringMatching(/^\d{12}$/), weight: 40 }, fc.constantFrom('1', '1234567890123', '12345678901a')),
    kind: fc.oneof({ arbitrary: fc.constant('role'), weight: 40 }, fc.constantFrom('user', 'Role', 'role-x')),
    path: fc.oneof({ arbitrary: fc.array(fc.stringMatching(/^[\w+=,.@-]{1,12}$/), { maxLength: 3 }), weight: 40 }, fc.constant<string[]>(['']), fc.constant<string[]>(['p'.repeat(600)])),
    name: roleName,
  }).map(({ partition, account, kind, path, name }) => `arn:${partition}:iam::${account}:${kind}/${path.map((p) => `${p}/`).join('')}${name}`), weight: 40 },
  fc.constantFrom(ref.string, 'acs:ram::1234567890123456:role/BatchRole', 'arn:aws:iam::123456789012:role', 'arn:aws:iam:us-east-1:123456789012:role/r', '', undefined as unknown as string),
);
const roleArn = fc.oneof(judged(roleArns, isRoleArn));

const priority = fc.oneof(judged(fc.oneof(
  { arbitrary: fc.oneof(fc.integer({ min: 0, max: 2147483647 }), fc.constantFrom(0, 2147483647, ref.number)), weight: 20 },
  fc.constantFrom(-1, 1.5, 2147483648, Number.NaN, Infinity, undefined as unknown as number, null as unknown as number),
), isPriority));

const description = fc.oneof(judged(fc.oneof(
  { arbitrary: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }), weight: 8 },
  fc.constantFrom('d'.repeat(256), 'd'.repeat(257), ref.string, 5 as unknown as string),
), optional(literal((text) => text.length <= 256))));

const flags = fc.oneof({ arbitrary: fc.constantFrom(undefined, true, false, ref.bool), weight: 20 }, fc.constantFrom('yes' as unknown as boolean, 0 as unknown as boolean));
const confirmationRequired = fc.oneof(judged(flags, isFlag));

/** Bucket names: mostly well formed, some from an alphabet that breaks every rule. */
const buckets = fc.oneof(
  { arbitrary: fc.oneof(fc.stringMatching(/^[a-z0-9]{1,8}([.-][a-z0-9]{1,8}){0,3}$/), fc.constantFrom('my.bucket-1', 'a'.repeat(63), 'abc', ref.string, ref.inText)), weight: 40 },
  fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,20}[a-z0-9]$/), textOf('ab9.-A_', 1, 8),
  fc.constantFrom('a'.repeat(64), 'ab', '192.168.1.1', '192.168.1.a', 'a..b', '-ops', 'ops-', 'ops.', 'Ops', 'o_ps', 'oss-bucket!', '', 42 as unknown as string),
);
/** Keys and prefixes: ASCII, multi-byte UTF-8 at the 1023-byte boundary, leading slashes. */
const keys = fc.oneof(
  { arbitrary: fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9/._ -]{0,30}$/), fc.constantFrom('ünïcode/ключ.csv', 'k'.repeat(1023), `${'é'.repeat(511)}a`, ref.string, ref.inText)), weight: 40 },
  textOf('a/\\é😀 .', 0, 6),
  fc.constantFrom('', '/abs.csv', '\\win', 'k'.repeat(1024), 'é'.repeat(512), `${'😀'.repeat(255)}abcd`, 7 as unknown as string),
);
const etags = fc.oneof(
  { arbitrary: fc.option(fc.stringMatching(/^"?[0-9a-f]{32}(-\d{1,3})?"?$/), { nil: undefined }), weight: 30 },
  fc.constantFrom('"', '""', '', 'E'.repeat(128), `"${'E'.repeat(128)}"`, 'E'.repeat(129), ref.string),
);
const versionIds = fc.oneof(
  { arbitrary: fc.option(fc.stringMatching(/^[\w.]{1,40}$/), { nil: undefined }), weight: 30 },
  fc.constantFrom('', 'v'.repeat(1024), 'v'.repeat(1025), ref.string, 1 as unknown as string),
);

/** `{ value, valid }` of a generated record of parts: valid when every part is. */
const all = (checks: boolean[]) => checks.every(Boolean);

// Prefix manifests for fromManifestFromPrefix (the second with a referenced includeVersionIds).
const listing = new S3ManifestFromPrefix(stack, 'S3Listing', { region: 'us-east-1', sourceBucket: 'photos', manifestBucket: 'ops' });
const versionedListing = new S3ManifestFromPrefix(stack, 'S3ListingV', { region: ref.string, sourceBucket: 'photos', manifestBucket: ref.string, includeVersionIds: ref.bool });

/** Tags: 0-10 (an object literal cannot repeat a key), keys 1-128 and values 0-256 characters. */
const tagKey = fc.oneof({ arbitrary: fc.string({ minLength: 1, maxLength: 12 }), weight: 12 }, fc.constantFrom('', 'k'.repeat(128), 'k'.repeat(129), ref.string));
const tagValue = fc.oneof({ arbitrary: fc.string({ maxLength: 12 }), weight: 12 }, fc.constantFrom('v'.repeat(256), 'v'.repeat(257), ref.string));
const isTags = (tags: Record<string, string>) => {
  const entries = Object.entries(tags);
  return entries.length <= 10 && entries.every(([k, v]) => (isRef(k) || (k.length >= 1 && k.length <= 128)) && (isRef(v) || v.length <= 256));
};

const operation = fc.oneof(
  judged(fc.oneof(
    { arbitrary: fc.dictionary(tagKey, tagValue, { maxKeys: 4 }), weight: 12 },
    fc.dictionary(tagKey, tagValue, { minKeys: 9, maxKeys: 12 }),
  ).map((tags) => ({ tags, op: S3BatchOperation.putObjectTagging(tags) })), ({ tags }) => isTags(tags)),
  ok(fc.constant({ op: S3BatchOperation.deleteObjectTagging() })),
  judged(fc.oneof({ arbitrary: fc.constantFrom(...Object.values(S3CannedAcl)), weight: 8 }, fc.constantFrom('default', 'Private', 'log-delivery-write', ref.string))
    .map((acl) => ({ acl, op: S3BatchOperation.putObjectAcl(acl as S3CannedAcl) })), ({ acl }) => oneOf(CANNED_ACLS)(acl)),
  judged(fc.record({
    days: fc.oneof({ arbitrary: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.constantFrom(1, 2147483647, ref.number)), weight: 8 },
      fc.constantFrom(0, -1, 1.5, 2147483648, Number.NaN, undefined as unknown as number)),
    tier: fc.oneof({ arbitrary: fc.constantFrom(undefined, S3RestoreTier.BULK, S3RestoreTier.STANDARD, ref.string), weight: 8 }, fc.constantFrom('EXPEDITED', 'Bulk', 'Expedited')),
  }).map((o) => ({ ...o, op: S3BatchOperation.initiateRestoreObject(o as { days: number; tier?: S3RestoreTier }) })),
  ({ days, tier }) => all([isRef(days) || (Number.isInteger(days) && days >= 1 && days <= 2147483647), optional(oneOf(['BULK', 'STANDARD']))(tier)])),
  judged(fc.record({
    targetBucket: buckets,
    targetKeyPrefix: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, keys),
    storageClass: fc.oneof({ arbitrary: fc.constantFrom(undefined, ...Object.values(S3StorageClass), ref.string), weight: 12 }, fc.constantFrom('IA', 'Standard', 'GLACIER_DEEP')),
    cannedAcl: fc.oneof({ arbitrary: fc.constantFrom(undefined, ...Object.values(S3CannedAcl), ref.string), weight: 12 }, fc.constantFrom('public', 'default')),
  }).map((o) => ({ ...o, op: S3BatchOperation.putObjectCopy(o as { targetBucket: string }) })),
  (o) => all([isBucket(o.targetBucket), optional(isKey(true))(o.targetKeyPrefix), optional(oneOf(STORAGE_CLASSES))(o.storageClass), optional(oneOf(CANNED_ACLS))(o.cannedAcl)])),
  // Not from an S3BatchOperation factory.
  bad({ op: BatchOperation.putObjectTagging({ env: 'prod' }) as unknown as S3BatchOperation }, { op: undefined as unknown as S3BatchOperation },
    { op: { type: 'S3DeleteObjectTagging' } as unknown as S3BatchOperation }),
).map(({ value, valid }) => ({ value: value.op, valid }));

const manifest = fc.oneof(
  judged(fc.record({ bucket: buckets, key: keys, etag: etags, versionId: versionIds, includesVersionIds: flags })
    .map((o) => ({ ...o, m: S3JobManifest.fromCsv(o) })),
  (o) => all([isBucket(o.bucket), isKey(false)(o.key), isPinned(128)(o.etag), isPinned(1024)(o.versionId), isFlag(o.includesVersionIds)])),
  judged(fc.record({ bucket: buckets, manifestKey: keys, etag: etags }).map((o) => ({ ...o, m: S3JobManifest.fromInventoryReport(o) })),
    (o) => all([isBucket(o.bucket), isKey(false)(o.manifestKey), isPinned(128)(o.etag)])),
  judged(fc.record({ sourceBucket: buckets, prefix: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, keys) })
    .map((o) => ({ ...o, m: S3JobManifest.fromGenerator(o) })), (o) => all([isBucket(o.sourceBucket), optional(isKey(true))(o.prefix)])),
  ok(fc.constantFrom(listing, versionedListing).map((l) => ({ m: S3JobManifest.fromManifestFromPrefix(l) }))),
  // Not from an S3JobManifest factory.
  bad({ m: JobManifest.fromKeyPrefix({ sourceBucket: 'photos' }) as unknown as S3JobManifest }, { m: {} as S3JobManifest }, { m: undefined as unknown as S3JobManifest }),
).map(({ value, valid }) => ({ value: value.m, valid }));

/** The bucket may be left out only while the report is disabled (a referenced `enabled` defers that to apply). */
const report = fc.oneof(
  judged(fc.record({
    bucket: fc.oneof({ arbitrary: buckets, weight: 30 }, fc.constantFrom(undefined, '')),
    prefix: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, keys),
    scope: fc.oneof({ arbitrary: fc.constantFrom(undefined, ReportScope.ALL_TASKS, ReportScope.FAILED_TASKS_ONLY, ref.string), weight: 30 }, fc.constantFrom('Some', 'ALL_TASKS')),
    enabled: flags,
  }, { requiredKeys: ['bucket'] }), (r) => all([
    isFlag(r.enabled),
    absent(r.bucket) ? r.enabled === false || isRef(r.enabled) : r.bucket === '' ? r.enabled === false : isBucket(r.bucket),
    optional(isKey(true))(r.prefix),
    optional(oneOf(['AllTasks', 'FailedTasksOnly']))(r.scope),
  ]), 20),
  bad(undefined, 'ops' as unknown as object),
);

const fields = {
  region,
  accountId,
  endpoint,
  pathStyle,
  roleArn,
  priority,
  description,
  confirmationRequired,
  operation,
  manifest,
  report,
  ...settings,
  rerunToken,
};

const prefix = fc.oneof(judged(fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, keys), optional(isKey(true))));
const prefixFields = {
  region,
  endpoint,
  pathStyle,
  sourceBucket: fc.oneof(judged(buckets, isBucket)),
  prefix,
  manifestBucket: fc.oneof(judged(buckets, isBucket)),
  manifestPrefix: prefix,
  filter: filter([['STANDARD', 'STANDARD_IA'], ['GLACIER', 'DEEP_ARCHIVE', 'REDUCED_REDUNDANCY', 'EXPRESS_ONEZONE']], 'ColdArchive'),
  includeVersionIds: fc.oneof(judged(flags, isFlag)),
  rerunToken,
};

describe(`S3 props fuzzing (${RUNS} cases each)`, () => {
  fuzzTest('S3BatchJob', 'S3Job', (id, props) => new S3BatchJob(stack, id, props as unknown as S3BatchJobProps), fields, 20261203);
  fuzzTest('S3ManifestFromPrefix', 'S3Manifest', (id, props) => new S3ManifestFromPrefix(stack, id, props as unknown as S3ManifestFromPrefixProps), prefixFields, 20261204);
});
