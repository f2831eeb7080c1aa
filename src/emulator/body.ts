/**
 * Request bodies: XML documents are decoded under one rule (anything the parser rejects is
 * 400 MalformedXML, never a 5xx a client would retry) and every body is checked against the
 * digests the client sent (Content-MD5, a signed x-oss-content-sha256).
 */
import { createHash } from 'node:crypto';
import { HEADER_CONTENT_SHA256, UNSIGNED_PAYLOAD } from '../oss/signer';
import { EmulatorError } from './errors';

export const malformedXml = (detail: string) => new EmulatorError('MalformedXML', `The XML you provided was not well-formed or did not validate: ${detail}`);

/** Decode an XML body; whatever the decoder throws (bad status, entities, depth, odd names) is the client's fault. */
export function decodeXml<T>(body: Buffer, decode: (xml: string) => T): T {
  try {
    return decode(body.toString('utf8'));
  } catch (err) {
    if (err instanceof EmulatorError) throw err;
    throw malformedXml((err as Error).message);
  }
}

/** The hex SHA-256 the request signed for its body, or undefined when the payload is unsigned. */
export function signedPayloadHash(headers: Record<string, string | undefined>): string | undefined {
  const value = headers[HEADER_CONTENT_SHA256];
  if (value === undefined || value === UNSIGNED_PAYLOAD) return undefined;
  return value.toLowerCase();
}

export interface BodyDigests {
  /** Uppercase hex MD5. */
  md5: string;
  /** Lowercase hex SHA-256, when it was computed. */
  sha256?: string;
}

/** 400 InvalidDigest when the body does not match Content-MD5 or the signed x-oss-content-sha256. */
export function checkDigests(headers: Record<string, string | undefined>, digests: BodyDigests): void {
  const contentMd5 = headers['content-md5'];
  if (contentMd5 !== undefined) {
    const declared = Buffer.from(contentMd5, 'base64');
    if (declared.length !== 16 || declared.toString('base64') !== contentMd5.trim() || declared.toString('hex').toUpperCase() !== digests.md5) {
      throw new EmulatorError('InvalidDigest', 'The Content-MD5 you specified did not match what we received.', 400);
    }
  }
  const signed = signedPayloadHash(headers);
  if (signed !== undefined && signed !== digests.sha256) {
    throw new EmulatorError('InvalidDigest', `The ${HEADER_CONTENT_SHA256} you signed did not match the body we received.`, 400);
  }
}

/** Digests of a body read whole. */
export function digestsOf(body: Buffer, withSha256: boolean): BodyDigests {
  return {
    md5: createHash('md5').update(body).digest('hex').toUpperCase(),
    sha256: withSha256 ? createHash('sha256').update(body).digest('hex') : undefined,
  };
}
