/**
 * AWS Signature V4 (header form and presigned URLs) for the S3 API, checked from the request line and headers only,
 * before a byte of the body is read. The expected signature is computed by @smithy/signature-v4
 * (the signer the AWS SDK itself uses) over exactly the headers the client listed in
 * SignedHeaders; only the key lookup, scope, clock-skew and payload-hash rules are ours.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { signaturesEqual } from '../auth';
import { notImplemented, s3Error } from './errors';

export const S3_ALGORITHM = 'AWS4-HMAC-SHA256';
export const CONTENT_SHA256 = 'x-amz-content-sha256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** aws-chunked body with unsigned chunks and a trailing checksum (what the AWS SDK v3 sends for a streamed upload). */
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

export interface S3AuthOptions {
  secrets: ReadonlyMap<string, string>;
  /** Regions a request may be signed for; the first is the one error messages name. */
  regions: readonly string[];
  now: Date;
  allowedSkewSeconds: number;
}

/** Query parameters with every value of a repeated name (`?jobStatuses=New&jobStatuses=Active`), as SigV4 signs them. */
export type S3Query = Record<string, string | string[]>;

export interface S3SignedRequest {
  method: string;
  /** The path exactly as received (still percent-encoded): S3 signs it as sent. */
  rawPath: string;
  query: S3Query;
  headers: Record<string, string>;
}

/** The query with every value kept: a repeated name becomes a list (the signer sorts its values as AWS does). */
export function queryOf(params: URLSearchParams): S3Query {
  return Object.fromEntries([...new Set(params.keys())].map((name) => {
    const values = params.getAll(name);
    return [name, values.length === 1 ? values[0] : values];
  }));
}

/** The names given more than once. */
export const repeatedNames = (query: S3Query) => Object.keys(query).filter((name) => Array.isArray(query[name]));

/** A request for the S3 API: SigV4 in the Authorization header, or a presigned SigV4 URL (`search` without the `?`). */
export function isS3Request(authorization: string | undefined, search: string): boolean {
  return authorization?.startsWith(`${S3_ALGORITHM} `) === true || /(^|&)X-Amz-Algorithm=/i.test(search);
}

/** The credential parameters of a presigned URL: they authenticate, they select nothing. */
export const PRESIGN_PARAM = /^X-Amz-(Algorithm|Credential|Date|Expires|SignedHeaders|Signature|Security-Token)$/;

const malformed = (message: string) => s3Error('AuthorizationHeaderMalformed', message);

/** How the body is covered: a SHA-256 to compare, nothing, or aws-chunked framing to strip. */
export type PayloadMode = { kind: 'sha256'; hash: string } | { kind: 'unsigned' } | { kind: 'chunked' };

export async function verifyS3Signature(req: S3SignedRequest, options: S3AuthOptions): Promise<PayloadMode> {
  const authorization = req.headers.authorization;
  if (!authorization) return verifyPresigned(req, options);
  const m = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(authorization.trim());
  if (!m) throw malformed('The authorization header is malformed; expected "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…".');
  const amzDate = req.headers['x-amz-date'] ?? '';
  const { accessKeyId, secret, signedAt, region } = checkScope(m[1], amzDate, options);
  const skew = Math.abs(options.now.getTime() - signedAt.getTime()) / 1000;
  if (skew > options.allowedSkewSeconds) throw s3Error('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
  const payload = req.headers[CONTENT_SHA256];
  if (payload === undefined) throw s3Error('InvalidRequest', `Missing required header for this request: ${CONTENT_SHA256}`);
  const signedNames = m[2].split(';');
  const signer = signerFor(accessKeyId, secret, region);
  const signed = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: '', path: req.rawPath, query: req.query, headers: signedHeaders(req, signedNames) },
    { signingDate: signedAt, signableHeaders: new Set(signedNames) },
  );
  sameSignature(/Signature=([0-9a-f]{64})$/.exec(String(signed.headers.authorization))?.[1] ?? '', m[3]);
  return payloadMode(payload);
}

/**
 * Presigned URL: credential, date, expiry and signed header names in the query. The payload is
 * `UNSIGNED-PAYLOAD` unless the client signed an x-amz-content-sha256 header.
 */
async function verifyPresigned(req: S3SignedRequest, options: S3AuthOptions): Promise<PayloadMode> {
  const twice = repeatedNames(req.query).find((name) => PRESIGN_PARAM.test(name));
  if (twice) throw s3Error('AuthorizationQueryParametersError', `${twice} must be given once.`);
  // Single-valued from here on; the other parameters keep all their values for the signature.
  const q = req.query as Record<string, string | undefined>;
  if (q['X-Amz-Algorithm'] !== S3_ALGORITHM) throw s3Error('AuthorizationQueryParametersError', `X-Amz-Algorithm only supports "${S3_ALGORITHM}"`);
  const given = q['X-Amz-Signature'] ?? '';
  const signedNames = (q['X-Amz-SignedHeaders'] ?? '').split(';');
  const expires = q['X-Amz-Expires'] ?? '';
  if (!/^[0-9a-f]{64}$/.test(given) || !/^\d{1,6}$/.test(expires) || Number(expires) < 1 || Number(expires) > 604_800) {
    throw s3Error('AuthorizationQueryParametersError', 'X-Amz-Signature, X-Amz-SignedHeaders and X-Amz-Expires (1-604800) are required.');
  }
  const { accessKeyId, secret, signedAt, region } = checkScope(q['X-Amz-Credential'] ?? '', q['X-Amz-Date'] ?? '', options);
  if (options.now.getTime() > signedAt.getTime() + Number(expires) * 1000) throw s3Error('AccessDenied', 'Request has expired');
  if (signedAt.getTime() - options.now.getTime() > options.allowedSkewSeconds * 1000) throw s3Error('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
  const headers = signedHeaders(req, signedNames);
  const payload = headers[CONTENT_SHA256] ?? UNSIGNED_PAYLOAD;
  const { ['X-Amz-Signature']: _signature, ...query } = req.query;
  const signer = signerFor(accessKeyId, secret, region);
  const presigned = await signer.presign(
    { method: req.method, protocol: 'http:', hostname: '', path: req.rawPath, query, headers: { ...headers, [CONTENT_SHA256]: payload } },
    {
      signingDate: signedAt, expiresIn: Number(expires), signableHeaders: new Set(signedNames),
      // The headers stay headers (nothing is hoisted into the query); the payload hash is only signed when the client listed it.
      unhoistableHeaders: new Set([...signedNames, CONTENT_SHA256]), unsignableHeaders: new Set(signedNames.includes(CONTENT_SHA256) ? [] : [CONTENT_SHA256]),
    },
  );
  sameSignature(String(presigned.query?.['X-Amz-Signature'] ?? ''), given);
  return payloadMode(payload);
}

/** `<key id>/<date>/<region>/s3/aws4_request` against the emulator's keys and regions, and the signing time and region. */
function checkScope(credential: string, amzDate: string, options: S3AuthOptions): { accessKeyId: string; secret: string; signedAt: Date; region: string } {
  const [accessKeyId, date, region, service, terminator, ...rest] = credential.split('/');
  if (rest.length || service !== 's3' || terminator !== 'aws4_request' || !/^\d{8}$/.test(date ?? '')) {
    throw malformed(`The credential scope "${credential.split('/').slice(1).join('/')}" is malformed; expected "<date>/<region>/s3/aws4_request".`);
  }
  const secret = options.secrets.get(accessKeyId);
  if (secret === undefined) throw s3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  if (!options.regions.includes(region)) throw malformed(`The authorization header is malformed; the region '${region}' is wrong; expecting '${options.regions[0]}'`);
  const dm = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!dm) throw s3Error('AccessDenied', 'AWS authentication requires a valid x-amz-date (X-Amz-Date) of the form YYYYMMDDTHHMMSSZ.');
  if (amzDate.slice(0, 8) !== date) throw malformed(`The credential scope date ${date} does not match the request date ${amzDate}.`);
  return { accessKeyId, secret, region, signedAt: new Date(Date.UTC(+dm[1], +dm[2] - 1, +dm[3], +dm[4], +dm[5], +dm[6])) };
}

/** Exactly the headers the client signed (the host among them). */
function signedHeaders(req: S3SignedRequest, names: string[]): Record<string, string> {
  if (!names.includes('host')) throw s3Error('AccessDenied', 'The host header must be signed.');
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = req.headers[name];
    if (value === undefined) throw s3Error('SignatureDoesNotMatch', `The signed header ${name} is missing from the request.`);
    headers[name] = value;
  }
  return headers;
}

function signerFor(accessKeyId: string, secretAccessKey: string, region: string): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId, secretAccessKey }, region, service: 's3', sha256: Sha256,
    // S3 signs the path as sent, not normalized or encoded a second time.
    uriEscapePath: false, applyChecksum: false,
  });
}

function sameSignature(expected: string, given: string): void {
  if (!signaturesEqual(expected, given)) {
    throw s3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  }
}

function payloadMode(value: string): PayloadMode {
  if (/^[0-9a-f]{64}$/i.test(value)) return { kind: 'sha256', hash: value.toLowerCase() };
  if (value === UNSIGNED_PAYLOAD) return { kind: 'unsigned' };
  if (value === STREAMING_UNSIGNED_TRAILER) return { kind: 'chunked' };
  if (value.startsWith('STREAMING-')) throw notImplemented(`${CONTENT_SHA256}: ${value} (signed aws-chunked uploads)`);
  throw s3Error('InvalidArgument', `${CONTENT_SHA256} must be a hex SHA-256, ${UNSIGNED_PAYLOAD} or ${STREAMING_UNSIGNED_TRAILER}, got "${value}"`);
}
