/** CLI exit codes (same meaning as the handler's) and one-line error messages with a hint. */
import { CredentialsError } from '../oss/credentials';
import { OssError, OssNetworkError, OssResponseError } from '../oss/errors';

export const EXIT = { OK: 0, OUTCOME: 1, USAGE: 2, TIMEOUT: 3, API: 4 } as const;

export class CliError extends Error {
  constructor(readonly exitCode: number, message: string) {
    super(message);
  }
}

export function hintFor(err: unknown): string {
  if (err instanceof OssError) {
    if (['AccessDenied', 'SignatureDoesNotMatch', 'InvalidAccessKeyId', 'SecurityTokenExpired'].includes(err.code)) {
      return 'check ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (and the RAM permissions oss:*Job)';
    }
    if (err.code === 'NoSuchJob') return 'check the job id and that --region / --endpoint point where the job was created';
    if (err.code === 'RequestTimeTooSkewed') return "check this machine's clock";
    return '';
  }
  if (err instanceof OssNetworkError) return 'check --endpoint (or OSS_ENDPOINT) and that the service is reachable';
  return '';
}

/** One line for stderr and the exit code for an error. */
export function describeError(err: unknown): { message: string; exitCode: number } {
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode };
  if (err instanceof OssError || err instanceof OssNetworkError || err instanceof OssResponseError || err instanceof CredentialsError) {
    const hint = hintFor(err);
    return { message: `${err.message}${hint ? ` (hint: ${hint})` : ''}`, exitCode: EXIT.API };
  }
  return { message: (err as Error)?.message ?? String(err), exitCode: EXIT.API };
}
