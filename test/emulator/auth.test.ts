/**
 * The emulator's V4 signature check: each rejection has its OSS code and 403, and every error
 * answer is an OSS error document whose RequestId is the x-oss-request-id header.
 */
import type { RunningEmulator } from '../../src/emulator';
import { EMULATOR_ACCESS_KEY_ID } from '../../src/emulator';
import { formatOssDate, signRequest } from '../../src/oss/signer';
import { decodeErrorXml } from '../../src/oss/xml/error';
import { clientFor, ossError, raw, RawResponse, signedRaw, start, stopAndClean } from './helpers';

const OSS = require('ali-oss');

const BUCKET = 'auth-bucket';
const MINUTE = 60_000;
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await start();
  await clientFor(emulator).createBucket(BUCKET);
  await clientFor(emulator).putObject(BUCKET, 'k.txt', 'body');
});
afterAll(() => stopAndClean(emulator));

/** Assert an OSS error answer: status, code, XML body with a RequestId equal to the header. */
function expectErrorAnswer(res: RawResponse, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/xml');
  const requestId = res.headers['x-oss-request-id'];
  expect(requestId).toMatch(/^[0-9A-F]{24}$/);
  expect(res.body.startsWith('<?xml')).toBe(true);
  const doc = decodeErrorXml(res.body);
  expect(doc).toBeDefined();
  expect(doc!.code).toBe(code);
  expect(doc!.message.length).toBeGreaterThan(0);
  expect(doc!.requestId).toBe(requestId);
  expect(doc!.hostId).toBe(`${emulator.host}:${emulator.port}`);
}

const wrongSecret = () => ({ accessKeyId: emulator.credentials.accessKeyId, accessKeySecret: 'not-the-secret' });

describe('rejections through OssClient', () => {
  test('a wrong secret is 403 SignatureDoesNotMatch', async () => {
    const err = await ossError(clientFor(emulator, { credentials: wrongSecret() }).getObject(BUCKET, 'k.txt'));
    expect([err.code, err.status]).toEqual(['SignatureDoesNotMatch', 403]);
    expect(err.requestId).toMatch(/^[0-9A-F]{24}$/);
  });

  test('an unknown access key id is 403 InvalidAccessKeyId', async () => {
    const err = await ossError(clientFor(emulator, { credentials: { accessKeyId: 'LTAIunknown', accessKeySecret: 'x' } }).listJobs());
    expect([err.code, err.status]).toEqual(['InvalidAccessKeyId', 403]);
    expect(err.serverMessage).toContain('LTAIunknown');
  });

  test.each([20, -20])('a client clock %i minutes off is 403 RequestTimeTooSkewed', async (minutes) => {
    const clock = () => new Date(Date.now() + minutes * MINUTE);
    const err = await ossError(clientFor(emulator, { clock }).getObject(BUCKET, 'k.txt'));
    expect([err.code, err.status]).toEqual(['RequestTimeTooSkewed', 403]);
  });

  test('a client clock 14 minutes off is still accepted (15-minute window)', async () => {
    for (const minutes of [14, -14]) {
      const clock = () => new Date(Date.now() + minutes * MINUTE);
      expect((await clientFor(emulator, { clock }).getObject(BUCKET, 'k.txt')).body.toString()).toBe('body');
    }
  });

  test('an expired emulator STS token is 403 SecurityTokenExpired; a live one and other tokens pass', async () => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const withToken = (securityToken: string) => clientFor(emulator, { credentials: { ...emulator.credentials, securityToken } });
    const err = await ossError(withToken(`emulator-sts:${nowSeconds - 60}`).getObject(BUCKET, 'k.txt'));
    expect([err.code, err.status]).toEqual(['SecurityTokenExpired', 403]);
    expect((await withToken(`emulator-sts:${nowSeconds + 3600}`).getObject(BUCKET, 'k.txt')).body.toString()).toBe('body');
    expect((await withToken('CAIS-some-real-looking-token').getObject(BUCKET, 'k.txt')).body.toString()).toBe('body');
  });

  test('the official ali-oss client with a wrong secret gets SignatureDoesNotMatch too', async () => {
    const oss = new OSS({
      region: 'oss-cn-hangzhou', endpoint: emulator.endpoint, accessKeyId: EMULATOR_ACCESS_KEY_ID, accessKeySecret: 'wrong', bucket: BUCKET, authorizationV4: true,
    });
    let err: { code?: string; status?: number } = {};
    try {
      await oss.get('k.txt');
    } catch (e) {
      err = e as typeof err;
    }
    expect([err.code, err.status]).toEqual(['SignatureDoesNotMatch', 403]);
  });
});

describe('error documents on the wire', () => {
  test('no Authorization header is 403 AccessDenied', async () => {
    const res = await raw(emulator, { method: 'GET', path: `/${BUCKET}/k.txt` });
    expectErrorAnswer(res, 403, 'AccessDenied');
    expect(decodeErrorXml(res.body)!.message).toContain('Anonymous access');
  });

  test('a wrong secret is SignatureDoesNotMatch', async () => {
    expectErrorAnswer(await signedRaw(emulator, { method: 'GET', bucket: BUCKET, key: 'k.txt', credentials: wrongSecret() }), 403, 'SignatureDoesNotMatch');
  });

  test('an unknown key id is InvalidAccessKeyId', async () => {
    const res = await signedRaw(emulator, { method: 'GET', query: { batchJob: null }, credentials: { accessKeyId: 'LTAInobody', accessKeySecret: 's' } });
    expectErrorAnswer(res, 403, 'InvalidAccessKeyId');
  });

  test('a request signed 20 minutes ago is RequestTimeTooSkewed', async () => {
    const res = await signedRaw(emulator, { method: 'GET', bucket: BUCKET, key: 'k.txt', date: new Date(Date.now() - 20 * MINUTE) });
    expectErrorAnswer(res, 403, 'RequestTimeTooSkewed');
  });

  test('an expired STS token is SecurityTokenExpired', async () => {
    const credentials = { ...emulator.credentials, securityToken: `emulator-sts:${Math.floor(Date.now() / 1000) - 1}` };
    expectErrorAnswer(await signedRaw(emulator, { method: 'GET', bucket: BUCKET, key: 'k.txt', credentials }), 403, 'SecurityTokenExpired');
  });

  test.each(['OSS4-HMAC-SHA256 Credential=LTAI', 'OSS LTAI-without-signature', 'Bearer abc'])('a malformed Authorization header (%s) is AccessDenied', async (authorization) => {
    const res = await raw(emulator, { method: 'GET', path: `/${BUCKET}/k.txt`, headers: { authorization, 'x-oss-date': formatOssDate(new Date()) } });
    expectErrorAnswer(res, 403, 'AccessDenied');
  });

  test('an x-oss-date outside the credential scope date is AccessDenied', async () => {
    const signed = await signedRaw(emulator, { method: 'GET', bucket: BUCKET, key: 'k.txt' });
    expect(signed.status).toBe(200);
    // sign normally, then send a date header from another day
    const now = new Date();
    const headers = signRequest({ method: 'GET', bucket: BUCKET, key: 'k.txt', query: {}, headers: {} }, emulator.credentials, { region: emulator.region, date: now });
    headers['x-oss-date'] = formatOssDate(new Date(now.getTime() - 2 * 86_400_000));
    expectErrorAnswer(await raw(emulator, { method: 'GET', path: `/${BUCKET}/k.txt`, headers }), 403, 'AccessDenied');
  });

  test('a request signed for another region is SignatureDoesNotMatch', async () => {
    expectErrorAnswer(await signedRaw(emulator, { method: 'GET', bucket: BUCKET, key: 'k.txt', region: 'cn-beijing' }), 403, 'SignatureDoesNotMatch');
  });

  test('tampering with a signed query parameter or a signed header is SignatureDoesNotMatch', async () => {
    const query = { batchJob: null, batchJobId: 'AAAA' };
    const headers = signRequest({ method: 'GET', query, headers: {} }, emulator.credentials, { region: emulator.region });
    expectErrorAnswer(await raw(emulator, { method: 'GET', path: '/?batchJob&batchJobId=BBBB', headers }), 403, 'SignatureDoesNotMatch');
    // the untampered request passes the signature check and reaches the API
    expectErrorAnswer(await raw(emulator, { method: 'GET', path: '/?batchJob&batchJobId=AAAA', headers }), 404, 'NoSuchJob');

    const withType = signRequest({ method: 'GET', bucket: BUCKET, key: 'k.txt', query: {}, headers: { 'content-type': 'text/plain' } }, emulator.credentials, { region: emulator.region });
    expectErrorAnswer(await raw(emulator, { method: 'GET', path: `/${BUCKET}/k.txt`, headers: { ...withType, 'content-type': 'text/html' } }), 403, 'SignatureDoesNotMatch');
  });

  test('API errors after a valid signature are documents too, each with its own request id', async () => {
    const a = await signedRaw(emulator, { method: 'GET', bucket: BUCKET, key: 'missing.txt' });
    const b = await signedRaw(emulator, { method: 'GET', bucket: 'no-such-bucket', key: 'x' });
    expectErrorAnswer(a, 404, 'NoSuchKey');
    expectErrorAnswer(b, 404, 'NoSuchBucket');
    expect(a.headers['x-oss-request-id']).not.toBe(b.headers['x-oss-request-id']);
  });

  test('a HEAD error has the status and request id header but no body', async () => {
    const res = await signedRaw(emulator, { method: 'HEAD', bucket: BUCKET, key: 'missing.txt' });
    expect(res.status).toBe(404);
    expect(res.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
    expect(res.body).toBe('');
  });

  test('successful answers carry a request id as well', async () => {
    const res = await signedRaw(emulator, { method: 'GET', bucket: BUCKET, key: 'k.txt' });
    expect([res.status, res.body]).toEqual([200, 'body']);
    expect(res.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
  });
});
