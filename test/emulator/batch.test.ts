/**
 * Batch Operations on the emulator, through OssClient: CreateJob validation, idempotency,
 * listing, status/priority updates, the 14-day Suspended rule on a simulated clock, CSV
 * manifests, reports and each operation's per-object behaviour.
 */
import type { RunningEmulator } from '../../src/emulator';
import { MAX_PRIORITY } from '../../src/emulator/batch-controller';
import type { OssClient } from '../../src/oss/client';
import { encodeManifestLine, parseReportCsv, ReportManifest, reportManifestKey, ReportRow } from '../../src/oss/csv';
import { CreateJobInput, MANIFEST_FORMAT_CSV, Tag } from '../../src/oss/model';
import { decodeErrorXml } from '../../src/oss/xml/error';
import { clientFor, jobInput, ossError, signedRaw, start, stopAndClean, uniqueToken, waitForStatus } from './helpers';

const JOB_ID = /^[A-Za-z0-9]{44}$/;

async function readReport(client: OssClient, jobId: string, prefix = 'reports/'): Promise<{ manifest: ReportManifest; rows: ReportRow[] }> {
  const manifest = JSON.parse((await client.getObject('reports', reportManifestKey(prefix, jobId))).body.toString()) as ReportManifest;
  const rows: ReportRow[] = [];
  for (const key of manifest.resultFiles) rows.push(...parseReportCsv((await client.getObject('reports', key)).body.toString()));
  return { manifest, rows };
}

/** Upload a CSV manifest and return the Manifest element for CreateJob (with the ETag). */
async function uploadManifest(client: OssClient, name: string, lines: string[], fields = 'Bucket,Key'): Promise<NonNullable<CreateJobInput['manifest']>> {
  const { etag } = await client.putObject('manifests', name, lines.join(''), { contentType: 'text/csv' });
  return { location: { bucket: 'manifests', object: name, etag }, spec: { format: MANIFEST_FORMAT_CSV, fields } };
}

const byKey = (rows: ReportRow[]) => [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

describe('CreateJob validation', () => {
  let emulator: RunningEmulator;
  let client: OssClient;
  beforeAll(async () => {
    emulator = await start();
    client = clientFor(emulator);
    for (const b of ['source', 'reports', 'manifests']) await client.createBucket(b);
  });
  afterAll(() => stopAndClean(emulator));

  const manifest = { location: { bucket: 'manifests', object: 'm.csv' }, spec: { format: MANIFEST_FORMAT_CSV } };
  const invalid: [string, Partial<CreateJobInput>][] = [
    ['a 65-character token', { clientRequestToken: 'x'.repeat(65) }],
    ['both Manifest and KeyPrefixManifestGenerator', { manifest }],
    ['neither Manifest nor KeyPrefixManifestGenerator', { keyPrefixManifestGenerator: undefined }],
    ['priority -1', { priority: -1 }],
    ['priority above 2147483647', { priority: MAX_PRIORITY + 1 }],
    ['a role ARN of another cloud', { roleArn: 'arn:aws:iam::123456789012:role/batch' }],
    ['a role ARN without a role name', { roleArn: 'acs:ram::1234567890:role/' }],
    ['a role ARN whose account id is not digits', { roleArn: 'acs:ram::abc:role/batch' }],
    ['a RAM user instead of a role', { roleArn: 'acs:ram::1234567890:user/batch' }],
    ['an unknown ACL', { operation: { type: 'PutObjectAcl', acl: 'world-writable' } }],
    ['restore days 400', { operation: { type: 'RestoreObject', days: 400 } }],
    ['restore days 0', { operation: { type: 'RestoreObject', days: 0 } }],
    ['an unknown restore tier', { operation: { type: 'RestoreObject', days: 1, tier: 'Instant' } }],
    ['a 257-character description', { description: 'd'.repeat(257) }],
    ['11 tags', { operation: { type: 'PutObjectTagging', tags: Array.from({ length: 11 }, (_, i) => ({ key: `k${i}`, value: 'v' })) } }],
    ['duplicate tag keys', { operation: { type: 'AddObjectTagging', tags: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] } }],
    ['a 129-character tag key', { operation: { type: 'PutObjectTagging', tags: [{ key: 'k'.repeat(129), value: 'v' }] } }],
    ['an unknown report scope', { report: { bucket: 'reports', enabled: true, reportScope: 'SomeTasks' } }],
  ];

  test.each(invalid)('%s is 400 InvalidArgument', async (_label, overrides) => {
    const err = await ossError(client.createJob(jobInput(overrides)));
    expect([err.code, err.status]).toEqual(['InvalidArgument', 400]);
  });

  test('boundary values are accepted: 64-character token, priority 0 and max, 256-character description, 10 tags', async () => {
    const ids = [
      (await client.createJob(jobInput({ clientRequestToken: 'y'.repeat(64) }))).jobId,
      (await client.createJob(jobInput({ priority: 0 }))).jobId,
      (await client.createJob(jobInput({ priority: MAX_PRIORITY }))).jobId,
      (await client.createJob(jobInput({ description: 'd'.repeat(256) }))).jobId,
      (await client.createJob(jobInput({ operation: { type: 'PutObjectTagging', tags: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: 'v' })) } }))).jobId,
    ];
    for (const id of ids) expect(id).toMatch(JOB_ID);
    expect(new Set(ids).size).toBe(5);
    expect((await client.describeJob(ids[3])).description).toBe('d'.repeat(256));
  });

  test('a missing report bucket is 404 NoSuchBucket; so is a missing generator source bucket', async () => {
    const report = await ossError(client.createJob(jobInput({ report: { bucket: 'no-reports-here', enabled: true } })));
    expect([report.code, report.status]).toEqual(['NoSuchBucket', 404]);
    const source = await ossError(client.createJob(jobInput({ keyPrefixManifestGenerator: { sourceBucket: 'no-source-here' } })));
    expect([source.code, source.status]).toEqual(['NoSuchBucket', 404]);
  });

  test('a missing manifest object is 404 NoSuchKey; an ETag mismatch is 400 InvalidArgument', async () => {
    const missing = await ossError(client.createJob(jobInput({ keyPrefixManifestGenerator: undefined, manifest })));
    expect([missing.code, missing.status]).toEqual(['NoSuchKey', 404]);

    const real = await uploadManifest(client, 'etag.csv', [encodeManifestLine('source', 'a.txt')]);
    const stale = { ...real, location: { ...real.location, etag: '0123456789ABCDEF0123456789ABCDEF' } };
    const mismatch = await ossError(client.createJob(jobInput({ keyPrefixManifestGenerator: undefined, manifest: stale })));
    expect([mismatch.code, mismatch.status]).toEqual(['InvalidArgument', 400]);
    expect(mismatch.serverMessage).toContain('does not match');

    // the right ETag, with or without quotes and in lower case, is accepted
    const quoted = { ...real, location: { ...real.location, etag: `"${real.location.etag!.toLowerCase()}"` } };
    expect((await client.createJob(jobInput({ keyPrefixManifestGenerator: undefined, manifest: quoted }))).jobId).toMatch(JOB_ID);
  });

  test('an unknown manifest format or field is 400 InvalidArgument', async () => {
    const real = await uploadManifest(client, 'fmt.csv', [encodeManifestLine('source', 'a.txt')]);
    const format = await ossError(client.createJob(jobInput({ keyPrefixManifestGenerator: undefined, manifest: { ...real, spec: { format: 'S3BatchOperations_CSV_20180820' } } })));
    expect([format.code, format.status]).toEqual(['InvalidArgument', 400]);
    const fields = await ossError(client.createJob(jobInput({ keyPrefixManifestGenerator: undefined, manifest: { ...real, spec: { format: MANIFEST_FORMAT_CSV, fields: 'Bucket,Name' } } })));
    expect([fields.code, fields.status]).toEqual(['InvalidArgument', 400]);
  });

  test.each([
    ['a truncated document', '<CreateJobRequest><Operation>'],
    ['a document without RoleArn', '<CreateJobRequest><Operation><DeleteObjectTagging/></Operation><Report><Bucket>reports</Bucket><Enabled>false</Enabled></Report><ClientRequestToken>t</ClientRequestToken><KeyPrefixManifestGenerator><SourceBucket>source</SourceBucket></KeyPrefixManifestGenerator><Priority>1</Priority></CreateJobRequest>'],
    ['an unknown operation', '<CreateJobRequest><Operation><DeleteObject/></Operation></CreateJobRequest>'],
    ['a non-numeric priority', '<CreateJobRequest><Operation><DeleteObjectTagging/></Operation><Report><Bucket>reports</Bucket><Enabled>false</Enabled></Report><ClientRequestToken>t</ClientRequestToken><KeyPrefixManifestGenerator><SourceBucket>source</SourceBucket></KeyPrefixManifestGenerator><Priority>high</Priority><RoleArn>acs:ram::1:role/r</RoleArn></CreateJobRequest>'],
    ['not XML at all', '{"json": true}'],
  ])('%s is 400 MalformedXML', async (_label, body) => {
    const res = await signedRaw(emulator, { method: 'POST', query: { batchJob: null }, headers: { 'content-type': 'application/xml' }, body });
    expect(res.status).toBe(400);
    const doc = decodeErrorXml(res.body);
    expect(doc?.code).toBe('MalformedXML');
    expect(doc?.requestId).toBe(res.headers['x-oss-request-id']);
  });

  test('rejected requests created no job (only the accepted boundary/ETag jobs exist)', async () => {
    const { jobs } = await client.listJobs({ maxKeys: 1000 });
    expect(jobs).toHaveLength(6);
  });
});

describe('idempotency, ids and listing', () => {
  let emulator: RunningEmulator;
  let client: OssClient;
  beforeEach(async () => {
    emulator = await start();
    client = clientFor(emulator);
    for (const b of ['source', 'reports']) await client.createBucket(b);
  });
  afterEach(() => stopAndClean(emulator));

  test('the same token and body return the same JobId and create one job', async () => {
    const input = jobInput({ clientRequestToken: 'idem-token-1', description: 'first' });
    const a = await client.createJob(input);
    const b = await client.createJob({ ...input });
    expect(a.jobId).toMatch(JOB_ID);
    expect(b.jobId).toBe(a.jobId);
    await waitForStatus(client, a.jobId, 'Complete');
    // still idempotent once the job has finished, and after a priority change
    await client.updateJobPriority(a.jobId, 77);
    expect((await client.createJob(input)).jobId).toBe(a.jobId);
    expect((await client.listJobs()).jobs.map((j) => j.jobId)).toEqual([a.jobId]);
  });

  test('the same token with a different body is 409 ClientTokenConflict', async () => {
    const input = jobInput({ clientRequestToken: 'idem-token-2' });
    const { jobId } = await client.createJob(input);
    for (const changed of [{ ...input, priority: 11 }, { ...input, description: 'other' }, { ...input, confirmationRequired: true }]) {
      const err = await ossError(client.createJob(changed));
      expect([err.code, err.status]).toEqual(['ClientTokenConflict', 409]);
      expect(err.serverMessage).toContain(jobId);
    }
    expect((await client.listJobs()).jobs).toHaveLength(1);
  });

  test('JobIds are 44 letters and digits, distinct per token', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) ids.add((await client.createJob(jobInput())).jobId);
    expect(ids.size).toBe(20);
    for (const id of ids) expect(id).toMatch(JOB_ID);
  });

  test('ListJobs: status filter, max-keys and continuation tokens over 5 jobs', async () => {
    const suspended = [
      (await client.createJob(jobInput({ confirmationRequired: true, description: 's1' }))).jobId,
      (await client.createJob(jobInput({ confirmationRequired: true, description: 's2' }))).jobId,
    ];
    const complete: string[] = [];
    for (let i = 0; i < 3; i++) complete.push((await client.createJob(jobInput({ description: `c${i}` }))).jobId);
    for (const id of suspended) await waitForStatus(client, id, 'Suspended');
    for (const id of complete) await waitForStatus(client, id, 'Complete');

    const all = await client.listJobs();
    expect(all.jobs).toHaveLength(5);
    expect(all.nextToken).toBeUndefined();
    expect(all.jobs.find((j) => j.jobId === complete[0])).toMatchObject({
      status: 'Complete', operation: 'PutObjectTagging', description: 'c0', priority: 10,
      progressSummary: { totalNumberOfTasks: 0, numberOfTasksSucceeded: 0, numberOfTasksFailed: 0 },
    });

    const ids = (r: { jobs: { jobId: string }[] }) => r.jobs.map((j) => j.jobId).sort();
    expect(ids(await client.listJobs({ statuses: ['Suspended'] }))).toEqual([...suspended].sort());
    expect(ids(await client.listJobs({ statuses: ['Complete'] }))).toEqual([...complete].sort());
    expect(ids(await client.listJobs({ statuses: ['Suspended', 'Complete'] }))).toEqual([...suspended, ...complete].sort());
    expect((await client.listJobs({ statuses: ['Active', 'Failed'] })).jobs).toEqual([]);

    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await client.listJobs({ maxKeys: 2, continuationToken: token });
      pages.push(page.jobs.map((j) => j.jobId));
      token = page.nextToken;
    } while (token);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().sort()).toEqual([...suspended, ...complete].sort());

    const first = await client.listJobs({ statuses: ['Complete'], maxKeys: 2 });
    expect(first.jobs).toHaveLength(2);
    expect(first.nextToken).toBeDefined();
    const second = await client.listJobs({ statuses: ['Complete'], maxKeys: 2, continuationToken: first.nextToken });
    expect(second.jobs).toHaveLength(1);
    expect(second.nextToken).toBeUndefined();
    expect([...ids(first), ...ids(second)].sort()).toEqual([...complete].sort());
  });

  test('ListJobs rejects unknown statuses, max-keys outside 1-1000 and bad tokens with 400 InvalidArgument', async () => {
    for (const input of [{ statuses: ['Running'] }, { maxKeys: 0 }, { maxKeys: 1001 }, { continuationToken: 'bm90LWEtdG9rZW4=' }]) {
      const err = await ossError(client.listJobs(input));
      expect([input, err.code, err.status]).toEqual([input, 'InvalidArgument', 400]);
    }
  });
});

describe('DescribeJob, UpdateJobStatus, UpdateJobPriority', () => {
  let emulator: RunningEmulator;
  let client: OssClient;
  beforeAll(async () => {
    emulator = await start();
    client = clientFor(emulator);
    for (const b of ['source', 'reports']) await client.createBucket(b);
    for (const k of ['confirm/1.txt', 'confirm/2.txt', 'confirm/3.txt']) await client.putObject('source', k, k);
  });
  afterAll(() => stopAndClean(emulator));

  test('an unknown job id is 404 NoSuchJob for describe, status and priority updates', async () => {
    const unknown = 'A'.repeat(44);
    for (const call of [client.describeJob(unknown), client.updateJobStatus(unknown, 'Cancelled'), client.updateJobPriority(unknown, 1)]) {
      const err = await ossError(call);
      expect([err.code, err.status]).toEqual(['NoSuchJob', 404]);
    }
  });

  test('confirming a Suspended job runs it to Complete', async () => {
    const input = jobInput({ confirmationRequired: true, description: 'needs a yes', keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'confirm/' } });
    const { jobId } = await client.createJob(input);
    const suspended = await waitForStatus(client, jobId, 'Suspended');
    expect(suspended).toMatchObject({ confirmationRequired: true, progressSummary: { totalNumberOfTasks: 3, numberOfTasksSucceeded: 0 } });
    expect(await client.getObjectTagging('source', 'confirm/1.txt')).toEqual([]);

    expect(await client.updateJobStatus(jobId, 'Ready', 'looks good')).toEqual({ jobId, status: 'Ready', statusUpdateReason: 'looks good' });
    const done = await waitForStatus(client, jobId, 'Complete');
    expect(done).toMatchObject({
      jobId, status: 'Complete', description: 'needs a yes', priority: 10, roleArn: input.roleArn, statusUpdateReason: 'looks good',
      operation: input.operation, report: input.report, keyPrefixManifestGenerator: input.keyPrefixManifestGenerator, failureReasons: [],
      progressSummary: { totalNumberOfTasks: 3, numberOfTasksSucceeded: 3, numberOfTasksFailed: 0 },
    });
    expect(done.terminationDate).toBeGreaterThanOrEqual(done.creationTime!);
    for (const k of ['confirm/1.txt', 'confirm/2.txt', 'confirm/3.txt']) expect(await client.getObjectTagging('source', k)).toEqual([{ key: 'batch', value: 'done' }]);

    // a Complete job can be neither confirmed nor cancelled
    const confirm = await ossError(client.updateJobStatus(jobId, 'Ready'));
    expect([confirm.code, confirm.status]).toEqual(['InvalidJobStatus', 409]);
    const cancel = await ossError(client.updateJobStatus(jobId, 'Cancelled'));
    expect([cancel.code, cancel.status]).toEqual(['InvalidJobStatus', 409]);
    expect(cancel.serverMessage).toBe('a job in status Complete cannot be cancelled (allowed only from New, Preparing, Ready, Suspended, Active, Pausing, Paused)');
  });

  test('cancelling a Suspended job ends Cancelled with an (empty) report', async () => {
    const { jobId } = await client.createJob(jobInput({ confirmationRequired: true, keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'confirm/' } }));
    await waitForStatus(client, jobId, 'Suspended');
    expect((await client.updateJobStatus(jobId, 'Cancelled', 'not today')).status).toBe('Cancelling');
    const job = await waitForStatus(client, jobId, 'Cancelled');
    expect(job.statusUpdateReason).toBe('not today');
    const { manifest, rows } = await readReport(client, jobId);
    expect(manifest).toMatchObject({ status: 'Cancelled', totalTasks: 3, succeededTasks: 0, failedTasks: 0 });
    expect(rows).toEqual([]);
  });

  test('requested statuses other than Ready/Cancelled and bad reasons are 400 InvalidArgument', async () => {
    const { jobId } = await client.createJob(jobInput({ confirmationRequired: true }));
    const active = await ossError(client.updateJobStatus(jobId, 'Active' as 'Ready'));
    expect([active.code, active.status]).toEqual(['InvalidArgument', 400]);
    const reason = await ossError(client.updateJobStatus(jobId, 'Cancelled', 'r'.repeat(257)));
    expect([reason.code, reason.status]).toEqual(['InvalidArgument', 400]);
  });

  test('UpdateJobPriority changes the priority seen by DescribeJob and ListJobs; bad values are 400', async () => {
    const { jobId } = await client.createJob(jobInput({ confirmationRequired: true, priority: 5 }));
    expect(await client.updateJobPriority(jobId, 99)).toEqual({ jobId, priority: 99 });
    expect((await client.describeJob(jobId)).priority).toBe(99);
    expect((await client.listJobs({ maxKeys: 1000 })).jobs.find((j) => j.jobId === jobId)?.priority).toBe(99);
    expect(await client.updateJobPriority(jobId, MAX_PRIORITY)).toEqual({ jobId, priority: MAX_PRIORITY });
    for (const bad of [-1, MAX_PRIORITY + 1, 1.5]) {
      const err = await ossError(client.updateJobPriority(jobId, bad));
      expect([bad, err.code, err.status]).toEqual([bad, 'InvalidArgument', 400]);
    }
    expect((await client.describeJob(jobId)).priority).toBe(MAX_PRIORITY);
  });
});

describe('cancelling a running job (slow engine: 5 tasks per second)', () => {
  let emulator: RunningEmulator;
  let client: OssClient;
  beforeAll(async () => {
    emulator = await start({ tasksPerSecond: 5 });
    client = clientFor(emulator);
    for (const b of ['source', 'reports']) await client.createBucket(b);
    for (let i = 0; i < 20; i++) await client.putObject('source', `slow/${String(i).padStart(2, '0')}.txt`, 'x');
  });
  afterAll(() => stopAndClean(emulator));

  test('Active → Cancelling → Cancelled, with the tasks done so far in the report', async () => {
    const { jobId } = await client.createJob(jobInput({ keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'slow/' } }));
    const active = await waitForStatus(client, jobId, 'Active', 3000);
    expect(active.progressSummary.totalNumberOfTasks).toBe(20);
    const answer = await client.updateJobStatus(jobId, 'Cancelled', 'too slow');
    expect(answer).toEqual({ jobId, status: 'Cancelling', statusUpdateReason: 'too slow' });
    const job = await waitForStatus(client, jobId, 'Cancelled', 3000);
    const done = job.progressSummary.numberOfTasksSucceeded;
    expect(done).toBeLessThan(20);
    expect(job.progressSummary.numberOfTasksFailed).toBe(0);
    expect(job.terminationDate).toBeDefined();
    const { manifest, rows } = await readReport(client, jobId);
    expect(manifest).toMatchObject({ status: 'Cancelled', totalTasks: 20, succeededTasks: done, failedTasks: 0 });
    expect(rows).toHaveLength(done);
    // the engine stopped: no more objects get tagged after the cancel
    const tagged = [];
    for (let i = 0; i < 20; i++) tagged.push((await client.getObjectTagging('source', `slow/${String(i).padStart(2, '0')}.txt`)).length);
    expect(tagged.filter((n) => n === 1)).toHaveLength(done);
  });
});

describe('the 14-day Suspended rule on a simulated clock', () => {
  let emulator: RunningEmulator;
  let client: OssClient;
  let now = new Date('2026-03-01T00:00:00Z');
  const clock = () => now;
  const advance = (ms: number) => { now = new Date(now.getTime() + ms); };
  const DAY = 86_400_000;

  beforeAll(async () => {
    emulator = await start({ clock });
    client = clientFor(emulator, { clock });
    for (const b of ['source', 'reports']) await client.createBucket(b);
  });
  afterAll(() => stopAndClean(emulator));

  test('a job left Suspended for more than 14 days becomes Failed with a reason', async () => {
    const { jobId } = await client.createJob(jobInput({ confirmationRequired: true }));
    await waitForStatus(client, jobId, 'Suspended');

    advance(14 * DAY); // exactly 14 days: not yet
    emulator.engine.step();
    expect((await client.describeJob(jobId)).status).toBe('Suspended');

    advance(1000);
    emulator.engine.kick();
    const failed = await waitForStatus(client, jobId, 'Failed', 3000);
    expect(failed.failureReasons).toEqual([{ failureCode: 'SuspendedTimeout', failureReason: 'The job was not confirmed within 14 days.' }]);
    expect(failed.terminationDate).toBe(Math.floor(now.getTime() / 1000));
    const confirm = await ossError(client.updateJobStatus(jobId, 'Ready'));
    expect([confirm.code, confirm.status]).toEqual(['InvalidJobStatus', 409]);
  });

  test('a job confirmed before the deadline is not failed afterwards', async () => {
    const { jobId } = await client.createJob(jobInput({ confirmationRequired: true }));
    await waitForStatus(client, jobId, 'Suspended');
    advance(13 * DAY);
    await client.updateJobStatus(jobId, 'Ready');
    await waitForStatus(client, jobId, 'Complete');
    advance(2 * DAY);
    emulator.engine.step();
    expect((await client.describeJob(jobId)).status).toBe('Complete');
  });
});

describe('manifests, reports and operations', () => {
  let emulator: RunningEmulator;
  let client: OssClient;
  beforeAll(async () => {
    emulator = await start();
    client = clientFor(emulator);
    for (const b of ['source', 'reports', 'manifests', 'versioned-src']) await client.createBucket(b);
  });
  afterAll(() => stopAndClean(emulator));

  async function runJob(overrides: Partial<CreateJobInput>, status = 'Complete') {
    const { jobId } = await client.createJob(jobInput(overrides));
    const job = await waitForStatus(client, jobId, status);
    return { jobId, job };
  }

  test('a CSV manifest with URL-encoded keys, including a comma and a quote', async () => {
    const keys = ['csv/plain.txt', 'csv/with space.txt', 'csv/comma,key.txt', 'csv/quote"key.txt', 'csv/both ,"mixed".txt', 'csv/100%.txt', 'csv/ключ+plus.txt', 'csv/new\nline.txt'];
    for (const k of keys) await client.putObject('source', k, k);
    const lines = keys.map((k) => encodeManifestLine('source', k));
    expect(lines[2]).toBe('source,csv/comma%2Ckey.txt\n');
    expect(lines[3]).toBe('source,csv/quote%22key.txt\n');
    const manifest = await uploadManifest(client, 'csv/keys.csv', lines);

    const { jobId, job } = await runJob({ keyPrefixManifestGenerator: undefined, manifest });
    expect(job.progressSummary).toMatchObject({ totalNumberOfTasks: keys.length, numberOfTasksSucceeded: keys.length, numberOfTasksFailed: 0 });
    expect(job.manifest).toEqual(manifest);
    for (const k of keys) expect([k, await client.getObjectTagging('source', k)]).toEqual([k, [{ key: 'batch', value: 'done' }]]);
    const { manifest: summary, rows } = await readReport(client, jobId);
    expect(summary).toMatchObject({ format: 'cdktf-oss-batch-report-v1', jobId, status: 'Complete', reportScope: 'AllTasks', totalTasks: keys.length, succeededTasks: keys.length, failedTasks: 0 });
    expect(summary.resultFiles).toEqual([`reports/job-${jobId}/results/part-00000.csv`]);
    expect(rows.map((r) => r.key).sort()).toEqual([...keys].sort());
    for (const r of rows) expect(r).toMatchObject({ bucket: 'source', taskStatus: 'succeeded', httpStatus: 200 });
  });

  test('a manifest with version ids acts on those versions only', async () => {
    await client.putBucketVersioning('versioned-src', true);
    const a1 = await client.putObject('versioned-src', 'v/a.txt', 'a1');
    const a2 = await client.putObject('versioned-src', 'v/a.txt', 'a2');
    const b1 = await client.putObject('versioned-src', 'v/b.txt', 'b1');
    const lines = [encodeManifestLine('versioned-src', 'v/a.txt', a1.versionId), encodeManifestLine('versioned-src', 'v/b.txt', b1.versionId)];
    const manifest = await uploadManifest(client, 'v/versions.csv', lines, 'Bucket,Key,VersionId');
    const op = { type: 'PutObjectTagging' as const, tags: [{ key: 'gen', value: 'old' }] };

    const { jobId, job } = await runJob({ keyPrefixManifestGenerator: undefined, manifest, operation: op });
    expect(job.progressSummary).toMatchObject({ totalNumberOfTasks: 2, numberOfTasksSucceeded: 2 });
    expect(await client.getObjectTagging('versioned-src', 'v/a.txt', { versionId: a1.versionId })).toEqual([{ key: 'gen', value: 'old' }]);
    expect(await client.getObjectTagging('versioned-src', 'v/a.txt', { versionId: a2.versionId })).toEqual([]);
    expect(await client.getObjectTagging('versioned-src', 'v/b.txt')).toEqual([{ key: 'gen', value: 'old' }]);
    const { rows } = await readReport(client, jobId);
    expect(byKey(rows).map((r) => [r.key, r.versionId, r.taskStatus])).toEqual([['v/a.txt', a1.versionId, 'succeeded'], ['v/b.txt', b1.versionId, 'succeeded']]);

    // a version id that does not exist is a failed task
    const bogus = await uploadManifest(client, 'v/bogus.csv', [encodeManifestLine('versioned-src', 'v/a.txt', a2.versionId), encodeManifestLine('versioned-src', 'v/b.txt', 'CAEQnope')], 'Bucket,Key,VersionId');
    const second = await runJob({ keyPrefixManifestGenerator: undefined, manifest: bogus, operation: op });
    const report = await readReport(client, second.jobId);
    expect(byKey(report.rows).map((r) => [r.key, r.taskStatus, r.errorCode, r.httpStatus])).toEqual([['v/a.txt', 'succeeded', undefined, 200], ['v/b.txt', 'failed', 'NoSuchVersion', 404]]);
  });

  test('a missing key is a failed task listed in the report; the job still completes', async () => {
    for (const k of ['miss/1.txt', 'miss/2.txt', 'miss/3.txt']) await client.putObject('source', k, k);
    const keys = ['miss/1.txt', 'miss/2.txt', 'miss/absent.txt', 'miss/3.txt'];
    const manifest = await uploadManifest(client, 'miss/m.csv', keys.map((k) => encodeManifestLine('source', k)));
    const { jobId, job } = await runJob({ keyPrefixManifestGenerator: undefined, manifest });
    expect(job.progressSummary).toMatchObject({ totalNumberOfTasks: 4, numberOfTasksSucceeded: 3, numberOfTasksFailed: 1 });
    expect(job.failureReasons).toEqual([]);
    const { manifest: summary, rows } = await readReport(client, jobId);
    expect(summary).toMatchObject({ status: 'Complete', totalTasks: 4, succeededTasks: 3, failedTasks: 1 });
    expect(rows).toHaveLength(4);
    const failed = rows.filter((r) => r.taskStatus === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ bucket: 'source', key: 'miss/absent.txt', errorCode: 'NoSuchKey', httpStatus: 404 });
    expect(failed[0].message).toContain('miss/absent.txt');
  });

  test('all keys missing fails the job with TooManyFailures', async () => {
    const manifest = await uploadManifest(client, 'gone/m.csv', ['gone/1', 'gone/2', 'gone/3'].map((k) => encodeManifestLine('source', k)));
    const { jobId, job } = await runJob({ keyPrefixManifestGenerator: undefined, manifest }, 'Failed');
    expect(job.failureReasons).toHaveLength(1);
    expect(job.failureReasons[0].failureCode).toBe('TooManyFailures');
    expect(job.failureReasons[0].failureReason).toBe('Too many failures: 3 of the first 3 tasks failed.');
    expect(job.progressSummary).toMatchObject({ totalNumberOfTasks: 3, numberOfTasksSucceeded: 0, numberOfTasksFailed: 3 });
    const { manifest: summary, rows } = await readReport(client, jobId);
    expect(summary).toMatchObject({ status: 'Failed', failedTasks: 3 });
    expect(rows.map((r) => r.errorCode)).toEqual(['NoSuchKey', 'NoSuchKey', 'NoSuchKey']);
  });

  test('a manifest that is not valid CSV fails the job in Preparing', async () => {
    const manifest = await uploadManifest(client, 'bad/m.csv', ['source,"unterminated\n']);
    const { job } = await runJob({ keyPrefixManifestGenerator: undefined, manifest }, 'Failed');
    expect(job.failureReasons).toHaveLength(1);
    expect(job.failureReasons[0].failureCode).toBe('InvalidManifest');
    expect(job.progressSummary.totalNumberOfTasks).toBe(0);
  });

  test('FailedTasksOnly reports only the failed tasks; a disabled report writes nothing', async () => {
    for (const k of ['scope/1.txt', 'scope/2.txt']) await client.putObject('source', k, k);
    const manifest = await uploadManifest(client, 'scope/m.csv', ['scope/1.txt', 'scope/absent.txt', 'scope/2.txt'].map((k) => encodeManifestLine('source', k)));
    const { jobId } = await runJob({ keyPrefixManifestGenerator: undefined, manifest, report: { bucket: 'reports', enabled: true, prefix: 'scoped/', reportScope: 'FailedTasksOnly' } });
    const { manifest: summary, rows } = await readReport(client, jobId, 'scoped/');
    expect(summary).toMatchObject({ reportScope: 'FailedTasksOnly', totalTasks: 3, succeededTasks: 2, failedTasks: 1 });
    expect(rows.map((r) => [r.key, r.taskStatus, r.errorCode])).toEqual([['scope/absent.txt', 'failed', 'NoSuchKey']]);

    const off = await runJob({ keyPrefixManifestGenerator: undefined, manifest, report: { bucket: 'reports', enabled: false, prefix: 'off/' } });
    expect((await client.listObjectsV2('reports', { prefix: `off/job-${off.jobId}/` })).contents).toEqual([]);
  });

  test('AddObjectTagging merges with existing tags; going past 10 tags fails that object', async () => {
    const nine = (extra: Tag[]): Tag[] => [...Array.from({ length: 9 - extra.length }, (_, i) => ({ key: `t${i}`, value: 'x' })), ...extra];
    await client.putObject('source', 'add/merge.txt', 'm', { tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });
    await client.putObject('source', 'add/ten.txt', 't', { tags: nine([{ key: 'b', value: 'old' }]) });
    await client.putObject('source', 'add/eleven.txt', 'e', { tags: nine([]) });
    const op = { type: 'AddObjectTagging' as const, tags: [{ key: 'b', value: '3' }, { key: 'c', value: '4' }] };

    const { jobId, job } = await runJob({ keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'add/' }, operation: op });
    expect(job.progressSummary).toMatchObject({ totalNumberOfTasks: 3, numberOfTasksSucceeded: 2, numberOfTasksFailed: 1 });
    expect(await client.getObjectTagging('source', 'add/merge.txt')).toEqual([{ key: 'a', value: '1' }, { key: 'b', value: '3' }, { key: 'c', value: '4' }]);
    const ten = await client.getObjectTagging('source', 'add/ten.txt');
    expect(ten).toHaveLength(10);
    expect(ten.filter((t) => t.key === 'b' || t.key === 'c')).toEqual([{ key: 'b', value: '3' }, { key: 'c', value: '4' }]);
    expect(await client.getObjectTagging('source', 'add/eleven.txt')).toEqual(nine([]));
    const { rows } = await readReport(client, jobId);
    expect(rows.filter((r) => r.taskStatus === 'failed').map((r) => [r.key, r.errorCode, r.httpStatus])).toEqual([['add/eleven.txt', 'InvalidTag', 400]]);
  });

  test('PutObjectTagging replaces and DeleteObjectTagging removes all tags', async () => {
    await client.putObject('source', 'replace/1.txt', '1', { tags: [{ key: 'keep', value: 'no' }] });
    await runJob({ keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'replace/' }, operation: { type: 'PutObjectTagging', tags: [{ key: 'new', value: 'yes' }] } });
    expect(await client.getObjectTagging('source', 'replace/1.txt')).toEqual([{ key: 'new', value: 'yes' }]);
    await runJob({ keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'replace/' }, operation: { type: 'DeleteObjectTagging' } });
    expect(await client.getObjectTagging('source', 'replace/1.txt')).toEqual([]);
  });

  test('PutObjectAcl sets the ACL on every object', async () => {
    for (const k of ['acl/1.txt', 'acl/2.txt']) await client.putObject('source', k, k, { acl: 'private' });
    const { job } = await runJob({ keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'acl/' }, operation: { type: 'PutObjectAcl', acl: 'public-read' } });
    expect(job.progressSummary).toMatchObject({ totalNumberOfTasks: 2, numberOfTasksSucceeded: 2 });
    expect(await client.getObjectAcl('source', 'acl/1.txt')).toBe('public-read');
    expect(await client.getObjectAcl('source', 'acl/2.txt')).toBe('public-read');
  });

  test('RestoreObject on mixed storage classes: archived objects succeed, Standard ones fail', async () => {
    await client.putObject('source', 'restore/a1.bin', 'a', { storageClass: 'Archive' });
    await client.putObject('source', 'restore/a2.bin', 'a', { storageClass: 'Archive' });
    await client.putObject('source', 'restore/c1.bin', 'c', { storageClass: 'ColdArchive' });
    await client.putObject('source', 'restore/s1.bin', 's', { storageClass: 'Standard' });
    const { jobId, job } = await runJob({ keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'restore/' }, operation: { type: 'RestoreObject', days: 3, tier: 'Standard' } });
    expect(job.progressSummary).toMatchObject({ totalNumberOfTasks: 4, numberOfTasksSucceeded: 3, numberOfTasksFailed: 1 });
    for (const k of ['restore/a1.bin', 'restore/a2.bin', 'restore/c1.bin']) expect((await client.headObject('source', k)).restore).toMatch(/^ongoing-request="(true|false)"/);
    expect((await client.headObject('source', 'restore/s1.bin')).restore).toBeUndefined();
    const { rows } = await readReport(client, jobId);
    expect(byKey(rows).map((r) => [r.key, r.taskStatus, r.errorCode ?? '', r.httpStatus])).toEqual([
      ['restore/a1.bin', 'succeeded', '', 200],
      ['restore/a2.bin', 'succeeded', '', 200],
      ['restore/c1.bin', 'succeeded', '', 200],
      ['restore/s1.bin', 'failed', 'OperationNotSupported', 400],
    ]);
  });

  test('RestoreObject days beyond 7 fail for Archive objects but not for ColdArchive', async () => {
    await client.putObject('source', 'restore30/archive.bin', 'a', { storageClass: 'Archive' });
    await client.putObject('source', 'restore30/cold.bin', 'c', { storageClass: 'ColdArchive' });
    const { jobId } = await runJob({ keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'restore30/' }, operation: { type: 'RestoreObject', days: 30 } });
    const { rows } = await readReport(client, jobId);
    expect(byKey(rows).map((r) => [r.key, r.taskStatus, r.errorCode ?? ''])).toEqual([['restore30/archive.bin', 'failed', 'InvalidArgument'], ['restore30/cold.bin', 'succeeded', '']]);
  });

  test('a key-prefix generator covers exactly the keys under the prefix', async () => {
    for (const k of ['gen/a', 'gen/b/c', 'gen2/x', 'ge']) await client.putObject('source', k, k);
    const { jobId, job } = await runJob({ keyPrefixManifestGenerator: { sourceBucket: 'source', prefix: 'gen/' }, operation: { type: 'DeleteObjectTagging' } });
    expect(job.progressSummary.totalNumberOfTasks).toBe(2);
    expect((await readReport(client, jobId)).rows.map((r) => r.key)).toEqual(['gen/a', 'gen/b/c']);
  });
});

describe('job tokens are per emulator', () => {
  test('a token used on one emulator is free on another', async () => {
    const [a, b] = [await start(), await start()];
    try {
      const token = uniqueToken('cross');
      const ids = [];
      for (const emulator of [a, b]) {
        const client = clientFor(emulator);
        for (const bucket of ['source', 'reports']) await client.createBucket(bucket);
        ids.push((await client.createJob(jobInput({ clientRequestToken: token }))).jobId);
      }
      expect(ids[0]).not.toBe(ids[1]);
    } finally {
      await stopAndClean(a);
      await stopAndClean(b);
    }
  });
});
