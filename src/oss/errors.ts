/**
 * Typed errors. One OssError for every HTTP error answer (parsed from the OSS error XML,
 * or built from the status when the body is not OSS XML), one OssNetworkError for failures
 * below HTTP. The code → status table is the emulator's too, so both sides agree.
 */
import { decodeErrorXml } from './xml/error';

/** HTTP status per error code (docs/oss-api.md §9 plus the codes the emulator answers with). */
export const ERROR_STATUS: Record<string, number> = {
  InvalidArgument: 400,
  MalformedXML: 400,
  InvalidRequest: 400,
  InvalidBucketName: 400,
  InvalidObjectName: 400,
  InvalidPart: 400,
  InvalidPartOrder: 400,
  InvalidDigest: 400,
  OperationNotSupported: 400,
  InvalidJobStatus: 409,
  AccessDenied: 403,
  SignatureDoesNotMatch: 403,
  InvalidAccessKeyId: 403,
  SecurityTokenExpired: 403,
  RequestTimeTooSkewed: 403,
  InvalidObjectState: 403,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NoSuchVersion: 404,
  NoSuchJob: 404,
  NoSuchUpload: 404,
  MethodNotAllowed: 405,
  BucketAlreadyExists: 409,
  BucketNotEmpty: 409,
  ClientTokenConflict: 409,
  RestoreAlreadyInProgress: 409,
  PreconditionFailed: 412,
  InternalError: 500,
  NotImplemented: 501,
  ServiceUnavailable: 503,
  SlowDown: 503,
};

export interface RequestDescription {
  method: string;
  /** e.g. `/?batchJob` or `/bucket/key?tagging` */
  resource: string;
}

export class OssError extends Error {
  readonly code: string;
  readonly status: number;
  readonly requestId?: string;
  readonly ec?: string;
  readonly hostId?: string;
  readonly recommendDoc?: string;
  readonly method?: string;
  readonly resource?: string;
  /** From a Retry-After header, when the server sent one. */
  readonly retryAfterMs?: number;
  /** The server's own message, without our decoration. */
  readonly serverMessage: string;

  constructor(init: {
    code: string; status: number; message: string; requestId?: string; ec?: string; hostId?: string;
    recommendDoc?: string; request?: RequestDescription; retryAfterMs?: number;
  }) {
    const where = init.request ? ` on ${init.request.method} ${init.request.resource}` : '';
    const id = init.requestId ? ` [request id ${init.requestId}]` : '';
    super(`OSS ${init.code} (${init.status})${where}: ${init.message}${id}`);
    this.name = 'OssError';
    this.code = init.code;
    this.status = init.status;
    this.requestId = init.requestId;
    this.ec = init.ec;
    this.hostId = init.hostId;
    this.recommendDoc = init.recommendDoc;
    this.method = init.request?.method;
    this.resource = init.request?.resource;
    this.retryAfterMs = init.retryAfterMs;
    this.serverMessage = init.message;
  }

  /** Build from an HTTP error answer; a non-XML body (proxy HTML, empty, HEAD) still gives a clear error. */
  static fromResponse(status: number, headers: Record<string, string | string[] | undefined>, bodyText: string, request?: RequestDescription, retryAfterMs?: number): OssError {
    const header = (name: string) => {
      const v = headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const parsed = decodeErrorXml(bodyText);
    if (parsed) {
      return new OssError({ ...parsed, status, requestId: parsed.requestId ?? header('x-oss-request-id'), ec: parsed.ec ?? header('x-oss-ec'), request, retryAfterMs });
    }
    const snippet = bodyText.trim().replace(/\s+/g, ' ').slice(0, 200);
    const message = snippet
      ? `the response body is not an OSS error document (a proxy or load balancer may have answered): ${snippet}`
      : 'the response has no body (HEAD request or empty answer)';
    return new OssError({ code: codeForStatus(status), status, message, requestId: header('x-oss-request-id'), ec: header('x-oss-ec'), request, retryAfterMs });
  }
}

function codeForStatus(status: number): string {
  switch (status) {
    case 403: return 'AccessDenied';
    case 404: return 'NotFound';
    case 500: return 'InternalError';
    case 503: return 'ServiceUnavailable';
    default: return `HttpError${status}`;
  }
}

/** A failure below HTTP: connection refused/reset, DNS, timeout, truncated answer. */
export class OssNetworkError extends Error {
  constructor(readonly code: string, message: string, readonly request?: RequestDescription) {
    super(`${message}${request ? ` (${request.method} ${request.resource})` : ''}`);
    this.name = 'OssNetworkError';
  }
}

/** A 2xx answer whose body we could not decode. Not retried: the server did something unexpected. */
export class OssResponseError extends Error {
  constructor(message: string, readonly request?: RequestDescription, readonly requestId?: string) {
    super(`unexpected response${request ? ` to ${request.method} ${request.resource}` : ''}: ${message}${requestId ? ` [request id ${requestId}]` : ''}`);
    this.name = 'OssResponseError';
  }
}

const RETRYABLE_CODES = new Set(['RequestTimeTooSkewed', 'BadRequest', 'SlowDown', 'ServiceUnavailable', 'InternalError']);
const RETRYABLE_NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'TIMEOUT', 'EOF']);

/** Reference §9 (Go SDK v2 retryable rules): ≥500, 401, 408, 429, a few codes, and network failures. */
export function isRetryableError(err: unknown): boolean {
  if (err instanceof OssError) {
    return err.status >= 500 || err.status === 401 || err.status === 408 || err.status === 429 || RETRYABLE_CODES.has(err.code);
  }
  if (err instanceof OssNetworkError) return RETRYABLE_NETWORK.has(err.code);
  return false;
}
