/**
 * The emulator's S3 Control job API driven by the real `@aws-sdk/client-s3-control`: CreateJob over
 * a CSV manifest and a generator, DescribeJob, ListJobs (one or several statuses, paging), UpdateJobStatus
 * (confirm, cancel), UpdateJobPriority, ClientRequestToken idempotency, the report in S3's layout
 * read back over the S3 object API, S3PutObjectCopy (prefix, storage class, ACL, tags, versions,
 * per-object failures, a restart mid-job), and the errors. The SDK puts the account id in front of
 * the endpoint's host (`123456789012.localhost`), which does not resolve here: the client's HTTP
 * agent maps every name to loopback itself (aws-clients.ts), as the docs tell clients to do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  CreateBucketCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, PutObjectCommand, PutObjectTaggingCommand, S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateJobCommand, CreateJobCommandInput, DescribeJobCommand, JobManifestFieldName, JobStatus, ListJobsCommand, S3ControlClient, S3ControlServiceException,
  UpdateJobPriorityCommand, UpdateJobStatusCommand,
} from '@aws-sdk/client-s3-control';
import type { RunningEmulator } from '../../src/emulator';
import { s3ClientFor, s3ControlClientFor } from './aws-clients';
import { awsFailure, clientFor, jobInput, ossError, sleep, start, stopAndClean } from './helpers';

const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/BatchRole`;
let emulator: RunningEmulator;
let s3: S3Client;
let control: S3ControlClient;
const hostsSeen: string[] = [];

const controlClient = (overrides: { secret?: string } = {}) => s3ControlClientFor(emulator, { ...overrides, onLookup: (host) => hostsSeen.push(host) });

beforeAll(async () => {
  emulator = await start();
  s3 = s3ClientFor(emulator);
  control = controlClient();
  for (const bucket of ['src', 'rpt']) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const key of ['raw/a.jpg', 'raw/b c.jpg', 'raw/d.jpg', 'other/e.jpg']) await s3.send(new PutObjectCommand({ Bucket: 'src', Key: key, Body: key }));
});

afterAll(async () => {
  s3?.destroy();
  control?.destroy();
  await stopAndClean(emulator);
});

const failure = (promise: Promise<unknown>) => awsFailure(promise, S3ControlServiceException);

let tokens = 0;
async function csvManifest(lines: string[]): Promise<{ ObjectArn: string; ETag: string }> {
  const key = `manifests/m${++tokens}.csv`;
  const put = await s3.send(new PutObjectCommand({ Bucket: 'src', Key: key, Body: lines.join('\n') }));
  return { ObjectArn: `arn:aws:s3:::src/${key}`, ETag: put.ETag! };
}

function tagJob(manifest: { ObjectArn: string; ETag: string }, overrides: Partial<CreateJobCommandInput> = {}): CreateJobCommandInput {
  return {
    AccountId: ACCOUNT, ClientRequestToken: `tok-${++tokens}`, Priority: 10, RoleArn: ROLE, ConfirmationRequired: false,
    Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'env', Value: 'prod' }] } },
    Manifest: { Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] }, Location: manifest },
    Report: { Bucket: 'arn:aws:s3:::rpt', Format: 'Report_CSV_20180820', Enabled: true, Prefix: 'reports', ReportScope: 'AllTasks' },
    ...overrides,
  };
}

async function waitFor(jobId: string, statuses: string[], timeoutMs = 8000, client = control) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { Job } = await client.send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId: jobId }));
    if (statuses.includes(Job!.Status!)) return Job!;
    if (Date.now() > until) throw new Error(`job ${jobId} is ${Job!.Status}, expected ${statuses.join('/')}`);
    await sleep(20);
  }
}

const tagsOf = async (key: string) => (await s3.send(new GetObjectTaggingCommand({ Bucket: 'src', Key: key }))).TagSet;
const text = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: 'rpt', Key: key }))).Body!.transformToString();

test('a tagging job over a CSV manifest runs to Complete and writes the report in S3 layout', async () => {
  const manifest = await csvManifest(['src,raw/a.jpg', 'src,raw/b%20c.jpg', 'src,raw/missing.jpg']);
  const { JobId } = await control.send(new CreateJobCommand(tagJob(manifest, { Description: 'tag raw' })));
  expect(JobId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(hostsSeen).toContain(`${ACCOUNT}.localhost`);
  const job = await waitFor(JobId!, ['Complete', 'Failed']);
  expect(job).toMatchObject({
    JobId, JobArn: `arn:aws:s3:${emulator.s3Region}:${ACCOUNT}:job/${JobId}`, Status: 'Complete', Priority: 10, RoleArn: ROLE, Description: 'tag raw', ConfirmationRequired: false,
    Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'env', Value: 'prod' }] } },
    Manifest: { Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] }, Location: { ObjectArn: manifest.ObjectArn } },
    ProgressSummary: { TotalNumberOfTasks: 3, NumberOfTasksSucceeded: 2, NumberOfTasksFailed: 1 },
    Report: { Bucket: 'arn:aws:s3:::rpt', Prefix: 'reports', ReportScope: 'AllTasks', Enabled: true },
  });
  expect(job.CreationTime).toBeInstanceOf(Date);
  expect(job.TerminationDate).toBeInstanceOf(Date);
  expect(await tagsOf('raw/a.jpg')).toEqual([{ Key: 'env', Value: 'prod' }]);
  expect(await tagsOf('raw/b c.jpg')).toEqual([{ Key: 'env', Value: 'prod' }]);

  const reportManifest = JSON.parse(await text(`reports/job-${JobId}/manifest.json`));
  expect(reportManifest).toMatchObject({ Format: 'Report_CSV_20180820', ReportSchema: 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage' });
  const results = reportManifest.Results as { TaskExecutionStatus: string; Bucket: string; Key: string }[];
  expect(results.map((r) => r.TaskExecutionStatus).sort()).toEqual(['failed', 'succeeded']);
  for (const r of results) expect(r.Key).toMatch(new RegExp(`^reports/job-${JobId}/results/[0-9a-f]+\\.csv$`));
  const succeeded = await text(results.find((r) => r.TaskExecutionStatus === 'succeeded')!.Key);
  expect(succeeded.trim().split('\n').sort()).toEqual(['src,raw/a.jpg,,succeeded,,200,', 'src,raw/b%20c.jpg,,succeeded,,200,']);
  const failed = await text(results.find((r) => r.TaskExecutionStatus === 'failed')!.Key);
  expect(failed).toMatch(/^src,raw\/missing\.jpg,,failed,NoSuchKey,404,/);
});

test('a generator job (MatchAnyPrefix) deletes tags under the prefix only; FailedTasksOnly writes no succeeded file', async () => {
  await s3.send(new PutObjectTaggingCommand({ Bucket: 'src', Key: 'raw/d.jpg', Tagging: { TagSet: [{ Key: 'a', Value: '1' }] } }));
  await s3.send(new PutObjectTaggingCommand({ Bucket: 'src', Key: 'other/e.jpg', Tagging: { TagSet: [{ Key: 'a', Value: '1' }] } }));
  const { JobId } = await control.send(new CreateJobCommand({
    AccountId: ACCOUNT, ClientRequestToken: `tok-${++tokens}`, Priority: 1, RoleArn: ROLE,
    Operation: { S3DeleteObjectTagging: {} },
    ManifestGenerator: { S3JobManifestGenerator: { SourceBucket: 'arn:aws:s3:::src', EnableManifestOutput: false, Filter: { KeyNameConstraint: { MatchAnyPrefix: ['raw/'] } } } },
    Report: { Bucket: 'arn:aws:s3:::rpt', Format: 'Report_CSV_20180820', Enabled: true, ReportScope: 'FailedTasksOnly' },
  }));
  const job = await waitFor(JobId!, ['Complete', 'Failed']);
  expect(job).toMatchObject({ Status: 'Complete', ProgressSummary: { TotalNumberOfTasks: 3, NumberOfTasksFailed: 0 } });
  expect(job.ManifestGenerator?.S3JobManifestGenerator?.Filter?.KeyNameConstraint?.MatchAnyPrefix).toEqual(['raw/']);
  expect(await tagsOf('raw/d.jpg')).toEqual([]);
  expect(await tagsOf('other/e.jpg')).toEqual([{ Key: 'a', Value: '1' }]);
  expect(JSON.parse(await text(`job-${JobId}/manifest.json`)).Results).toEqual([]);
});

test('an S3InventoryReport_CSV_20161130 manifest (manifest.json naming gzip CSV data files) drives the job', async () => {
  const data = gzipSync('"src","raw/a.jpg","1","STANDARD"\n"src","raw/b%20c.jpg","1","STANDARD"\n');
  await s3.send(new PutObjectCommand({ Bucket: 'rpt', Key: 'inv/data/1.csv.gz', Body: data }));
  const manifestJson = JSON.stringify({
    sourceBucket: 'src', destinationBucket: 'arn:aws:s3:::rpt', version: '2016-11-30', fileFormat: 'CSV',
    fileSchema: 'Bucket, Key, Size, StorageClass', files: [{ key: 'inv/data/1.csv.gz', size: data.length, MD5checksum: 'x' }],
  });
  const put = await s3.send(new PutObjectCommand({ Bucket: 'rpt', Key: 'inv/manifest.json', Body: manifestJson }));
  const { JobId } = await control.send(new CreateJobCommand(tagJob({ ObjectArn: 'arn:aws:s3:::rpt/inv/manifest.json', ETag: put.ETag! }, {
    Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'from', Value: 'inventory' }] } },
    Manifest: { Spec: { Format: 'S3InventoryReport_CSV_20161130' }, Location: { ObjectArn: 'arn:aws:s3:::rpt/inv/manifest.json', ETag: put.ETag! } },
  })));
  expect(await waitFor(JobId!, ['Complete', 'Failed'])).toMatchObject({ Status: 'Complete', ProgressSummary: { TotalNumberOfTasks: 2, NumberOfTasksSucceeded: 2 } });
  expect(await tagsOf('raw/b c.jpg')).toEqual([{ Key: 'from', Value: 'inventory' }]);
  expect(await failure(control.send(new CreateJobCommand(tagJob({ ObjectArn: 'arn:aws:s3:::rpt/inv/manifest.json', ETag: put.ETag! }, {
    Manifest: { Spec: { Format: 'S3InventoryReport_CSV_20161130', Fields: ['Bucket', 'Key'] }, Location: { ObjectArn: 'arn:aws:s3:::rpt/inv/manifest.json', ETag: put.ETag! } },
  }))))).toMatchObject({ code: 'InvalidRequest', status: 400 });
});

test('a ConfirmationRequired job waits Suspended, then runs after UpdateJobStatus Ready; a Complete job cannot be cancelled', async () => {
  const manifest = await csvManifest(['src,raw/a.jpg']);
  const { JobId } = await control.send(new CreateJobCommand(tagJob(manifest, { ConfirmationRequired: true, Operation: { S3PutObjectAcl: { AccessControlPolicy: { CannedAccessControlList: 'public-read' } } } })));
  expect((await waitFor(JobId!, ['Suspended'])).ConfirmationRequired).toBe(true);
  const ready = await control.send(new UpdateJobStatusCommand({ AccountId: ACCOUNT, JobId, RequestedJobStatus: 'Ready', StatusUpdateReason: 'looks right' }));
  expect(ready).toMatchObject({ JobId, StatusUpdateReason: 'looks right' });
  expect(['Ready', 'Active', 'Complete']).toContain(ready.Status);
  await waitFor(JobId!, ['Complete']);
  expect(emulator.store.version('src', 'raw/a.jpg').acl).toBe('public-read');
  expect(await failure(control.send(new UpdateJobStatusCommand({ AccountId: ACCOUNT, JobId, RequestedJobStatus: 'Cancelled' }))))
    .toMatchObject({ code: 'JobStatusException', status: 409 });
});

test('cancel a Suspended job; Ready on a Cancelled job is refused', async () => {
  const { JobId } = await control.send(new CreateJobCommand(tagJob(await csvManifest(['src,raw/a.jpg']), { ConfirmationRequired: true })));
  await waitFor(JobId!, ['Suspended']);
  const out = await control.send(new UpdateJobStatusCommand({ AccountId: ACCOUNT, JobId, RequestedJobStatus: 'Cancelled' }));
  expect(['Cancelling', 'Cancelled']).toContain(out.Status);
  await waitFor(JobId!, ['Cancelled']);
  expect(await failure(control.send(new UpdateJobStatusCommand({ AccountId: ACCOUNT, JobId, RequestedJobStatus: 'Ready' }))))
    .toMatchObject({ code: 'JobStatusException', status: 409 });
});

test('UpdateJobPriority changes what DescribeJob and ListJobs show', async () => {
  const { JobId } = await control.send(new CreateJobCommand(tagJob(await csvManifest(['src,raw/a.jpg']), { ConfirmationRequired: true })));
  await waitFor(JobId!, ['Suspended']);
  expect(await control.send(new UpdateJobPriorityCommand({ AccountId: ACCOUNT, JobId, Priority: 77 }))).toMatchObject({ JobId, Priority: 77 });
  expect((await waitFor(JobId!, ['Suspended'])).Priority).toBe(77);
  const listed = await control.send(new ListJobsCommand({ AccountId: ACCOUNT, JobStatuses: ['Suspended'] }));
  expect(listed.Jobs!.find((j) => j.JobId === JobId)).toMatchObject({ Priority: 77, Status: 'Suspended', Operation: 'S3PutObjectTagging' });
});

test('ListJobs filters by status and pages with NextToken', async () => {
  const created: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { JobId } = await control.send(new CreateJobCommand(tagJob(await csvManifest(['src,raw/a.jpg']), { ConfirmationRequired: true })));
    created.push(JobId!);
  }
  for (const id of created) await waitFor(id, ['Suspended']);
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await control.send(new ListJobsCommand({ AccountId: ACCOUNT, JobStatuses: ['Suspended'], MaxResults: 2, NextToken: token }));
    expect(page.Jobs!.length).toBeLessThanOrEqual(2);
    for (const j of page.Jobs ?? []) {
      expect(j.Status).toBe('Suspended');
      seen.push(j.JobId!);
    }
    token = page.NextToken;
    pages++;
  } while (token);
  expect(pages).toBeGreaterThanOrEqual(2);
  expect(seen).toEqual(expect.arrayContaining(created));
  expect(new Set(seen).size).toBe(seen.length);
  const complete = await control.send(new ListJobsCommand({ AccountId: ACCOUNT, JobStatuses: ['Complete'] }));
  expect(complete.Jobs!.every((j) => j.Status === 'Complete')).toBe(true);
  expect(complete.Jobs!.some((j) => created.includes(j.JobId!))).toBe(false);
  // Another account sees none of these jobs.
  const other = await control.send(new ListJobsCommand({ AccountId: '210987654321' }));
  expect(other.Jobs ?? []).toEqual([]);
  expect(await failure(control.send(new DescribeJobCommand({ AccountId: '210987654321', JobId: created[0] })))).toMatchObject({ code: 'NoSuchJob', status: 404 });
  expect(await failure(control.send(new ListJobsCommand({ AccountId: ACCOUNT, JobStatuses: ['Done' as JobStatus] })))).toMatchObject({ code: 'InvalidRequest', status: 400 });
});

test('ListJobs with several jobStatuses (a repeated query parameter) returns exactly the jobs in those statuses', async () => {
  const { JobId: cancelled } = await control.send(new CreateJobCommand(tagJob(await csvManifest(['src,raw/a.jpg']), { ConfirmationRequired: true })));
  await waitFor(cancelled!, ['Suspended']);
  await control.send(new UpdateJobStatusCommand({ AccountId: ACCOUNT, JobId: cancelled, RequestedJobStatus: 'Cancelled' }));
  const { JobId: suspended } = await control.send(new CreateJobCommand(tagJob(await csvManifest(['src,raw/a.jpg']), { ConfirmationRequired: true })));
  const { JobId: complete } = await control.send(new CreateJobCommand(tagJob(await csvManifest(['src,raw/a.jpg']))));
  // Every job of the account settled first, so the filtered and the whole listing see the same statuses.
  const settled = ['Suspended', 'Complete', 'Cancelled', 'Failed'];
  for (const job of (await control.send(new ListJobsCommand({ AccountId: ACCOUNT }))).Jobs ?? []) await waitFor(job.JobId!, settled);
  await waitFor(suspended!, ['Suspended']);
  const all = (await control.send(new ListJobsCommand({ AccountId: ACCOUNT }))).Jobs!;
  const sentQueries: string[] = [];
  const client = controlClient();
  client.middlewareStack.add((next) => async (args) => {
    sentQueries.push(JSON.stringify((args.request as { query: Record<string, unknown> }).query));
    return next(args);
  }, { step: 'deserialize', name: 'captureQuery' });
  try {
    for (const statuses of [['Suspended', 'Cancelled'], ['Complete', 'Cancelled', 'Suspended'], ['Cancelled', 'Active']] as JobStatus[][]) {
      const listed = await client.send(new ListJobsCommand({ AccountId: ACCOUNT, JobStatuses: statuses }));
      expect(JSON.parse(sentQueries[sentQueries.length - 1]).jobStatuses).toEqual(statuses);
      const ids = (listed.Jobs ?? []).map((j) => j.JobId).sort();
      expect(ids).toEqual(all.filter((j) => statuses.includes(j.Status!)).map((j) => j.JobId).sort());
      expect(ids).toEqual(expect.arrayContaining([cancelled, ...(statuses.includes('Suspended') ? [suspended] : []), ...(statuses.includes('Complete') ? [complete] : [])]));
    }
  } finally {
    client.destroy();
  }
});

test('a signature over repeated jobStatuses covers every value: reordered still passes, a changed or dropped value is refused', async () => {
  /** A client that rewrites jobStatuses after the request was signed. */
  const rewriting = (rewrite: (statuses: string[]) => string[]) => {
    const client = controlClient();
    client.middlewareStack.add((next) => async (args) => {
      const request = args.request as { query: Record<string, string | string[]> };
      request.query.jobStatuses = rewrite(request.query.jobStatuses as string[]);
      return next(args);
    }, { step: 'deserialize', name: 'rewriteStatuses' });
    return client;
  };
  const input = { AccountId: ACCOUNT, JobStatuses: ['Active', 'New', 'Suspended'] as JobStatus[] };
  const cases: [string, (s: string[]) => string[], boolean][] = [
    ['reversed', (s) => [...s].reverse(), true],
    ['one changed', (s) => [s[0], s[1], 'Complete'], false],
    ['one dropped', (s) => s.slice(0, 2), false],
    ['one doubled', (s) => [...s, s[0]], false],
  ];
  for (const [, rewrite, accepted] of cases) {
    const client = rewriting(rewrite);
    try {
      const result = client.send(new ListJobsCommand(input));
      if (accepted) expect((await result).Jobs!.every((j) => input.JobStatuses.includes(j.Status!))).toBe(true);
      else expect(await failure(result)).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
    } finally {
      client.destroy();
    }
  }
});

test('ClientRequestToken: same token and body → same job; same token, other body → IdempotencyException', async () => {
  const input = tagJob(await csvManifest(['src,raw/a.jpg']), { ConfirmationRequired: true });
  const first = await control.send(new CreateJobCommand(input));
  const again = await control.send(new CreateJobCommand(input));
  expect(again.JobId).toBe(first.JobId);
  expect(await failure(control.send(new CreateJobCommand({ ...input, Priority: 99 })))).toMatchObject({ code: 'IdempotencyException', status: 409 });
  const all = await control.send(new ListJobsCommand({ AccountId: ACCOUNT }));
  expect(all.Jobs!.filter((j) => j.JobId === first.JobId)).toHaveLength(1);
});

test('S3 Control jobs are not visible to the OSS job API, and OSS jobs not to S3 Control', async () => {
  const { JobId } = await control.send(new CreateJobCommand(tagJob(await csvManifest(['src,raw/a.jpg']))));
  const oss = clientFor(emulator);
  expect(await ossError(oss.describeJob(JobId!))).toMatchObject({ code: 'NoSuchJob' });
  expect((await oss.listJobs()).jobs.map((j) => j.jobId)).not.toContain(JobId);
  await s3.send(new CreateBucketCommand({ Bucket: 'oss-side' }));
  const ossJob = await oss.createJob(jobInput({ report: { bucket: 'oss-side', enabled: false }, keyPrefixManifestGenerator: { sourceBucket: 'oss-side' }, manifest: undefined }));
  expect(await failure(control.send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId: ossJob.jobId })))).toMatchObject({ code: 'NoSuchJob', status: 404 });
});

test('errors: unknown job, bad input, missing manifest, wrong ETag, bad signature, missing account header', async () => {
  const manifest = await csvManifest(['src,raw/a.jpg']);
  expect(await failure(control.send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId: '00000000-0000-4000-8000-000000000000' }))))
    .toMatchObject({ code: 'NoSuchJob', status: 404 });
  expect(await failure(control.send(new CreateJobCommand(tagJob({ ...manifest, ETag: '"0123456789abcdef0123456789abcdef"' })))))
    .toMatchObject({ code: 'InvalidRequest', status: 400 });
  expect(await failure(control.send(new CreateJobCommand(tagJob({ ObjectArn: 'arn:aws:s3:::src/none.csv', ETag: manifest.ETag })))))
    .toMatchObject({ code: 'InvalidRequest', status: 400 });
  expect(await failure(control.send(new CreateJobCommand(tagJob(manifest, { RoleArn: 'not-a-role' }))))).toMatchObject({ code: 'InvalidRequest', status: 400 });
  expect(await failure(control.send(new CreateJobCommand(tagJob(manifest, { Report: { Bucket: 'arn:aws:s3:::nope', Format: 'Report_CSV_20180820', Enabled: true } })))))
    .toMatchObject({ code: 'InvalidRequest', status: 400 });
  expect(await failure(control.send(new CreateJobCommand(tagJob(manifest, { Operation: { LambdaInvoke: { FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f' } } })))))
    .toMatchObject({ status: 501 });
  expect(await failure(control.send(new UpdateJobPriorityCommand({ AccountId: ACCOUNT, JobId: '00000000-0000-4000-8000-000000000000', Priority: 1 }))))
    .toMatchObject({ code: 'NoSuchJob', status: 404 });
  const wrongSecret = controlClient({ secret: 'wrong' });
  expect(await failure(wrongSecret.send(new ListJobsCommand({ AccountId: ACCOUNT })))).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
  wrongSecret.destroy();
  // The SDK refuses a malformed account id itself; a client that sends none gets InvalidRequest.
  const noAccount = controlClient();
  noAccount.middlewareStack.add((next) => async (args) => {
    delete (args.request as { headers: Record<string, string> }).headers['x-amz-account-id'];
    return next(args);
  }, { step: 'build', name: 'dropAccount' });
  expect(await failure(noAccount.send(new ListJobsCommand({ AccountId: ACCOUNT })))).toMatchObject({ code: 'InvalidRequest', status: 400 });
  noAccount.destroy();
});

describe('S3PutObjectCopy', () => {
  const copyJob = (manifest: { ObjectArn: string; ETag: string }, copy: Record<string, unknown>, fields: JobManifestFieldName[] = ['Bucket', 'Key']): CreateJobCommandInput => tagJob(manifest, {
    Operation: { S3PutObjectCopy: copy },
    Manifest: { Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: fields }, Location: manifest },
  });
  /** The report rows of a finished job, failed and succeeded together, sorted. */
  const reportRows = async (jobId: string) => {
    const { Results } = JSON.parse(await text(`reports/job-${jobId}/manifest.json`)) as { Results: { Key: string }[] };
    const rows: string[] = [];
    for (const r of Results) rows.push(...(await text(r.Key)).trim().split('\n'));
    return rows.sort();
  };
  const dst = (Key: string) => s3.send(new GetObjectCommand({ Bucket: 'dst', Key }));

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'dst' }));
    await s3.send(new PutObjectCommand({ Bucket: 'src', Key: 'copy/a.txt', Body: 'alpha', ContentType: 'text/plain', Tagging: 'env=dev&team=x' }));
    await s3.send(new PutObjectCommand({ Bucket: 'src', Key: 'copy/b c.bin', Body: Buffer.from([0, 1, 2, 255]) }));
  });

  test('copies body, content type and tags to <TargetKeyPrefix><key> with the storage class and ACL; DescribeJob echoes the operation', async () => {
    const operation = {
      TargetResource: 'arn:aws:s3:::dst', TargetKeyPrefix: 'backup/', StorageClass: 'STANDARD_IA', CannedAccessControlList: 'public-read', MetadataDirective: 'COPY',
    } as const;
    const manifest = await csvManifest(['src,copy/a.txt', 'src,copy/b%20c.bin']);
    const { JobId } = await control.send(new CreateJobCommand(copyJob(manifest, operation)));
    const job = await waitFor(JobId!, ['Complete', 'Failed']);
    expect(job).toMatchObject({ Status: 'Complete', ProgressSummary: { TotalNumberOfTasks: 2, NumberOfTasksSucceeded: 2, NumberOfTasksFailed: 0 } });
    expect(job.Operation).toEqual({ S3PutObjectCopy: operation });

    const source = await s3.send(new GetObjectCommand({ Bucket: 'src', Key: 'copy/a.txt' }));
    const a = await dst('backup/copy/a.txt');
    expect(await a.Body!.transformToString()).toBe('alpha');
    expect(a).toMatchObject({ ContentType: 'text/plain', StorageClass: 'STANDARD_IA', ETag: source.ETag, TagCount: 2 });
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: 'dst', Key: 'backup/copy/a.txt' }))).TagSet).toEqual([{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'x' }]);
    expect(emulator.store.version('dst', 'backup/copy/a.txt').acl).toBe('public-read');
    expect([...(await (await dst('backup/copy/b c.bin')).Body!.transformToByteArray())]).toEqual([0, 1, 2, 255]);
    // The source is untouched.
    expect(emulator.store.version('src', 'copy/a.txt')).toMatchObject({ storageClass: 'Standard', acl: 'default' });
    expect(await reportRows(JobId!)).toEqual(['src,copy/a.txt,,succeeded,,200,', 'src,copy/b%20c.bin,,succeeded,,200,']);
    const listed = await control.send(new ListJobsCommand({ AccountId: ACCOUNT }));
    expect(listed.Jobs!.find((j) => j.JobId === JobId)?.Operation).toBe('S3PutObjectCopy');
  });

  test('copies the version the manifest names (an unknown one is NoSuchVersion); without StorageClass the copy is STANDARD; NewObjectTagging replaces the tags', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'vsrc' }));
    await clientFor(emulator).putBucketVersioning('vsrc', true);
    const v1 = await s3.send(new PutObjectCommand({ Bucket: 'vsrc', Key: 'doc.txt', Body: 'first', Tagging: 'v=1', StorageClass: 'STANDARD_IA' }));
    await s3.send(new PutObjectCommand({ Bucket: 'vsrc', Key: 'doc.txt', Body: 'second' }));
    expect(v1.VersionId).toBeDefined();
    const manifest = await csvManifest([`vsrc,doc.txt,${v1.VersionId}`, 'vsrc,doc.txt,no-such-version']);
    const { JobId } = await control.send(new CreateJobCommand(copyJob(manifest, {
      TargetResource: 'arn:aws:s3:::dst', TargetKeyPrefix: 'v/', NewObjectTagging: [{ Key: 'copied', Value: 'yes' }],
    }, ['Bucket', 'Key', 'VersionId'])));
    expect(await waitFor(JobId!, ['Complete', 'Failed'])).toMatchObject({ Status: 'Complete', ProgressSummary: { NumberOfTasksSucceeded: 1, NumberOfTasksFailed: 1 } });
    const copy = await dst('v/doc.txt');
    expect(await copy.Body!.transformToString()).toBe('first');
    expect(copy.StorageClass).toBeUndefined(); // STANDARD: no x-amz-storage-class header
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: 'dst', Key: 'v/doc.txt' }))).TagSet).toEqual([{ Key: 'copied', Value: 'yes' }]);
    expect(await reportRows(JobId!)).toEqual([ // version ids start with C, before "no-such-version"
      `vsrc,doc.txt,${v1.VersionId},succeeded,,200,`, expect.stringMatching(/^vsrc,doc\.txt,no-such-version,failed,NoSuchVersion,404,./),
    ]);
  });

  test('per-object failures are report rows: missing key, archived source, a source above 5 GiB', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'src', Key: 'copy/cold.txt', Body: 'cold', StorageClass: 'GLACIER' }));
    // Only the store's size matters to the rule; no 6 GiB body is written.
    emulator.store.putObject('src', 'copy/huge.bin', {
      etag: '0123456789ABCDEF0123456789ABCDEF', size: 6 * 1024 ** 3, storageClass: 'Standard', acl: 'default', contentType: 'application/octet-stream', lastModified: new Date().toISOString(), tags: [],
    });
    await s3.send(new PutObjectCommand({ Bucket: 'src', Key: 'copy/c.txt', Body: 'c' }));
    await s3.send(new PutObjectCommand({ Bucket: 'src', Key: 'copy/d.txt', Body: 'd' }));
    const manifest = await csvManifest([
      'src,copy/a.txt', 'src,copy/c.txt', 'src,copy/d.txt', 'src,copy/b%20c.bin', 'src,copy/missing.txt', 'src,copy/cold.txt', 'src,copy/huge.bin',
    ]);
    const { JobId } = await control.send(new CreateJobCommand(copyJob(manifest, { TargetResource: 'arn:aws:s3:::dst', TargetKeyPrefix: 'f/' })));
    const job = await waitFor(JobId!, ['Complete', 'Failed']);
    expect(job).toMatchObject({ Status: 'Complete', ProgressSummary: { TotalNumberOfTasks: 7, NumberOfTasksSucceeded: 4, NumberOfTasksFailed: 3 } });
    const failed = (await reportRows(JobId!)).filter((r) => r.includes(',failed,'));
    expect(failed.map((r) => r.split(',').slice(0, 6).join(','))).toEqual([
      'src,copy/cold.txt,,failed,InvalidObjectState,403',
      'src,copy/huge.bin,,failed,InvalidRequest,400',
      'src,copy/missing.txt,,failed,NoSuchKey,404',
    ]);
    expect(failed.every((r) => r.split(',')[6].length > 0)).toBe(true); // each with a message
    expect(await (await dst('f/copy/d.txt')).Body!.transformToString()).toBe('d');
    for (const key of ['f/copy/missing.txt', 'f/copy/cold.txt', 'f/copy/huge.bin']) expect(() => emulator.store.version('dst', key)).toThrow(/does not exist/);
  });

  test('a target bucket that does not exist fails every task with NoSuchBucket (and so the job); an in-place copy needs a change', async () => {
    const manifest = await csvManifest(['src,copy/a.txt']);
    const { JobId } = await control.send(new CreateJobCommand(copyJob(manifest, { TargetResource: 'arn:aws:s3:::no-such-target' })));
    const job = await waitFor(JobId!, ['Complete', 'Failed']);
    expect(job).toMatchObject({ Status: 'Failed', ProgressSummary: { NumberOfTasksFailed: 1 }, FailureReasons: [{ FailureCode: 'TooManyFailures' }] });
    expect(await reportRows(JobId!)).toEqual([expect.stringMatching(/^src,copy\/a\.txt,,failed,NoSuchBucket,404,.*no-such-target/)]);

    const inPlace = await control.send(new CreateJobCommand(copyJob(manifest, { TargetResource: 'arn:aws:s3:::src' })));
    await waitFor(inPlace.JobId!, ['Complete', 'Failed']);
    expect(await reportRows(inPlace.JobId!)).toEqual([expect.stringMatching(/^src,copy\/a\.txt,,failed,InvalidRequest,400,/)]);
    const newClass = await control.send(new CreateJobCommand(copyJob(manifest, { TargetResource: 'arn:aws:s3:::src', StorageClass: 'GLACIER' })));
    expect(await waitFor(newClass.JobId!, ['Complete', 'Failed'])).toMatchObject({ Status: 'Complete' });
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'src', Key: 'copy/a.txt' }));
    expect(head).toMatchObject({ StorageClass: 'GLACIER', ContentType: 'text/plain', TagCount: 2 });
  });

  test('CreateJob checks the operation: unknown values are InvalidRequest, what the store cannot keep is NotImplemented', async () => {
    const manifest = await csvManifest(['src,raw/a.jpg']);
    const create = (copy: Record<string, unknown>) => failure(control.send(new CreateJobCommand(copyJob(manifest, { TargetResource: 'arn:aws:s3:::dst', ...copy }))));
    const invalid = { code: 'InvalidRequest', status: 400 };
    const notImplemented = { code: 'NotImplemented', status: 501 };
    expect(await create({ TargetResource: 'arn:aws:s3:::dst/key' })).toMatchObject(invalid);
    expect(await create({ TargetResource: undefined })).toMatchObject({ status: 400 });
    expect(await create({ StorageClass: 'REDUCED_REDUNDANCY' })).toMatchObject(invalid);
    expect(await create({ StorageClass: 'ONEZONE_IA' })).toMatchObject(notImplemented);
    expect(await create({ CannedAccessControlList: 'log-delivery-write' })).toMatchObject(invalid);
    expect(await create({ CannedAccessControlList: 'bucket-owner-full-control' })).toMatchObject(notImplemented);
    expect(await create({ MetadataDirective: 'MERGE' })).toMatchObject(invalid);
    expect(await create({ MetadataDirective: 'REPLACE', NewObjectMetadata: { ContentType: 'text/plain' } })).toMatchObject(notImplemented);
    expect(await create({ ObjectLockMode: 'GOVERNANCE' })).toMatchObject(notImplemented);
    expect(await create({ NewObjectTagging: Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) })).toMatchObject(invalid);
    // RequesterPays false asks for nothing.
    const { JobId } = await control.send(new CreateJobCommand(copyJob(manifest, { TargetResource: 'arn:aws:s3:::dst', TargetKeyPrefix: 'rp/', RequesterPays: false })));
    expect(await waitFor(JobId!, ['Complete', 'Failed'])).toMatchObject({ Status: 'Complete' });
  });
});

describe('an S3PutObjectCopy job across a restart', () => {
  const KEYS = Array.from({ length: 30 }, (_, i) => `slow/${String(i).padStart(2, '0')}.txt`);
  let dataDir: string;
  let slow: RunningEmulator | undefined;
  let clients: { s3: S3Client; control: S3ControlClient } | undefined;
  const connect = async (tasksPerSecond: number) => {
    slow = await start({ dataDir, tasksPerSecond });
    clients = { s3: s3ClientFor(slow), control: s3ControlClientFor(slow) };
    return clients;
  };
  const disconnect = async () => {
    clients?.s3.destroy();
    clients?.control.destroy();
    await slow?.stop();
    [clients, slow] = [undefined, undefined];
  };
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'oss-emu-s3copy-'));
  });
  afterAll(async () => {
    await disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('resumes at the task where it stopped and copies every object once', async () => {
    let { s3: s3c, control: ctl } = await connect(20);
    for (const bucket of ['src', 'dst']) await s3c.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const key of KEYS) await s3c.send(new PutObjectCommand({ Bucket: 'src', Key: key, Body: `body of ${key}` }));
    const operation = { S3PutObjectCopy: { TargetResource: 'arn:aws:s3:::dst', TargetKeyPrefix: 'copied/' } };
    const { JobId } = await ctl.send(new CreateJobCommand({
      AccountId: ACCOUNT, ClientRequestToken: 'restart-copy', Priority: 1, RoleArn: ROLE, Operation: operation,
      ManifestGenerator: { S3JobManifestGenerator: { SourceBucket: 'arn:aws:s3:::src', EnableManifestOutput: false } },
      Report: { Bucket: 'arn:aws:s3:::dst', Format: 'Report_CSV_20180820', Enabled: true, Prefix: 'reports', ReportScope: 'AllTasks' },
    }));
    let done = 0;
    while (done < 5) {
      const { Job } = await ctl.send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId }));
      done = Job!.ProgressSummary!.NumberOfTasksSucceeded! + Job!.ProgressSummary!.NumberOfTasksFailed!;
      if (done < 5) await sleep(20);
    }
    await disconnect();
    expect(done).toBeLessThan(30); // stopped mid-job

    ({ s3: s3c, control: ctl } = await connect(0));
    const job = await waitFor(JobId!, ['Complete', 'Failed'], 8000, ctl);
    expect(job).toMatchObject({ Status: 'Complete', Operation: operation, ProgressSummary: { TotalNumberOfTasks: 30, NumberOfTasksSucceeded: 30, NumberOfTasksFailed: 0 } });
    for (const key of KEYS) {
      expect(await (await s3c.send(new GetObjectCommand({ Bucket: 'dst', Key: `copied/${key}` }))).Body!.transformToString()).toBe(`body of ${key}`);
    }
    const { Results } = JSON.parse(await (await s3c.send(new GetObjectCommand({ Bucket: 'dst', Key: `reports/job-${JobId}/manifest.json` }))).Body!.transformToString());
    expect(Results).toHaveLength(1);
    const rows = (await (await s3c.send(new GetObjectCommand({ Bucket: 'dst', Key: Results[0].Key }))).Body!.transformToString()).trim().split('\n');
    expect(rows).toEqual(KEYS.map((k) => `src,${k},,succeeded,,200,`)); // task order, each once
  });
});
