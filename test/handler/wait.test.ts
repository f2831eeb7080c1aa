/** The handler's wait on a fake clock: lines, heartbeat, confirmation, tolerated failures, deadline. */
import { EXIT } from '../../src/handler/errors';
import { formatElapsed, progressLine } from '../../src/jobs/events';
import { CONFIRM_REASON, HEARTBEAT_MS } from '../../src/jobs/wait';
import { waitForTerminal, WaitOptions } from '../../src/handler/wait';
import { OssError } from '../../src/oss/errors';
import type { ProgressEvent } from '../../src/jobs/events';
import { expectFailed, fakeDeps, FakeOss } from './mocks';

const options = (o: Partial<WaitOptions> = {}): WaitOptions => ({ name: 'n', timeoutSeconds: 3600, autoConfirm: false, timeoutHint: 'HINT', ...o });
async function started(oss: FakeOss): Promise<string> {
  return (await oss.createJob({ clientRequestToken: 't', operation: { type: 'DeleteObjectTagging' }, report: { bucket: 'b', enabled: false }, priority: 1, roleArn: 'r' })).jobId;
}

test('progressLine and formatElapsed', () => {
  const e: ProgressEvent = { type: 'progress', jobId: 'J=', status: 'Active', succeeded: 7, failed: 2, total: 10, elapsedMs: 65_000, changed: true, heartbeat: false };
  expect(progressLine('stack/Job', e)).toBe('[stack/Job] job J= Active 7/2/10 tasks, 1m05s');
  expect(progressLine('stack/Job', { ...e, ratePerSecond: 0.25, etaMs: 4000 })).toBe('[stack/Job] job J= Active 7/2/10 tasks, 1m05s, 0.25 tasks/s, ETA 4s');
  expect([0, 59_400, 61_000, 3_599_000, 3_600_000, 7_380_000].map(formatElapsed)).toEqual(['0s', '59s', '1m01s', '59m59s', '1h00m', '2h03m']);
});

test('every DescribeJob answer reaches onEvent, one line per change; the elapsed time follows the clock', async () => {
  const oss = new FakeOss();
  oss.script = ['New', 'Preparing', 'Preparing', 'Preparing', 'Active', 'Complete'];
  const deps = fakeDeps(oss);
  const seen: string[] = [];
  const job = await waitForTerminal(await started(oss), deps, options({ onEvent: (e) => { if (e.type === 'progress') seen.push(e.status); } }));
  expect(job.status).toBe('Complete');
  expect(seen).toEqual(oss.script);
  expect(deps.lines.map((l) => l.split(' ')[3])).toEqual(['New', 'Preparing', 'Active', 'Complete']);
  // While Active the fake reports progress, so the line carries the rate and the ETA.
  expect(deps.lines[2]).toMatch(/ Active 2\/0\/3 tasks, \d+s, 0\.50 tasks\/s, ETA 2s$/);
  expect(deps.lines.at(-1)).toMatch(new RegExp(`Complete 3/0/3 tasks, ${formatElapsed(deps.clock.now)}$`));
  expect(deps.sleeps[0]).toBe(4925); // starts at the 5 s lag budget, less jitter (the fake's random() is 0.5)
});

test('a long unchanged wait prints a heartbeat at most once a minute', async () => {
  const oss = new FakeOss();
  oss.script = [...Array(120).fill('Preparing'), 'Complete'];
  const deps = fakeDeps(oss);
  const times: number[] = [];
  deps.log = (line) => { deps.lines.push(line); times.push(deps.clock.now); };
  await waitForTerminal(await started(oss), deps, options({ timeoutSeconds: 86_400 }));
  const beats = times.slice(1, -1);
  expect(beats.length).toBeGreaterThan(3);
  for (let i = 1; i < beats.length; i++) expect(beats[i] - beats[i - 1]).toBeGreaterThanOrEqual(HEARTBEAT_MS);
});

test('autoConfirm confirms once; a job that left Suspended meanwhile (InvalidJobStatus) is not an error', async () => {
  const oss = new FakeOss();
  oss.script = ['Suspended', 'Active', 'Complete'];
  const id = await started(oss);
  oss.failOn['updateJobStatus:Ready'] = { calls: [1], error: () => new OssError({ code: 'InvalidJobStatus', status: 409, message: 'not suspended' }) };
  oss.jobs[0].step = 1; // someone else confirmed: our DescribeJob answer was stale
  const deps = fakeDeps(oss);
  const original = oss.describeJob.bind(oss);
  let first = true;
  oss.describeJob = async (jobId) => {
    if (first) { first = false; return { ...(await original(jobId)), status: 'Suspended' }; }
    return original(jobId);
  };
  await expect(waitForTerminal(id, deps, options({ autoConfirm: true }))).resolves.toMatchObject({ status: 'Complete' });
  expect(oss.calls['updateJobStatus:Ready']).toBe(1);
  expect(deps.lines.join('\n')).toMatch(/could not be confirmed .*InvalidJobStatus.*polling on/);
});

test('a confirm refused for another reason fails the wait', async () => {
  const oss = new FakeOss();
  oss.script = ['Suspended', 'Active', 'Complete'];
  oss.failOn['updateJobStatus:Ready'] = { calls: [1], error: () => new OssError({ code: 'AccessDenied', status: 403, message: 'no UpdateJobStatus' }) };
  await expect(waitForTerminal(await started(oss), fakeDeps(oss), options({ autoConfirm: true }))).rejects.toThrow(/AccessDenied/);
});

test('the confirm request carries our reason', async () => {
  const oss = new FakeOss();
  oss.script = ['Suspended', 'Ready', 'Complete'];
  await waitForTerminal(await started(oss), fakeDeps(oss), options({ autoConfirm: true }));
  expect(oss.lastReason).toBe(CONFIRM_REASON);
});

test('the deadline: the last sleep is cut to it, one last poll, then exit 3 with the hint', async () => {
  const oss = new FakeOss();
  oss.script = ['Active'];
  const deps = fakeDeps(oss);
  await expectFailed(waitForTerminal(await started(oss), deps, options({ timeoutSeconds: 100 })), EXIT.TIMEOUT, /^job J1x+ is still Active after 100 s\. HINT$/);
  expect(deps.clock.now).toBe(100_000);
  expect(deps.sleeps.reduce((a, b) => a + b, 0)).toBe(100_000);
});

test('retryable DescribeJob failures that are not consecutive are retried; other errors end the wait at once', async () => {
  const reset = () => Object.assign(new Error('socket hang up'), { name: 'OssNetworkError' });
  const oss = new FakeOss();
  oss.failOn.describeJob = { calls: [2, 4], error: () => new OssError({ code: 'InternalError', status: 500, message: 'x' }) };
  await expect(waitForTerminal(await started(oss), fakeDeps(oss), options())).resolves.toMatchObject({ status: 'Complete' });
  const plain = new FakeOss();
  plain.failOn.describeJob = { calls: [1], error: reset };
  await expect(waitForTerminal(await started(plain), fakeDeps(plain), options())).rejects.toThrow(/socket hang up/); // not an OSS error: not retried
});
