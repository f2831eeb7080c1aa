/**
 * Validation of OSS_BATCH_EVENT before any call to OSS. Synth checked the literal values; the
 * values Terraform resolved from references (variables, other resources' attributes) are seen here
 * for the first time. The whole event goes through the same shared rules as synth
 * (src/shared/identity.ts, src/shared/settings.ts), so a bad referenced value fails the apply with
 * the message synth would give for that literal, naming the construct and the prop (exit 2).
 * The returned event is normalized (defaults, sorted tags, bare ETags), ready to hash.
 */
import { BatchJobEvent, EVENT_FORMAT, HandlerEvent, ManifestFromPrefixEvent } from '../shared/contract';
import { checkJobIdentity, checkPrefixManifestIdentity } from '../shared/identity';
import { checkConnection, checkJobSettings } from '../shared/settings';
import { checkedAtApply, parseEnvelope } from './envelope';

const KINDS = ['batch-job', 'manifest-from-prefix'] as const;

/** Parse, check and normalize OSS_BATCH_EVENT; every problem is a usage error (exit 2). */
export function parseEvent(raw: string): HandlerEvent {
  const { kind, name, checks: c, group } = parseEnvelope(raw, KINDS);
  return checkedAtApply('OSS', (): HandlerEvent => {
    const connection = checkConnection(c, group('connection'));
    if (kind === 'batch-job') {
      const job: BatchJobEvent = {
        kind, format: EVENT_FORMAT, name, connection,
        identity: checkJobIdentity(c, group('identity')),
        settings: checkJobSettings(c, group('settings')),
      };
      return job;
    }
    const manifest: ManifestFromPrefixEvent = { kind, format: EVENT_FORMAT, name, connection, identity: checkPrefixManifestIdentity(c, group('identity')) };
    return manifest;
  });
}
