/** The wait display's pure parts: the bar's values and the lines drawn from the core's events. */
import { barState, eventDisplay, wholeNumber } from '../../../src/cli/commands/wait';
import type { ProgressEvent } from '../../../src/jobs/events';

const event = (o: Partial<ProgressEvent> = {}): ProgressEvent => ({
  type: 'progress', jobId: 'J=', status: 'Active', succeeded: 2, failed: 1, total: 4, elapsedMs: 65_000, changed: true, heartbeat: false, ...o,
});

test('barState: done = succeeded + failed, total never 0, status padded for a steady bar, ETA when known', () => {
  expect(barState(event())).toEqual({ total: 4, done: 3, payload: { status: 'Active    ', failed: 1, elapsed: '1m05s', estimate: '' } });
  expect(barState(event({ status: 'Preparing', succeeded: 0, failed: 0, total: 0 })).total).toBe(1);
  expect(barState(event({ ratePerSecond: 0.5, etaMs: 2000 })).payload.estimate).toBe(', 0.50/s, ETA 2s');
});

test('off a terminal the display prints the handler-style lines for changes and notices; --json prints nothing', () => {
  const printed: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => { printed.push(line); });
  try {
    const notTty = { isTTY: false } as NodeJS.WriteStream;
    const display = eventDisplay({}, notTty);
    display.onEvent(event());
    display.onEvent(event({ changed: false }));
    display.onEvent({ type: 'notice', jobId: 'J=', kind: 'confirmed', message: 'job J= confirmed (autoConfirm)' });
    display.stop();
    const quiet = eventDisplay({ json: true }, notTty);
    quiet.onEvent(event());
    expect(printed).toEqual(['[oss-batch] job J= Active 2/1/4 tasks, 1m05s', '[oss-batch] job J= confirmed (autoConfirm)']);
  } finally {
    log.mockRestore();
  }
});

test('wholeNumber accepts digits within range only', () => {
  const parse = wholeNumber('--timeout', 1);
  expect(parse('60')).toBe(60);
  expect(parse(' 7 ')).toBe(7);
  for (const bad of ['0', '-1', '1.5', '1e3', 'abc', '']) expect(() => parse(bad)).toThrow(/--timeout must be a whole number ≥ 1/);
});

test('on a terminal the display draws a bar with the ETA and prints notices above it', () => {
  const { PassThrough } = require('node:stream') as typeof import('node:stream');
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120, rows: 40 }) as unknown as NodeJS.WriteStream;
  let out = '';
  (stream as unknown as NodeJS.ReadableStream).on('data', (d: Buffer) => { out += d.toString(); });
  const display = eventDisplay({}, stream);
  display.onEvent(event({ ratePerSecond: 0.5, etaMs: 2000 }));
  display.onEvent({ type: 'notice', jobId: 'J=', kind: 'poll-retry', message: 'DescribeJob failed (busy); retrying' });
  display.onEvent(event({ status: 'Complete', succeeded: 3, failed: 1 }));
  display.stop();
  const text = out.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
  expect(text).toContain('Active     ');
  expect(text).toContain('3/4 tasks, 1 failed, 1m05s, 0.50/s, ETA 2s');
  expect(text).toContain('[oss-batch] DescribeJob failed (busy); retrying\n');
  expect(text).toContain('4/4 tasks, 1 failed, 1m05s');
});
