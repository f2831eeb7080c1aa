/**
 * Incoming signature check, from the request line and headers only (the body is not read yet).
 * V4 (`OSS4-HMAC-SHA256`, header or presigned query) uses the same derivation the client signs
 * with (src/oss/signer.ts); V1 (`OSS <id>:<signature>`, header or presigned `Signature=`) is the
 * HMAC-SHA1 scheme ali-oss uses by default. Only the secret lookup, the clock-skew and expiry
 * rules and the STS rule are ours.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  canonicalRequest, computeSignature, HEADER_DATE, HEADER_SECURITY_TOKEN, parseAuthorizationHeader, parseOssDate, SignableRequest,
  signingKey, signingRegion, stringToSign,
} from '../oss/signer';
import { EMULATOR_STS_TOKEN_PREFIX } from './defaults';
import { EmulatorError } from './errors';

export interface AuthOptions {
  secrets: ReadonlyMap<string, string>;
  region: string;
  now: Date;
  allowedSkewSeconds: number;
}

/** A request as the verifier sees it: query values as sent (null for a bare key such as `?acl`). */
export type VerifiableRequest = SignableRequest;

/**
 * Sub-resources that V1 signs (OSS V1 signature doc, the ones a client of this emulator can
 * send); every other query parameter is left out of the canonical resource.
 */
const V1_SUBRESOURCES = new Set([
  'acl', 'uploads', 'location', 'cors', 'logging', 'website', 'referer', 'lifecycle', 'delete', 'append', 'tagging', 'objectMeta', 'uploadId', 'partNumber',
  'security-token', 'position', 'img', 'style', 'styleName', 'replication', 'replicationProgress', 'replicationLocation', 'cname', 'bucketInfo', 'comp',
  'qos', 'live', 'status', 'vod', 'startTime', 'endTime', 'symlink', 'x-oss-process', 'response-content-type', 'x-oss-traffic-limit',
  'response-content-language', 'response-expires', 'response-cache-control', 'response-content-disposition', 'response-content-encoding', 'udf',
  'udfName', 'udfImage', 'udfId', 'udfImageDesc', 'udfApplication', 'udfApplicationLog', 'restore', 'callback', 'callback-var', 'policy', 'stat',
  'encryption', 'versions', 'versioning', 'versionId', 'requestPayment', 'x-oss-request-payer', 'sequential', 'inventory', 'inventoryId',
  'continuation-token', 'worm', 'wormId', 'wormExtend', 'transferAcceleration', 'batchJob', 'batchJobId', 'batchJobStatus', 'batchJobPriority',
]);

const denied = (message: string) => new EmulatorError('AccessDenied', message);
const mismatch = () => new EmulatorError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');

export function verifySignature(req: VerifiableRequest, options: AuthOptions): void {
  const authorization = req.headers.authorization;
  if (authorization?.startsWith('OSS ')) return verifyV1Header(req, authorization, options);
  if (authorization) return verifyV4Header(req, authorization, options);
  if (req.query['x-oss-signature-version'] === 'OSS4-HMAC-SHA256') return verifyV4Query(req, options);
  if (req.query.Signature !== undefined || req.query.OSSAccessKeyId !== undefined) return verifyV1Query(req, options);
  throw denied('Anonymous access is forbidden for this operation: sign the request (OSS4-HMAC-SHA256 or OSS V1).');
}

function secretFor(accessKeyId: string, options: AuthOptions): string {
  const secret = options.secrets.get(accessKeyId);
  if (secret === undefined) throw new EmulatorError('InvalidAccessKeyId', `The OSS Access Key Id you provided does not exist in our records: ${accessKeyId}`);
  return secret;
}

function checkSkew(signedAt: Date, options: AuthOptions): void {
  const skew = Math.abs(options.now.getTime() - signedAt.getTime()) / 1000;
  if (skew > options.allowedSkewSeconds) {
    throw new EmulatorError('RequestTimeTooSkewed', `The difference between the request time and the server's time is too large (${Math.round(skew)} s > ${options.allowedSkewSeconds} s).`);
  }
}

function checkToken(token: string | null | undefined, options: AuthOptions): void {
  if (token?.startsWith(EMULATOR_STS_TOKEN_PREFIX) && Number(token.slice(EMULATOR_STS_TOKEN_PREFIX.length)) * 1000 < options.now.getTime()) {
    throw new EmulatorError('SecurityTokenExpired', 'The security token you provided has expired.');
  }
}

function checkRegion(region: string, options: AuthOptions): void {
  if (signingRegion(region) !== options.region) {
    throw new EmulatorError('SignatureDoesNotMatch', `the credential scope names region ${region}, but this endpoint serves ${options.region}`);
  }
}

/** Constant-time comparison of two signatures (also used by the S3 side). */
export function signaturesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sameSignature(expected: string, given: string): void {
  if (!signaturesEqual(expected, given)) throw mismatch();
}

function verifyV4Header(req: VerifiableRequest, authorization: string, options: AuthOptions): void {
  let parsed;
  try {
    parsed = parseAuthorizationHeader(authorization);
  } catch (err) {
    throw denied(`Authorization header is invalid: ${(err as Error).message}`);
  }
  const secret = secretFor(parsed.accessKeyId, options);
  const ossDate = req.headers[HEADER_DATE];
  const signedAt = ossDate ? parseOssDate(ossDate) : undefined;
  if (!signedAt || ossDate!.slice(0, 8) !== parsed.date) throw denied(`the ${HEADER_DATE} header is missing or does not match the credential scope date`);
  checkSkew(signedAt, options);
  checkToken(req.headers[HEADER_SECURITY_TOKEN], options);
  checkRegion(parsed.region, options);
  sameSignature(computeSignature(req, secret, options.region, parsed.additionalHeaders), parsed.signature);
}

/** Presigned V4 URL: the credential, date and expiry are query parameters; everything but the signature is signed. */
function verifyV4Query(req: VerifiableRequest, options: AuthOptions): void {
  const { query } = req;
  const credential = (query['x-oss-credential'] ?? '').split('/');
  const ossDate = query['x-oss-date'] ?? '';
  const signature = query['x-oss-signature'] ?? '';
  const signedAt = parseOssDate(ossDate);
  if (credential.length !== 5 || credential[3] !== 'oss' || credential[4] !== 'aliyun_v4_request' || !signedAt || credential[1] !== ossDate.slice(0, 8)) {
    throw denied('the presigned URL is malformed (x-oss-credential, x-oss-date)');
  }
  const expires = Number(query['x-oss-expires']);
  if (!Number.isInteger(expires) || expires < 1 || expires > 7 * 86_400) throw denied('x-oss-expires must be 1-604800 seconds');
  if (options.now.getTime() > signedAt.getTime() + expires * 1000) throw denied('Request has expired.');
  if (signedAt.getTime() - options.now.getTime() > options.allowedSkewSeconds * 1000) checkSkew(signedAt, options);
  const secret = secretFor(credential[0], options);
  checkToken(query['x-oss-security-token'], options);
  checkRegion(credential[2], options);
  const rest = Object.fromEntries(Object.entries(query).filter(([k]) => k !== 'x-oss-signature'));
  const additional = (query['x-oss-additional-headers'] ?? '').split(';').filter(Boolean);
  const canonical = canonicalRequest({ ...req, query: rest }, additional);
  const toSign = stringToSign(ossDate, options.region, canonical);
  const expected = createHmac('sha256', signingKey(secret, ossDate.slice(0, 8), options.region)).update(toSign, 'utf8').digest('hex');
  sameSignature(expected, signature);
}

/** `OSS <AccessKeyId>:<base64 HMAC-SHA1>`; the date is x-oss-date (ali-oss) or Date. */
function verifyV1Header(req: VerifiableRequest, authorization: string, options: AuthOptions): void {
  const m = /^OSS ([^:\s]+):(\S+)$/.exec(authorization);
  if (!m) throw denied('Authorization header is invalid: expected "OSS <AccessKeyId>:<Signature>"');
  const secret = secretFor(m[1], options);
  const date = req.headers[HEADER_DATE] ?? req.headers.date;
  const signedAt = date ? new Date(date) : undefined;
  if (!signedAt || Number.isNaN(signedAt.getTime())) throw denied('the Date (or x-oss-date) header is missing or not an HTTP date');
  checkSkew(signedAt, options);
  checkToken(req.headers[HEADER_SECURITY_TOKEN], options);
  sameSignature(v1Signature(req, secret, date!), m[2]);
}

/** Presigned V1 URL: `OSSAccessKeyId`, `Expires` (epoch seconds) and `Signature` in the query. */
function verifyV1Query(req: VerifiableRequest, options: AuthOptions): void {
  const { OSSAccessKeyId: accessKeyId, Expires: expires, Signature: signature } = req.query;
  if (!accessKeyId || !expires || !signature || !/^\d+$/.test(expires)) throw denied('the presigned URL needs OSSAccessKeyId, Expires and Signature');
  const secret = secretFor(accessKeyId, options);
  if (Number(expires) * 1000 < options.now.getTime()) throw denied('Request has expired.');
  checkToken(req.query['security-token'], options);
  sameSignature(v1Signature(req, secret, expires), signature);
}

/** VERB, Content-MD5, Content-Type, date (or Expires), x-oss-* headers, then /bucket/key?sub-resources. */
function v1Signature(req: VerifiableRequest, secret: string, date: string): string {
  const headers = req.headers;
  const ossHeaders = Object.keys(headers)
    .filter((name) => name.toLowerCase().startsWith('x-oss-'))
    .map((name) => [name.toLowerCase(), String(headers[name]).trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value}`);
  const subresources = Object.keys(req.query)
    .filter((name) => V1_SUBRESOURCES.has(name))
    .sort()
    .map((name) => (req.query[name] === null || req.query[name] === '' ? name : `${name}=${req.query[name]}`));
  let resource = req.bucket ? `/${req.bucket}/${req.key ?? ''}` : '/';
  if (subresources.length) resource += `?${subresources.join('&')}`;
  const toSign = [req.method.toUpperCase(), headers['content-md5'] ?? '', headers['content-type'] ?? '', date, ...ossHeaders, resource].join('\n');
  return createHmac('sha1', secret).update(toSign, 'utf8').digest('base64');
}
