/**
 * The one place that sends bytes: build the URL (virtual-host or path style), sign, send over
 * node:http(s) with keep-alive, time out, and turn every failure into a typed error.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { OssError, OssNetworkError, RequestDescription } from './errors';
import { parseRetryAfterMs, RetryDeps, RetryOptions, withRetries } from './retry';
import { canonicalQueryString, OssCredentials, signRequest, uriEncode } from './signer';
import type { CredentialsProvider } from './credentials';

export interface HttpRequest {
  method: string;
  bucket?: string;
  key?: string;
  query?: Record<string, string | null | undefined>;
  headers?: Record<string, string | undefined>;
  body?: Buffer | string;
  /** Add Content-MD5 (CreateJob, CompleteMultipartUpload). */
  md5?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  requestId?: string;
}

export interface TransportOptions {
  region: string;
  endpoint: URL;
  pathStyle: boolean;
  credentials: CredentialsProvider;
  retry: RetryOptions;
  retryDeps?: RetryDeps;
  timeoutMs: number;
  clock: () => Date;
  userAgent: string;
}

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/** Path and host for a request; the signature always covers /bucket/key whatever the style. */
export function requestTarget(endpoint: URL, pathStyle: boolean, bucket?: string, key?: string): { host: string; path: string } {
  const encodedKey = key ? key.split('/').map(uriEncode).join('/') : '';
  const basePath = endpoint.pathname.replace(/\/$/, '');
  if (!bucket) return { host: endpoint.host, path: `${basePath}/` };
  if (pathStyle) return { host: endpoint.host, path: `${basePath}/${bucket}/${encodedKey}` };
  return { host: `${bucket}.${endpoint.host}`, path: `${basePath}/${encodedKey}` };
}

export function describeRequest(req: HttpRequest): RequestDescription {
  const query = canonicalQueryString(cleanQuery(req.query));
  const path = req.bucket ? `/${req.bucket}/${req.key ?? ''}` : '/';
  return { method: req.method, resource: query ? `${path}?${query}` : path };
}

function cleanQuery(query: HttpRequest['query'] = {}): Record<string, string | null> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<string, string | null>;
}

export class Transport {
  constructor(private readonly options: TransportOptions) {}

  /** Send with retries; a non-2xx answer becomes an OssError. */
  send(req: HttpRequest): Promise<HttpResponse> {
    return withRetries(() => this.sendOnce(req), this.options.retry, this.options.retryDeps);
  }

  private async sendOnce(req: HttpRequest): Promise<HttpResponse> {
    const credentials: OssCredentials = await this.options.credentials();
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
    const query = cleanQuery(req.query);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
    if (body) headers['content-length'] = String(body.length);
    if (body && req.md5) headers['content-md5'] = createHash('md5').update(body).digest('base64');
    const signed = signRequest({ method: req.method, bucket: req.bucket, key: req.key, query, headers }, credentials, {
      region: this.options.region, date: this.options.clock(),
    });
    const { host, path } = requestTarget(this.options.endpoint, this.options.pathStyle, req.bucket, req.key);
    const search = canonicalQueryString(query);
    const description = describeRequest(req);
    const response = await this.exchange({
      method: req.method, host, path: search ? `${path}?${search}` : path,
      headers: { ...headers, ...signed, 'user-agent': this.options.userAgent }, body,
    }, description);
    if (response.status >= 300) {
      const retryAfter = parseRetryAfterMs(header(response.headers, 'retry-after'), this.options.clock());
      throw OssError.fromResponse(response.status, response.headers, response.body.toString('utf8'), description, retryAfter);
    }
    return response;
  }

  private exchange(
    target: { method: string; host: string; path: string; headers: Record<string, string>; body?: Buffer },
    description: RequestDescription,
  ): Promise<HttpResponse> {
    const { endpoint, timeoutMs } = this.options;
    const secure = endpoint.protocol === 'https:';
    const [hostname, port] = splitHost(target.host, secure ? 443 : 80);
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request({
        method: target.method, hostname, port, path: target.path, headers: { ...target.headers, host: target.host },
        agent: secure ? agents.https : agents.http,
      });
      request.setTimeout(timeoutMs, () => request.destroy(new OssNetworkError('TIMEOUT', `no answer from ${endpoint.origin} within ${timeoutMs} ms`, description)));
      request.on('error', (err: NodeJS.ErrnoException) => {
        reject(err instanceof OssNetworkError ? err : new OssNetworkError(err.code ?? 'EOF', `network error talking to ${endpoint.origin}: ${err.message}`, description));
      });
      request.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (err: NodeJS.ErrnoException) => reject(new OssNetworkError(err.code ?? 'EOF', `connection broke while reading the answer: ${err.message}`, description)));
        res.on('aborted', () => reject(new OssNetworkError('ECONNRESET', 'the connection was reset while reading the answer', description)));
        res.on('end', () => {
          if (!res.complete) return reject(new OssNetworkError('EOF', 'the answer was cut short', description));
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), requestId: header(res.headers, 'x-oss-request-id') });
        });
      });
      request.end(target.body);
    });
  }
}

export function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function splitHost(host: string, defaultPort: number): [string, number] {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  if (!m) return [host, defaultPort];
  return [m[1].replace(/^\[|\]$/g, ''), m[2] ? Number(m[2]) : defaultPort];
}
