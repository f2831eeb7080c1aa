/**
 * Validation of an S3 event before any call to AWS: the envelope as for the OSS handler
 * (../envelope.ts), then the whole event through the rules synth uses (src/shared/s3-identity.ts,
 * settings.ts), so a bad value Terraform resolved from a reference fails the apply with synth's
 * message, naming the construct and the prop (exit 2).
 */
import { EVENT_FORMAT, S3BatchJobEvent, S3HandlerEvent, S3ManifestFromPrefixEvent } from '../../shared/contract';
import { checkS3JobIdentity, checkS3PrefixManifestIdentity } from '../../shared/s3-identity';
import { checkConnection, checkJobSettings } from '../../shared/settings';
import { checkedAtApply, parseEnvelope } from '../envelope';

const KINDS = ['s3-batch-job', 's3-manifest-from-prefix'] as const;

/** Parse, check and normalize OSS_BATCH_EVENT for the S3 handler; every problem is a usage error (exit 2). */
export function parseS3Event(raw: string): S3HandlerEvent {
  // An OSS event given to this handler (or the other way round) is a wiring mistake, not a format change: the message names this handler.
  const { kind, name, checks: c, group } = parseEnvelope(raw, KINDS, 'S3');
  return checkedAtApply('AWS', (): S3HandlerEvent => {
    const connection = checkConnection(c, group('connection'));
    if (kind === 's3-batch-job') {
      const job: S3BatchJobEvent = {
        kind, format: EVENT_FORMAT, name, connection, identity: checkS3JobIdentity(c, group('identity')), settings: checkJobSettings(c, group('settings')),
      };
      return job;
    }
    const manifest: S3ManifestFromPrefixEvent = { kind, format: EVENT_FORMAT, name, connection, identity: checkS3PrefixManifestIdentity(c, group('identity')) };
    return manifest;
  });
}
