/** The pure decisions of the delete flow both handlers share (src/handler/cancel.ts) and of the shared invocation. */
import { cancelStep, pickLiveJob, recordedJob } from '../../src/handler/cancel';
import { parseEnvelope } from '../../src/handler/envelope';
import { EventFormatError, EXIT, HandlerError } from '../../src/handler/errors';
import { skippedDeleteLine, usageLine } from '../../src/handler/invocation';

test('recordedJob: only a result file of this token names the job', () => {
  const recorded = { clientRequestToken: 'ossb2-a', jobId: 'J1' };
  expect(recordedJob(recorded, 'ossb2-a')).toBe(recorded);
  expect(recordedJob(recorded, 'ossb2-b')).toBeUndefined();
  expect(recordedJob(undefined, 'ossb2-a')).toBeUndefined();
  expect(recordedJob({ jobId: 'J1' }, 'ossb2-a')).toBeUndefined();
});

test('cancelStep: ended jobs are left alone, cancellable ones cancelled, the rest only waited for', () => {
  for (const s of ['Complete', 'Failed', 'Cancelled']) expect(cancelStep(s)).toBe('ended');
  for (const s of ['New', 'Preparing', 'Suspended', 'Ready', 'Active', 'Paused']) expect(cancelStep(s)).toBe('cancel');
  for (const s of ['Completing', 'Cancelling', 'Failing']) expect(cancelStep(s)).toBe('wait');
});

test('pickLiveJob: cancel only when exactly one job matches the spec', () => {
  expect(pickLiveJob('s/J', ['A'], 'x')).toEqual({ jobId: 'A', line: '[s/J] no result file; found the job by its spec: A' });
  expect(pickLiveJob('s/J', [], 'x')).toEqual({ line: '[s/J] no result file and no running job matches this spec; nothing to cancel' });
  expect(pickLiveJob('s/J', ['A', 'B'], 'oss-batch jobs cancel <id>')).toEqual({
    line: '[s/J] no result file and 2 running jobs match this spec (A, B); not cancelling any: cancel the right one with `oss-batch jobs cancel <id>`',
  });
});

test('skippedDeleteLine: only a delete with an event of another format is skipped', () => {
  const format = new EventFormatError(EXIT.USAGE, 'format 1.');
  expect(skippedDeleteLine(format, ['delete'], '`cancel <id>`'))
    .toBe('cdktf-oss-batch: not cancelling anything on destroy: format 1. Cancel a still-running job by hand with `cancel <id>` if needed.');
  expect(skippedDeleteLine(format, ['create'], 'c')).toBeUndefined();
  expect(skippedDeleteLine(format, ['delete', 'x'], 'c')).toBeUndefined();
  expect(skippedDeleteLine(new HandlerError(EXIT.USAGE, 'bad'), ['delete'], 'c')).toBeUndefined();
});

test('usageLine and parseEnvelope: each handler names its bundle and its kinds', () => {
  expect(usageLine('S3 event json', 's3-handler.js')).toBe("usage: OSS_BATCH_EVENT='<S3 event json>' OSS_BATCH_RESULT=<path> node s3-handler.js <create|delete>");
  expect(() => parseEnvelope('{"kind":"batch-job","format":2}', ['s3-batch-job'], 'S3'))
    .toThrow('OSS_BATCH_EVENT has an unknown kind "batch-job" for the S3 handler (expected "s3-batch-job").');
  expect(() => parseEnvelope('{"kind":"a","format":2}', ['a'])).toThrow('OSS_BATCH_EVENT has no construct name');
  expect(() => parseEnvelope('{"kind":"a","format":2,"name":"s/J"}', ['a']).group('identity')).toThrow(/s\/J: the event's identity is missing/);
  expect(parseEnvelope('{"kind":"a","format":2,"name":"s/J","identity":{"x":1}}', ['a']).group('identity')).toEqual({ x: 1 });
});
