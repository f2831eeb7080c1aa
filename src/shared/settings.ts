/**
 * Checks of what is not identity: the connection (endpoint, path style) and the job settings.
 * Synth runs them on the props, the handler on the event it receives, with the same messages.
 */
import type { ConnectionSettings, JobSettings } from './contract';
import type { Checks } from './validation';

export const DEFAULT_TIMEOUT_SECONDS = 3600;
export const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;
export const DELETION_BEHAVIORS = ['retain', 'cancel'] as const;

type Raw = Record<string, unknown>;

/** Endpoint and path style: how to reach OSS, not what the job is. */
export function checkConnection(c: Checks, raw: Raw): ConnectionSettings {
  const connection: ConnectionSettings = {};
  const endpoint = c.endpoint(raw.endpoint);
  if (endpoint !== undefined) connection.endpoint = endpoint;
  // Left out when not given: the client then picks path style for IP and localhost endpoints.
  if (raw.pathStyle !== undefined && raw.pathStyle !== null) connection.pathStyle = c.boolean('pathStyle', raw.pathStyle, false);
  return connection;
}

export function checkJobSettings(c: Checks, raw: Raw): JobSettings {
  return {
    // Without confirmationRequired the job never waits in Suspended, so autoConfirm is a no-op (documented on the prop).
    autoConfirm: c.boolean('autoConfirm', raw.autoConfirm, false),
    waitForCompletion: c.boolean('waitForCompletion', raw.waitForCompletion, true),
    timeoutSeconds: c.integer('timeoutSeconds', raw.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS, 1, MAX_TIMEOUT_SECONDS,
      '7 days at most; a later apply resumes waiting'),
    maxFailedTasks: c.integer('maxFailedTasks', raw.maxFailedTasks ?? 0, 0, Number.MAX_SAFE_INTEGER),
    deletionBehavior: c.oneOf('deletionBehavior', raw.deletionBehavior ?? 'retain', DELETION_BEHAVIORS),
  };
}
