/** The emulator's one error type: a code from the shared table, rendered as OSS error XML by the server. */
import { ERROR_STATUS } from '../oss/errors';

export class EmulatorError extends Error {
  readonly status: number;
  constructor(readonly code: string, message: string, status?: number) {
    super(message);
    this.status = status ?? ERROR_STATUS[code] ?? 400;
  }
}

export const invalidArgument = (message: string) => new EmulatorError('InvalidArgument', message);
export const noSuchBucket = (bucket: string) => new EmulatorError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`);
export const noSuchKey = (key: string) => new EmulatorError('NoSuchKey', `The specified key does not exist: ${key}`);
