/** Defaults of the local OSS emulator (documented in README and `oss-batch emulator --help`). */
export const EMULATOR_ACCESS_KEY_ID = 'LTAIemulatorAccessKey1';
export const EMULATOR_ACCESS_KEY_SECRET = 'emulator-access-key-secret';
export const EMULATOR_REGION = 'cn-hangzhou';
/**
 * Region of the S3 and S3 Control APIs (AWS region ids differ from OSS's). S3 requests may be
 * signed for it or for the OSS region, so one emulator serves an OSS stack and an S3 stack.
 */
export const EMULATOR_S3_REGION = 'us-east-1';
export const EMULATOR_HOST = '127.0.0.1';
/** V4 requests whose x-oss-date is further than this from the emulator's clock get RequestTimeTooSkewed (OSS allows ~15 min). */
export const DEFAULT_ALLOWED_SKEW_SECONDS = 900;
/**
 * STS tokens the emulator understands: `emulator-sts:<expiry epoch seconds>`. A token of that
 * form in the past gets 403 SecurityTokenExpired; any other token is accepted as valid.
 */
export const EMULATOR_STS_TOKEN_PREFIX = 'emulator-sts:';
/** Unthrottled: tasks run in batches between event-loop turns. */
export const DEFAULT_TASKS_PER_SECOND = 0;
/** A job stuck in Suspended for longer than this becomes Failed (CreateJob doc). */
export const SUSPENDED_TIMEOUT_MS = 14 * 24 * 3600 * 1000;
