/**
 * BatchJob props → the parts of its event: the identity (checked and normalized by the shared
 * rules, src/shared/identity.ts; references left for the handler), the connection and the
 * settings (literals, checked here). Pure: no I/O.
 */
import { checkJobIdentity, JobIdentity } from '../shared/identity';
import type { JobSettings } from '../shared/contract';
import { checkJobSettings } from '../shared/settings';
import { Checks, NOTHING_DEFERRED } from '../shared/validation';
import { invalidProp, notBuiltWithFactory } from './errors';
import type { BatchJobProps } from './batch-job';
import { requireLiteralSetting, synthChecks } from './validation';

/** The job identity; values given as references stay references (checked by the handler at apply). */
export function jobIdentityOf(path: string, props: BatchJobProps): JobIdentity {
  if (!props || typeof props !== 'object') throw invalidProp(path, 'props', 'are required');
  if (!props.operation || typeof props.operation._validate !== 'function') {
    throw notBuiltWithFactory(path, 'operation', 'a BatchOperation factory, e.g. BatchOperation.putObjectTagging({ env: \'prod\' })');
  }
  if (!props.manifest || typeof props.manifest._bind !== 'function') {
    throw notBuiltWithFactory(path, 'manifest', 'JobManifest.fromCsv, fromKeyPrefix, fromInventoryReport or fromManifestFromPrefix');
  }
  return checkJobIdentity(synthChecks(path), {
    region: props.region,
    roleArn: props.roleArn,
    priority: props.priority,
    description: props.description,
    confirmationRequired: props.confirmationRequired,
    operation: props.operation._validate(path),
    manifest: props.manifest._bind(path),
    report: props.report,
    rerunToken: props.rerunToken,
  });
}

/** Settings: validated at synth (literals only), carried in the event, never part of the token. */
export function settingsOf(path: string, props: BatchJobProps): JobSettings {
  for (const prop of ['autoConfirm', 'waitForCompletion', 'timeoutSeconds', 'maxFailedTasks', 'deletionBehavior'] as const) {
    requireLiteralSetting(path, prop, props[prop]);
  }
  return checkJobSettings(new Checks(path, NOTHING_DEFERRED), { ...props });
}
