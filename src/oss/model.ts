/**
 * Typed domain model of the OSS Batch Operations wire protocol, shared by the
 * client (src/oss), the handler (src/handler) and the emulator (src/emulator).
 * Internal: not part of the jsii public API, so unions are fine here.
 * Field meanings: docs/oss-api.md §1–§6.
 */

/** The 13 documented job statuses (ListJobs doc). */
export const JOB_STATUSES = [
  'New', 'Preparing', 'Ready', 'Suspended', 'Active', 'Pausing', 'Paused',
  'Completing', 'Complete', 'Cancelling', 'Cancelled', 'Failing', 'Failed',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TERMINAL_STATUSES: readonly JobStatus[] = ['Complete', 'Cancelled', 'Failed'];
/** Statuses from which a job can still be cancelled (docs/oss-api.md §4). */
export const CANCELLABLE_STATUSES: readonly JobStatus[] = ['New', 'Preparing', 'Ready', 'Suspended', 'Active', 'Pausing', 'Paused'];
export function isCancellableStatus(status: string): boolean {
  return (CANCELLABLE_STATUSES as readonly string[]).includes(status);
}

/** `oss-cn-hangzhou` and `cn-hangzhou` name the same region. */
export function normalizeRegion(region: string): string {
  return region.replace(/^oss-/, '');
}

/** The region's public endpoint. */
export function defaultEndpoint(region: string): string {
  return `https://oss-${normalizeRegion(region)}.aliyuncs.com`;
}
export function isTerminalStatus(status: string): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

export const OBJECT_ACLS = ['default', 'private', 'public-read', 'public-read-write'] as const;
export type ObjectAclValue = (typeof OBJECT_ACLS)[number];

export const RESTORE_TIERS = ['Expedited', 'Standard', 'Bulk'] as const;
export type RestoreTierValue = (typeof RESTORE_TIERS)[number];

export const REPORT_SCOPES = ['AllTasks', 'FailedTasksOnly'] as const;
export type ReportScopeValue = (typeof REPORT_SCOPES)[number];

export const STORAGE_CLASSES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'] as const;
export type StorageClassValue = (typeof STORAGE_CLASSES)[number];

/** Manifest formats named by the Java SDK doc comment. */
export const MANIFEST_FORMAT_CSV = 'OSS_BatchOperations_CSV_20250611';
export const MANIFEST_FORMAT_INVENTORY = 'OSS_InventoryReport_CSV_20250611';

export interface Tag {
  key: string;
  value: string;
}

export type JobOperation =
  | { type: 'PutObjectTagging'; tags: Tag[] }
  | { type: 'AddObjectTagging'; tags: Tag[] }
  | { type: 'DeleteObjectTagging' }
  | { type: 'PutObjectAcl'; acl: string }
  | { type: 'RestoreObject'; days?: number; tier?: string };
export type JobOperationType = JobOperation['type'];
export const OPERATION_TYPES: readonly JobOperationType[] = [
  'PutObjectTagging', 'AddObjectTagging', 'DeleteObjectTagging', 'PutObjectAcl', 'RestoreObject',
];

export interface ManifestLocation {
  bucket: string;
  object: string;
  /** Without surrounding quotes (docs/oss-api.md §1: strip them). */
  etag?: string;
  versionId?: string;
}

export interface CsvManifest {
  location: ManifestLocation;
  spec: { format: string; fields?: string };
}

export interface KeyPrefixManifestGenerator {
  sourceBucket: string;
  prefix?: string;
}

export interface JobReportConfig {
  bucket: string;
  enabled: boolean;
  prefix?: string;
  reportScope?: string;
}

/** CreateJob request body (element order per docs/oss-api.md §1 is the encoder's job). */
export interface CreateJobInput {
  confirmationRequired?: boolean;
  operation: JobOperation;
  report: JobReportConfig;
  clientRequestToken: string;
  manifest?: CsvManifest;
  keyPrefixManifestGenerator?: KeyPrefixManifestGenerator;
  description?: string;
  priority: number;
  roleArn: string;
}

export interface ProgressSummary {
  numberOfTasksFailed: number;
  numberOfTasksSucceeded: number;
  totalNumberOfTasks: number;
  elapsedTimeInActiveSeconds?: number;
}

export interface JobFailure {
  failureCode: string;
  failureReason: string;
}

/** DescribeJob → Job. */
export interface JobDescriptor {
  jobId: string;
  status: string;
  confirmationRequired?: boolean;
  creationTime?: number;
  terminationDate?: number;
  description?: string;
  priority?: number;
  roleArn?: string;
  statusUpdateReason?: string;
  failureReasons: JobFailure[];
  operation?: JobOperation;
  report?: JobReportConfig;
  manifest?: CsvManifest;
  keyPrefixManifestGenerator?: KeyPrefixManifestGenerator;
  progressSummary: ProgressSummary;
}

/** ListJobs → JobListDescriptor (Operation is a plain string there). */
export interface JobListEntry {
  jobId: string;
  status: string;
  operation?: string;
  description?: string;
  priority?: number;
  creationTime?: number;
  terminationDate?: number;
  progressSummary: ProgressSummary;
}

export interface ListJobsInput {
  statuses?: string[];
  maxKeys?: number;
  continuationToken?: string;
}

export interface ListJobsResult {
  nextToken?: string;
  jobs: JobListEntry[];
}

export type RequestedJobStatus = 'Ready' | 'Cancelled';

export interface UpdateJobStatusResult {
  jobId: string;
  status: string;
  statusUpdateReason?: string;
}

export interface UpdateJobPriorityResult {
  jobId: string;
  priority: number;
}

/** The OSS error document (docs/oss-api.md §9). */
export interface OssErrorBody {
  code: string;
  message: string;
  requestId?: string;
  hostId?: string;
  ec?: string;
  recommendDoc?: string;
}

// ---- object APIs ---------------------------------------------------------

export interface ObjectSummary {
  key: string;
  size: number;
  /** Without the surrounding quotes OSS puts in XML and headers. */
  etag: string;
  lastModified: string; // ISO-8601
  storageClass: string;
}

export interface ListObjectsV2Input {
  prefix?: string;
  delimiter?: string;
  continuationToken?: string;
  startAfter?: string;
  maxKeys?: number;
}

export interface ListObjectsV2Result {
  name: string;
  prefix?: string;
  delimiter?: string;
  maxKeys: number;
  keyCount: number;
  isTruncated: boolean;
  nextContinuationToken?: string;
  contents: ObjectSummary[];
  commonPrefixes: string[];
}

export interface ObjectVersionSummary extends ObjectSummary {
  versionId: string;
  isLatest: boolean;
}

export interface DeleteMarkerSummary {
  key: string;
  versionId: string;
  isLatest: boolean;
  lastModified: string;
}

export interface ListObjectVersionsInput {
  prefix?: string;
  keyMarker?: string;
  versionIdMarker?: string;
  maxKeys?: number;
}

export interface ListObjectVersionsResult {
  name: string;
  prefix?: string;
  maxKeys: number;
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
  versions: ObjectVersionSummary[];
  deleteMarkers: DeleteMarkerSummary[];
}

export interface PutObjectOptions {
  contentType?: string;
  storageClass?: string;
  acl?: string;
  /** Tags to set at upload (x-oss-tagging). */
  tags?: Tag[];
}

export interface PutObjectResult {
  etag: string;
  versionId?: string;
}

export interface GetObjectResult {
  body: Buffer;
  etag: string;
  versionId?: string;
  contentType?: string;
  lastModified?: string;
}

export interface HeadObjectResult {
  etag: string;
  size: number;
  storageClass: string;
  versionId?: string;
  lastModified?: string;
  /** The x-oss-restore header, e.g. `ongoing-request="true"`. */
  restore?: string;
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
}
