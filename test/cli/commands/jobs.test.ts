/** `oss-batch jobs …` end to end: the bundled CLI process against an in-process emulator. */
import { parseStatuses } from '../../../src/cli/commands/jobs';
import { CliWorld, startCliWorld, untilStatus } from '../harness';

let world: CliWorld;
beforeAll(async () => { world = await startCliWorld(); });
afterAll(() => world.close());

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('jobs wait', () => {
  test('a Complete job exits 0, printing one line per change and the verdict', async () => {
    const id = await world.createJob(['a', 'b']);
    const r = await world.run(['jobs', 'wait', id]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout).at(-1)).toBe(`job ${id} Complete: 2/0/2 tasks (succeeded/failed/total)`);
    expect(lines(r.stdout).some((l) => l.startsWith(`[oss-batch] job ${id} Complete 2/0/2 tasks`))).toBe(true);
    expect(r.stderr).toBe('');
  });

  test('failed tasks exit 1 unless --max-failed-tasks tolerates them; --json prints only the final document', async () => {
    const id = await world.createJob(['a', 'missing-1', 'b']);
    const strict = await world.run(['jobs', 'wait', id]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain(`job ${id} is Complete but 1 of 3 tasks failed (--max-failed-tasks is 0).\nFirst failed objects:\n  - oss://src/missing-1: NoSuchKey`);
    expect(lines(strict.stdout).slice(-2)).toEqual(['Raise --max-failed-tasks to accept more.', `The whole report: oss-batch report summary --job ${id} --region ${world.emulator.region} --endpoint ${world.emulator.endpoint}`]);
    expect((await world.run(['jobs', 'wait', id, '--max-failed-tasks', '1'])).code).toBe(0);
    const json = await world.run(['--json', 'jobs', 'wait', id]);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({ jobId: id, status: 'Complete', exitCode: 1, progressSummary: { numberOfTasksFailed: 1, totalNumberOfTasks: 3 } });
    expect(doc.outcome).toContain('Complete but 1 of 3 tasks failed');
  });

  test('a Failed job exits 1 and names its failure reason', async () => {
    const id = await world.createJob(['x1', 'x2', 'x3']);
    const r = await world.run(['jobs', 'wait', id]);
    expect(r.code).toBe(1);
    const verdict = r.stdout.slice(r.stdout.indexOf(`\njob ${id} Failed`) + 1);
    expect(verdict.startsWith(`job ${id} Failed (TooManyFailures`)).toBe(true);
    expect(verdict).toMatch(/\); (\d) of 3 tasks processed \(0 succeeded, \1 failed\)\.\nFirst failed objects[^:]*:\n {2}- oss:\/\/src\/x1: NoSuchKey/);
    expect(lines(r.stdout).at(-1)).toBe(`The whole report: oss-batch report summary --job ${id} --region ${world.emulator.region} --endpoint ${world.emulator.endpoint}`);
  });

  test('a Suspended job times out with exit 3 unless --auto-confirm', async () => {
    const id = await world.createJob(['a'], { confirmationRequired: true });
    await untilStatus(world.client, id, 'Suspended');
    const timedOut = await world.run(['jobs', 'wait', id, '--timeout', '1']);
    expect(timedOut.code).toBe(3);
    expect(timedOut.stdout).toContain(`waits for confirmation: oss-batch jobs confirm ${id}`);
    expect(timedOut.stderr).toContain(`job ${id} is still Suspended after 1 s`);
    const json = await world.run(['jobs', 'wait', id, '--timeout', '1', '--json']);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toEqual({ error: { exitCode: 3, message: expect.stringContaining('is still Suspended') } });
    const confirmed = await world.run(['jobs', 'wait', id, '--auto-confirm']);
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toContain(`job ${id} confirmed (autoConfirm)`);
  });
});

describe('jobs list and describe', () => {
  test('list shows a table without colors off a terminal; --json and --status filter', async () => {
    const id = await world.createJob(['a']);
    await untilStatus(world.client, id, 'Complete');
    const table = await world.run(['jobs', 'list', '--max-keys', '1000']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/JobId.*Status.*Operation.*Priority.*Succeeded\/Failed\/Total.*Created.*Description/);
    const row = lines(table.stdout).find((l) => l.includes(id));
    expect(row).toMatch(/Complete.*PutObjectTagging.*5.*1\/0\/1.*\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    expect(table.stdout).not.toContain('\u001b[');
    const complete = JSON.parse((await world.run(['--json', 'jobs', 'list', '--status', 'Complete', '--all'])).stdout);
    expect(complete.jobs.map((j: { jobId: string }) => j.jobId)).toContain(id);
    expect(complete.jobs.every((j: { status: string }) => j.status === 'Complete')).toBe(true);
    const failed = JSON.parse((await world.run(['jobs', 'list', '--status', 'Failed', '--json'])).stdout);
    expect(failed.jobs.map((j: { jobId: string }) => j.jobId)).not.toContain(id);
  });

  test('without --all one page and a hint; with --all every page', async () => {
    const ids = [await world.createJob(['a']), await world.createJob(['b'])];
    const page = await world.run(['jobs', 'list', '--max-keys', '1']);
    expect(page.code).toBe(0);
    expect(page.stdout).toContain('More jobs exist: add --all to list every page (this page: 1).');
    const pageJson = JSON.parse((await world.run(['--json', 'jobs', 'list', '--max-keys', '1'])).stdout);
    expect(pageJson.jobs).toHaveLength(1);
    expect(typeof pageJson.nextToken).toBe('string');
    const all = await world.run(['jobs', 'list', '--max-keys', '1', '--all']);
    for (const id of ids) expect(all.stdout).toContain(id);
    expect(all.stdout).not.toContain('More jobs exist');
  });

  test('describe shows operation, manifest, report and counts; --json is the DescribeJob result', async () => {
    const id = await world.createJob(['a', 'nope']);
    await untilStatus(world.client, id, 'Complete');
    const text = await world.run(['jobs', 'describe', id]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^JobId\s+\S+/);
    expect(text.stdout).toMatch(/Operation\s+PutObjectTagging a=b/);
    expect(text.stdout).toMatch(/Manifest\s+oss:\/\/ops\/manifest-\d+\.csv.*OSS_BatchOperations_CSV_20250611 \[Bucket,Key\]/);
    expect(text.stdout).toMatch(/Report\s+oss:\/\/ops\/r\//);
    expect(text.stdout).toMatch(/Tasks \(succeeded\/failed\/total\)\s+1\/1\/2/);
    const doc = JSON.parse((await world.run(['jobs', 'describe', id, '--json'])).stdout);
    expect(doc).toMatchObject({ jobId: id, status: 'Complete', priority: 5, report: { bucket: 'ops', prefix: 'r/' } });
  });
});

describe('jobs confirm, cancel, priority', () => {
  test('confirm a Suspended job; confirming a finished one explains why not', async () => {
    const id = await world.createJob(['a'], { confirmationRequired: true });
    await untilStatus(world.client, id, 'Suspended');
    const confirmed = await world.run(['jobs', 'confirm', id]);
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toBe(`job ${id}: Ready\n`);
    await untilStatus(world.client, id, 'Complete');
    const again = await world.run(['jobs', 'confirm', id]);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain(`cannot confirm job ${id}: it is Complete, and only a Suspended or Preparing job can be confirmed.`);
  });

  test('cancel --wait ends Cancelled; a second cancel explains why not; --json', async () => {
    const id = await world.createJob(['a', 'b'], { confirmationRequired: true });
    await untilStatus(world.client, id, 'Suspended');
    const cancelled = await world.run(['jobs', 'cancel', id, '--reason', 'test run', '--wait']);
    expect(cancelled.code).toBe(0);
    expect(lines(cancelled.stdout).at(-1)).toBe(`job ${id}: Cancelled`);
    expect((await world.client.describeJob(id)).statusUpdateReason).toBe('test run');
    const again = await world.run(['--json', 'jobs', 'cancel', id]);
    expect(again.code).toBe(4);
    expect(JSON.parse(again.stdout).error).toMatchObject({ exitCode: 4, message: expect.stringContaining(`cannot cancel job ${id}: it is Cancelled`) });
  });

  test('priority changes the job; out-of-range values are usage errors', async () => {
    const id = await world.createJob(['a'], { confirmationRequired: true });
    const r = await world.run(['jobs', 'priority', id, '42']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`job ${id}: priority 42\n`);
    expect((await world.client.describeJob(id)).priority).toBe(42);
    expect(JSON.parse((await world.run(['--json', 'jobs', 'priority', id, '7'])).stdout)).toEqual({ jobId: id, priority: 7 });
    const bad = await world.run(['jobs', 'priority', id, '2147483648']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('priority must be at most 2147483647');
    expect((await world.run(['jobs', 'priority', id, '-1'])).code).toBe(2);
  });
});

describe('errors', () => {
  test('an unknown job: exit 4, code, HTTP status, request id and a hint on one line', async () => {
    const r = await world.run(['jobs', 'describe', 'NoSuchJobId']);
    expect(r.code).toBe(4);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^oss-batch: OSS NoSuchJob \(404\) on GET .*\[request id \w+\] \(hint: check the job id/);
    expect(r.stdout).toBe('');
  });

  test('a wrong secret: exit 4 with the credentials hint, and the secret is never printed', async () => {
    const secret = 'not-the-secret-1234';
    const r = await world.run(['jobs', 'list'], { ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/SignatureDoesNotMatch \(403\).*hint: check ALIBABA_CLOUD_ACCESS_KEY_ID/);
    expect(r.stderr + r.stdout).not.toContain(secret);
    const json = await world.run(['jobs', 'list', '--json'], { ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret });
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'SignatureDoesNotMatch', httpStatus: 403, exitCode: 4, requestId: expect.any(String) });
    expect(json.stdout).not.toContain(secret);
  });

  test('an unreachable endpoint: exit 4 with the --endpoint hint; a malformed one: exit 2', async () => {
    const down = await world.run(['jobs', 'list', '--endpoint', 'http://127.0.0.1:1']);
    expect(down.code).toBe(4);
    expect(down.stderr).toMatch(/ECONNREFUSED.*hint: check --endpoint/);
    const malformed = await world.run(['jobs', 'list'], { OSS_ENDPOINT: 'not a url' });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('fix --endpoint or OSS_ENDPOINT');
  });
});

test('parseStatuses: comma or pipe separated, each one known', () => {
  expect(parseStatuses('Active,Complete')).toEqual(['Active', 'Complete']);
  expect(parseStatuses(' Failed | Cancelled ,')).toEqual(['Failed', 'Cancelled']);
  expect(() => parseStatuses('active')).toThrow('unknown status "active"');
  expect(() => parseStatuses(',')).toThrow('give at least one status');
});
