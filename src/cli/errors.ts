/** Errors → one line for people (code, HTTP status, request id, hint) or one JSON document for machines. */
import { CommanderError } from 'commander';
import { CredentialsError } from '../oss/credentials';
import { OssError, OssNetworkError, OssResponseError } from '../oss/errors';
import { EXIT, ExitCode } from './exit-codes';

/** An error the CLI raises itself, with the exit code it means. */
export class CliError extends Error {
  constructor(readonly exitCode: ExitCode, message: string) {
    super(message);
    this.name = 'CliError';
  }
}

const CREDENTIAL_CODES = ['AccessDenied', 'SignatureDoesNotMatch', 'InvalidAccessKeyId', 'SecurityTokenExpired'];

/** What to check next, for the errors where we can tell. */
export function hintFor(err: unknown): string | undefined {
  if (err instanceof OssError) {
    if (CREDENTIAL_CODES.includes(err.code)) {
      const region = err.code === 'SignatureDoesNotMatch' ? ', that --region matches the endpoint' : '';
      return `check ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS) and that the RAM policy allows oss:ListJobs, oss:DescribeJob, oss:UpdateJobStatus, oss:UpdateJobPriority and oss:GetObject${region}`;
    }
    if (err.code === 'NoSuchJob') return 'check the job id and that --region / --endpoint point where the job was created';
    if (err.code === 'NoSuchBucket') return 'check the bucket name and --region';
    if (err.code === 'RequestTimeTooSkewed') return "check this machine's clock (OSS allows 15 minutes of skew)";
    if (err.status >= 500) return 'OSS is having trouble; retry later';
    return undefined;
  }
  if (err instanceof OssNetworkError) return 'check --endpoint (or OSS_ENDPOINT), --region and that the service is reachable from here';
  return undefined;
}

export interface ErrorReport {
  exitCode: ExitCode;
  /** One line, without the `oss-batch:` prefix. */
  message: string;
  /** The `--json` form: stable fields a script can branch on. */
  document: { error: { message: string; exitCode: ExitCode; code?: string; httpStatus?: number; requestId?: string; hint?: string } };
}

/** Classify any thrown value. Never includes credentials: OSS errors carry none, and we add none. */
export function describeError(err: unknown): ErrorReport {
  if (err instanceof CliError) return report(err.exitCode, err.message);
  if (err instanceof CommanderError) return report(err.exitCode === 0 ? EXIT.OK : EXIT.USAGE, err.message.replace(/^error: /, ''));
  if (err instanceof OssError) {
    return report(EXIT.API, err.message, { code: err.code, httpStatus: err.status, requestId: err.requestId, hint: hintFor(err) });
  }
  if (err instanceof OssNetworkError) return report(EXIT.API, err.message, { code: err.code, hint: hintFor(err) });
  // The CLI reads credentials from the shell it runs in, not from Terraform's environment.
  if (err instanceof CredentialsError) return report(EXIT.API, err.messageFor('cli'));
  if (err instanceof OssResponseError) return report(EXIT.API, err.message);
  return report(EXIT.API, err instanceof Error ? err.message : String(err));
}

function report(exitCode: ExitCode, message: string, extra: { code?: string; httpStatus?: number; requestId?: string; hint?: string } = {}): ErrorReport {
  const line = extra.hint ? `${message} (hint: ${extra.hint})` : message;
  const error = { message, exitCode, ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)) };
  return { exitCode, message: line, document: { error } };
}
