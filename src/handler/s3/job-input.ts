/**
 * Pure mappings between the normalized `S3JobIdentity` and S3 Control: the CreateJob request
 * (bucket names become ARNs here), the result file, and the spec comparison that recognises our
 * job among live jobs when the result file is gone.
 */
import type { CreateJobCommandInput, JobDescriptor as AwsJob, JobOperation } from '@aws-sdk/client-s3-control';
import type { S3BatchJobResult } from '../../shared/contract';
import { s3BucketArn, S3JobIdentity, S3_MANIFEST_FORMAT_INVENTORY, s3ObjectArn, S3_REPORT_FORMAT } from '../../shared/s3-identity';
import { canonicalJson } from '../../shared/token';
import type { S3JobDescriptor } from './control';
import { s3ReportUrl } from './report';

export type S3CreateJobInput = Omit<CreateJobCommandInput, 'AccountId'>;

/**
 * The CreateJob request. `manifestEtag` is the CSV or inventory manifest's ETag: the identity's
 * when pinned, else what HeadObject said (S3 requires one).
 */
export function toS3CreateJobInput(spec: S3JobIdentity, token: string, manifestEtag?: string): S3CreateJobInput {
  const input: S3CreateJobInput = {
    ClientRequestToken: token,
    ConfirmationRequired: spec.confirmationRequired,
    Operation: toS3Operation(spec),
    Report: spec.report.enabled
      ? { Bucket: s3BucketArn(spec.region, spec.report.bucket), Format: S3_REPORT_FORMAT, Enabled: true, Prefix: spec.report.prefix || undefined, ReportScope: spec.report.scope as 'AllTasks' }
      : { Enabled: false },
    Priority: spec.priority,
    RoleArn: spec.roleArn,
    Description: spec.description || undefined,
  };
  const m = spec.manifest;
  if (m.csv) {
    input.Manifest = {
      Spec: { Format: m.csv.format as 'S3BatchOperations_CSV_20180820', Fields: m.csv.fields.split(',') as ('Bucket' | 'Key')[] },
      Location: { ObjectArn: s3ObjectArn(spec.region, m.csv.bucket, m.csv.key), ETag: m.csv.etag ?? manifestEtag, ObjectVersionId: m.csv.versionId },
    };
  } else if (m.inventory) {
    input.Manifest = {
      Spec: { Format: m.inventory.format as 'S3InventoryReport_CSV_20161130' },
      Location: { ObjectArn: s3ObjectArn(spec.region, m.inventory.bucket, m.inventory.manifestKey), ETag: m.inventory.etag ?? manifestEtag },
    };
  } else if (m.generator) {
    input.ManifestGenerator = {
      S3JobManifestGenerator: {
        SourceBucket: s3BucketArn(spec.region, m.generator.sourceBucket), EnableManifestOutput: false,
        Filter: m.generator.prefix ? { KeyNameConstraint: { MatchAnyPrefix: [m.generator.prefix] } } : undefined,
      },
    };
  }
  return input;
}

function toS3Operation(spec: S3JobIdentity): JobOperation {
  const op = spec.operation;
  switch (op.type) {
    case 'S3PutObjectTagging':
      return { S3PutObjectTagging: { TagSet: (op.tags ?? []).map((t) => ({ Key: t.key, Value: t.value })) } };
    case 'S3DeleteObjectTagging':
      return { S3DeleteObjectTagging: {} };
    case 'S3PutObjectAcl':
      return { S3PutObjectAcl: { AccessControlPolicy: { CannedAccessControlList: op.cannedAcl as 'private' } } };
    case 'S3InitiateRestoreObject':
      return { S3InitiateRestoreObject: { ExpirationInDays: op.days, GlacierJobTier: op.tier as 'STANDARD' } };
    case 'S3PutObjectCopy':
      return {
        S3PutObjectCopy: {
          TargetResource: s3BucketArn(spec.region, op.targetBucket!), TargetKeyPrefix: op.targetKeyPrefix,
          StorageClass: op.storageClass as 'STANDARD' | undefined, CannedAccessControlList: op.cannedAcl as 'private' | undefined,
        },
      };
  }
}

/** The manifest object whose ETag S3 needs and the identity does not pin, if any. */
export function manifestToHead(spec: S3JobIdentity): { bucket: string; key: string; versionId?: string } | undefined {
  const { csv, inventory } = spec.manifest;
  if (csv && !csv.etag) return { bucket: csv.bucket, key: csv.key, versionId: csv.versionId };
  if (inventory && !inventory.etag) return { bucket: inventory.bucket, key: inventory.manifestKey };
  return undefined;
}

/** The result file's content (S3BatchJobResult in src/shared/contract.ts). */
export function s3ResultOf(job: S3JobDescriptor, spec: S3JobIdentity, token: string): S3BatchJobResult {
  const p = job.progressSummary;
  return {
    jobId: job.jobId,
    jobArn: job.jobArn,
    status: job.status,
    totalTasks: p.totalNumberOfTasks,
    succeededTasks: p.numberOfTasksSucceeded,
    failedTasks: p.numberOfTasksFailed,
    reportLocation: spec.report.enabled ? s3ReportUrl(spec.report, job.jobId) : '',
    clientRequestToken: token,
  };
}

type SpecFields = Pick<AwsJob, 'Operation' | 'Manifest' | 'ManifestGenerator' | 'Report' | 'Priority' | 'RoleArn' | 'Description' | 'ConfirmationRequired'>;

/**
 * Does a described job carry this spec? Both sides are reduced to one canonical form first: S3
 * may echo an empty string or element where we sent nothing, quote an ETag, or leave out a
 * default. An ETag the identity does not pin is not compared (we read it at create time).
 */
export function s3JobMatchesSpec(job: SpecFields, spec: S3JobIdentity): boolean {
  const etagPinned = manifestToHead(spec) === undefined;
  return canonicalJson(comparable(job, etagPinned)) === canonicalJson(comparable(toS3CreateJobInput(spec, ''), etagPinned));
}

function comparable(j: SpecFields, withEtag: boolean): unknown {
  const m = j.Manifest;
  const r = j.Report;
  return JSON.parse(JSON.stringify({
    operation: j.Operation,
    manifest: m && {
      spec: { format: m.Spec?.Format, fields: m.Spec?.Fields?.join(',') || (m.Spec?.Format === S3_MANIFEST_FORMAT_INVENTORY ? undefined : 'Bucket,Key') },
      location: { arn: m.Location?.ObjectArn, version: m.Location?.ObjectVersionId, etag: withEtag ? m.Location?.ETag?.replace(/"/g, '').toLowerCase() : undefined },
    },
    generator: j.ManifestGenerator?.S3JobManifestGenerator && {
      source: j.ManifestGenerator.S3JobManifestGenerator.SourceBucket,
      prefixes: j.ManifestGenerator.S3JobManifestGenerator.Filter?.KeyNameConstraint?.MatchAnyPrefix,
    },
    // A disabled report's bucket and prefix are not part of what the job does.
    report: r?.Enabled ? { bucket: r.Bucket, prefix: r.Prefix, scope: r.ReportScope ?? 'AllTasks' } : { enabled: false },
    priority: j.Priority,
    roleArn: j.RoleArn,
    description: j.Description,
    confirmationRequired: j.ConfirmationRequired ?? false,
  }, dropEmpty));
}

/** JSON without empty strings, nulls and empty lists, so "absent" has one spelling (Dates become ISO text). */
const dropEmpty = (_key: string, v: unknown) => (v === '' || v === null || (Array.isArray(v) && v.length === 0) ? undefined : v);
