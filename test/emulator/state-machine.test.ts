/**
 * The job status table (src/emulator/engine/state-machine.ts): every documented path, the
 * cancel/confirm rules, terminal states — and one real server showing the engine walks the table.
 */
import type { RunningEmulator } from '../../src/emulator';
import { canTransition, InvalidTransitionError, JobEvent, nextStatus, TRANSITIONS } from '../../src/emulator/engine/state-machine';
import { JOB_STATUSES, JobStatus, TERMINAL_STATUSES } from '../../src/oss/model';
import { clientFor, jobInput, start, stopAndClean, waitForStatus } from './helpers';

const EVENTS: JobEvent[] = [
  'prepare', 'prepared', 'needsConfirmation', 'confirm', 'start', 'finish', 'reported', 'cancel', 'cancelled', 'fail', 'failed',
  'suspendExpired', 'pause', 'paused', 'resume',
];

const CANCELLABLE: JobStatus[] = ['New', 'Preparing', 'Ready', 'Suspended', 'Active', 'Pausing', 'Paused'];
const NOT_CANCELLABLE: JobStatus[] = ['Cancelling', 'Cancelled', 'Completing', 'Complete', 'Failing', 'Failed'];

/** Apply events in order, returning every status visited (the start included). */
function walk(from: JobStatus, events: JobEvent[]): JobStatus[] {
  const seen = [from];
  for (const event of events) seen.push(nextStatus(seen[seen.length - 1], event));
  return seen;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('job status table', () => {
  test('has a row for each of the 13 documented statuses and only targets documented statuses', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...JOB_STATUSES].sort());
    expect(Object.keys(TRANSITIONS)).toHaveLength(13);
    for (const row of Object.values(TRANSITIONS)) {
      for (const [event, to] of Object.entries(row)) {
        expect(EVENTS).toContain(event);
        expect(JOB_STATUSES).toContain(to);
      }
    }
  });

  test('happy path: New → Preparing → Ready → Active → Completing → Complete', () => {
    expect(walk('New', ['prepare', 'prepared', 'start', 'finish', 'reported'])).toEqual(['New', 'Preparing', 'Ready', 'Active', 'Completing', 'Complete']);
  });

  test('confirmation path: Preparing → Suspended → (confirm) → Ready → Active', () => {
    expect(walk('New', ['prepare', 'needsConfirmation', 'confirm', 'start'])).toEqual(['New', 'Preparing', 'Suspended', 'Ready', 'Active']);
  });

  test('failure paths: Preparing/Active → Failing → Failed; Suspended expires straight to Failed', () => {
    expect(walk('Preparing', ['fail', 'failed'])).toEqual(['Preparing', 'Failing', 'Failed']);
    expect(walk('Active', ['fail', 'failed'])).toEqual(['Active', 'Failing', 'Failed']);
    expect(nextStatus('Suspended', 'suspendExpired')).toBe('Failed');
    for (const s of JOB_STATUSES.filter((x) => x !== 'Suspended')) expect(canTransition(s, 'suspendExpired')).toBe(false);
  });

  test('pause path: Active → Pausing → Paused → Active', () => {
    expect(walk('Active', ['pause', 'paused', 'resume'])).toEqual(['Active', 'Pausing', 'Paused', 'Active']);
  });

  test.each(CANCELLABLE)('cancel is allowed from %s and leads to Cancelling, then Cancelled', (from) => {
    expect(canTransition(from, 'cancel')).toBe(true);
    expect(walk(from, ['cancel', 'cancelled'])).toEqual([from, 'Cancelling', 'Cancelled']);
  });

  test.each(NOT_CANCELLABLE)('cancel is rejected from %s', (from) => {
    expect(canTransition(from, 'cancel')).toBe(false);
    const err = thrown(() => nextStatus(from, 'cancel'));
    expect(err).toBeInstanceOf(InvalidTransitionError);
    expect(err).toMatchObject({ from, event: 'cancel' });
    expect((err as Error).message).toBe(`a job in status ${from} cannot be cancelled (allowed only from New, Preparing, Ready, Suspended, Active, Pausing, Paused)`);
  });

  test('the cancellable and non-cancellable sets cover all 13 statuses', () => {
    expect([...CANCELLABLE, ...NOT_CANCELLABLE].sort()).toEqual([...JOB_STATUSES].sort());
  });

  test('Ready is reachable by confirm only from Suspended or Preparing', () => {
    for (const from of JOB_STATUSES) {
      const allowed = from === 'Suspended' || from === 'Preparing';
      expect([from, canTransition(from, 'confirm')]).toEqual([from, allowed]);
      if (allowed) {
        expect(nextStatus(from, 'confirm')).toBe('Ready');
      } else {
        const err = thrown(() => nextStatus(from, 'confirm'));
        expect(err).toBeInstanceOf(InvalidTransitionError);
        expect((err as Error).message).toBe(`a job in status ${from} cannot be set to Ready (allowed only from Suspended or Preparing)`);
      }
    }
  });

  test('Ready is entered only from Preparing and Suspended, by any event', () => {
    const sources = JOB_STATUSES.filter((from) => Object.values(TRANSITIONS[from]).includes('Ready'));
    expect(sources.sort()).toEqual(['Preparing', 'Suspended']);
  });

  test.each([...TERMINAL_STATUSES])('terminal status %s has no exits', (status) => {
    expect(TRANSITIONS[status]).toEqual({});
    for (const event of EVENTS) {
      expect(canTransition(status, event)).toBe(false);
      expect(() => nextStatus(status, event)).toThrow(InvalidTransitionError);
    }
  });

  test('non-terminal statuses all have an exit, and every status can reach a terminal one', () => {
    for (const status of JOB_STATUSES) {
      const terminal = (TERMINAL_STATUSES as readonly string[]).includes(status);
      expect([status, Object.keys(TRANSITIONS[status]).length > 0]).toEqual([status, !terminal]);
      const seen = new Set<JobStatus>([status]);
      const queue: JobStatus[] = [status];
      while (queue.length) {
        for (const to of Object.values(TRANSITIONS[queue.shift()!])) {
          if (to && !seen.has(to)) { seen.add(to); queue.push(to); }
        }
      }
      expect([status, [...seen].some((s) => TERMINAL_STATUSES.includes(s))]).toEqual([status, true]);
    }
  });

  test('steps not in the table are rejected with a message naming the step', () => {
    expect(() => nextStatus('New', 'start')).toThrow('a job in status New cannot take the "start" step');
    expect(() => nextStatus('Ready', 'finish')).toThrow('a job in status Ready cannot take the "finish" step');
    expect(() => nextStatus('Completing', 'fail')).toThrow('a job in status Completing cannot take the "fail" step');
  });
});

describe('the engine follows the table on a real server', () => {
  let emulator: RunningEmulator;
  const visited = new Map<string, string[]>();

  beforeAll(async () => {
    emulator = await start();
    const original = emulator.engine.transition.bind(emulator.engine);
    emulator.engine.transition = (job, event, reason) => {
      const list = visited.get(job.jobId) ?? [job.status];
      original(job, event, reason);
      visited.set(job.jobId, [...list, job.status]);
    };
    const client = clientFor(emulator);
    await client.createBucket('source');
    await client.createBucket('reports');
    await client.putObject('source', 'in/a.txt', 'a');
  });
  afterAll(() => stopAndClean(emulator));

  test('a job without confirmation visits New, Preparing, Ready, Active, Completing, Complete', async () => {
    const client = clientFor(emulator);
    const { jobId } = await client.createJob(jobInput({ keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'in/' } }));
    await waitForStatus(client, jobId, 'Complete');
    expect(visited.get(jobId)).toEqual(['New', 'Preparing', 'Ready', 'Active', 'Completing', 'Complete']);
  });

  test('a job with confirmation stops in Suspended until confirmed', async () => {
    const client = clientFor(emulator);
    const { jobId } = await client.createJob(jobInput({ confirmationRequired: true, keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'in/' } }));
    await waitForStatus(client, jobId, 'Suspended');
    expect(visited.get(jobId)).toEqual(['New', 'Preparing', 'Suspended']);
    await client.updateJobStatus(jobId, 'Ready');
    await waitForStatus(client, jobId, 'Complete');
    expect(visited.get(jobId)).toEqual(['New', 'Preparing', 'Suspended', 'Ready', 'Active', 'Completing', 'Complete']);
  });
});
