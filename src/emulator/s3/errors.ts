/**
 * S3's error codes and statuses (the ones the S3 side of the emulator answers with), and the S3
 * error document. The emulator's one error type (EmulatorError) carries them.
 */
import { buildXml } from '../../oss/xml/common';
import { EmulatorError } from '../errors';

const S3_STATUS: Record<string, number> = {
  AccessDenied: 403, AuthorizationHeaderMalformed: 400, AuthorizationQueryParametersError: 400, BadDigest: 400, BucketAlreadyOwnedByYou: 409, EntityTooLarge: 400,
  IncompleteBody: 400, InternalError: 500, InvalidAccessKeyId: 403, InvalidArgument: 400, InvalidBucketName: 400, InvalidDigest: 400,
  InvalidLocationConstraint: 400, InvalidObjectState: 403, InvalidPart: 400, InvalidPartOrder: 400, InvalidRequest: 400, InvalidStorageClass: 400,
  InvalidTag: 400, InvalidURI: 400, KeyTooLongError: 400, MalformedXML: 400, MethodNotAllowed: 405, MissingContentLength: 411, MissingSecurityHeader: 400,
  NoSuchBucket: 404, NoSuchKey: 404, NoSuchUpload: 404, NoSuchVersion: 404, NotImplemented: 501, RequestTimeTooSkewed: 403,
  RestoreAlreadyInProgress: 409, ServiceUnavailable: 503, SignatureDoesNotMatch: 403, SlowDown: 503, XAmzContentSHA256Mismatch: 400,
};

export const s3Error = (code: string, message: string) => new EmulatorError(code, message, S3_STATUS[code] ?? 400);

export const notImplemented = (what: string) => s3Error('NotImplemented', `${what} is not implemented by the emulator's S3 API`);

/** OSS codes the shared store throws that S3 names differently. */
const FROM_STORE: Record<string, string> = { InvalidObjectName: 'KeyTooLongError', OperationNotSupported: 'InvalidObjectState' };

/** An error of the shared store or body code as S3 would answer it. */
export function asS3Error(err: EmulatorError): EmulatorError {
  const code = FROM_STORE[err.code] ?? err.code;
  return code === err.code && S3_STATUS[code] === err.status ? err : s3Error(code, err.message);
}

export function encodeS3ErrorXml(e: { code: string; message: string; resource: string; requestId: string }): string {
  return buildXml('Error', { Code: e.code, Message: e.message, Resource: e.resource, RequestId: e.requestId, HostId: e.requestId });
}
