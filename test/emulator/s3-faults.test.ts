/**
 * Fault injection on the S3 object API and the S3 Control job API, seen by the real AWS SDK v3.
 * Faults are selected by API names with the side in front (`S3:GetObject`,
 * `S3Control:CreateJob`), apart from the OSS names (`CreateJob`); a seeded schedule is replayed
 * by asking an injector with the same spec and seed what it will do.
 */
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { CreateJobCommand, DescribeJobCommand, ListJobsCommand, S3ControlClient, S3ControlServiceException } from '@aws-sdk/client-s3-control';
import type { RunningEmulator } from '../../src/emulator';
import { FaultAction, FaultInjector, parseFaultSpec } from '../../src/emulator/faults';
import { s3ClientFor, s3ControlClientFor } from './aws-clients';
import { awsFailure, clientFor, jobInput, ossError, rejection, start, stopAndClean } from './helpers';

const ACCOUNT = '123456789012';
let emulator: RunningEmulator;
let s3: S3Client;
let control: S3ControlClient;
const log: string[] = [];
const clients: { destroy(): void }[] = [];

beforeAll(async () => {
  emulator = await start({ log: (line) => log.push(line) });
  s3 = s3ClientFor(emulator);
  control = s3ControlClientFor(emulator);
  clients.push(s3, control);
  for (const bucket of ['src', 'rpt']) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: 'src', Key: 'a.txt', Body: 'alpha' }));
});
afterEach(() => emulator.setFaults(''));
afterAll(async () => {
  for (const c of clients) c.destroy();
  await stopAndClean(emulator);
});

/** A client that retries (the SDK's standard strategy), destroyed after the suite. */
function retrying<T extends { destroy(): void }>(client: T): T {
  clients.push(client);
  return client;
}

/** The first seed whose schedule for `spec` answers the first requests to `api` with `actions`. */
function seedFor(spec: string, api: string, actions: FaultAction[]): number {
  for (let seed = 1; ; seed++) {
    const injector = new FaultInjector(parseFaultSpec(spec), seed);
    if (actions.every((a) => injector.decide(api).action === a)) return seed;
  }
}

/** The log lines of requests to `api` since `from` (`<method> <path> <api> <status> …`). */
const requests = (api: string, from: number) => log.slice(from).filter((l) => l.includes(` ${api} `));
/** How many requests to `api` were logged with `ending` (an error code or `fault=…`) since `from`. */
const logged = (api: string, ending: string, from = 0) => requests(api, from).filter((l) => l.endsWith(` ${ending}`)).length;

let tokens = 0;
const createJob = (description = `job-${++tokens}`) => new CreateJobCommand({
  AccountId: ACCOUNT, ClientRequestToken: `fault-${++tokens}`, Priority: 1, RoleArn: `arn:aws:iam::${ACCOUNT}:role/BatchRole`, Description: description,
  Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'k', Value: 'v' }] } },
  ManifestGenerator: { S3JobManifestGenerator: { SourceBucket: 'arn:aws:s3:::src', EnableManifestOutput: false } },
  Report: { Enabled: false },
});
const jobsDescribed = async (description: string) => (await control.send(new ListJobsCommand({ AccountId: ACCOUNT }))).Jobs!.filter((j) => j.Description === description);
/** What the SDK (one attempt) throws when the connection is dropped: its wrapper of Node's "socket hang up". */
const DROPPED = { message: expect.stringMatching(/socket hang up/), $metadata: { attempts: 1 } };
const controlFailure = (p: Promise<unknown>) => awsFailure(p, S3ControlServiceException);
const s3Failure = (p: Promise<unknown>) => awsFailure(p, S3ServiceException);

describe('S3 Control', () => {
  // reset-after: the job was made before the connection dropped; the retry's token finds it.
  test.each([['503', 'ServiceUnavailable'], ['reset-after', 'fault=reset-after']] as const)(
    '%s on the first S3Control:CreateJob: the SDK retries and gets its job, made once', async (action, ending) => {
      const spec = `${action}:0.5,apis:S3Control:CreateJob`;
      emulator.setFaults(spec, seedFor(spec, 'S3Control:CreateJob', [action, 'none']));
      const from = log.length;
      const description = `retried-${action}`;
      const out = await retrying(s3ControlClientFor(emulator, { maxAttempts: 3 })).send(createJob(description));
      expect(out.$metadata.attempts).toBe(2);
      expect(requests('S3Control:CreateJob', from)).toHaveLength(2);
      expect(logged('S3Control:CreateJob', ending, from)).toBe(1);
      expect((await jobsDescribed(description)).map((j) => j.JobId)).toEqual([out.JobId]);
    },
  );

  test('S3Control:DescribeJob and the OSS DescribeJob are targeted apart, or together', async () => {
    const { JobId } = await control.send(createJob());
    const oss = clientFor(emulator);
    const ossJob = await oss.createJob(jobInput({ report: { bucket: 'rpt', enabled: false }, keyPrefixManifestGenerator: { sourceBucket: 'src' } }));
    const describeS3 = () => control.send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId }));

    emulator.setFaults('503:1,apis:S3Control:DescribeJob');
    expect(await controlFailure(describeS3())).toMatchObject({ code: 'ServiceUnavailable', status: 503 });
    expect((await oss.describeJob(ossJob.jobId)).jobId).toBe(ossJob.jobId);
    expect((await control.send(new ListJobsCommand({ AccountId: ACCOUNT }))).Jobs!.map((j) => j.JobId)).toContain(JobId);
    expect((await control.send(createJob())).JobId).toBeDefined();

    emulator.setFaults('503:1,apis:DescribeJob');
    expect((await ossError(oss.describeJob(ossJob.jobId))).code).toBe('ServiceUnavailable');
    expect((await describeS3()).Job!.JobId).toBe(JobId);

    emulator.setFaults('503:1,apis:DescribeJob|S3Control:DescribeJob');
    expect((await ossError(oss.describeJob(ossJob.jobId))).code).toBe('ServiceUnavailable');
    expect(await controlFailure(describeS3())).toMatchObject({ code: 'ServiceUnavailable', status: 503 });

    emulator.setFaults('slowdown:1,apis:S3Control:ListJobs');
    expect(await controlFailure(control.send(new ListJobsCommand({ AccountId: ACCOUNT })))).toMatchObject({ code: 'SlowDown', status: 503 });
    emulator.setFaults('500:1,apis:S3Control:ListJobs');
    expect(await controlFailure(control.send(new ListJobsCommand({ AccountId: ACCOUNT })))).toMatchObject({ code: 'InternalError', status: 500 });
  });

  test('reset before processing: the client sees a connection reset and no job is made', async () => {
    emulator.setFaults('reset:1,apis:S3Control:CreateJob');
    const from = log.length;
    const err = await rejection(control.send(createJob('reset-only')));
    expect(logged('S3Control:CreateJob', 'fault=reset', from)).toBe(1);
    expect(err).not.toBeInstanceOf(S3ControlServiceException);
    expect(err).toMatchObject(DROPPED);
    emulator.setFaults('');
    expect(await jobsDescribed('reset-only')).toEqual([]);
  });
});

describe('S3 objects', () => {
  test('503 on S3:PutObject stores nothing, other APIs are untouched; S3:HeadObject gets 503 without a body', async () => {
    emulator.setFaults('503:1,apis:S3:PutObject');
    expect(await s3Failure(s3.send(new PutObjectCommand({ Bucket: 'src', Key: 'b.txt', Body: 'beta' })))).toMatchObject({ code: 'ServiceUnavailable', status: 503 });
    expect(await s3Failure(s3.send(new HeadObjectCommand({ Bucket: 'src', Key: 'b.txt' })))).toMatchObject({ status: 404 });
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'src', Key: 'a.txt' }))).Body!.transformToString()).toBe('alpha');

    emulator.setFaults('slowdown:1,apis:S3:HeadObject');
    expect(await s3Failure(s3.send(new HeadObjectCommand({ Bucket: 'src', Key: 'a.txt' })))).toMatchObject({ status: 503 });
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'src' }))).KeyCount).toBeGreaterThan(0);
  });

  test('500 on S3:GetObject: the SDK retries and reads the object', async () => {
    const spec = '500:0.5,apis:S3:GetObject';
    emulator.setFaults(spec, seedFor(spec, 'S3:GetObject', ['500', '500', 'none']));
    const from = log.length;
    const out = await retrying(s3ClientFor(emulator, { maxAttempts: 3 })).send(new GetObjectCommand({ Bucket: 'src', Key: 'a.txt' }));
    expect(await out.Body!.transformToString()).toBe('alpha');
    expect(out.$metadata.attempts).toBe(3);
    expect(logged('S3:GetObject', 'InternalError', from)).toBe(2);
  });

  test('reset on S3:ListObjectsV2 drops the connection; reset-after on S3:PutObject stores the object the client never heard of', async () => {
    emulator.setFaults('reset:1,apis:S3:ListObjectsV2');
    expect(await rejection(s3.send(new ListObjectsV2Command({ Bucket: 'src' })))).toMatchObject(DROPPED);

    emulator.setFaults('reset-after:1,apis:S3:PutObject');
    expect(await rejection(s3.send(new PutObjectCommand({ Bucket: 'src', Key: 'dropped.txt', Body: 'kept' })))).toMatchObject(DROPPED);
    emulator.setFaults('');
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'src', Key: 'dropped.txt' }))).Body!.transformToString()).toBe('kept');
  });

  test('OSS names do not reach S3 requests: apis:PutObject leaves S3:PutObject alone', async () => {
    emulator.setFaults('503:1,apis:PutObject|GetObject|CreateJob');
    await s3.send(new PutObjectCommand({ Bucket: 'src', Key: 'c.txt', Body: 'gamma' }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'src', Key: 'c.txt' }))).Body!.transformToString()).toBe('gamma');
    expect((await control.send(createJob())).JobId).toBeDefined();
    expect((await ossError(clientFor(emulator).getObject('src', 'c.txt'))).code).toBe('ServiceUnavailable');
  });
});
