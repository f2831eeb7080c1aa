/**
 * The S3 handler's tests run its real logic against the emulator (S3 and S3 Control on one port)
 * with the real AWS SDK clients. Credentials are the emulator's test keys in the SDK's environment
 * variables; the profile files point nowhere, so this machine's own AWS setup never leaks in.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { RunningEmulator } from '../../../src/emulator';
import type { S3Connection } from '../../../src/handler/s3/aws';
import type { S3HandlerDeps } from '../../../src/handler/s3/batch-job';
import { main, realS3Deps } from '../../../src/handler/s3/main';
import { EVENT_FORMAT, S3BatchJobEvent, S3HandlerEvent, S3ManifestFromPrefixEvent } from '../../../src/shared/contract';
import type { S3JobIdentity } from '../../../src/shared/s3-identity';
import { start } from '../../emulator/helpers';

export const ACCOUNT = '123456789012';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/BatchRole`;
export const REGION = 'us-east-1';

/** The SDK's credential chain reads these; profile files that do not exist keep the machine's own out. */
export function awsEnv(emulator: RunningEmulator): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: emulator.credentials.accessKeySecret,
    AWS_CONFIG_FILE: '/nonexistent/aws-config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials', AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** An emulator in the S3 identity's region, its credentials in process.env for in-process runs. */
export async function startS3Emulator(options: { tasksPerSecond?: number } = {}): Promise<{ emulator: RunningEmulator; s3: S3Client; endpoint: string }> {
  const emulator = await start({ region: REGION, ...options });
  Object.assign(process.env, awsEnv(emulator));
  // `localhost`, so S3 Control's `<account>.localhost` resolves through the handler's lookup.
  const endpoint = `http://localhost:${emulator.port}`;
  const s3 = new S3Client({
    endpoint: emulator.endpoint, forcePathStyle: true, region: REGION, maxAttempts: 1,
    credentials: { accessKeyId: emulator.credentials.accessKeyId, secretAccessKey: emulator.credentials.accessKeySecret },
  });
  return { emulator, s3, endpoint };
}

export async function putObjects(s3: S3Client, bucket: string, keys: string[], body = (key: string) => key): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((err) => {
    if (err.name !== 'BucketAlreadyOwnedByYou') throw err;
  });
  for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(body(key)), ContentLength: Buffer.byteLength(body(key)) }));
}

export function jobEvent(endpoint: string, identity: Partial<S3JobIdentity> & Pick<S3JobIdentity, 'manifest'>, settings: Partial<S3BatchJobEvent['settings']> = {}): S3BatchJobEvent {
  return {
    kind: 's3-batch-job', format: EVENT_FORMAT, name: 'stack/Job', connection: { endpoint },
    identity: {
      region: REGION, accountId: ACCOUNT, roleArn: ROLE, priority: 10, description: '', confirmationRequired: false,
      operation: { type: 'S3PutObjectTagging', tags: [{ key: 'env', value: 'prod' }] },
      report: { enabled: true, bucket: 'rpt', prefix: 'reports', scope: 'AllTasks' },
      ...identity,
    },
    settings: { autoConfirm: false, waitForCompletion: true, timeoutSeconds: 60, maxFailedTasks: 0, deletionBehavior: 'retain', ...settings },
  };
}

export function manifestEvent(endpoint: string, identity: Partial<S3ManifestFromPrefixEvent['identity']>): S3ManifestFromPrefixEvent {
  return {
    kind: 's3-manifest-from-prefix', format: EVENT_FORMAT, name: 'stack/Manifest', connection: { endpoint },
    identity: {
      region: REGION, sourceBucket: 'src', prefix: '', filter: { suffixes: [], storageClasses: [] }, includeVersionIds: false,
      manifestBucket: 'ops', manifestPrefix: 'manifests/', ...identity,
    },
  };
}

export const resultPath = (): string => join(mkdtempSync(join(tmpdir(), 's3-handler-')), '.oss-batch', 'r.json');

export interface Run {
  code: number;
  stdout: string[];
  stderr: string;
}

/**
 * The handler in process, as `node s3-handler.js <command>` would run it: real clients, real clock,
 * but sleeps of at most `maxSleepMs` so the poll loop runs in test time. `adjust` changes the deps.
 */
export async function runHandler(
  command: string, event: S3HandlerEvent | string, resultFile: string,
  options: { env?: NodeJS.ProcessEnv; maxSleepMs?: number; adjust?: (deps: S3HandlerDeps) => S3HandlerDeps } = {},
): Promise<Run> {
  const stdout: string[] = [];
  let stderr = '';
  const env = { OSS_BATCH_EVENT: typeof event === 'string' ? event : JSON.stringify(event), OSS_BATCH_RESULT: resultFile, ...options.env };
  const makeDeps = (e: S3HandlerEvent, connection: S3Connection): S3HandlerDeps => {
    const real = realS3Deps(e, connection);
    const deps: S3HandlerDeps = {
      ...real, log: (line) => stdout.push(line),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, options.maxSleepMs ?? 50))),
    };
    return options.adjust ? options.adjust(deps) : deps;
  };
  const code = await main([command], env, (text) => { stderr += text; }, makeDeps);
  return { code, stdout, stderr };
}
