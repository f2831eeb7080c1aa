import fc from 'fast-check';
import {
  authorizationHeader, canonicalQueryString, canonicalRequest, canonicalUri, computeSignature, formatOssDate,
  normalizeAdditionalHeaders, parseAuthorizationHeader, parseOssDate, SignableRequest, signingRegion, signRequest,
} from '../../src/oss/signer';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aliSign = require('ali-oss/lib/common/signUtils.js');

// Known-answer vectors from the Go SDK v2 signer tests (docs/oss-api.md §10), recomputed independently there.
const vectorRequest = (): SignableRequest => ({
  method: 'PUT',
  bucket: 'bucket',
  key: '1234+-/123/1.txt',
  query: { param1: 'value1', '+param1': 'value3', '|param1': 'value4', '+param2': '', '|param2': '', param2: '' },
  headers: { 'x-oss-head1': 'value', abc: 'value', ZAbc: 'value', XYZ: 'value', 'content-type': 'text/plain', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' },
});

describe('known-answer vectors', () => {
  test('plain credentials', () => {
    const headers = signRequest(vectorRequest(), { accessKeyId: 'ak', accessKeySecret: 'sk' }, { region: 'cn-hangzhou', date: new Date(1702743657 * 1000) });
    expect(headers['x-oss-date']).toBe('20231216T162057Z');
    expect(headers.authorization).toBe(
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
    );
  });

  test('STS token is added and signed', () => {
    const headers = signRequest(vectorRequest(), { accessKeyId: 'ak', accessKeySecret: 'sk', securityToken: 'token' }, { region: 'cn-hangzhou', date: new Date(1702784856 * 1000) });
    expect(headers['x-oss-security-token']).toBe('token');
    expect(headers['x-oss-date']).toBe('20231217T034736Z');
    expect(headers.authorization).toBe(
      'OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request,Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea',
    );
  });

  test('the oss- region prefix is stripped', () => {
    const a = signRequest(vectorRequest(), { accessKeyId: 'ak', accessKeySecret: 'sk' }, { region: 'oss-cn-hangzhou', date: new Date(1702743657 * 1000) });
    expect(a.authorization).toContain('/cn-hangzhou/oss/');
    expect(a.authorization).toContain('e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe');
  });
});

describe('steps', () => {
  test('canonical query: sorted by encoded key, bare keys for empty values', () => {
    expect(canonicalQueryString(vectorRequest().query)).toBe('%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2');
    expect(canonicalQueryString({ batchJob: null })).toBe('batchJob');
    expect(canonicalQueryString({ batchJob: null, batchJobStatuses: 'Active|Complete', 'max-keys': '100' })).toBe('batchJob&batchJobStatuses=Active%7CComplete&max-keys=100');
    expect(canonicalQueryString({ statusUpdateReason: "it's a (test)*!" })).toBe('statusUpdateReason=it%27s%20a%20%28test%29%2A%21');
  });

  test('canonical uri', () => {
    expect(canonicalUri()).toBe('/');
    expect(canonicalUri('b')).toBe('/b/');
    expect(canonicalUri('b', 'a b/c+d/é.txt')).toBe('/b/a%20b/c%2Bd/%C3%A9.txt');
  });

  test('canonical request lists only signed headers and the additional-headers line', () => {
    const req: SignableRequest = { method: 'get', query: { batchJob: null }, headers: { 'X-Oss-Date': '20250611T080000Z', Host: 'h', 'User-Agent': 'x' } };
    expect(canonicalRequest(req, ['Host'])).toBe('GET\n/\nbatchJob\nhost:h\nx-oss-date:20250611T080000Z\n\nhost\nUNSIGNED-PAYLOAD');
    expect(canonicalRequest(req)).toBe('GET\n/\nbatchJob\nx-oss-date:20250611T080000Z\n\n\nUNSIGNED-PAYLOAD');
  });

  test('additional headers are normalized; default-signed ones dropped', () => {
    expect(normalizeAdditionalHeaders(['Host', 'x-oss-meta-a', 'content-type', 'host', 'Range'])).toEqual(['host', 'range']);
  });

  test('dates', () => {
    expect(formatOssDate(new Date(Date.UTC(2025, 5, 11, 8, 0, 0)))).toBe('20250611T080000Z');
    expect(parseOssDate('20250611T080000Z')?.toISOString()).toBe('2025-06-11T08:00:00.000Z');
    expect(parseOssDate('2025-06-11')).toBeUndefined();
    expect(signingRegion('cn-hangzhou')).toBe('cn-hangzhou');
  });

  test('authorization header parses back', () => {
    const value = authorizationHeader('AK', '20250611T080000Z', 'cn-hangzhou', ['host'], 'a'.repeat(64));
    expect(value).toBe(`OSS4-HMAC-SHA256 Credential=AK/20250611/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=host,Signature=${'a'.repeat(64)}`);
    expect(parseAuthorizationHeader(value)).toEqual({ accessKeyId: 'AK', date: '20250611', region: 'cn-hangzhou', additionalHeaders: ['host'], signature: 'a'.repeat(64) });
    expect(parseAuthorizationHeader(value.replace(/,/g, ', ')).accessKeyId).toBe('AK');
    expect(() => parseAuthorizationHeader('OSS ak:sig')).toThrow(/not OSS4-HMAC-SHA256/);
    expect(() => parseAuthorizationHeader('OSS4-HMAC-SHA256 Credential=a/b,Signature=zz')).toThrow(/malformed/);
  });

  test('computeSignature needs x-oss-date', () => {
    expect(() => computeSignature({ method: 'GET', query: {}, headers: {} }, 's', 'cn-hangzhou')).toThrow(/x-oss-date/);
  });
});

describe('cross-check with the official ali-oss signer', () => {
  const creds = { accessKeyId: 'LTAI5tExampleKeyId', accessKeySecret: 'example/secret+value=' };

  function aliAuthorization(req: SignableRequest, headers: Record<string, string>, region: string, additional?: string[]): string {
    // ali-oss maps empty sub-resources to null (createRequest.js); a null value is a bare key there.
    const queries = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, v === '' ? null : v]));
    return aliSign.authorizationV4(creds.accessKeyId, creds.accessKeySecret, region, req.method, { headers, queries }, req.bucket, req.key, additional);
  }

  const cases: { name: string; req: SignableRequest; additional?: string[]; token?: string }[] = [
    { name: 'CreateJob', req: { method: 'POST', query: { batchJob: null }, headers: { 'content-type': 'application/xml', 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==' } } },
    { name: 'ListJobs with a status filter and token', req: { method: 'GET', query: { batchJob: null, batchJobStatuses: 'Active|Complete', 'max-keys': '2', 'continuation-token': 'next-page+token/456=' }, headers: {} } },
    { name: 'DescribeJob with a base64 job id', req: { method: 'GET', query: { batchJob: null, batchJobId: 'MzRjZGU2NGQ3YTY5NGRhMTkxZmZhYzY5OTM5YTcxYWU=' }, headers: {} } },
    { name: 'UpdateJobStatus', req: { method: 'POST', query: { batchJobStatus: null, batchJobId: 'abc', requestedJobStatus: 'Cancelled', statusUpdateReason: 'User requested cancellation' }, headers: {} } },
    { name: 'object key with spaces, unicode and plus', req: { method: 'PUT', bucket: 'photos', key: 'raw/2024 summer/été+1.jpg', query: {}, headers: { 'content-type': 'image/jpeg', 'x-oss-storage-class': 'Archive' } } },
    { name: 'ListObjectsV2', req: { method: 'GET', bucket: 'photos', query: { 'list-type': '2', prefix: 'raw/', 'max-keys': '1000', 'continuation-token': 'abc==' }, headers: {} } },
    { name: 'tagging with STS token', req: { method: 'PUT', bucket: 'b', key: 'k', query: { tagging: null }, headers: {} }, token: 'CAIS-sts-token/+=' },
    { name: 'additional headers', req: { method: 'GET', bucket: 'b', key: 'k', query: {}, headers: { host: 'b.oss-cn-hangzhou.aliyuncs.com', range: 'bytes=0-9' } }, additional: ['Host', 'range'] },
  ];

  test.each(cases)('$name', ({ req, additional, token }) => {
    const date = new Date(Date.UTC(2025, 5, 11, 8, 0, 0));
    const added = signRequest(req, { ...creds, securityToken: token }, { region: 'cn-hangzhou', date, additionalHeaders: additional });
    const { authorization, ...signedHeaders } = added;
    expect(authorization).toBe(aliAuthorization(req, { ...req.headers, ...signedHeaders }, 'cn-hangzhou', additional));
  });

  test('random object keys and query values agree', () => {
    const lowerKey = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), fc.dictionary(lowerKey, fc.string({ maxLength: 20, unit: 'grapheme' }), { maxKeys: 4 }), (key, query) => {
      const req: SignableRequest = { method: 'GET', bucket: 'bucket-1', key, query, headers: {} };
      const added = signRequest(req, creds, { region: 'cn-hangzhou', date: new Date(0) });
      const { authorization, ...signedHeaders } = added;
      expect(authorization).toBe(aliAuthorization(req, signedHeaders, 'cn-hangzhou'));
    }), { numRuns: 200 });
  });
});
