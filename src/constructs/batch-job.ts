/**
 * A declarative OSS Batch Operations job: created exactly once per spec (ClientRequestToken =
 * hash of the normalized spec), awaited, verified, with its JobId exposed as a Terraform value.
 */
import { Construct } from 'constructs';
import type { BatchJobEvent, JobSettings, JobSpec, ReportSpec } from '../shared/contract';
import { tokenForSpec } from '../shared/token';
import { DeletionBehavior, ReportScope } from './enums';
import { invalidProp } from './errors';
import type { JobManifest } from './manifest';
import type { BatchOperation } from './operation';
import { TerraformData } from './private/terraform-data';
import { lookupNumber, lookupString, wireHandler } from './result-wiring';
import {
  checkBucket, checkEndpoint, checkInteger, checkLength, checkObjectKey, checkOneOf, checkRegion, checkRoleArn, MAX_PRIORITY, requireLiteral,
} from './validation';

/** Where the completion report goes. */
export interface JobReportProps {
  /** Bucket for the report (same region as the job). */
  readonly bucket: string;
  /**
   * Key prefix of the report objects.
   * @default 'oss-batch-reports/'
   */
  readonly prefix?: string;
  /**
   * Which tasks the report lists.
   * @default ReportScope.ALL_TASKS
   */
  readonly scope?: ReportScope;
  /**
   * Whether OSS writes a report. Without one, verification relies on the task counts only.
   * @default true
   */
  readonly enabled?: boolean;
}

export interface BatchJobProps {
  /** Region of the job and its buckets, e.g. `cn-hangzhou`. */
  readonly region: string;
  /**
   * OSS endpoint URL override, e.g. the emulator's `http://127.0.0.1:9000`.
   * @default - https://oss-<region>.aliyuncs.com
   */
  readonly endpoint?: string;
  /**
   * Put the bucket in the URL path instead of the host name.
   * @default - true for IP and localhost endpoints, false otherwise
   */
  readonly pathStyle?: boolean;
  /** RAM role OSS assumes to run the job: `acs:ram::<account id>:role/<name>`. */
  readonly roleArn: string;
  /** Job priority, 0-2147483647; higher runs first. */
  readonly priority: number;
  /** The one operation to run on every object. */
  readonly operation: BatchOperation;
  /** The objects to process. */
  readonly manifest: JobManifest;
  /** Completion report settings. */
  readonly report: JobReportProps;
  /**
   * Description shown in job listings (at most 256 characters).
   * @default ''
   */
  readonly description?: string;
  /**
   * Create the job in Suspended state: it runs only after confirmation.
   * @default false
   */
  readonly confirmationRequired?: boolean;
  /**
   * Confirm a Suspended job automatically during apply (only meaningful with `confirmationRequired`).
   * @default false
   */
  readonly autoConfirm?: boolean;
  /**
   * Wait until the job is finished and verified. When false, apply returns once the job exists.
   * @default true
   */
  readonly waitForCompletion?: boolean;
  /**
   * How long apply waits for the job, in seconds (1 to 604800). A later apply resumes waiting.
   * @default 3600
   */
  readonly timeoutSeconds?: number;
  /**
   * Failed tasks tolerated before the deployment fails.
   * @default 0
   */
  readonly maxFailedTasks?: number;
  /**
   * What destroy does with the job.
   * @default DeletionBehavior.RETAIN
   */
  readonly deletionBehavior?: DeletionBehavior;
  /**
   * Change this to run the same job again on purpose (it salts the ClientRequestToken).
   * @default - none
   */
  readonly rerunToken?: string;
}

export const DEFAULT_REPORT_PREFIX = 'oss-batch-reports/';
export const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

export class BatchJob extends Construct {
  /**
   * The ClientRequestToken, known at synth. With `JobManifest.fromManifestFromPrefix` the token
   * sent to OSS also covers the manifest's content hash (see README, "How a deployment works").
   */
  public readonly clientRequestToken: string;
  private readonly result: TerraformData;

  constructor(scope: Construct, id: string, props: BatchJobProps) {
    super(scope, id);
    const path = this.node.path;
    const spec = normalizeSpec(path, props);
    const settings = normalizeSettings(path, props);
    const bound = props.manifest._bind(path);
    spec.manifest = bound.spec;
    this.clientRequestToken = tokenForSpec({ ...spec, manifest: bound.identity });
    const event: BatchJobEvent = { kind: 'batch-job', name: path, token: this.clientRequestToken, spec, settings };
    if (bound.manifestIdentity !== undefined) event.manifestIdentity = bound.manifestIdentity;
    this.result = wireHandler(this, event, [this.clientRequestToken, ...bound.triggers], settings.deletionBehavior === 'cancel').result;
  }

  // Attribute tokens are made on first use: cdktf captures a stack trace per token, which is
  // most of the synth time of large stacks that never read them.

  /** The JobId (known after apply). */
  public get jobId(): string {
    return lookupString(this.result.outputRef, 'jobId');
  }

  /** Final status, e.g. Complete (known after apply). */
  public get status(): string {
    return lookupString(this.result.outputRef, 'status');
  }

  /** Number of tasks (objects) in the job (known after apply). */
  public get totalTasks(): number {
    return lookupNumber(this.result.outputRef, 'totalTasks');
  }

  /** Tasks that succeeded (known after apply). */
  public get succeededTasks(): number {
    return lookupNumber(this.result.outputRef, 'succeededTasks');
  }

  /** Tasks that failed (known after apply). */
  public get failedTasks(): number {
    return lookupNumber(this.result.outputRef, 'failedTasks');
  }

  /** `oss://bucket/prefix/job-<id>/` of the completion report, or '' when disabled (known after apply). */
  public get reportLocation(): string {
    return lookupString(this.result.outputRef, 'reportLocation');
  }
}

function normalizeSpec(path: string, props: BatchJobProps): JobSpec {
  checkRegion(path, props.region);
  checkEndpoint(path, props.endpoint);
  checkRoleArn(path, props.roleArn);
  checkInteger(path, 'priority', props.priority, 0, MAX_PRIORITY);
  checkLength(path, 'description', props.description, 0, 256);
  checkLength(path, 'rerunToken', props.rerunToken, 1, 64);
  // Booleans go into the event JSON and (most of them) the job identity: they must be literals.
  requireLiteral(path, 'confirmationRequired', props.confirmationRequired);
  requireLiteral(path, 'pathStyle', props.pathStyle);
  requireLiteral(path, 'autoConfirm', props.autoConfirm);
  requireLiteral(path, 'waitForCompletion', props.waitForCompletion);
  if (!props.operation || typeof props.operation._validate !== 'function') throw invalidProp(path, 'operation', 'must be built with a BatchOperation factory, e.g. BatchOperation.putObjectTagging({...})');
  if (!props.manifest || typeof props.manifest._bind !== 'function') throw invalidProp(path, 'manifest', 'must be built with JobManifest.fromCsv, fromKeyPrefix or fromManifestFromPrefix');
  if (!props.report) throw invalidProp(path, 'report', 'is required (at least { bucket })');
  return {
    connection: { region: props.region.replace(/^oss-/, ''), endpoint: props.endpoint, pathStyle: props.pathStyle },
    roleArn: props.roleArn,
    priority: props.priority,
    description: props.description ?? '',
    confirmationRequired: props.confirmationRequired ?? false,
    operation: props.operation._validate(path),
    manifest: {},
    report: normalizeReport(path, props.report),
    rerunToken: props.rerunToken,
  };
}

function normalizeReport(path: string, report: JobReportProps): ReportSpec {
  checkBucket(path, 'report.bucket', report.bucket);
  requireLiteral(path, 'report.enabled', report.enabled);
  checkObjectKey(path, 'report.prefix', report.prefix, true);
  const scope = report.scope ?? ReportScope.ALL_TASKS;
  checkOneOf(path, 'report.scope', scope, Object.values(ReportScope));
  return { enabled: report.enabled ?? true, bucket: report.bucket, prefix: report.prefix ?? DEFAULT_REPORT_PREFIX, scope };
}

function normalizeSettings(path: string, props: BatchJobProps): JobSettings {
  const timeoutSeconds = props.timeoutSeconds ?? 3600;
  checkInteger(path, 'timeoutSeconds', timeoutSeconds, 1, MAX_TIMEOUT_SECONDS);
  const maxFailedTasks = props.maxFailedTasks ?? 0;
  checkInteger(path, 'maxFailedTasks', maxFailedTasks, 0, Number.MAX_SAFE_INTEGER);
  const deletionBehavior = props.deletionBehavior ?? DeletionBehavior.RETAIN;
  checkOneOf(path, 'deletionBehavior', deletionBehavior, Object.values(DeletionBehavior));
  return {
    autoConfirm: props.autoConfirm ?? false,
    waitForCompletion: props.waitForCompletion ?? true,
    timeoutSeconds,
    maxFailedTasks,
    deletionBehavior: deletionBehavior as JobSettings['deletionBehavior'],
  };
}
