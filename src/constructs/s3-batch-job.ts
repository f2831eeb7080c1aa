/**
 * S3BatchJob: an AWS S3 Batch Operations job, declared like a BatchJob and wired the same way (two
 * terraform_data resources, identity as triggers_replace), run at apply time by the S3 handler
 * bundle. Its identity rules are the shared S3 ones (src/shared/s3-identity.ts).
 */
import type { Construct } from 'constructs';
import { S3_HANDLER_ENTRY_FILE } from '../shared/contract';
import { checkS3JobIdentity, S3JobIdentity } from '../shared/s3-identity';
import { s3JobToken } from '../shared/token';
import { factoryBuiltParts } from './batch-job-spec';
import type { DeletionBehavior, ReportScope } from './enums';
import { _JobConstruct } from './private/handler-construct';
import type { S3JobManifest } from './s3-manifest';
import type { S3BatchOperation } from './s3-operation';
import type { _JobCommonProps } from './shared-props';
import { synthChecks } from './validation';

/** Where S3 writes the job's completion report. */
export interface S3JobReportProps {
  /**
   * Bucket for the report.
   *
   * Required while the report is enabled. May be a reference to a bucket created in the same stack.
   * @default - none: only allowed with `enabled: false`
   */
  readonly bucket?: string | undefined;
  /**
   * Key prefix of the report.
   *
   * S3 writes the report under `<prefix>/job-<job id>/`; a trailing "/" is dropped. At most 1023
   * bytes, not starting with "/".
   * @default 's3-batch-reports'
   */
  readonly prefix?: string | undefined;
  /**
   * Which tasks the report lists.
   *
   * With FAILED_TASKS_ONLY a successful job writes no task lines.
   * @default ReportScope.ALL_TASKS
   */
  readonly scope?: ReportScope | undefined;
  /**
   * Whether S3 writes a completion report.
   *
   * Without one, verification relies on the task counts only and cannot name the failed keys.
   * @default true
   */
  readonly enabled?: boolean | undefined;
}

/**
 * Props of an S3BatchJob.
 *
 * Three kinds of props, as for BatchJob. Identity props (`region`, `accountId`, `roleArn`,
 * `priority`, `operation`, `manifest`, `report`, `description`, `confirmationRequired`,
 * `rerunToken`) are hashed into the ClientRequestToken: changing one creates a new job. They may
 * be Terraform references (variables, other resources' attributes, locals); their resolved values
 * count. Connection props (`endpoint`, `pathStyle`) and settings (`autoConfirm`,
 * `waitForCompletion`, `timeoutSeconds`, `maxFailedTasks`, `deletionBehavior`) are not identity:
 * changing them never starts a job. Settings must be literals (they are checked at synth).
 */
export interface S3BatchJobProps extends _JobCommonProps {
  /**
   * AWS region of the job.
   *
   * A region id such as `us-east-1`. S3 Control creates the job in this region; its buckets may be
   * elsewhere. May be a reference.
   */
  readonly region: string;
  /**
   * AWS account that owns the job.
   *
   * 12 digits, written as a string (an account id may start with 0). S3 Control requests are made
   * against this account. May be a reference (e.g. `DataAwsCallerIdentity.accountId`).
   */
  readonly accountId: string;
  /**
   * S3 and S3 Control endpoint URL override.
   *
   * An http or https URL, e.g. the emulator's `http://127.0.0.1:9000`; it replaces both the S3 and
   * the S3 Control endpoint (`pathStyle` applies to the S3 requests only). Not identity: changing it never starts a job. `S3_ENDPOINT` in
   * Terraform's environment overrides it at apply time. Stored in Terraform state; credentials
   * never are (the handler reads them from the AWS SDK's default credential chain).
   * @default - $S3_ENDPOINT at apply time, else the region's AWS endpoints
   */
  readonly endpoint?: string | undefined;
  /**
   * IAM role S3 Batch Operations assumes to run the job.
   *
   * `arn:aws:iam::<account id>:role/<name>` (also `aws-cn`, `aws-us-gov`); the role must trust the
   * service principal `batchoperations.s3.amazonaws.com` and may read the manifest, run the
   * operation on the objects and write the report. May be a reference (e.g. the ARN of an
   * `aws_iam_role` of the same stack).
   */
  readonly roleArn: string;
  /**
   * The one operation to run on every object.
   *
   * Built with an `S3BatchOperation` factory, e.g. `S3BatchOperation.putObjectTagging({ env: 'prod' })`.
   */
  readonly operation: S3BatchOperation;
  /**
   * The objects to process.
   *
   * Built with `S3JobManifest.fromCsv`, `fromInventoryReport`, `fromGenerator` or `fromManifestFromPrefix`.
   */
  readonly manifest: S3JobManifest;
  /**
   * Completion report settings.
   *
   * `{ bucket }` is enough; `{ enabled: false }` turns the report off.
   */
  readonly report: S3JobReportProps;
  /**
   * Create the job in the Suspended state.
   *
   * The job runs only after someone confirms it (S3 console, or `aws s3control update-job-status
   * --requested-job-status Ready`), or automatically during apply with `autoConfirm`.
   * @default false
   */
  readonly confirmationRequired?: boolean | undefined;
  /**
   * What destroy (or a replacement by a changed spec) does with the job.
   *
   * S3 Batch Operations jobs cannot be deleted (S3 keeps them for 90 days): RETAIN leaves the job
   * as history, CANCEL cancels it if still running.
   * @default DeletionBehavior.RETAIN
   */
  readonly deletionBehavior?: DeletionBehavior | undefined;
}

/**
 * A declarative AWS S3 Batch Operations job. The job is created once per identity: its
 * ClientRequestToken is a hash of the normalized identity props as Terraform resolves them, so
 * re-applying the same spec finds the same job (also after a crash mid-apply), and changing an
 * identity prop (or `rerunToken`) replaces the resource and creates a new job. Connection props
 * (`endpoint`, `pathStyle`) and settings (`timeoutSeconds`, …) are not identity: changing them
 * updates the resource in place and starts nothing. Apply waits for the job and verifies its
 * outcome (see `waitForCompletion`, `maxFailedTasks`).
 *
 * Identity props may be Terraform references (variables, other resources' attributes, locals):
 * synth checks the literal values, the handler checks every value at apply before any call to
 * AWS. Synth does no network I/O; the job runs at apply time in a bundled handler
 * (`s3-handler.js`) that Terraform starts from a `local-exec` provisioner. Credentials come from
 * the AWS SDK's default chain in Terraform's environment.
 */
export class S3BatchJob extends _JobConstruct {
  /**
   * The ClientRequestToken sent to S3 Control.
   *
   * Known at synth when every identity prop is a literal (a plain string); otherwise a Terraform
   * reference known after apply, computed by the handler from the resolved values. Either way it is
   * the same function of the same values, `s3b1-` and 59 hex digits.
   */
  public readonly clientRequestToken: string;

  constructor(scope: Construct, id: string, props: S3BatchJobProps) {
    super(scope, id);
    this.clientRequestToken = this._wireJob('s3-batch-job', s3JobIdentityOf(this.node.path, props), props, S3_HANDLER_ENTRY_FILE, s3JobToken);
  }

  /** The job's ARN, `arn:aws:s3:<region>:<account>:job/<id>` (known after apply). */
  public get jobArn(): string {
    return this._string('jobArn');
  }

  /** `s3://bucket/prefix/job-<id>/` of the completion report, or '' when disabled (known after apply). */
  public get reportLocation(): string {
    return this._string('reportLocation');
  }
}

/** The S3 job identity; values given as references stay references (checked by the handler at apply). */
function s3JobIdentityOf(path: string, props: S3BatchJobProps): S3JobIdentity {
  const parts = factoryBuiltParts(path, props, 'an S3BatchOperation factory, e.g. S3BatchOperation.putObjectTagging({ env: \'prod\' })',
    'S3JobManifest.fromCsv, fromInventoryReport, fromGenerator or fromManifestFromPrefix');
  // The check reads the identity props by name; settings and connection props in `props` are not read.
  return checkS3JobIdentity(synthChecks(path), { ...props, ...parts });
}
