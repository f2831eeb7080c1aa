import { ERROR_STATUS, isRetryableError, OssError, OssNetworkError, OssResponseError } from '../../src/oss/errors';
import { encodeErrorXml } from '../../src/oss/xml/error';

const listRequest = { method: 'GET', resource: '/bucket?list-type=2' };

describe('OssError.fromResponse', () => {
  test('an OSS error document gives its code, fields and a readable message', () => {
    const body = encodeErrorXml({
      code: 'NoSuchBucket', message: 'The specified bucket does not exist.', requestId: 'R1', hostId: 'bucket.oss-cn-hangzhou.aliyuncs.com',
      ec: '0015-00000101', recommendDoc: 'https://api.aliyun.com/troubleshoot?q=0015-00000101',
    });
    const err = OssError.fromResponse(404, {}, body, listRequest);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      name: 'OssError', code: 'NoSuchBucket', status: 404, requestId: 'R1', hostId: 'bucket.oss-cn-hangzhou.aliyuncs.com', ec: '0015-00000101',
      recommendDoc: 'https://api.aliyun.com/troubleshoot?q=0015-00000101', method: 'GET', resource: '/bucket?list-type=2',
      serverMessage: 'The specified bucket does not exist.',
    });
    expect(err.message).toBe('OSS NoSuchBucket (404) on GET /bucket?list-type=2: The specified bucket does not exist. [request id R1]');
  });

  test('request id and EC fall back to the response headers', () => {
    const body = encodeErrorXml({ code: 'AccessDenied', message: 'no' });
    const err = OssError.fromResponse(403, { 'x-oss-request-id': 'HDR-ID', 'x-oss-ec': ['0003-00000001'] }, body);
    expect(err).toMatchObject({ requestId: 'HDR-ID', ec: '0003-00000001' });
    expect(err.message).toBe('OSS AccessDenied (403): no [request id HDR-ID]');
  });

  test('an HTML page from a proxy: code from the status, body excerpt of at most 200 chars', () => {
    const page = `<html>\n<head><title>502 Bad Gateway</title></head>\n<body>${'x'.repeat(500)}</body></html>`;
    const err = OssError.fromResponse(502, {}, page, listRequest);
    expect(err).toMatchObject({ code: 'HttpError502', status: 502 });
    expect(err.message).toMatch(/^OSS HttpError502 \(502\) on GET \/bucket\?list-type=2: the response body is not an OSS error document/);
    expect(err.message).toContain('<html> <head><title>502 Bad Gateway</title></head> <body>xxx');
    expect(err.serverMessage.length).toBeLessThan(320);
  });

  test('an empty body (HEAD, or an empty answer) names the status-derived code', () => {
    expect(OssError.fromResponse(404, {}, '', { method: 'HEAD', resource: '/b/k' })).toMatchObject({ code: 'NotFound', status: 404 });
    expect(OssError.fromResponse(403, {}, '')).toMatchObject({ code: 'AccessDenied' });
    expect(OssError.fromResponse(503, {}, '   ')).toMatchObject({ code: 'ServiceUnavailable' });
    expect(OssError.fromResponse(500, {}, '').code).toBe('InternalError');
    expect(OssError.fromResponse(418, {}, '').message).toContain('the response has no body');
  });

  test('other XML (not <Error>) is treated as a non-OSS body', () => {
    expect(OssError.fromResponse(400, {}, '<Other><Code>x</Code></Other>').code).toBe('HttpError400');
  });

  test('Retry-After is carried for the retry loop', () => {
    expect(OssError.fromResponse(503, {}, '', undefined, 2000).retryAfterMs).toBe(2000);
  });
});

describe('ERROR_STATUS', () => {
  test('the codes the emulator renders have the statuses of the real service', () => {
    expect(ERROR_STATUS).toMatchObject({
      InvalidArgument: 400, MalformedXML: 400, InvalidRequest: 400, AccessDenied: 403, SignatureDoesNotMatch: 403, InvalidAccessKeyId: 403,
      RequestTimeTooSkewed: 403, InvalidObjectState: 403, NoSuchBucket: 404, NoSuchKey: 404, NoSuchJob: 404, NoSuchUpload: 404,
      MethodNotAllowed: 405, BucketAlreadyExists: 409, RestoreAlreadyInProgress: 409, ClientTokenConflict: 409, InvalidJobStatus: 409,
      InternalError: 500, NotImplemented: 501, ServiceUnavailable: 503, SlowDown: 503,
    });
    for (const status of Object.values(ERROR_STATUS)) expect(status >= 400 && status < 600).toBe(true);
  });
});

describe('isRetryableError (docs/oss-api.md §9)', () => {
  const e = (status: number, code = 'X') => new OssError({ code, status, message: '' });

  test('5xx, 401, 408, 429 are retried; other 4xx are not', () => {
    expect([500, 501, 502, 503, 504, 401, 408, 429].map((s) => isRetryableError(e(s)))).toEqual(Array(8).fill(true));
    expect([400, 403, 404, 405, 409, 412].map((s) => isRetryableError(e(s)))).toEqual(Array(6).fill(false));
  });

  test('RequestTimeTooSkewed and BadRequest are retried despite their 4xx status', () => {
    expect(isRetryableError(e(403, 'RequestTimeTooSkewed'))).toBe(true);
    expect(isRetryableError(e(400, 'BadRequest'))).toBe(true);
    expect(isRetryableError(e(403, 'SignatureDoesNotMatch'))).toBe(false);
  });

  test('connection-level failures are retried; unknown ones and other errors are not', () => {
    for (const code of ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'TIMEOUT', 'EOF', 'ECONNREFUSED']) {
      expect(isRetryableError(new OssNetworkError(code, 'x'))).toBe(true);
    }
    expect(isRetryableError(new OssNetworkError('CERT_HAS_EXPIRED', 'tls'))).toBe(false);
    expect(isRetryableError(new OssResponseError('bad body'))).toBe(false);
    expect(isRetryableError(new Error('other'))).toBe(false);
    expect(isRetryableError('string')).toBe(false);
  });

  test('network and response errors say which request failed', () => {
    expect(new OssNetworkError('ECONNRESET', 'socket hang up', { method: 'GET', resource: '/?batchJob' }).message).toBe('socket hang up (GET /?batchJob)');
    expect(new OssResponseError('<X> is required', { method: 'GET', resource: '/' }, 'R').message).toBe('unexpected response to GET /: <X> is required [request id R]');
  });
});
