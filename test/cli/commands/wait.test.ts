/** The wait display's pure parts, checked against what the handler's poller really logs. */
import { barState, isProgressLine, wholeNumber } from '../../../src/cli/commands/wait';
import type { HandlerDeps } from '../../../src/handler/deps';
import { waitForTerminal } from '../../../src/handler/wait';
import type { BatchApi, ObjectApi } from '../../../src/oss/api';
import type { JobDescriptor } from '../../../src/oss/model';

const job = (status: string, done: number, failed = 0, total = 4): JobDescriptor => ({
  jobId: 'J=', status, failureReasons: [], progressSummary: { numberOfTasksSucceeded: done - failed, numberOfTasksFailed: failed, totalNumberOfTasks: total },
});

/** Drive the real waitForTerminal through a scripted sequence of DescribeJob answers on a fake clock. */
async function pollerLines(answers: JobDescriptor[], autoConfirm: boolean): Promise<string[]> {
  const lines: string[] = [];
  let now = 0;
  let i = 0;
  const batch = {
    describeJob: async () => answers[Math.min(i++, answers.length - 1)],
    updateJobStatus: async () => ({ jobId: 'J=', status: 'Ready' }),
  } as unknown as BatchApi;
  const deps: HandlerDeps = {
    batch, objects: {} as ObjectApi, log: (l) => lines.push(l), now: () => now, random: () => 0.5,
    sleep: async (ms) => { now += ms; },
  };
  await waitForTerminal('J=', deps, { name: 'oss-batch', timeoutSeconds: 3600, autoConfirm, timeoutHint: '' });
  return lines;
}

test('isProgressLine tells the per-change status lines from the poller\'s other messages', async () => {
  const lines = await pollerLines([job('Suspended', 0, 0, 0), job('Active', 1), job('Active', 3, 1), job('Complete', 4, 1)], true);
  const progress = lines.filter(isProgressLine);
  const other = lines.filter((l) => !isProgressLine(l));
  expect(progress).toHaveLength(4);
  expect(progress[3]).toMatch(/^\[oss-batch\] job J= Complete 3\/1\/4 tasks/);
  // What the bar cannot show must still reach a terminal user.
  expect(other).toEqual(['[oss-batch] job J= confirmed (autoConfirm)']);
  const waiting = await pollerLines([job('Suspended', 0, 0, 0), job('Suspended', 0, 0, 0), job('Cancelled', 0, 0, 0)], false);
  expect(waiting.filter((l) => !isProgressLine(l))).toEqual(['[oss-batch] job J= waits for confirmation: oss-batch jobs confirm J=']);
});

test('barState: done = succeeded + failed, total never 0, status padded for a steady bar', () => {
  expect(barState(job('Active', 3, 1), 65_000)).toEqual({ total: 4, done: 3, payload: { status: 'Active    ', failed: 1, elapsed: '1m05s' } });
  expect(barState(job('Preparing', 0, 0, 0), 0).total).toBe(1);
});

test('wholeNumber accepts digits within range only', () => {
  const parse = wholeNumber('--timeout', 1);
  expect(parse('60')).toBe(60);
  expect(parse(' 7 ')).toBe(7);
  for (const bad of ['0', '-1', '1.5', '1e3', 'abc', '']) expect(() => parse(bad)).toThrow(/--timeout must be a whole number ≥ 1/);
});
