/** Error classification: exit code, one line with a hint, and the --json document. */
import { CommanderError, InvalidArgumentError } from 'commander';
import { CliError, describeError, hintFor } from '../../src/cli/errors';
import { EXIT } from '../../src/cli/exit-codes';
import { CredentialsError } from '../../src/oss/credentials';
import { OssError, OssNetworkError, OssResponseError } from '../../src/oss/errors';

const ossError = (code: string, status: number) => new OssError({ code, status, message: 'server says no', requestId: 'REQ123', request: { method: 'GET', resource: '/?batchJob' } });

test('an OSS error: exit 4, code, HTTP status, request id and a hint on one line and in JSON', () => {
  const r = describeError(ossError('AccessDenied', 403));
  expect(r.exitCode).toBe(EXIT.API);
  expect(r.message).toMatch(/^OSS AccessDenied \(403\) on GET \/\?batchJob: server says no \[request id REQ123\] \(hint: check ALIBABA_CLOUD_ACCESS_KEY_ID .*RAM policy/);
  expect(r.message).not.toContain('\n');
  expect(r.document.error).toMatchObject({ exitCode: 4, code: 'AccessDenied', httpStatus: 403, requestId: 'REQ123', hint: expect.stringContaining('RAM policy') });
});

test.each([
  ['NoSuchJob', 404, /check the job id and that --region \/ --endpoint/],
  ['SignatureDoesNotMatch', 403, /ACCESS_KEY_SECRET.*--region matches the endpoint/],
  ['InvalidAccessKeyId', 403, /ACCESS_KEY_ID/],
  ['NoSuchBucket', 404, /bucket name/],
  ['RequestTimeTooSkewed', 403, /clock/],
  ['InternalError', 500, /retry later/],
])('hint for %s', (code, status, hint) => {
  expect(hintFor(ossError(code, status))).toMatch(hint);
});

test('no hint where we cannot tell; a document without undefined fields', () => {
  const r = describeError(new OssError({ code: 'InvalidArgument', status: 400, message: 'bad' }));
  expect(hintFor(ossError('InvalidArgument', 400))).toBeUndefined();
  expect(r.message).toBe('OSS InvalidArgument (400): bad');
  expect(Object.keys(r.document.error).sort()).toEqual(['code', 'exitCode', 'httpStatus', 'message']);
});

test('network errors point at --endpoint', () => {
  const r = describeError(new OssNetworkError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1', { method: 'GET', resource: '/' }));
  expect(r.exitCode).toBe(EXIT.API);
  expect(r.message).toMatch(/ECONNREFUSED.*\(hint: check --endpoint/);
  expect(r.document.error.code).toBe('ECONNREFUSED');
});

test('other failures keep their own message and exit code', () => {
  expect(describeError(new CliError(EXIT.TIMEOUT, 'late'))).toMatchObject({ exitCode: 3, message: 'late' });
  expect(describeError(new CredentialsError('none'))).toMatchObject({ exitCode: 4, message: expect.stringContaining('no Alibaba Cloud credentials found') });
  expect(describeError(new OssResponseError('garbage')).exitCode).toBe(4);
  expect(describeError(new InvalidArgumentError('nope'))).toMatchObject({ exitCode: EXIT.USAGE, message: 'nope' });
  expect(describeError(new CommanderError(1, 'commander.unknownCommand', "error: unknown command 'x'"))).toMatchObject({ exitCode: 2, message: "unknown command 'x'" });
  expect(describeError(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)')).exitCode).toBe(EXIT.OK);
  expect(describeError('a string')).toMatchObject({ exitCode: 4, message: 'a string' });
});
