/**
 * The link between synth (src/constructs) and apply time (src/handler): entry
 * point, environment variable names and the event/result shapes. Both sides
 * import this file so the compiler checks the link (style.md, aws-cdk consts.ts).
 * Nothing here may import cdktf or node I/O: the handler bundle includes it.
 */

/** File name of the bundled handler inside its TerraformAsset directory. */
export const HANDLER_ENTRY_FILE = 'handler.js';
/** Where `npm run build` writes the bundle, relative to the package root. */
export const HANDLER_BUNDLE_DIR = 'dist/handler';

/** JSON of the terraform_data `input` (the event). Set by the local-exec provisioner. */
export const ENV_EVENT = 'OSS_BATCH_EVENT';
/** Path of the result file the create step writes atomically. */
export const ENV_RESULT_FILE = 'OSS_BATCH_RESULT';

/** Directory, relative to the stack's working directory, holding result files. */
export const RESULT_DIR = '.oss-batch';

/** The handler's commands (argv[2]). */
export const HANDLER_COMMANDS = ['create', 'delete'] as const;
export type HandlerCommand = (typeof HANDLER_COMMANDS)[number];

/** Event kinds: one terraform_data per construct instance. */
export type EventKind = 'batch-job' | 'manifest-from-prefix';

/** How the handler reaches OSS. Stored in state: never put credentials here. */
export interface ConnectionSpec {
  region: string;
  /** Full URL override (e.g. http://127.0.0.1:9000 for the emulator). */
  endpoint?: string;
  /** Path-style addressing (the emulator accepts both; real OSS wants virtual-host style). */
  pathStyle?: boolean;
}

/** Normalized operation (defaults filled in). */
export interface OperationSpec {
  type: 'PutObjectTagging' | 'AddObjectTagging' | 'DeleteObjectTagging' | 'PutObjectAcl' | 'RestoreObject';
  tags?: { key: string; value: string }[];
  acl?: string;
  days?: number;
  tier?: string;
}

/** Normalized manifest: exactly one of csv / keyPrefix. */
export interface ManifestSpec {
  csv?: {
    bucket: string;
    key: string;
    etag?: string;
    versionId?: string;
    fields: string;
    format: string;
  };
  keyPrefix?: {
    sourceBucket: string;
    prefix: string;
  };
}

export interface ReportSpec {
  enabled: boolean;
  bucket: string;
  prefix: string;
  scope: string;
}

/**
 * The part of a BatchJob that defines the job's identity: its canonical JSON
 * is hashed into the ClientRequestToken (design §3).
 */
export interface JobSpec {
  connection: ConnectionSpec;
  roleArn: string;
  priority: number;
  description: string;
  confirmationRequired: boolean;
  operation: OperationSpec;
  manifest: ManifestSpec;
  report: ReportSpec;
  rerunToken?: string;
}

/** How the handler runs the job; changing these does not make a new job. */
export interface JobSettings {
  autoConfirm: boolean;
  waitForCompletion: boolean;
  timeoutSeconds: number;
  maxFailedTasks: number;
  deletionBehavior: 'retain' | 'cancel';
}

export interface BatchJobEvent {
  kind: 'batch-job';
  /** The construct path, for messages. */
  name: string;
  token: string;
  spec: JobSpec;
  settings: JobSettings;
  /**
   * Content hash of a manifest produced at apply time (ManifestFromPrefix), filled by a
   * Terraform reference. When set, the token sent to OSS is
   * `deriveEffectiveToken(token, manifestIdentity)` so that a re-created manifest with
   * different content is a different job (same token + different body is an error).
   */
  manifestIdentity?: string;
}

export interface ManifestFromPrefixEvent {
  kind: 'manifest-from-prefix';
  name: string;
  connection: ConnectionSpec;
  sourceBucket: string;
  prefix: string;
  manifestBucket: string;
  manifestKey: string;
  filter: {
    suffixes: string[];
    minSizeBytes?: number;
    maxSizeBytes?: number;
    /** ISO-8601. */
    modifiedAfter?: string;
    storageClasses: string[];
  };
  includeVersionIds: boolean;
  /** Hash of this event's inputs; the manifest resource is replaced when it changes. */
  token: string;
}

export type HandlerEvent = BatchJobEvent | ManifestFromPrefixEvent;

/** Result file of a BatchJob (the second terraform_data reads it). All strings/numbers. */
export interface BatchJobResult {
  jobId: string;
  status: string;
  totalTasks: number;
  succeededTasks: number;
  failedTasks: number;
  /** `oss://bucket/prefix` of the report, or '' when disabled. */
  reportLocation: string;
  clientRequestToken: string;
}

/** Result file of a ManifestFromPrefix. */
export interface ManifestResult {
  bucket: string;
  key: string;
  etag: string;
  objectCount: number;
  contentSha256: string;
}
