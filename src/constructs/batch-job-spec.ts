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

/** What every job's props have: an operation and a manifest made by the factories. */
interface FactoryBuilt {
  readonly operation: { _validate(path: string): unknown };
  readonly manifest: { _bind(path: string): unknown };
}

/**
 * The props' operation and manifest in identity form, with a message naming the factories when
 * they were not built with one (a plain object literal in a JavaScript app).
 */
export function factoryBuiltParts(path: string, props: FactoryBuilt, operationFactory: string, manifestFactories: string): { operation: unknown; manifest: unknown } {
  if (!props || typeof props !== 'object') throw invalidProp(path, 'props', 'are required');
  if (!props.operation || typeof props.operation._validate !== 'function') throw notBuiltWithFactory(path, 'operation', operationFactory);
  if (!props.manifest || typeof props.manifest._bind !== 'function') throw notBuiltWithFactory(path, 'manifest', manifestFactories);
  return { operation: props.operation._validate(path), manifest: props.manifest._bind(path) };
}

/** The job identity; values given as references stay references (checked by the handler at apply). */
export function jobIdentityOf(path: string, props: BatchJobProps): JobIdentity {
  const parts = factoryBuiltParts(path, props, 'a BatchOperation factory, e.g. BatchOperation.putObjectTagging({ env: \'prod\' })',
    'JobManifest.fromCsv, fromKeyPrefix, fromInventoryReport or fromManifestFromPrefix');
  // The check reads the identity props by name; settings and connection props in `props` are not read.
  return checkJobIdentity(synthChecks(path), { ...props, ...parts });
}

/** The settings props, the same for every job construct. */
export type JobSettingsProps = Pick<BatchJobProps, 'autoConfirm' | 'waitForCompletion' | 'timeoutSeconds' | 'maxFailedTasks' | 'deletionBehavior'>;

/** Settings: validated at synth (literals only), carried in the event, never part of the token. */
export function settingsOf(path: string, props: JobSettingsProps): JobSettings {
  for (const prop of ['autoConfirm', 'waitForCompletion', 'timeoutSeconds', 'maxFailedTasks', 'deletionBehavior'] as const) {
    requireLiteralSetting(path, prop, props[prop]);
  }
  return checkJobSettings(new Checks(path, NOTHING_DEFERRED), { ...props });
}
