/**
 * Incoming V4 signature check, with the same derivation the client signs with
 * (src/oss/signer.ts): only the secret lookup, the clock-skew rule and the STS rule are ours.
 */
import { timingSafeEqual } from 'node:crypto';
import { computeSignature, HEADER_DATE, HEADER_SECURITY_TOKEN, parseAuthorizationHeader, parseOssDate, SignableRequest, signingRegion } from '../oss/signer';
import { EMULATOR_STS_TOKEN_PREFIX } from './defaults';
import { EmulatorError } from './errors';

export interface AuthOptions {
  secrets: ReadonlyMap<string, string>;
  region: string;
  now: Date;
  allowedSkewSeconds: number;
}

export function verifySignature(req: SignableRequest, options: AuthOptions): void {
  const authorization = req.headers.authorization;
  if (!authorization) throw new EmulatorError('AccessDenied', 'Anonymous access is forbidden for this operation: sign the request with OSS4-HMAC-SHA256.');
  let parsed;
  try {
    parsed = parseAuthorizationHeader(authorization);
  } catch (err) {
    throw new EmulatorError('AccessDenied', `Authorization header is invalid: ${(err as Error).message}`);
  }
  const secret = options.secrets.get(parsed.accessKeyId);
  if (secret === undefined) throw new EmulatorError('InvalidAccessKeyId', `The OSS Access Key Id you provided does not exist in our records: ${parsed.accessKeyId}`);
  const ossDate = req.headers[HEADER_DATE];
  const signedAt = ossDate ? parseOssDate(ossDate) : undefined;
  if (!signedAt || ossDate!.slice(0, 8) !== parsed.date) throw new EmulatorError('AccessDenied', `the ${HEADER_DATE} header is missing or does not match the credential scope date`);
  const skew = Math.abs(options.now.getTime() - signedAt.getTime()) / 1000;
  if (skew > options.allowedSkewSeconds) {
    throw new EmulatorError('RequestTimeTooSkewed', `The difference between the request time and the server's time is too large (${Math.round(skew)} s > ${options.allowedSkewSeconds} s).`);
  }
  const token = req.headers[HEADER_SECURITY_TOKEN];
  if (token?.startsWith(EMULATOR_STS_TOKEN_PREFIX) && Number(token.slice(EMULATOR_STS_TOKEN_PREFIX.length)) * 1000 < options.now.getTime()) {
    throw new EmulatorError('SecurityTokenExpired', 'The security token you provided has expired.');
  }
  if (signingRegion(parsed.region) !== options.region) {
    throw new EmulatorError('SignatureDoesNotMatch', `the credential scope names region ${parsed.region}, but this endpoint serves ${options.region}`);
  }
  const expected = computeSignature(req, secret, options.region, parsed.additionalHeaders);
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(parsed.signature))) {
    throw new EmulatorError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  }
}
