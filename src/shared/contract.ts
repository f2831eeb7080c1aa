/**
 * The link between synth (src/constructs) and apply time (src/handler): entry
 * point, environment variable names and the event/result shapes. Both sides
 * import this file so the compiler checks the link (one constants module, as aws-cdk keeps its consts.ts).
 * Nothing here may import cdktf or node I/O: the handler bundle includes it.
 */
import type { JobIdentity, PrefixManifestIdentity } from './identity';
import type { S3JobIdentity, S3PrefixManifestIdentity } from './s3-identity';

export type { JobIdentity, ManifestSpec, OperationSpec, PrefixManifestIdentity, ReportSpec } from './identity';

/** File name of the bundled handler inside its TerraformAsset directory. */
export const HANDLER_ENTRY_FILE = 'handler.js';
/**
 * The S3 backend's handler, a second bundle in the same asset directory: it carries the AWS SDK
 * clients (~0.7 MB), which OSS runs never load, so their cold start stays as it is.
 */
export const S3_HANDLER_ENTRY_FILE = 's3-handler.js';
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

/**
 * Version of the event layout. The handler refuses an event of another version with a message
 * that says to synthesize again (docs/identity.md: events and tokens are versioned separately).
 */
export const EVENT_FORMAT = 2;

/**
 * How the handler reaches OSS: settings, not identity. Changing them updates the resource in
 * place, never starts a job. Stored in state: never put credentials here. `OSS_ENDPOINT` in
 * Terraform's environment overrides `endpoint` at apply time.
 */
export interface ConnectionSettings {
  /** Full URL override (e.g. http://127.0.0.1:9000 for the emulator). */
  endpoint?: string;
  /** Path-style addressing (the emulator accepts both; real OSS wants virtual-host style). */
  pathStyle?: boolean;
}

/** Apply-time environment variable that overrides the stack's endpoint (the CLI reads it too). */
export const ENV_ENDPOINT = 'OSS_ENDPOINT';

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
  format: typeof EVENT_FORMAT;
  /** The construct path, for messages. */
  name: string;
  /** Hashed into the ClientRequestToken by the handler, after Terraform resolved the references. */
  identity: JobIdentity;
  connection: ConnectionSettings;
  settings: JobSettings;
}

export interface ManifestFromPrefixEvent {
  kind: 'manifest-from-prefix';
  format: typeof EVENT_FORMAT;
  name: string;
  identity: PrefixManifestIdentity;
  connection: ConnectionSettings;
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
  /** The CSV's columns: `Bucket,Key` or `Bucket,Key,VersionId`. */
  fields: string;
}

/** Apply-time environment variable that overrides an S3BatchJob's endpoint (both S3 and S3 Control). */
export const ENV_S3_ENDPOINT = 'S3_ENDPOINT';

/** Event kinds of the S3 backend, run by the S3 handler (S3_HANDLER_ENTRY_FILE). */
export type S3EventKind = 's3-batch-job' | 's3-manifest-from-prefix';

/**
 * An S3BatchJob's event. `connection.endpoint` replaces both the S3 and the S3 Control endpoint
 * (the emulator serves both on one port; S3 Control clients put `<accountId>.` in front of its
 * host); `connection.pathStyle` applies to the S3 client only.
 */
export interface S3BatchJobEvent {
  kind: 's3-batch-job';
  format: typeof EVENT_FORMAT;
  name: string;
  identity: S3JobIdentity;
  connection: ConnectionSettings;
  settings: JobSettings;
}

export interface S3ManifestFromPrefixEvent {
  kind: 's3-manifest-from-prefix';
  format: typeof EVENT_FORMAT;
  name: string;
  identity: S3PrefixManifestIdentity;
  connection: ConnectionSettings;
}

export type S3HandlerEvent = S3BatchJobEvent | S3ManifestFromPrefixEvent;

/**
 * Result file of an S3BatchJob: the BatchJob fields, with `reportLocation`
 * `s3://bucket/<prefix>/job-<id>/` (or '' when disabled) and the job's ARN.
 */
export interface S3BatchJobResult extends BatchJobResult {
  jobArn: string;
}
