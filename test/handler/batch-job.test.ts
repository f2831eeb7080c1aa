/** Whole BatchJob events against the in-memory fakes: create → poll → verify → result file; delete. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createBatchJob, deleteBatchJob } from '../../src/handler/batch-job';
import { EXIT } from '../../src/handler/errors';
import { exitCodeFor } from '../../src/handler/main';
import { CONFIRM_REASON, MAX_POLL_FAILURES } from '../../src/jobs/wait';
import { encodeReportCsv, reportManifestKey, reportResultKey } from '../../src/oss/csv';
import { OssError } from '../../src/oss/errors';
import { MANIFEST_FORMAT_CSV } from '../../src/oss/model';
import { BatchJobEvent, BatchJobResult, EVENT_FORMAT, JobIdentity } from '../../src/shared/contract';
import { jobToken } from '../../src/shared/token';
import { expectFailed, expectSuccess, fakeDeps, FakeOss, SimulatedCrash } from './mocks';

const resultPath = () => join(mkdtempSync(join(tmpdir(), 'oss-batch-handler-')), '.oss-batch', 'stack', 'Job.json');
/** A normalized identity, as parseEvent returns it. */
const identity = (over: Partial<JobIdentity> = {}): JobIdentity => ({
  region: 'cn-hangzhou', roleArn: 'acs:ram::1:role/r', priority: 1, description: '', confirmationRequired: false,
  operation: { type: 'PutObjectTagging', tags: [{ key: 'a', value: 'b' }] }, manifest: { keyPrefix: { sourceBucket: 'src', prefix: '' } },
  report: { enabled: true, bucket: 'ops', prefix: 'r/', scope: 'AllTasks' },
  ...over,
});
const event = (settings: Partial<BatchJobEvent['settings']> = {}, over: Partial<JobIdentity> = {}): BatchJobEvent => ({
  kind: 'batch-job', format: EVENT_FORMAT, name: 'stack/Job', identity: identity(over), connection: {},
  settings: { autoConfirm: false, waitForCompletion: true, timeoutSeconds: 3600, maxFailedTasks: 0, deletionBehavior: 'retain', ...settings },
});
/** The token of event()'s identity: the handler computes it, nothing in the event carries it. */
const TOKEN = jobToken(identity());
const JOB1 = 'J1'.padEnd(44, 'x');
const readResult = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as BatchJobResult;

describe('create', () => {
  test('creates, polls to Complete, prints one line per change, writes the result', async () => {
    const oss = new FakeOss();
    oss.script = ['New', 'Preparing', 'Active', 'Active', 'Active', 'Completing', 'Complete'];
    oss.progress = [0, 0, 1, 1, 2, 3, 3];
    const deps = fakeDeps(oss);
    const file = resultPath();
    const result = await expectSuccess(createBatchJob(event(), file, deps));
    expect(result).toEqual({
      jobId: JOB1, status: 'Complete', totalTasks: 3, succeededTasks: 3, failedTasks: 0, reportLocation: `oss://ops/r/job-${JOB1}/`, clientRequestToken: TOKEN,
    });
    expect(readResult(file)).toEqual(result);
    const progress = deps.lines.filter((l) => / tasks, /.test(l));
    // Each line ends with the elapsed time (and, while Active, what the waiter estimates: wait.test.ts checks that part).
    expect(progress.map((l) => l.replace(/, \d+s(, .*)?$/, ''))).toEqual([
      `[stack/Job] job ${JOB1} New 0/0/3 tasks`, `[stack/Job] job ${JOB1} Preparing 0/0/3 tasks`, `[stack/Job] job ${JOB1} Active 1/0/3 tasks`,
      `[stack/Job] job ${JOB1} Active 2/0/3 tasks`, `[stack/Job] job ${JOB1} Completing 3/0/3 tasks`, `[stack/Job] job ${JOB1} Complete 3/0/3 tasks`,
    ]);
    expect(progress[0]).toMatch(/^\[stack\/Job\] job \S+ New 0\/0\/3 tasks, 0s$/);
    expect(oss.jobs[0].input).toMatchObject({ clientRequestToken: TOKEN, keyPrefixManifestGenerator: { sourceBucket: 'src', prefix: '' }, priority: 1 });
  });

  test('idempotent retry after a crash mid-poll: the second run adopts the same job', async () => {
    const oss = new FakeOss();
    oss.script = ['New', 'Active', 'Active', 'Active', 'Complete'];
    const file = resultPath();
    await expect(createBatchJob(event(), file, fakeDeps(oss, { crashAfterSleeps: 2 }))).rejects.toBeInstanceOf(SimulatedCrash);
    expect(existsSync(file)).toBe(false);
    const result = await expectSuccess(createBatchJob(event(), file, fakeDeps(oss)));
    expect(oss.calls.createJob).toBe(2);
    expect(oss.jobs).toHaveLength(1);
    expect(result.jobId).toBe(JOB1);
    // And once more after success: still one job, same result.
    await createBatchJob(event(), file, fakeDeps(oss));
    expect(oss.jobs).toHaveLength(1);
    expect(readResult(file).jobId).toBe(JOB1);
  });

  test('the token is computed from the identity: ossb2- + 58 hex digits; connection and settings do not count, any identity field does', async () => {
    expect(TOKEN).toMatch(/^ossb2-[0-9a-f]{58}$/);
    const oss = new FakeOss();
    const file = resultPath();
    const first = await expectSuccess(createBatchJob(event(), file, fakeDeps(oss)));
    // Another endpoint, path style or settings: the same job is adopted (not identity).
    const moved: BatchJobEvent = { ...event({ maxFailedTasks: 5, timeoutSeconds: 60 }), connection: { endpoint: 'http://127.0.0.1:9000', pathStyle: true } };
    const adopted = await expectSuccess(createBatchJob(moved, file, fakeDeps(oss)));
    expect(adopted).toEqual(first);
    expect(oss.jobs).toHaveLength(1);
    // Each identity field changes the token actually sent, and the result records it.
    const changes: Partial<JobIdentity>[] = [
      { rerunToken: 'again' }, { region: 'cn-shanghai' }, { priority: 2 }, { description: 'd' }, { confirmationRequired: true },
      { roleArn: 'acs:ram::2:role/r' }, { operation: { type: 'PutObjectTagging', tags: [{ key: 'a', value: 'c' }] } },
      { manifest: { keyPrefix: { sourceBucket: 'src', prefix: 'p/' } } }, { report: { enabled: true, bucket: 'ops', prefix: 'other/', scope: 'AllTasks' } },
    ];
    const tokens = new Set([TOKEN]);
    for (const change of changes) {
      const changed = new FakeOss();
      const result = await expectSuccess(createBatchJob(event({}, change), resultPath(), fakeDeps(changed)));
      expect(changed.jobs[0].input.clientRequestToken).toBe(jobToken(identity(change)));
      expect(result.clientRequestToken).toBe(changed.jobs[0].input.clientRequestToken);
      tokens.add(result.clientRequestToken);
    }
    expect(tokens.size).toBe(1 + changes.length);
  });

  test('Suspended + autoConfirm confirms once with our reason and keeps polling', async () => {
    const oss = new FakeOss();
    oss.script = ['New', 'Suspended', 'Ready', 'Active', 'Complete'];
    const deps = fakeDeps(oss);
    await expectSuccess(createBatchJob(event({ autoConfirm: true }), resultPath(), deps));
    expect(oss.calls['updateJobStatus:Ready']).toBe(1);
    expect(oss.lastReason).toBe(CONFIRM_REASON);
    expect(CONFIRM_REASON).toBe('confirmed by cdktf-oss-batch');
  });

  test('Suspended without autoConfirm: tells how to confirm, then times out saying the job runs on and the next apply resumes', async () => {
    const oss = new FakeOss();
    oss.script = ['New', 'Suspended'];
    const deps = fakeDeps(oss);
    const message = await expectFailed(createBatchJob(event({ timeoutSeconds: 600 }), resultPath(), deps), EXIT.TIMEOUT,
      /job J1x+ is still Suspended after 600 s\. The job is still running in OSS; the next `terraform apply` finds the same job/);
    expect(message).toContain(`oss-batch jobs confirm ${JOB1}`);
    const hints = deps.lines.filter((l) => l.includes(`waits for confirmation: oss-batch jobs confirm ${JOB1}`));
    expect(hints.length).toBeGreaterThanOrEqual(2); // once on entering Suspended, again with the heartbeats
    expect(hints.length).toBeLessThanOrEqual(1 + 600 / 60);
    expect(oss.calls['updateJobStatus:Ready']).toBeUndefined();
    expect(deps.clock.now).toBe(600_000); // the last sleep stops at the deadline
  });

  test('timeout while Active: exit 3, no result file; a heartbeat at most once a minute', async () => {
    const oss = new FakeOss();
    oss.script = ['Active'];
    const deps = fakeDeps(oss);
    const file = resultPath();
    await expectFailed(createBatchJob(event({ timeoutSeconds: 1800 }), file, deps), EXIT.TIMEOUT, /still Active after 1800 s.*same ClientRequestToken.*resumes waiting/s);
    expect(existsSync(file)).toBe(false);
    const beats = deps.lines.filter((l) => / Active 0\/0\/3 tasks, /.test(l));
    expect(beats.length).toBeGreaterThan(1);
    expect(beats.length).toBeLessThanOrEqual(1 + 1800 / 60);
  });

  test('Failed → exit 1 with the failure reasons and the rerun hint; no result file', async () => {
    const oss = new FakeOss();
    oss.script = ['New', 'Preparing', 'Failing', 'Failed'];
    oss.failureReasons = [{ failureCode: 'TooManyFailures', failureReason: 'Too many failures.' }, { failureCode: 'B', failureReason: 'b' }];
    const file = resultPath();
    await expectFailed(createBatchJob(event(), file, fakeDeps(oss)), EXIT.OUTCOME,
      /Failed \(TooManyFailures: Too many failures\.; B: b\).*will not run again on the next apply.*rerunToken/s);
    expect(existsSync(file)).toBe(false);
  });

  test('Cancelled outside Terraform → exit 1 saying so', async () => {
    const oss = new FakeOss();
    oss.script = ['New', 'Cancelling', 'Cancelled'];
    await expectFailed(createBatchJob(event(), resultPath(), fakeDeps(oss)), EXIT.OUTCOME, /was Cancelled outside this deployment.*rerunToken/s);
  });

  test('Complete with failed tasks lists the failed keys from the report', async () => {
    const oss = new FakeOss();
    oss.failedTasks = 2;
    oss.total = 5;
    oss.putRaw('ops', reportResultKey('r/', JOB1, 0), encodeReportCsv([
      { bucket: 'src', key: 'ok', taskStatus: 'succeeded' },
      { bucket: 'src', key: 'gone, "1"', taskStatus: 'failed', errorCode: 'NoSuchKey', httpStatus: 404, message: 'missing' },
      { bucket: 'src', key: 'gone2', taskStatus: 'failed', errorCode: 'AccessDenied' },
    ]));
    oss.putRaw('ops', reportManifestKey('r/', JOB1), JSON.stringify({ resultFiles: [reportResultKey('r/', JOB1, 0)] }));
    await expectFailed(createBatchJob(event(), resultPath(), fakeDeps(oss)), EXIT.OUTCOME,
      /Complete but 2 of 5 tasks failed \(maxFailedTasks is 0\).*oss:\/\/src\/gone, "1": NoSuchKey \(HTTP 404\) — missing.*oss:\/\/src\/gone2: AccessDenied.*will not run again/s);
  });

  test('Complete with failed tasks and no report: the counts come from DescribeJob, and it says so', async () => {
    const oss = new FakeOss();
    oss.failedTasks = 1;
    await expectFailed(createBatchJob(event(), resultPath(), fakeDeps(oss)), EXIT.OUTCOME, /1 of 3 tasks failed.*no report was found.*counts come from DescribeJob.*rerunToken/s);
    const tolerated = new FakeOss();
    tolerated.failedTasks = 1;
    await expect(createBatchJob(event({ maxFailedTasks: 1 }), resultPath(), fakeDeps(tolerated))).resolves.toMatchObject({ failedTasks: 1, status: 'Complete' });
  });

  test('waitForCompletion false: one DescribeJob, the current status in the result, exit 0', async () => {
    const oss = new FakeOss();
    const file = resultPath();
    const result = await expectSuccess(createBatchJob(event({ waitForCompletion: false }), file, fakeDeps(oss)));
    expect(result.status).toBe('New');
    expect(readResult(file).status).toBe('New');
    expect(oss.calls.describeJob).toBe(1);
    expect(oss.calls['updateJobStatus:Ready']).toBeUndefined();
  });

  test('waitForCompletion false: no sleep, no confirmation, no verification (the attributes show the status at that time)', async () => {
    const oss = new FakeOss();
    oss.script = ['Suspended'];
    const deps = fakeDeps(oss);
    const result = await expectSuccess(createBatchJob(event({ waitForCompletion: false, autoConfirm: true }), resultPath(), deps));
    expect(result).toMatchObject({ jobId: JOB1, status: 'Suspended' });
    expect(deps.sleeps).toEqual([]);
    expect(deps.clock.now).toBe(0);
    expect(oss.calls['updateJobStatus:Ready']).toBeUndefined(); // not waiting means not confirming either
    expect(deps.lines.at(-1)).toBe(`[stack/Job] job ${JOB1} is Suspended; not waiting (waitForCompletion is false)`);
    // "Wait until the job is finished and verified" is off: the status at that time is the attribute, even Failed.
    const failed = new FakeOss();
    failed.script = ['Failed'];
    failed.failureReasons = [{ failureCode: 'X', failureReason: 'y' }];
    await expect(createBatchJob(event({ waitForCompletion: false }), resultPath(), fakeDeps(failed))).resolves.toMatchObject({ status: 'Failed' });
  });

  test('transient DescribeJob failures are tolerated; persistent ones fail with the API error', async () => {
    const busy = () => new OssError({ code: 'ServiceUnavailable', status: 503, message: 'busy', requestId: 'RID1' });
    const oss = new FakeOss();
    oss.failOn.describeJob = { calls: [1, 2], error: busy };
    await expect(createBatchJob(event(), resultPath(), fakeDeps(oss))).resolves.toMatchObject({ status: 'Complete' });
    const down = new FakeOss();
    down.failOn.describeJob = { calls: [1, 2, 3], error: busy };
    await expect(createBatchJob(event(), resultPath(), fakeDeps(down))).rejects.toThrow(/ServiceUnavailable.*request id RID1/);
    const denied = new FakeOss();
    denied.failOn.describeJob = { calls: [1], error: () => new OssError({ code: 'AccessDenied', status: 403, message: 'no' }) };
    await expect(createBatchJob(event(), resultPath(), fakeDeps(denied))).rejects.toThrow(/AccessDenied/);
    expect(denied.calls.describeJob).toBe(1); // not retried
  });

  test(`retryable DescribeJob failures: up to ${MAX_POLL_FAILURES - 1} in a row are tolerated however many in total; ${MAX_POLL_FAILURES} in a row end the run (exit 4)`, async () => {
    const busy = () => new OssError({ code: 'ServiceUnavailable', status: 503, message: 'busy', requestId: 'RID2' });
    const script = ['New', 'Preparing', 'Active', 'Active', 'Completing', 'Complete'];
    // Every answer is preceded by MAX_POLL_FAILURES - 1 failures: 12 failures in all with the default of 3.
    const oss = new FakeOss();
    oss.script = script;
    const calls = script.length * MAX_POLL_FAILURES;
    oss.failOn.describeJob = { calls: Array.from({ length: calls }, (_, i) => i + 1).filter((n) => n % MAX_POLL_FAILURES !== 0), error: busy };
    const deps = fakeDeps(oss);
    await expect(createBatchJob(event(), resultPath(), deps)).resolves.toMatchObject({ status: 'Complete' });
    expect(oss.calls.describeJob).toBe(calls);
    expect(deps.lines.filter((l) => /DescribeJob failed \(.*ServiceUnavailable.*\); retrying/.test(l))).toHaveLength(script.length * (MAX_POLL_FAILURES - 1));
    expect(deps.sleeps.length).toBeGreaterThanOrEqual(script.length * (MAX_POLL_FAILURES - 1)); // waits between retries, never a hot loop
    expect(Math.min(...deps.sleeps)).toBeGreaterThan(0);

    const down = new FakeOss();
    down.script = script;
    down.failOn.describeJob = { calls: Array.from({ length: MAX_POLL_FAILURES }, (_, i) => i + 2), error: busy }; // one answer, then a run of failures
    const file = resultPath();
    const err = await createBatchJob(event(), file, fakeDeps(down)).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(OssError);
    expect((err as Error).message).toMatch(/ServiceUnavailable.*RID2/);
    expect(exitCodeFor(err)).toBe(EXIT.API);
    expect(down.calls.describeJob).toBe(1 + MAX_POLL_FAILURES);
    expect(existsSync(file)).toBe(false);
  });

  test('the token rule: a changed CSV manifest (ETag) is a new identity, so a new job and never a 409; the same manifest adopts the old job', async () => {
    const csv = (etag: string): Partial<JobIdentity> => ({ manifest: { csv: { bucket: 'ops', key: 'm.csv', etag, fields: 'Bucket,Key', format: MANIFEST_FORMAT_CSV } } });
    // The fake enforces OSS's rule: the same token with another body is refused (409, exit 4).
    const plain = new FakeOss();
    await expectSuccess(createBatchJob(event({}, csv('E1')), resultPath(), fakeDeps(plain)));
    const reused = { ...plain.jobs[0].input, manifest: { ...plain.jobs[0].input.manifest!, location: { bucket: 'ops', object: 'm.csv', etag: 'E2' } } };
    const conflict = await plain.createJob(reused).then(() => undefined, (e: unknown) => e);
    expect(conflict).toBeInstanceOf(OssError);
    expect((conflict as OssError).status).toBe(409);
    expect(exitCodeFor(conflict)).toBe(EXIT.API);
    // The handler never gets there: the ETag is identity, so a new manifest has a new token.
    const oss = new FakeOss();
    const first = await expectSuccess(createBatchJob(event({}, csv('E1')), resultPath(), fakeDeps(oss)));
    const second = await expectSuccess(createBatchJob(event({}, csv('E2')), resultPath(), fakeDeps(oss)));
    const again = await expectSuccess(createBatchJob(event({}, csv('E2')), resultPath(), fakeDeps(oss)));
    expect(oss.jobs).toHaveLength(2);
    expect(second.jobId).not.toBe(first.jobId);
    expect(again.jobId).toBe(second.jobId);
    expect(oss.jobs.map((j) => j.input.clientRequestToken)).toEqual([jobToken(identity(csv('E1'))), jobToken(identity(csv('E2')))]);
    expect(new Set(oss.jobs.map((j) => j.input.clientRequestToken)).size).toBe(2);
    expect(oss.jobs[1].input.manifest?.location).toEqual({ bucket: 'ops', object: 'm.csv', etag: 'E2', versionId: undefined });
  });

  test('a result of another token is removed before the run, so a failure leaves none behind (an unreadable one too)', async () => {
    const file = resultPath();
    const oss = new FakeOss();
    await createBatchJob(event(), file, fakeDeps(oss));
    oss.script = ['New', 'Failed'];
    expect(readResult(file).clientRequestToken).toBe(TOKEN);
    await expect(createBatchJob(event({}, { rerunToken: 'other' }), file, fakeDeps(oss))).rejects.toThrow(/Failed/);
    expect(existsSync(file)).toBe(false);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '{ half a fi');
    await expect(createBatchJob(event({}, { rerunToken: 'other' }), file, fakeDeps(oss))).rejects.toThrow(/Failed/);
    expect(existsSync(file)).toBe(false);
  });
});

describe('delete', () => {
  /** A job created without waiting; `over` changes its identity (so its token). */
  async function runningJob(oss: FakeOss, file = resultPath(), over: Partial<JobIdentity> = {}): Promise<string> {
    await createBatchJob(event({ waitForCompletion: false }, over), file, fakeDeps(oss));
    return file;
  }

  test('retain logs the job and touches nothing', async () => {
    const oss = new FakeOss();
    oss.script = ['Active'];
    const file = await runningJob(oss);
    const deps = fakeDeps(oss);
    await deleteBatchJob(event(), file, deps);
    expect(deps.lines).toEqual([`[stack/Job] retained job ${JOB1} (jobs cannot be deleted in OSS)`]);
    expect(oss.calls['updateJobStatus:Cancelled']).toBeUndefined();
    expect(existsSync(file)).toBe(true);
  });

  test('cancel with a result file: cancels, waits for Cancelled, removes the file', async () => {
    const oss = new FakeOss();
    oss.script = ['New', 'Active', 'Active', 'Active', 'Active', 'Active'];
    const file = await runningJob(oss);
    const deps = fakeDeps(oss);
    await expectSuccess(deleteBatchJob(event({ deletionBehavior: 'cancel' }), file, deps));
    expect(oss.calls['updateJobStatus:Cancelled']).toBe(1);
    expect(oss.lastReason).toMatch(/cdktf-oss-batch/);
    expect(deps.lines.at(-1)).toBe(`[stack/Job] job ${JOB1} ended Cancelled`);
    expect(existsSync(file)).toBe(false);
  });

  test('cancel: the result file records the token computed from the identity, so delete of the same identity trusts it (no ListJobs)', async () => {
    const oss = new FakeOss();
    oss.script = ['New', 'Active', 'Active', 'Active'];
    const file = resultPath();
    const csv: Partial<JobIdentity> = { manifest: { csv: { bucket: 'ops', key: 'm.csv', etag: 'E1', fields: 'Bucket,Key', format: MANIFEST_FORMAT_CSV } }, rerunToken: 'r1' };
    const withIdentity = (settings: Partial<BatchJobEvent['settings']>) => event(settings, csv);
    await createBatchJob(withIdentity({ waitForCompletion: false }), file, fakeDeps(oss));
    expect(readResult(file).clientRequestToken).toBe(jobToken(identity(csv)));
    expect(readResult(file).clientRequestToken).not.toBe(TOKEN);
    await expectSuccess(deleteBatchJob(withIdentity({ deletionBehavior: 'cancel' }), file, fakeDeps(oss)));
    expect(oss.calls.listJobs).toBeUndefined();
    expect(oss.calls['updateJobStatus:Cancelled']).toBe(1);
    expect(existsSync(file)).toBe(false);
  });

  test('cancel never fails on a job that already ended, nor on one that ends between DescribeJob and the cancel', async () => {
    const done = new FakeOss();
    done.script = ['Complete'];
    const file = await runningJob(done);
    const deps = fakeDeps(done);
    await expectSuccess(deleteBatchJob(event({ deletionBehavior: 'cancel' }), file, deps));
    expect(deps.lines.join('\n')).toMatch(/already Complete; nothing to cancel/);
    expect(existsSync(file)).toBe(false);

    const racing = new FakeOss();
    racing.script = ['Active', 'Completing', 'Complete'];
    const racingFile = await runningJob(racing); // its DescribeJob saw Active; the next answer is Completing
    racing.jobs[0].step = 0;
    const original = racing.describeJob.bind(racing);
    racing.describeJob = async (id) => { const j = await original(id); racing.jobs[0].step = Math.max(racing.jobs[0].step, 1); return j; };
    const racingDeps = fakeDeps(racing);
    await expectSuccess(deleteBatchJob(event({ deletionBehavior: 'cancel' }), racingFile, racingDeps));
    expect(racingDeps.lines.join('\n')).toMatch(/can no longer be cancelled \(OSS InvalidJobStatus.*ended Complete/s);
  });

  test('cancel of a job OSS does not know (NoSuchJob) logs and succeeds', async () => {
    const oss = new FakeOss();
    const file = resultPath();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ jobId: 'gone', clientRequestToken: TOKEN }));
    const deps = fakeDeps(oss);
    await expectSuccess(deleteBatchJob(event({ deletionBehavior: 'cancel' }), file, deps));
    expect(deps.lines.join('\n')).toMatch(/job gone is not known to OSS/);
  });

  test('cancel without a result file finds the single matching live job across ListJobs pages', async () => {
    const oss = new FakeOss();
    oss.script = ['Active'];
    oss.listJobsPageSize = 2;
    for (let i = 0; i < 4; i++) await runningJob(oss, resultPath(), { priority: 9, rerunToken: `other${i}` });
    await runningJob(oss, resultPath(), { rerunToken: 'mine' });
    expect(new Set(oss.jobs.map((j) => j.input.clientRequestToken)).size).toBe(5);
    const deps = fakeDeps(oss);
    await expectSuccess(deleteBatchJob(event({ deletionBehavior: 'cancel' }, { rerunToken: 'mine' }), resultPath(), deps));
    expect(oss.calls.listJobs).toBe(3);
    expect(oss.calls['updateJobStatus:Cancelled']).toBe(1);
    expect(oss.jobs.filter((j) => j.script.at(-1) === 'Cancelled').map((j) => j.id)).toEqual([oss.jobs[4].id]);
  });

  test('two matching live jobs: none cancelled, and the log says why', async () => {
    const oss = new FakeOss();
    oss.script = ['Active'];
    await runningJob(oss, resultPath(), { rerunToken: 'a' });
    await runningJob(oss, resultPath(), { rerunToken: 'b' });
    expect(oss.jobs).toHaveLength(2);
    const deps = fakeDeps(oss);
    await expectSuccess(deleteBatchJob(event({ deletionBehavior: 'cancel' }), resultPath(), deps));
    expect(oss.calls['updateJobStatus:Cancelled']).toBeUndefined();
    expect(deps.lines.join('\n')).toMatch(/2 running jobs match this spec.*oss-batch jobs cancel/);
    const none = new FakeOss();
    const noneDeps = fakeDeps(none);
    await expectSuccess(deleteBatchJob(event({ deletionBehavior: 'cancel' }), resultPath(), noneDeps));
    expect(noneDeps.lines.join('\n')).toMatch(/no running job matches this spec; nothing to cancel/);
  });

  test('a result file of another token is not trusted: the job is looked up by spec instead', async () => {
    const oss = new FakeOss();
    oss.script = ['Active'];
    const file = await runningJob(oss, resultPath(), { rerunToken: 'newer' });
    const deps = fakeDeps(oss);
    await expectSuccess(deleteBatchJob(event({ deletionBehavior: 'cancel' }, { priority: 7 }), file, deps));
    expect(oss.calls.listJobs).toBe(1); // looked up by spec: the result file was not trusted
    expect(oss.calls['updateJobStatus:Cancelled']).toBeUndefined();
    expect(existsSync(file)).toBe(true);
  });
});
