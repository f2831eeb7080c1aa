/**
 * The two AWS SDK clients of the S3 handler and how their failures read. Credentials come from the
 * SDK's default Node chain (environment, profiles, SSO, IMDS…), never from the event.
 */
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { EXIT, HandlerError } from '../errors';

export interface S3Connection {
  region: string;
  /** Replaces both the S3 and the S3 Control endpoint; AWS's own endpoints when absent. */
  endpoint?: string;
  pathStyle?: boolean;
}

/**
 * `localhost` and `*.localhost` are loopback (RFC 6761) but do not resolve on every machine; S3
 * Control puts `<account>.` in front of the endpoint's host, so a local endpoint needs this.
 * Every other name resolves as usual.
 */
export const loopbackLookup = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  dnsLookup(hostname, options as never, callback as never);
}) as unknown as LookupFunction;

/**
 * How long the SDK's Node handler waits, so a silent peer fails (and is retried by the SDK) instead
 * of hanging the apply: `connectionTimeout` for the TCP/TLS connect (a blackholed address),
 * `socketTimeout` for silence on an open connection (a peer that accepts and never answers, or
 * stops mid-body), the same 30 s the OSS client gives a request (src/oss/client.ts). No limit on a
 * request's total time: a large part on a slow link keeps making progress. (The handler's
 * `requestTimeout` is a total limit that by default only logs a warning.)
 */
export interface HttpTimeouts {
  connectionTimeout: number;
  socketTimeout: number;
}

export const HTTP_TIMEOUTS: HttpTimeouts = { connectionTimeout: 10_000, socketTimeout: 30_000 };

/** The SDK's Node handler options: the agents above and the timeouts. */
function requestHandler(timeouts: HttpTimeouts) {
  return {
    httpAgent: new http.Agent({ keepAlive: true, lookup: loopbackLookup }), httpsAgent: new https.Agent({ keepAlive: true, lookup: loopbackLookup }),
    connectionTimeout: timeouts.connectionTimeout, socketTimeout: timeouts.socketTimeout,
  };
}

/**
 * The endpoint S3 Control gets: it prefixes the host with the account id, which an IP address
 * cannot take. 127.0.0.1 becomes `localhost` (the lookup above maps it back to 127.0.0.1).
 */
export function controlEndpoint(endpoint: string): string {
  const url = new URL(endpoint);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!isIP(host)) return endpoint;
  if (host === '127.0.0.1') {
    url.hostname = 'localhost';
    return url.toString().replace(/\/$/, endpoint.endsWith('/') ? '/' : '');
  }
  throw new HandlerError(EXIT.USAGE,
    `the endpoint ${endpoint} is an IP address, but S3 Control puts the account id in front of the endpoint's host (<account>.<host>): use a host name that resolves to it`);
}

/** Path style for IP and localhost endpoints unless the stack says otherwise (virtual hosts need DNS per bucket). */
export function defaultPathStyle(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
  return isIP(host) !== 0 || host === 'localhost' || host.endsWith('.localhost');
}

/** `timeouts` is for tests; the handler uses HTTP_TIMEOUTS. */
export function makeClients(connection: S3Connection, timeouts: HttpTimeouts = HTTP_TIMEOUTS): { s3: S3Client; control: S3ControlClient } {
  // Standard mode: throttling and 5xx are retried with backoff (3 attempts), like the OSS client.
  const common = { region: connection.region, retryMode: 'standard', maxAttempts: 3 } as const;
  const s3 = new S3Client({
    ...common, requestHandler: requestHandler(timeouts),
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    forcePathStyle: connection.pathStyle ?? defaultPathStyle(connection.endpoint),
  });
  const control = new S3ControlClient({
    ...common, requestHandler: requestHandler(timeouts),
    ...(connection.endpoint ? { endpoint: controlEndpoint(connection.endpoint) } : {}),
  });
  return { s3, control };
}

/** An AWS call that failed (after the SDK's retries): the message names the call, the AWS error code and the request id. */
export class AwsCallError extends Error {
  /**
   * The AWS error code; a refused status change (S3's JobStatusException) is `InvalidJobStatus`,
   * the name the lifecycle core knows it by. The message keeps S3's own code.
   */
  readonly code: string;
  readonly status?: number;
  readonly requestId?: string;
  readonly retryable: boolean;

  constructor(readonly operation: string, cause: unknown) {
    const err = cause as { name?: string; code?: string; message?: string; $fault?: string; $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string } };
    const meta = err.$metadata ?? {};
    const awsCode = (meta.httpStatusCode !== undefined ? err.name : err.code ?? err.name) ?? 'Error';
    const status = meta.httpStatusCode;
    const ids = [meta.requestId && `request id ${meta.requestId}`, meta.extendedRequestId && `extended request id ${meta.extendedRequestId}`].filter(Boolean).join(', ');
    super(`${operation} failed: ${awsCode}${status !== undefined ? ` (${status})` : ''}: ${oneLine(err.message ?? String(cause))}${ids ? ` [${ids}]` : ''}`);
    this.name = 'AwsCallError';
    this.code = awsCode === 'JobStatusException' ? 'InvalidJobStatus' : awsCode;
    this.status = status;
    this.requestId = meta.requestId;
    // After the SDK's own retries, a server fault, throttling or a failure below HTTP may still pass on the next poll.
    this.retryable = status === undefined ? err.name !== 'CredentialsProviderError' && err.name !== 'TypeError' : status >= 500 || status === 429 || err.$fault === 'server';
  }
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Run one SDK call; its failure becomes an AwsCallError named after `operation` (e.g. `S3 Control DescribeJob`). */
export async function awsCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new AwsCallError(operation, err);
  }
}

export const isRetryableAwsError = (err: unknown): boolean => err instanceof AwsCallError && err.retryable;
