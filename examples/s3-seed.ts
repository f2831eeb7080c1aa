/**
 * Sample data for the S3 examples (`npm run demo -- --s3`, the end-to-end tests): two buckets and
 * objects under the prefixes the examples target, written with the AWS SDK to any S3 endpoint.
 */
import http from 'node:http';
import type { LookupFunction } from 'node:net';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export const S3_SOURCE_BUCKET = 'demo-s3-photos';
export const S3_OPS_BUCKET = 'demo-s3-ops';
export const S3_BACKUP_BUCKET = 'demo-s3-backup';
export const S3_ACCOUNT_ID = '123456789012';
export const S3_SEED = { raw: 20, logs: 8 };

export interface S3Target {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * `*.localhost` resolves to loopback (RFC 6761), but not through this machine's resolver: S3
 * Control clients put the account id in front of the host (`123456789012.localhost`).
 */
const localhostLookup = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  import('node:dns').then((dns) => dns.lookup(hostname, options as never, callback as never));
}) as unknown as LookupFunction;

export function s3Clients(target: S3Target): { s3: S3Client; control: S3ControlClient } {
  const requestHandler = new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, lookup: localhostLookup }) });
  return {
    s3: new S3Client({ ...target, forcePathStyle: true, requestHandler }),
    control: new S3ControlClient({ ...target, requestHandler }),
  };
}

export async function seedS3ExampleData(s3: S3Client): Promise<void> {
  for (const bucket of [S3_SOURCE_BUCKET, S3_OPS_BUCKET, S3_BACKUP_BUCKET]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const puts: Promise<unknown>[] = [];
  for (let i = 0; i < S3_SEED.raw; i++) {
    puts.push(s3.send(new PutObjectCommand({ Bucket: S3_SOURCE_BUCKET, Key: `raw/IMG ${String(i).padStart(4, '0')}.jpg`, Body: `jpeg bytes ${i}` })));
  }
  for (let i = 0; i < S3_SEED.logs; i++) {
    puts.push(s3.send(new PutObjectCommand({ Bucket: S3_SOURCE_BUCKET, Key: `logs/app-${i}.log`, Body: `log line ${i}\n` })));
  }
  await Promise.all(puts);
}
