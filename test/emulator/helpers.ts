/** Shared helpers for the emulator tests: clients, raw signed requests, polling. */
import { rmSync } from 'node:fs';
import http from 'node:http';
import { EmulatorOptions, RunningEmulator, startEmulator } from '../../src/emulator';
import { OssClient, OssClientOptions } from '../../src/oss/client';
import { OssError } from '../../src/oss/errors';
import type { CreateJobInput, JobDescriptor } from '../../src/oss/model';
import { canonicalQueryString, OssCredentials, signRequest } from '../../src/oss/signer';

export const ROLE_ARN = 'acs:ram::1234567890123456:role/oss-batch';

/** Start an emulator; remember its data directory so `stopAndClean` can remove it. */
export async function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, ...options });
}

export async function stopAndClean(emulator: RunningEmulator | undefined): Promise<void> {
  if (!emulator) return;
  await emulator.stop();
  rmSync(emulator.dataDir, { recursive: true, force: true });
}

/** An OssClient against the emulator, without retries so every error is seen as sent. */
export function clientFor(emulator: RunningEmulator, options: Partial<OssClientOptions> = {}): OssClient {
  return new OssClient({
    region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials, retry: { maxAttempts: 1 }, timeoutMs: 10_000, ...options,
  });
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  method: string;
  /** The Host header to send; default the emulator's host:port. */
  host?: string;
  /** Request path including the query string. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One plain node:http exchange with the emulator, no retries, no signing. */
export function raw(emulator: RunningEmulator, req: RawRequest): Promise<RawResponse> {
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  return new Promise((resolve, reject) => {
    const request = http.request({
      hostname: emulator.host, port: emulator.port, method: req.method, path: req.path, agent: false,
      headers: { host: req.host ?? `${emulator.host}:${emulator.port}`, ...(body ? { 'content-length': String(body.length) } : {}), ...req.headers },
    });
    request.on('error', reject);
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.end(body);
  });
}

export interface SignedRawRequest {
  method: string;
  bucket?: string;
  key?: string;
  query?: Record<string, string | null>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Host header; default the emulator's host:port (path style). */
  host?: string;
  /** Request path without the query; default path style `/bucket/key` (or `/`). */
  path?: string;
  credentials?: OssCredentials;
  region?: string;
  date?: Date;
}

/** A raw request signed with the project's signer (the signature always covers /bucket/key). */
export function signedRaw(emulator: RunningEmulator, req: SignedRawRequest): Promise<RawResponse> {
  const query = req.query ?? {};
  const headers = { ...req.headers };
  const signed = signRequest({ method: req.method, bucket: req.bucket, key: req.key, query, headers }, req.credentials ?? emulator.credentials, {
    region: req.region ?? emulator.region, date: req.date,
  });
  const encodedKey = req.key ? req.key.split('/').map(encodeURIComponent).join('/') : '';
  const path = req.path ?? (req.bucket ? `/${req.bucket}/${encodedKey}` : '/');
  const search = canonicalQueryString(query);
  return raw(emulator, { method: req.method, host: req.host, path: search ? `${path}?${search}` : path, headers: { ...headers, ...signed }, body: req.body });
}

/** The rejection of `promise` as an OssError (fails the test when it resolves or throws something else). */
export async function ossError(promise: Promise<unknown>): Promise<OssError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof OssError) return err;
    throw new Error(`expected an OssError, got ${String(err)}`);
  }
  throw new Error('expected the call to fail with an OssError, but it succeeded');
}

/** The rejection of `promise`, whatever it is. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** The AWS SDK error (of `type`) that `promise` rejects with: its code, HTTP status and message. Any other error is rethrown. */
export async function awsFailure(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => { name: string; message: string; $metadata: { httpStatusCode?: number } },
): Promise<{ code: string; status: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof type) return { code: err.name, status: err.$metadata.httpStatusCode ?? 0, message: err.message };
    throw err;
  }
  throw new Error('expected the request to fail');
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll DescribeJob until the job reaches one of `statuses`; fail with the last status after `timeoutMs`. */
export async function waitForStatus(client: OssClient, jobId: string, statuses: string | string[], timeoutMs = 8000): Promise<JobDescriptor> {
  const wanted = Array.isArray(statuses) ? statuses : [statuses];
  const deadline = Date.now() + timeoutMs;
  let last: JobDescriptor | undefined;
  for (;;) {
    last = await client.describeJob(jobId);
    if (wanted.includes(last.status)) return last;
    if (Date.now() > deadline) throw new Error(`job ${jobId} is ${last.status}, expected ${wanted.join(' or ')} within ${timeoutMs} ms`);
    await sleep(15);
  }
}

let tokenCounter = 0;
export const uniqueToken = (label = 't') => `${label}-${process.pid}-${Date.now()}-${++tokenCounter}`;

/** A valid CreateJob input (key-prefix generator over `source`, report to `reports`); override anything. */
export function jobInput(overrides: Partial<CreateJobInput> = {}): CreateJobInput {
  return {
    operation: { type: 'PutObjectTagging', tags: [{ key: 'batch', value: 'done' }] },
    report: { bucket: 'reports', enabled: true, prefix: 'reports/' },
    clientRequestToken: uniqueToken(),
    keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'none/' },
    priority: 10,
    roleArn: ROLE_ARN,
    ...overrides,
  };
}
