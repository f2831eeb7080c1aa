/**
 * BatchJob props → the normalized `JobSpec` (identity, hashed into the ClientRequestToken) and
 * `JobSettings` (how the handler runs the job; not hashed). Pure: checks first, then defaults
 * filled in, so key order and explicitly written defaults cannot change the token.
 */
import type { ConnectionSpec, JobSettings, JobSpec, ReportSpec } from '../shared/contract';
import { notBuiltWithFactory, invalidProp } from './errors';
import { DeletionBehavior, ReportScope } from './enums';
import type { BatchJobProps, JobReportProps } from './batch-job';
import {
  checkBucket, checkEndpoint, checkInteger, checkLength, checkObjectKey, checkOneOf, checkPrintable, checkRegion, checkRoleArn,
  MAX_PRIORITY, normalizeEndpoint, normalizeRegion, requireLiteral, requireLiteralSetting,
} from './validation';

export const DEFAULT_REPORT_PREFIX = 'oss-batch-reports/';
export const DEFAULT_TIMEOUT_SECONDS = 3600;
export const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;
export const MAX_DESCRIPTION_LENGTH = 256;

/** Region (normalized), endpoint (normalized) and pathStyle as given: the client decides the default. */
export function normalizeConnection(path: string, props: { region: string; endpoint?: string; pathStyle?: boolean }): ConnectionSpec {
  checkRegion(path, props.region);
  checkEndpoint(path, props.endpoint);
  requireLiteralSetting(path, 'pathStyle', props.pathStyle);
  if (props.pathStyle !== undefined && typeof props.pathStyle !== 'boolean') throw invalidProp(path, 'pathStyle', `must be true or false (got ${JSON.stringify(props.pathStyle)})`);
  const region = normalizeRegion(props.region);
  return { region, endpoint: normalizeEndpoint(props.endpoint, region), pathStyle: props.pathStyle };
}

/**
 * The part of the connection that identifies the service: path-style or virtual-host addressing
 * reach the same buckets, so `pathStyle` is left out of the job identity.
 */
export function identityConnection(connection: ConnectionSpec): ConnectionSpec {
  return { region: connection.region, endpoint: connection.endpoint };
}

/** The job spec without its manifest (bound separately, see JobManifest). */
export function normalizeSpec(path: string, props: BatchJobProps): JobSpec {
  if (!props || typeof props !== 'object') throw invalidProp(path, 'props', 'are required');
  const connection = normalizeConnection(path, props);
  checkRoleArn(path, props.roleArn);
  checkInteger(path, 'priority', props.priority, 0, MAX_PRIORITY, { note: 'higher runs first' });
  checkLength(path, 'description', props.description, 0, MAX_DESCRIPTION_LENGTH);
  checkLength(path, 'rerunToken', props.rerunToken, 1, 64);
  checkPrintable(path, 'rerunToken', props.rerunToken);
  requireLiteral(path, 'confirmationRequired', props.confirmationRequired);
  if (!props.operation || typeof props.operation._validate !== 'function') {
    throw notBuiltWithFactory(path, 'operation', 'a BatchOperation factory, e.g. BatchOperation.putObjectTagging({ env: \'prod\' })');
  }
  if (!props.manifest || typeof props.manifest._bind !== 'function') {
    throw notBuiltWithFactory(path, 'manifest', 'JobManifest.fromCsv, JobManifest.fromKeyPrefix or JobManifest.fromManifestFromPrefix');
  }
  if (!props.report || typeof props.report !== 'object') throw invalidProp(path, 'report', 'is required (at least { bucket }): OSS needs to know where the completion report goes, or { bucket, enabled: false }');
  return {
    connection,
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

export function normalizeReport(path: string, report: JobReportProps): ReportSpec {
  checkBucket(path, 'report.bucket', report.bucket, true);
  checkObjectKey(path, 'report.prefix', report.prefix, true);
  const scope = report.scope ?? ReportScope.ALL_TASKS;
  checkOneOf(path, 'report.scope', scope, Object.values(ReportScope));
  requireLiteral(path, 'report.enabled', report.enabled);
  return { enabled: report.enabled ?? true, bucket: report.bucket, prefix: report.prefix ?? DEFAULT_REPORT_PREFIX, scope };
}

/** Settings: validated at synth, carried in the event, never part of the token. */
export function normalizeSettings(path: string, props: BatchJobProps): JobSettings {
  const timeoutSeconds = props.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  checkInteger(path, 'timeoutSeconds', timeoutSeconds, 1, MAX_TIMEOUT_SECONDS, { setting: true, note: '7 days at most; a later apply resumes waiting' });
  const maxFailedTasks = props.maxFailedTasks ?? 0;
  checkInteger(path, 'maxFailedTasks', maxFailedTasks, 0, Number.MAX_SAFE_INTEGER, { setting: true });
  const deletionBehavior = props.deletionBehavior ?? DeletionBehavior.RETAIN;
  checkOneOf(path, 'deletionBehavior', deletionBehavior, Object.values(DeletionBehavior), true);
  for (const flag of ['autoConfirm', 'waitForCompletion'] as const) requireLiteralSetting(path, flag, props[flag]);
  return {
    // Without confirmationRequired the job never waits in Suspended, so autoConfirm is a no-op (documented on the prop).
    autoConfirm: props.autoConfirm ?? false,
    waitForCompletion: props.waitForCompletion ?? true,
    timeoutSeconds,
    maxFailedTasks,
    deletionBehavior: deletionBehavior as JobSettings['deletionBehavior'],
  };
}
