/** Whole handler events against the in-memory fakes: create → poll → verify → result file; delete. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBatchJob, deleteBatchJob } from '../../src/handler/batch-job';
import { EXIT, HandlerError } from '../../src/handler/errors';
import { parseInvocation, run } from '../../src/handler/main';
import { buildManifest } from '../../src/handler/manifest-builder';
import { encodeReportCsv, reportManifestKey, reportResultKey } from '../../src/oss/csv';
import { OssError } from '../../src/oss/errors';
import type { BatchJobEvent, ManifestFromPrefixEvent } from '../../src/shared/contract';
import { deriveEffectiveToken } from '../../src/shared/token';
import { FakeOss, fakeDeps } from './mocks';

const resultPath = () => join(mkdtempSync(join(tmpdir(), 'oss-batch-handler-')), '.oss-batch', 'r.json');
const event = (settings: Partial<BatchJobEvent['settings']> = {}, extra: Partial<BatchJobEvent> = {}): BatchJobEvent => ({
  kind: 'batch-job', name: 'stack/Job', token: 'cdktf1-token',
  spec: {
    connection: { region: 'cn-hangzhou' }, roleArn: 'acs:ram::1:role/r', priority: 1, description: '', confirmationRequired: false,
    operation: { type: 'PutObjectTagging', tags: [{ key: 'a', value: 'b' }] }, manifest: { keyPrefix: { sourceBucket: 'src', prefix: '' } },
    report: { enabled: true, bucket: 'ops', prefix: 'r/', scope: 'AllTasks' },
  },
  settings: { autoConfirm: false, waitForCompletion: true, timeoutSeconds: 3600, maxFailedTasks: 0, deletionBehavior: 'retain', ...settings },
  ...extra,
});

async function expectFailed(promise: Promise<unknown>, exitCode: number, message: RegExp): Promise<void> {
  const err = await promise.then(() => undefined, (e) => e);
  expect(err).toBeInstanceOf(HandlerError);
  expect(err.exitCode).toBe(exitCode);
  expect(err.message).toMatch(message);
}

describe('create', () => {
  test('creates, polls to Complete, writes the result; a second run adopts the same job', async () => {
    const oss = new FakeOss();
    const deps = fakeDeps(oss);
    const file = resultPath();
    const result = await createBatchJob(event(), file, deps);
    expect(result).toEqual({ jobId: oss.jobs[0].id, status: 'Complete', totalTasks: 3, succeededTasks: 3, failedTasks: 0, reportLocation: `oss://ops/r/job-${oss.jobs[0].id}/`, clientRequestToken: 'cdktf1-token' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(result);
    expect(deps.lines.filter((l) => l.includes(' Active '))).toHaveLength(1); // one line per change
    await createBatchJob(event(), file, fakeDeps(oss));
    expect(oss.jobs).toHaveLength(1);
  });

  test('manifestIdentity changes the token actually sent', async () => {
    const oss = new FakeOss();
    await createBatchJob(event({}, { manifestIdentity: 'abc' }), resultPath(), fakeDeps(oss));
    expect(oss.jobs[0].input.clientRequestToken).toBe(deriveEffectiveToken('cdktf1-token', 'abc'));
    expect(oss.jobs[0].input.clientRequestToken).not.toBe('cdktf1-token');
  });

  test('Suspended + autoConfirm confirms once; without it the wait times out with the confirm hint', async () => {
    const oss = new FakeOss();
    oss.script = ['New', 'Suspended', 'Ready', 'Active', 'Complete'];
    await createBatchJob(event({ autoConfirm: true }), resultPath(), fakeDeps(oss));
    expect(oss.calls['updateJobStatus:Ready']).toBe(1);
    const other = new FakeOss();
    other.script = ['New', 'Suspended'];
    const deps = fakeDeps(other);
    await expectFailed(createBatchJob(event({ timeoutSeconds: 120 }), resultPath(), deps), EXIT.TIMEOUT, /still Suspended after 120 s.*next `terraform apply` finds the same job/s);
    expect(deps.lines.some((l) => l.includes(`oss-batch jobs confirm ${other.jobs[0].id}`))).toBe(true);
  });

  test('Failed → exit 1 with the failure reasons and the rerun hint; no result file', async () => {
    const oss = new FakeOss();
    oss.script = ['New', 'Preparing', 'Failing', 'Failed'];
    oss.failureReasons = [{ failureCode: 'TooManyFailures', failureReason: 'Too many failures.' }];
    const file = resultPath();
    await expectFailed(createBatchJob(event(), file, fakeDeps(oss)), EXIT.OUTCOME, /Failed \(TooManyFailures: Too many failures\.\).*rerunToken/s);
    expect(existsSync(file)).toBe(false);
  });

  test('Complete with failed tasks lists the failed keys from the report; without a report it says so', async () => {
    const oss = new FakeOss();
    oss.failedTasks = 2;
    oss.total = 5;
    const created = createBatchJob(event(), resultPath(), fakeDeps(oss));
    const id = 'J1'.padEnd(44, 'x');
    oss.putRaw('ops', reportResultKey('r/', id, 0), encodeReportCsv([
      { bucket: 'src', key: 'ok', taskStatus: 'succeeded' },
      { bucket: 'src', key: 'gone, "1"', taskStatus: 'failed', errorCode: 'NoSuchKey', message: 'missing' },
      { bucket: 'src', key: 'gone2', taskStatus: 'failed', errorCode: 'AccessDenied' },
    ]));
    oss.putRaw('ops', reportManifestKey('r/', id), JSON.stringify({ resultFiles: [reportResultKey('r/', id, 0)] }));
    await expectFailed(created, EXIT.OUTCOME, /Complete but 2 of 5 tasks failed \(maxFailedTasks is 0\).*oss:\/\/src\/gone, "1": NoSuchKey — missing.*oss:\/\/src\/gone2: AccessDenied/s);
    const noReport = new FakeOss();
    noReport.failedTasks = 1;
    await expectFailed(createBatchJob(event(), resultPath(), fakeDeps(noReport)), EXIT.OUTCOME, /could not be read.*counts come from DescribeJob/s);
    const tolerated = new FakeOss();
    tolerated.failedTasks = 1;
    await expect(createBatchJob(event({ maxFailedTasks: 1 }), resultPath(), fakeDeps(tolerated))).resolves.toMatchObject({ failedTasks: 1 });
  });

  test('waitForCompletion false returns after one DescribeJob', async () => {
    const oss = new FakeOss();
    const result = await createBatchJob(event({ waitForCompletion: false }), resultPath(), fakeDeps(oss));
    expect(result.status).toBe('New');
    expect(oss.calls.describeJob).toBe(1);
  });

  test('transient DescribeJob failures are tolerated; persistent ones fail with the API error', async () => {
    const busy = () => new OssError({ code: 'ServiceUnavailable', status: 503, message: 'busy' });
    const oss = new FakeOss();
    oss.failOn.describeJob = { calls: [1, 2], error: busy };
    await expect(createBatchJob(event(), resultPath(), fakeDeps(oss))).resolves.toMatchObject({ status: 'Complete' });
    const down = new FakeOss();
    down.failOn.describeJob = { calls: [1, 2, 3], error: busy };
    await expect(createBatchJob(event(), resultPath(), fakeDeps(down))).rejects.toThrow(/ServiceUnavailable/);
  });

  test('a stale result of another token is removed before the run', async () => {
    const file = resultPath();
    const oss = new FakeOss();
    await createBatchJob(event(), file, fakeDeps(oss));
    oss.script = ['New', 'Failed'];
    await expect(createBatchJob({ ...event(), token: 'cdktf1-other' }, file, fakeDeps(oss))).rejects.toThrow(HandlerError);
    expect(existsSync(file)).toBe(false);
  });
});

describe('delete', () => {
  test('retain does nothing; cancel with a result file cancels and waits', async () => {
    const oss = new FakeOss();
    oss.script = ['New', 'Active', 'Active', 'Active', 'Active', 'Active'];
    const file = resultPath();
    await createBatchJob(event({ waitForCompletion: false }), file, fakeDeps(oss));
    const deps = fakeDeps(oss);
    await deleteBatchJob(event(), file, deps);
    expect(oss.calls['updateJobStatus:Cancelled']).toBeUndefined();
    expect(deps.lines[0]).toMatch(/retained job J1/);
    await deleteBatchJob(event({ deletionBehavior: 'cancel' }), file, fakeDeps(oss));
    expect(oss.calls['updateJobStatus:Cancelled']).toBe(1);
    expect(oss.jobs[0].script.at(-1)).toBe('Cancelled');
    expect(existsSync(file)).toBe(false);
  });

  test('cancel without a result file finds the single matching live job; two matches → none cancelled', async () => {
    const oss = new FakeOss();
    oss.script = ['Active'];
    await createBatchJob(event({ waitForCompletion: false }), resultPath(), fakeDeps(oss));
    await deleteBatchJob(event({ deletionBehavior: 'cancel' }), resultPath(), fakeDeps(oss));
    expect(oss.calls['updateJobStatus:Cancelled']).toBe(1);
    const twice = new FakeOss();
    twice.script = ['Active'];
    await createBatchJob(event({ waitForCompletion: false }), resultPath(), fakeDeps(twice));
    await createBatchJob({ ...event({ waitForCompletion: false }), token: 'cdktf1-again' }, resultPath(), fakeDeps(twice));
    const deps = fakeDeps(twice);
    await deleteBatchJob(event({ deletionBehavior: 'cancel' }), resultPath(), deps);
    expect(twice.calls['updateJobStatus:Cancelled']).toBeUndefined();
    expect(deps.lines.join('\n')).toMatch(/2 running jobs match this spec/);
  });
});

describe('ManifestFromPrefix', () => {
  const manifestEvent = (filter: Partial<ManifestFromPrefixEvent['filter']> = {}): ManifestFromPrefixEvent => ({
    kind: 'manifest-from-prefix', name: 'stack/M', token: 't', connection: { region: 'cn-hangzhou' }, sourceBucket: 'src', prefix: 'p/',
    manifestBucket: 'ops', manifestKey: 'm.csv', filter: { suffixes: [], storageClasses: [], ...filter }, includeVersionIds: false,
  });

  test('streams 25,000 keys into a multipart CSV with URL-encoded keys and a correct hash', async () => {
    const oss = new FakeOss();
    for (let i = 0; i < 25_000; i++) oss.putRaw('src', `p/${String(i).padStart(5, '0')} a,"b"é.txt`, 'x');
    oss.putRaw('src', 'other/skip', 'x');
    const result = await buildManifest(manifestEvent(), resultPath(), fakeDeps(oss), 256 * 1024);
    const body = oss.objects.get('ops/m.csv')!.body;
    expect(result).toMatchObject({ bucket: 'ops', key: 'm.csv', objectCount: 25_000, contentSha256: createHash('sha256').update(body).digest('hex') });
    expect(oss.calls.uploadPart).toBeGreaterThan(1);
    expect(body.toString().split('\n')[0]).toBe('src,p/00000%20a%2C%22b%22%C3%A9.txt');
  });

  test('filters by suffix, size, date and storage class; an empty result is an error', async () => {
    const oss = new FakeOss();
    oss.putRaw('src', 'p/a.jpg', 'x', { size: 10, lastModified: '2025-01-02T00:00:00Z', storageClass: 'Archive' });
    oss.putRaw('src', 'p/b.jpg', 'x', { size: 1000, lastModified: '2025-01-02T00:00:00Z', storageClass: 'Archive' });
    oss.putRaw('src', 'p/c.png', 'x', { size: 10, lastModified: '2025-01-02T00:00:00Z', storageClass: 'Archive' });
    oss.putRaw('src', 'p/d.jpg', 'x', { size: 10, lastModified: '2024-01-01T00:00:00Z', storageClass: 'Archive' });
    oss.putRaw('src', 'p/e.jpg', 'x', { size: 10, lastModified: '2025-01-02T00:00:00Z', storageClass: 'Standard' });
    const result = await buildManifest(manifestEvent({ suffixes: ['.jpg'], maxSizeBytes: 100, modifiedAfter: '2025-01-01T00:00:00.000Z', storageClasses: ['Archive'] }), resultPath(), fakeDeps(oss));
    expect(result.objectCount).toBe(1);
    expect(oss.objects.get('ops/m.csv')!.body.toString()).toBe('src,p/a.jpg\n');
    await expect(buildManifest(manifestEvent({ suffixes: ['.gif'] }), resultPath(), fakeDeps(oss))).rejects.toThrow(/no object under oss:\/\/src\/p\/ matches the filter \(5 listed\)/);
  });

  test('a failing part upload aborts the multipart upload and leaves no result', async () => {
    const oss = new FakeOss();
    for (let i = 0; i < 20_000; i++) oss.putRaw('src', `p/${i}`, 'x');
    oss.failOn.uploadPart = { calls: [2], error: () => new OssError({ code: 'InternalError', status: 500, message: 'boom' }) };
    const file = resultPath();
    await expect(buildManifest(manifestEvent(), file, fakeDeps(oss), 100 * 1024)).rejects.toThrow(/InternalError/);
    expect(oss.calls.abortMultipartUpload).toBe(1);
    expect(existsSync(file)).toBe(false);
  });
});

describe('main', () => {
  test('invocation errors are usage errors (exit 2)', () => {
    const env = { OSS_BATCH_EVENT: JSON.stringify(event()), OSS_BATCH_RESULT: '/tmp/x.json' };
    expect(() => parseInvocation(['frob'], env)).toThrow(/unknown command "frob"/);
    expect(() => parseInvocation(['create'], { ...env, OSS_BATCH_EVENT: '' })).toThrow(/OSS_BATCH_EVENT is not set/);
    expect(() => parseInvocation(['create'], { ...env, OSS_BATCH_EVENT: '{' })).toThrow(/not valid JSON/);
    expect(() => parseInvocation(['create'], { ...env, OSS_BATCH_EVENT: '{"kind":"x"}' })).toThrow(/unknown kind "x"/);
    expect(() => parseInvocation(['create'], { OSS_BATCH_EVENT: env.OSS_BATCH_EVENT })).toThrow(/OSS_BATCH_RESULT is not set/);
    try { parseInvocation([], env); } catch (err) { expect((err as HandlerError).exitCode).toBe(EXIT.USAGE); }
  });

  test('run dispatches events to the lifecycle with injected deps', async () => {
    const oss = new FakeOss();
    const file = resultPath();
    writeFileSync(join(file, '..', '..', 'marker'), '');
    await run(['create'], { OSS_BATCH_EVENT: JSON.stringify(event()), OSS_BATCH_RESULT: file }, () => fakeDeps(oss));
    expect(JSON.parse(readFileSync(file, 'utf8')).status).toBe('Complete');
  });
});
