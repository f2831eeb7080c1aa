/**
 * AWS SDK v3 clients against an emulator: S3 (path style) and S3 Control. S3 Control puts the
 * account id in front of the endpoint's host (`123456789012.localhost`), which does not resolve
 * here, so its HTTP agent maps every name to loopback itself, as the docs tell clients to do.
 */
import http from 'node:http';
import type { LookupFunction } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { RunningEmulator } from '../../src/emulator';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface AwsClientOptions {
  /** @default 1 (every error seen as sent) */
  maxAttempts?: number;
  secret?: string;
  /** Called with every host name the client looks up. */
  onLookup?: (hostname: string) => void;
}

const credentialsOf = (emulator: RunningEmulator, options: AwsClientOptions) => ({
  accessKeyId: emulator.credentials.accessKeyId, secretAccessKey: options.secret ?? emulator.credentials.accessKeySecret,
});

export function s3ClientFor(emulator: RunningEmulator, options: AwsClientOptions = {}): S3Client {
  return new S3Client({
    endpoint: emulator.endpoint, forcePathStyle: true, region: emulator.region, maxAttempts: options.maxAttempts ?? 1, credentials: credentialsOf(emulator, options),
  });
}

export function s3ControlClientFor(emulator: RunningEmulator, options: AwsClientOptions = {}): S3ControlClient {
  const lookup = ((hostname: string, opts: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    options.onLookup?.(hostname);
    if (opts?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  }) as unknown as LookupFunction;
  return new S3ControlClient({
    endpoint: `http://localhost:${emulator.port}`, region: emulator.region, maxAttempts: options.maxAttempts ?? 1, credentials: credentialsOf(emulator, options),
    requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, lookup }) }),
  });
}
