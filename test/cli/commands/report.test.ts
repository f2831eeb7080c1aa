/** `oss-batch report summary` end to end, on reports the emulator wrote and on hand-made ones. */
import { CliWorld, startCliWorld, untilStatus } from '../harness';

let world: CliWorld;
beforeAll(async () => { world = await startCliWorld(); });
afterAll(() => world.close());

test('summarizes a real report: counts by status and error code, the failed objects', async () => {
  const id = await world.createJob(['a', 'missing-1', 'b', 'missing-2']);
  await untilStatus(world.client, id, 'Complete');
  const r = await world.run(['report', 'summary', '--bucket', 'ops', '--prefix', 'r/', '--job', id]);
  expect(r.code).toBe(0);
  expect(r.stdout.split('\n')).toEqual(expect.arrayContaining([
    `Job ${id}: Complete`,
    'Tasks: 2 succeeded, 2 failed, 4 total',
    'Failures by error code:',
    '  NoSuchKey: 2',
    'First 2 failed objects:',
  ]));
  expect(r.stdout).toMatch(/^Report rows: 4 \(2 succeeded, 2 failed\)/m);
  expect(r.stdout).toMatch(/^ {2}oss:\/\/src\/missing-1: NoSuchKey/m);
  expect(r.stdout).toMatch(/^ {2}oss:\/\/src\/missing-2: NoSuchKey/m);

  const json = JSON.parse((await world.run(['--json', 'report', 'summary', '--bucket', 'ops', '--prefix', 'r/', '--job', id, '--failures', '1'])).stdout);
  expect(json).toMatchObject({ jobId: id, status: 'Complete', totalTasks: 4, failedTasks: 2, byStatus: { succeeded: 2, failed: 2 }, byErrorCode: { NoSuchKey: 2 } });
  expect(json.failures).toHaveLength(1);
  expect(json.failures[0]).toMatchObject({ bucket: 'src', key: 'missing-1', taskStatus: 'failed', errorCode: 'NoSuchKey' });
});

test('--job alone finds the report from the job\'s own Report settings (DescribeJob)', async () => {
  const id = await world.createJob(['a', 'missing-1']);
  await untilStatus(world.client, id, 'Complete');
  const r = await world.run(['--json', 'report', 'summary', '--job', id]);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ jobId: id, totalTasks: 2, failedTasks: 1, byErrorCode: { NoSuchKey: 1 } });
  const disabled = await world.createJob(['a'], { report: { bucket: 'ops', enabled: false } });
  await untilStatus(world.client, disabled, 'Complete');
  const none = await world.run(['report', 'summary', '--job', disabled]);
  expect(none.code).toBe(1);
  expect(none.stderr).toContain(`job ${disabled} was created with its completion report disabled`);
});

test('--bucket without --prefix means the constructs\' default prefix, oss-batch-reports/', async () => {
  const id = await world.createJob(['a'], { report: { bucket: 'ops', enabled: true, prefix: 'oss-batch-reports/' } });
  await untilStatus(world.client, id, 'Complete');
  const r = await world.run(['--json', 'report', 'summary', '--bucket', 'ops', '--job', id]);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ jobId: id, totalTasks: 1, succeededTasks: 1 });
});

test('a missing report is a clear error (exit 1) naming where it looked', async () => {
  const id = await world.createJob(['a']);
  await untilStatus(world.client, id, 'Complete');
  const r = await world.run(['report', 'summary', '--bucket', 'ops', '--prefix', 'elsewhere/', '--job', id]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`oss-batch: no completion report at oss://ops/elsewhere/job-${id}/: check --bucket and --prefix`);
  const noSlash = await world.run(['report', 'summary', '--bucket', 'ops', '--prefix', 'r', '--job', id]);
  expect(noSlash.code).toBe(1);
  expect(noSlash.stderr).toContain(`no completion report at oss://ops/rjob-${id}/ (did you mean the prefix r/ ?)`);
  const noBucket = await world.run(['report', 'summary', '--bucket', 'no-such-bucket', '--job', id]);
  expect(noBucket.code).toBe(4);
  expect(noBucket.stderr).toMatch(/NoSuchBucket \(404\).*hint: check the bucket name/);
});

test('without manifest.json the CSVs under the job folder are read; unknown columns are ignored', async () => {
  const csv = [
    'ResultMessage,Key,Extra,TaskStatus,Bucket,ErrorCode',
    'ok,k1,x,succeeded,src,',
    'denied,k%2F2,y,failed,src,AccessDenied',
    'gone,k3,z,failed,src,NoSuchKey',
    'gone,k4,z,failed,src,NoSuchKey',
  ].join('\n');
  await world.client.putObject('ops', 'hand/job-HANDMADE/results/part-1.csv', csv);
  const r = await world.run(['--json', 'report', 'summary', '--bucket', 'ops', '--prefix', 'hand/', '--job', 'HANDMADE']);
  expect(r.code).toBe(0);
  const s = JSON.parse(r.stdout);
  expect(s).toMatchObject({ jobId: 'HANDMADE', status: '', totalTasks: 4, succeededTasks: 1, failedTasks: 3, rowsRead: 4 });
  expect(Object.entries(s.byErrorCode)).toEqual([['NoSuchKey', 2], ['AccessDenied', 1]]);
  expect(s.failures[0]).toEqual({ bucket: 'src', key: 'k/2', taskStatus: 'failed', errorCode: 'AccessDenied', message: 'denied' });
  expect(s.failures[0]).not.toHaveProperty('extra');
});

test('an unreadable manifest falls back to the CSVs with a note; a missing or broken CSV is a clear error (exit 1)', async () => {
  await world.client.putObject('ops', 'bad/job-J1/manifest.json', '{ not json');
  const manifest = await world.run(['report', 'summary', '--bucket', 'ops', '--prefix', 'bad/', '--job', 'J1']);
  expect(manifest.code).toBe(1);
  expect(manifest.stderr).toContain('no completion report at oss://ops/bad/job-J1/; oss://ops/bad/job-J1/manifest.json is not JSON');
  await world.client.putObject('ops', 'bad/job-J0/manifest.json', '{ not json');
  await world.client.putObject('ops', 'bad/job-J0/results/p.csv', 'Bucket,Key,TaskStatus\nsrc,k,failed\n');
  const noted = await world.run(['report', 'summary', '--bucket', 'ops', '--prefix', 'bad/', '--job', 'J0']);
  expect(noted.code).toBe(0);
  expect(noted.stdout).toMatch(/^Note: oss:\/\/ops\/bad\/job-J0\/manifest\.json is not JSON .*reading every CSV in the job's folder instead$/m);
  await world.client.putObject('ops', 'bad/job-J2/manifest.json', JSON.stringify({ jobId: 'J2', resultFiles: ['bad/job-J2/gone.csv'] }));
  const gone = await world.run(['report', 'summary', '--bucket', 'ops', '--prefix', 'bad/', '--job', 'J2']);
  expect(gone.code).toBe(1);
  expect(gone.stderr).toContain('the report names oss://ops/bad/job-J2/gone.csv, which does not exist');
  await world.client.putObject('ops', 'bad/job-J3/results/p.csv', 'Bucket,Key,TaskStatus\nsrc,k,exploded\n');
  const csv = await world.run(['report', 'summary', '--bucket', 'ops', '--prefix', 'bad/', '--job', 'J3']);
  expect(csv.code).toBe(1);
  expect(csv.stderr).toContain('oss://ops/bad/job-J3/results/p.csv: report row 1 has task status "exploded"');
});

test('--job is required (exit 2)', async () => {
  const r = await world.run(['report', 'summary', '--bucket', 'ops']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("required option '--job <jobId>' not specified");
});
