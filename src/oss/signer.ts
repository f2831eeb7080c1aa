/**
 * OSS Signature V4 (`OSS4-HMAC-SHA256`), docs/oss-api.md §10. One small pure function per step
 * (as aws-sdk-js-v3's signature-v4 does); the clock and credentials are arguments, so the
 * client signs with them and the emulator verifies incoming requests with the same derivation.
 */
import { createHash, createHmac } from 'node:crypto';

export const SIGNING_ALGORITHM = 'OSS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const HEADER_DATE = 'x-oss-date';
export const HEADER_CONTENT_SHA256 = 'x-oss-content-sha256';
export const HEADER_SECURITY_TOKEN = 'x-oss-security-token';
const SCOPE_TERMINATOR = 'aliyun_v4_request';
const SERVICE = 'oss';

export interface OssCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** A request as the signer sees it. A query value of null (or '') is a bare key: `?batchJob`. */
export interface SignableRequest {
  method: string;
  bucket?: string;
  key?: string;
  query: Record<string, string | null>;
  headers: Record<string, string>;
}

/** RFC 3986 unreserved set: encodeURIComponent plus `!'()*`. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `yyyyMMdd'T'HHmmss'Z'` in UTC. */
export function formatOssDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Parse an x-oss-date value back to a Date (undefined when malformed). */
export function parseOssDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Bare region id: `oss-cn-hangzhou` → `cn-hangzhou` (ali-oss strips the prefix too). */
export function signingRegion(region: string): string {
  return region.startsWith('oss-') ? region.slice(4) : region;
}

/** `/` + bucket + `/` + key; everything but `/` percent-encoded. Service-level requests sign `/`. */
export function canonicalUri(bucket?: string, key?: string): string {
  if (!bucket) return '/';
  return `/${bucket}/${key ? key.split('/').map(uriEncode).join('/') : ''}`;
}

/** Encoded pairs sorted by encoded key in byte order; empty values give a bare key. */
export function canonicalQueryString(query: Record<string, string | null>): string {
  return Object.entries(query)
    .map(([k, v]) => [uriEncode(k), v === null || v === '' ? null : uriEncode(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => (v === null ? k : `${k}=${v}`))
    .join('&');
}

function isDefaultSigned(name: string): boolean {
  return name.startsWith('x-oss-') || name === 'content-type' || name === 'content-md5';
}

/** Lowercase, de-duplicated, sorted; default-signed headers are dropped (they are always signed). */
export function normalizeAdditionalHeaders(names: readonly string[] = []): string[] {
  return [...new Set(names.map((n) => n.trim().toLowerCase()))].filter((n) => n && !isDefaultSigned(n)).sort();
}

/** `name:value\n` for x-oss-*, content-type, content-md5 and the additional headers. */
export function canonicalHeaders(headers: Record<string, string>, additionalHeaders: readonly string[] = []): string {
  const extra = new Set(normalizeAdditionalHeaders(additionalHeaders));
  const lines = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (isDefaultSigned(lower) || extra.has(lower)) lines.set(lower, String(value).trim());
  }
  return [...lines.keys()].sort().map((name) => `${name}:${lines.get(name)}\n`).join('');
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const found = Object.keys(headers).find((h) => h.toLowerCase() === name);
  return found === undefined ? undefined : headers[found];
}

export function canonicalRequest(req: SignableRequest, additionalHeaders: readonly string[] = []): string {
  return [
    req.method.toUpperCase(),
    canonicalUri(req.bucket, req.key),
    canonicalQueryString(req.query),
    canonicalHeaders(req.headers, additionalHeaders),
    normalizeAdditionalHeaders(additionalHeaders).join(';'),
    headerValue(req.headers, HEADER_CONTENT_SHA256) ?? UNSIGNED_PAYLOAD,
  ].join('\n');
}

export function credentialScope(yyyymmdd: string, region: string): string {
  return `${yyyymmdd}/${signingRegion(region)}/${SERVICE}/${SCOPE_TERMINATOR}`;
}

export function stringToSign(ossDate: string, region: string, canonical: string): string {
  const hash = createHash('sha256').update(canonical, 'utf8').digest('hex');
  return [SIGNING_ALGORITHM, ossDate, credentialScope(ossDate.slice(0, 8), region), hash].join('\n');
}

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

export function signingKey(secret: string, yyyymmdd: string, region: string): Buffer {
  const kDate = hmac(`aliyun_v4${secret}`, yyyymmdd);
  const kRegion = hmac(kDate, signingRegion(region));
  const kService = hmac(kRegion, SERVICE);
  return hmac(kService, SCOPE_TERMINATOR);
}

/** Hex signature of a request whose headers already carry x-oss-date (and the STS token, if any). */
export function computeSignature(req: SignableRequest, secret: string, region: string, additionalHeaders: readonly string[] = []): string {
  const ossDate = headerValue(req.headers, HEADER_DATE);
  if (!ossDate) throw new Error(`cannot sign: the ${HEADER_DATE} header is missing`);
  const toSign = stringToSign(ossDate, region, canonicalRequest(req, additionalHeaders));
  return createHmac('sha256', signingKey(secret, ossDate.slice(0, 8), region)).update(toSign, 'utf8').digest('hex');
}

export function authorizationHeader(accessKeyId: string, ossDate: string, region: string, additionalHeaders: readonly string[], signature: string): string {
  const extra = normalizeAdditionalHeaders(additionalHeaders);
  const parts = [`Credential=${accessKeyId}/${credentialScope(ossDate.slice(0, 8), region)}`];
  if (extra.length) parts.push(`AdditionalHeaders=${extra.join(';')}`);
  parts.push(`Signature=${signature}`);
  return `${SIGNING_ALGORITHM} ${parts.join(',')}`;
}

export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  additionalHeaders: string[];
  signature: string;
}

/** Inverse of authorizationHeader, for the emulator. Accepts `, ` separators as the docs show. */
export function parseAuthorizationHeader(value: string): ParsedAuthorization {
  const prefix = `${SIGNING_ALGORITHM} `;
  if (!value.startsWith(prefix)) throw new Error(`authorization is not ${SIGNING_ALGORITHM}`);
  const fields = new Map<string, string>();
  for (const part of value.slice(prefix.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential')?.split('/') ?? [];
  const signature = fields.get('Signature') ?? '';
  if (credential.length !== 5 || credential[3] !== SERVICE || credential[4] !== SCOPE_TERMINATOR || !/^[0-9a-f]{64}$/.test(signature)) {
    throw new Error('authorization header is malformed (expected Credential=<id>/<date>/<region>/oss/aliyun_v4_request,Signature=<64 hex>)');
  }
  const extra = fields.get('AdditionalHeaders');
  return {
    accessKeyId: credential[0], date: credential[1], region: credential[2],
    additionalHeaders: extra ? extra.split(';') : [], signature,
  };
}

export interface SignOptions {
  region: string;
  date?: Date;
  additionalHeaders?: readonly string[];
}

/** Headers to add to a request: x-oss-date, x-oss-content-sha256, the STS token, authorization. */
export function signRequest(req: SignableRequest, credentials: OssCredentials, options: SignOptions): Record<string, string> {
  const added: Record<string, string> = {
    [HEADER_DATE]: formatOssDate(options.date ?? new Date()),
    [HEADER_CONTENT_SHA256]: headerValue(req.headers, HEADER_CONTENT_SHA256) ?? UNSIGNED_PAYLOAD,
  };
  if (credentials.securityToken) added[HEADER_SECURITY_TOKEN] = credentials.securityToken;
  const signed: SignableRequest = { ...req, headers: { ...req.headers, ...added } };
  const extra = options.additionalHeaders ?? [];
  const signature = computeSignature(signed, credentials.accessKeySecret, options.region, extra);
  added.authorization = authorizationHeader(credentials.accessKeyId, added[HEADER_DATE], options.region, extra, signature);
  return added;
}
