/** The one wait loop and its structured events, on a fake clock. */
import { eventLine, JobEvent, progressEstimate, ProgressEvent } from '../../src/jobs/events';
import { HEARTBEAT_MS, waitForJob, WaitTimeoutError } from '../../src/jobs/wait';
import { OssError } from '../../src/oss/errors';
import type { JobDescriptor } from '../../src/oss/model';
import { fakeDeps, FakeOss } from '../handler/mocks';

async function started(oss: FakeOss): Promise<string> {
  return (await oss.createJob({ clientRequestToken: 't', operation: { type: 'DeleteObjectTagging' }, report: { bucket: 'b', enabled: false }, priority: 1, roleArn: 'r' })).jobId;
}
const progressOf = (events: JobEvent[]) => events.filter((e): e is ProgressEvent => e.type === 'progress');

test('one progress event per answer: counts, elapsed time, rate and ETA while Active, the next poll until the end', async () => {
  const oss = new FakeOss();
  oss.total = 100;
  oss.script = ['New', 'Preparing', 'Active', 'Active', 'Active', 'Completing', 'Complete'];
  const deps = fakeDeps(oss);
  const events: JobEvent[] = [];
  const job = await waitForJob(await started(oss), deps, { timeoutSeconds: 3600, autoConfirm: false, onEvent: (e) => events.push(e) });
  expect(job.status).toBe('Complete');
  const progress = progressOf(events);
  expect(progress.map((e) => e.status)).toEqual(oss.script);
  const active = progress.filter((e) => e.status === 'Active');
  for (const e of active) {
    // The fake reports done = total × step / 6 and an active timer of `step` seconds.
    const step = progress.indexOf(e);
    expect(e.ratePerSecond).toBeCloseTo(Math.floor((100 * step) / 6) / step);
    expect(e.etaMs).toBeCloseTo(((100 - Math.floor((100 * step) / 6)) / e.ratePerSecond!) * 1000);
  }
  expect(progress.filter((e) => e.status !== 'Active').every((e) => e.etaMs === undefined)).toBe(true);
  // Every answer but the last says when the next poll comes, and the loop sleeps exactly that.
  expect(progress.slice(0, -1).map((e) => e.nextPollMs)).toEqual(deps.sleeps);
  expect(progress.at(-1)!.nextPollMs).toBeUndefined();
  expect(progress.map((e) => e.elapsedMs)).toEqual([0, ...deps.sleeps.map((_, i) => deps.sleeps.slice(0, i + 1).reduce((a, b) => a + b, 0))]);
});

test('changed marks a new status or count; heartbeat marks an unchanged answer after a quiet minute', async () => {
  const oss = new FakeOss();
  oss.script = [...Array(60).fill('Preparing'), 'Complete'];
  const deps = fakeDeps(oss);
  const events: ProgressEvent[] = [];
  await waitForJob(await started(oss), deps, { timeoutSeconds: 86_400, autoConfirm: false, onEvent: (e) => { if (e.type === 'progress') events.push(e); } });
  expect(events.filter((e) => e.changed).map((e) => e.status)).toEqual(['Preparing', 'Complete']);
  const reported = events.filter((e) => e.changed || e.heartbeat).map((e) => e.elapsedMs);
  for (let i = 1; i < reported.length - 1; i++) expect(reported[i] - reported[i - 1]).toBeGreaterThanOrEqual(HEARTBEAT_MS);
  expect(events.some((e) => e.heartbeat)).toBe(true);
  expect(events.some((e) => !e.changed && !e.heartbeat)).toBe(true);
});

test('notices: waiting for confirmation, confirmed, a retried poll', async () => {
  const oss = new FakeOss();
  oss.script = ['Suspended', 'Active', 'Complete'];
  oss.failOn.describeJob = { calls: [3], error: () => new OssError({ code: 'InternalError', status: 500, message: 'busy' }) };
  const events: JobEvent[] = [];
  await waitForJob(await started(oss), fakeDeps(oss), { timeoutSeconds: 3600, autoConfirm: true, onEvent: (e) => events.push(e) });
  expect(events.filter((e) => e.type === 'notice').map((e) => e.type === 'notice' && e.kind)).toEqual(['confirmed', 'poll-retry']);
  const waiting = new FakeOss();
  waiting.script = ['Suspended'];
  const seen: JobEvent[] = [];
  const err = await waitForJob(await started(waiting), fakeDeps(waiting), { timeoutSeconds: 120, autoConfirm: false, onEvent: (e) => seen.push(e) }).catch((e) => e);
  expect(err).toBeInstanceOf(WaitTimeoutError);
  expect(err).toMatchObject({ status: 'Suspended', timeoutSeconds: 120, message: expect.stringMatching(/^job J1x+ is still Suspended after 120 s\.$/) });
  expect(seen.find((e) => e.type === 'notice')).toMatchObject({ kind: 'awaiting-confirmation', message: expect.stringContaining('oss-batch jobs confirm J1') });
});

test('progressEstimate and eventLine', () => {
  const job = (status: string, done: number, active?: number): JobDescriptor => ({
    jobId: 'J', status, failureReasons: [], progressSummary: { numberOfTasksSucceeded: done, numberOfTasksFailed: 0, totalNumberOfTasks: 100, elapsedTimeInActiveSeconds: active },
  });
  expect(progressEstimate(job('Active', 25, 50))).toEqual({ ratePerSecond: 0.5, etaMs: 150_000 });
  expect(progressEstimate(job('Completing', 100, 50))).toEqual({ ratePerSecond: 2 });
  expect(progressEstimate(job('Active', 0, 50))).toEqual({});
  expect(progressEstimate(job('Active', 10))).toEqual({});
  const e: ProgressEvent = { type: 'progress', jobId: 'J', status: 'Active', succeeded: 25, failed: 0, total: 100, elapsedMs: 3_700_000, ratePerSecond: 12.3, etaMs: 61_000, changed: false, heartbeat: false };
  expect(eventLine('n', e)).toBeUndefined();
  expect(eventLine('n', { ...e, heartbeat: true })).toBe('[n] job J Active 25/0/100 tasks, 1h01m, 12 tasks/s, ETA 1m01s');
  expect(eventLine('n', { type: 'notice', jobId: 'J', kind: 'confirmed', message: 'job J confirmed (autoConfirm)' })).toBe('[n] job J confirmed (autoConfirm)');
});
