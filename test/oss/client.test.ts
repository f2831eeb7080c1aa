import http from 'node:http';
import { AddressInfo } from 'node:net';
import { OssClient, defaultPathStyle } from '../../src/oss/client';
import { OssError, OssNetworkError, OssResponseError } from '../../src/oss/errors';
import { requestTarget } from '../../src/oss/http';
import { parseAuthorizationHeader } from '../../src/oss/signer';
import { encodeErrorXml } from '../../src/oss/xml/error';

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

/** A tiny scripted server: each request is answered by the next handler (the last one repeats). */
async function scriptedServer(handlers: Handler[]) {
  const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handlers[Math.min(seen.length - 1, handlers.length - 1)](req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { endpoint, seen, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const creds = { accessKeyId: 'AKID', accessKeySecret: 'SECRET', securityToken: 'STS' };
const noSleep = { sleep: async () => undefined, random: () => 0.5 };
const xml = (status: number, body: string, headers: Record<string, string> = {}): Handler => (_req, _b, res) => {
  res.writeHead(status, { 'content-type': 'application/xml', 'x-oss-request-id': 'REQ1', ...headers });
  res.end(body);
};
const createResult = '<?xml version="1.0"?><CreateJobResult><JobId>MzRjZGU2NGQ3YTY5NGRhMTkxZmZhYzY5OTM5YTcxYWU=</JobId></CreateJobResult>';
const jobInput = {
  operation: { type: 'DeleteObjectTagging' as const }, report: { bucket: 'r', enabled: false }, clientRequestToken: 't',
  keyPrefixManifestGenerator: { sourceBucket: 's' }, priority: 1, roleArn: 'acs:ram::1:role/r',
};

describe('OssClient over HTTP', () => {
  test('CreateJob: service-level path, signed headers, Content-MD5, STS token', async () => {
    const srv = await scriptedServer([xml(200, createResult)]);
    try {
      const client = new OssClient({ region: 'cn-hangzhou', endpoint: srv.endpoint, credentials: creds });
      expect(await client.createJob(jobInput)).toEqual({ jobId: 'MzRjZGU2NGQ3YTY5NGRhMTkxZmZhYzY5OTM5YTcxYWU=' });
      const [req] = srv.seen;
      expect(req.method).toBe('POST');
      expect(req.url).toBe('/?batchJob');
      expect(req.headers['content-md5']).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(req.headers['x-oss-security-token']).toBe('STS');
      expect(req.headers['x-oss-content-sha256']).toBe('UNSIGNED-PAYLOAD');
      expect(parseAuthorizationHeader(String(req.headers.authorization))).toMatchObject({ accessKeyId: 'AKID', region: 'cn-hangzhou' });
      expect(req.body).toContain('<CreateJobRequest>');
    } finally { await srv.close(); }
  });

  test('job ids are percent-encoded in the query; list filters use |', async () => {
    const srv = await scriptedServer([
      xml(200, '<DescribeJobResult><Job><JobId>a+b=</JobId><Status>Active</Status></Job></DescribeJobResult>'),
      xml(200, '<ListJobsResult><Jobs></Jobs></ListJobsResult>'),
    ]);
    try {
      const client = new OssClient({ region: 'cn-hangzhou', endpoint: srv.endpoint, credentials: creds });
      expect((await client.describeJob('a+b=')).status).toBe('Active');
      expect(await client.listJobs({ statuses: ['Active', 'Complete'], maxKeys: 5 })).toEqual({ jobs: [] });
      expect(srv.seen[0].url).toBe('/?batchJob&batchJobId=a%2Bb%3D');
      expect(srv.seen[1].url).toBe('/?batchJob&batchJobStatuses=Active%7CComplete&max-keys=5');
    } finally { await srv.close(); }
  });

  test('retries 503 and connection resets, then succeeds', async () => {
    const reset: Handler = (req) => req.socket.destroy();
    const srv = await scriptedServer([xml(503, encodeErrorXml({ code: 'ServiceUnavailable', message: 'busy' })), reset, xml(200, createResult)]);
    try {
      const retries: number[] = [];
      const client = new OssClient({
        region: 'cn-hangzhou', endpoint: srv.endpoint, credentials: creds, retry: { maxAttempts: 3 },
        retryDeps: { ...noSleep, onRetry: ({ attempt }) => retries.push(attempt) },
      });
      await expect(client.createJob(jobInput)).resolves.toEqual({ jobId: expect.any(String) });
      expect(retries).toEqual([1, 2]);
      expect(srv.seen).toHaveLength(3);
    } finally { await srv.close(); }
  });

  test('403 is not retried and carries code, status and request id', async () => {
    const srv = await scriptedServer([xml(403, encodeErrorXml({ code: 'AccessDenied', message: 'You have no right to access this object.', requestId: 'R9', ec: '0003-00000001' }))]);
    try {
      const client = new OssClient({ region: 'cn-hangzhou', endpoint: srv.endpoint, credentials: creds, retryDeps: noSleep });
      const err = await client.describeJob('J').catch((e) => e);
      expect(err).toBeInstanceOf(OssError);
      expect(err).toMatchObject({ code: 'AccessDenied', status: 403, requestId: 'R9', ec: '0003-00000001' });
      expect(err.message).toBe('OSS AccessDenied (403) on GET /?batchJob&batchJobId=J: You have no right to access this object. [request id R9]');
      expect(srv.seen).toHaveLength(1);
    } finally { await srv.close(); }
  });

  test('an HTML error page from a proxy still yields a clear OssError', async () => {
    const srv = await scriptedServer([(_q, _b, res) => { res.writeHead(502, { 'content-type': 'text/html' }); res.end('<html><body><h1>502 Bad Gateway</h1></body></html>'); }]);
    try {
      const client = new OssClient({ region: 'cn-hangzhou', endpoint: srv.endpoint, credentials: creds, retry: { maxAttempts: 2 }, retryDeps: noSleep });
      const err = await client.describeJob('J').catch((e) => e);
      expect(err).toMatchObject({ code: 'HttpError502', status: 502 });
      expect(err.message).toMatch(/not an OSS error document .*502 Bad Gateway/);
      expect(srv.seen).toHaveLength(2);
    } finally { await srv.close(); }
  });

  test('a 200 with a malformed body is an OssResponseError', async () => {
    const srv = await scriptedServer([xml(200, '<DescribeJobResult><Job><JobId>x</Job>')]);
    try {
      const client = new OssClient({ region: 'cn-hangzhou', endpoint: srv.endpoint, credentials: creds });
      await expect(client.describeJob('J')).rejects.toBeInstanceOf(OssResponseError);
    } finally { await srv.close(); }
  });

  test('timeouts are network errors and retried', async () => {
    const srv = await scriptedServer([() => undefined, xml(200, createResult)]);
    try {
      const client = new OssClient({ region: 'cn-hangzhou', endpoint: srv.endpoint, credentials: creds, timeoutMs: 200, retryDeps: noSleep });
      await expect(client.createJob(jobInput)).resolves.toEqual({ jobId: expect.any(String) });
      const srv2 = await scriptedServer([() => undefined]);
      const err = await new OssClient({ region: 'cn-hangzhou', endpoint: srv2.endpoint, credentials: creds, timeoutMs: 150, retry: { maxAttempts: 1 } }).describeJob('J').catch((e) => e);
      expect(err).toBeInstanceOf(OssNetworkError);
      expect(err.code).toBe('TIMEOUT');
      await srv2.close();
    } finally { await srv.close(); }
  });

  test('objects: path style URL, tags header, ETag without quotes, version id', async () => {
    const srv = await scriptedServer([(_q, _b, res) => { res.writeHead(200, { etag: '"ABC"', 'x-oss-version-id': 'v1' }); res.end(); }]);
    try {
      const client = new OssClient({ region: 'cn-hangzhou', endpoint: srv.endpoint, credentials: creds });
      expect(await client.putObject('bkt', 'a b/c+d.txt', 'x', { tags: [{ key: 'k 1', value: 'v&2' }], storageClass: 'Archive' })).toEqual({ etag: 'ABC', versionId: 'v1' });
      expect(srv.seen[0].url).toBe('/bkt/a%20b/c%2Bd.txt');
      expect(srv.seen[0].headers['x-oss-tagging']).toBe('k%201=v%262');
      expect(srv.seen[0].headers['x-oss-storage-class']).toBe('Archive');
    } finally { await srv.close(); }
  });
});

describe('addressing', () => {
  test('virtual-host vs path style', () => {
    const real = new URL('https://oss-cn-hangzhou.aliyuncs.com');
    expect(requestTarget(real, false, 'photos', 'raw/a b.jpg')).toEqual({ host: 'photos.oss-cn-hangzhou.aliyuncs.com', path: '/raw/a%20b.jpg' });
    expect(requestTarget(real, false)).toEqual({ host: 'oss-cn-hangzhou.aliyuncs.com', path: '/' });
    expect(requestTarget(new URL('http://127.0.0.1:9000'), true, 'photos', 'k')).toEqual({ host: '127.0.0.1:9000', path: '/photos/k' });
    expect(defaultPathStyle(new URL('http://127.0.0.1:9000'))).toBe(true);
    expect(defaultPathStyle(new URL('http://localhost:9000'))).toBe(true);
    expect(defaultPathStyle(new URL('http://[::1]:9000'))).toBe(true);
    expect(defaultPathStyle(real)).toBe(false);
  });

  test('a bad endpoint is a clear error', () => {
    expect(() => new OssClient({ region: 'cn-hangzhou', endpoint: 'not a url', credentials: creds })).toThrow(/not a URL/);
  });
});
