/**
 * BatchJob: props (the public, jsii-compatible contract), the construct, and its attributes.
 * Normalization lives in batch-job-spec.ts, the Terraform wiring in result-wiring.ts.
 */
import type { Construct } from 'constructs';
import { HANDLER_ENTRY_FILE } from '../shared/contract';
import { jobToken } from '../shared/token';
import { jobIdentityOf } from './batch-job-spec';
import { DeletionBehavior, ReportScope } from './enums';
import type { JobManifest } from './manifest';
import type { BatchOperation } from './operation';
import { _JobConstruct } from './private/handler-construct';
import type { _JobCommonProps } from './shared-props';

/** Where OSS writes the job's completion report. */
export interface JobReportProps {
  /**
   * Bucket for the report.
   *
   * Must be in the job's region. May be a reference to a bucket created in the same stack.
   */
  readonly bucket: string;
  /**
   * Key prefix of the report objects.
   *
   * OSS writes the report under `<prefix>` in a folder per job; at most 1023 bytes, not starting with "/".
   * @default 'oss-batch-reports/'
   */
  readonly prefix?: string | undefined;
  /**
   * Which tasks the report lists.
   *
   * With FAILED_TASKS_ONLY a successful job writes an empty report.
   * @default ReportScope.ALL_TASKS
   */
  readonly scope?: ReportScope | undefined;
  /**
   * Whether OSS writes a report.
   *
   * Without one, verification relies on the task counts only and cannot name the failed keys.
   * @default true
   */
  readonly enabled?: boolean | undefined;
}

/**
 * Props of a BatchJob.
 *
 * Three kinds of props. Identity props (`region`, `roleArn`, `priority`, `operation`, `manifest`,
 * `report`, `description`, `confirmationRequired`, `rerunToken`) are hashed into the
 * ClientRequestToken: changing one creates a new job. They may be Terraform references (variables,
 * other resources' attributes, locals); their resolved values count. Connection props (`endpoint`,
 * `pathStyle`) and settings (`autoConfirm`, `waitForCompletion`, `timeoutSeconds`,
 * `maxFailedTasks`, `deletionBehavior`) are not identity: changing them never starts a job. Settings
 * must be literals (they are checked at synth).
 */
export interface BatchJobProps extends _JobCommonProps {
  /**
   * Region of the job and its buckets.
   *
   * A region id such as `cn-hangzhou` (`oss-cn-hangzhou` is accepted and means the same). May be a reference.
   */
  readonly region: string;
  /**
   * OSS endpoint URL override.
   *
   * An http or https URL, e.g. the emulator's `http://127.0.0.1:9000` or a VPC's
   * `https://oss-cn-hangzhou-internal.aliyuncs.com`. Not identity: changing it never starts a job.
   * `OSS_ENDPOINT` in Terraform's environment overrides it at apply time. Stored in Terraform state;
   * credentials never are (the handler reads them from its environment).
   * @default - $OSS_ENDPOINT at apply time, else https://oss-<region>.aliyuncs.com
   */
  readonly endpoint?: string | undefined;
  /**
   * RAM role OSS assumes to run the job.
   *
   * `acs:ram::<account id>:role/<name>`; the role must trust the OSS service and may act on the
   * buckets. May be a reference (e.g. the ARN of a role created in the same stack).
   */
  readonly roleArn: string;
  /**
   * The one operation to run on every object.
   *
   * Built with a `BatchOperation` factory, e.g. `BatchOperation.putObjectTagging({ env: 'prod' })`.
   */
  readonly operation: BatchOperation;
  /**
   * The objects to process.
   *
   * Built with `JobManifest.fromCsv`, `JobManifest.fromKeyPrefix` or `JobManifest.fromManifestFromPrefix`.
   */
  readonly manifest: JobManifest;
  /**
   * Completion report settings.
   *
   * `{ bucket }` is enough; `{ bucket, enabled: false }` turns the report off.
   */
  readonly report: JobReportProps;
  /**
   * Create the job in Suspended state.
   *
   * The job runs only after someone confirms it (`oss-batch jobs confirm <id>`), or automatically
   * during apply with `autoConfirm`.
   * @default false
   */
  readonly confirmationRequired?: boolean | undefined;
  /**
   * What destroy (or a replacement by a changed spec) does with the job.
   *
   * Jobs cannot be deleted in OSS: RETAIN leaves it as history, CANCEL cancels it if still running.
   * @default DeletionBehavior.RETAIN
   */
  readonly deletionBehavior?: DeletionBehavior | undefined;
}

/**
 * A declarative OSS Batch Operations job. The job is created once per identity: its
 * ClientRequestToken is a hash of the normalized identity props as Terraform resolves them, so
 * re-applying the same spec finds the same job (also after a crash mid-apply), and changing an
 * identity prop (or `rerunToken`) replaces the resource and creates a new job. Connection props
 * (`endpoint`, `pathStyle`) and settings (`timeoutSeconds`, …) are not identity: changing them
 * updates the resource in place and starts nothing. Apply waits for the job and verifies its
 * outcome (see `waitForCompletion`, `maxFailedTasks`).
 *
 * Identity props may be Terraform references (variables, other resources' attributes, locals):
 * synth checks the literal values, the handler checks every value at apply before any call to OSS.
 * Synth does no network I/O; the job runs at apply time in a bundled handler that Terraform starts
 * from a `local-exec` provisioner.
 */
export class BatchJob extends _JobConstruct {
  /**
   * The ClientRequestToken sent to OSS.
   *
   * Known at synth when every identity prop is a literal (a plain string); otherwise a Terraform
   * reference known after apply, computed by the handler from the resolved values. Either way it is
   * the same function of the same values (docs/identity.md), e.g. `ossb2-` and 58 hex digits.
   */
  public readonly clientRequestToken: string;

  constructor(scope: Construct, id: string, props: BatchJobProps) {
    super(scope, id);
    this.clientRequestToken = this._wireJob('batch-job', jobIdentityOf(this.node.path, props), props, HANDLER_ENTRY_FILE, jobToken);
  }

  /** `oss://bucket/prefix/job-<id>/` of the completion report, or '' when disabled (known after apply). */
  public get reportLocation(): string {
    return this._string('reportLocation');
  }
}
