/**
 * The S3 handler's job lifecycle against the emulator with the real AWS SDK: create exactly once,
 * wait, verify from S3's report, result file; adopt after a timeout; delete (cancel).
 */
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { GetObjectCommand, GetObjectTaggingCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListJobsCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import type { RunningEmulator } from '../../../src/emulator';
import { AwsCallError, loopbackLookup } from '../../../src/handler/s3/aws';
import type { S3HandlerDeps } from '../../../src/handler/s3/batch-job';
import type { S3JobApi } from '../../../src/handler/s3/control';
import type { S3BatchJobResult } from '../../../src/shared/contract';
import { s3JobToken } from '../../../src/shared/token';
import { stopAndClean } from '../../emulator/helpers';
import { ACCOUNT, jobEvent, putObjects, REGION, resultPath, runHandler, startS3Emulator } from './helpers';

let emulator: RunningEmulator;
let s3: S3Client;
let control: S3ControlClient;
let endpoint: string;

beforeAll(async () => {
  ({ emulator, s3, endpoint } = await startS3Emulator());
  control = new S3ControlClient({
    endpoint, region: REGION, maxAttempts: 1,
    credentials: { accessKeyId: emulator.credentials.accessKeyId, secretAccessKey: emulator.credentials.accessKeySecret },
    requestHandler: { httpAgent: new http.Agent({ lookup: loopbackLookup }) },
  });
  await putObjects(s3, 'rpt', []);
  await putObjects(s3, 'ops', []);
  await putObjects(s3, 'src', ['raw/a.jpg', 'raw/b c.jpg', 'raw/ü.jpg', 'other/e.jpg']);
});

afterAll(async () => {
  s3?.destroy();
  control?.destroy();
  await stopAndClean(emulator);
});

const tagsOf = async (bucket: string, key: string) => (await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))).TagSet;
const readResult = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as S3BatchJobResult;
async function jobIds(): Promise<string[]> {
  const out = await control.send(new ListJobsCommand({ AccountId: ACCOUNT }));
  return (out.Jobs ?? []).map((j) => j.JobId!);
}

/** The deps with some S3 Control calls replaced. */
function withJobs(deps: S3HandlerDeps, override: Partial<S3JobApi>): S3HandlerDeps {
  const real = deps.jobs;
  return {
    ...deps,
    jobs: {
      createJob: (input) => real.createJob(input), describeJob: (id) => real.describeJob(id), listJobs: (statuses, token) => real.listJobs(statuses, token),
      updateJobStatus: (id, status, reason) => real.updateJobStatus(id, status, reason), ...override,
    },
  };
}

/**
 * The emulator's SigV4 check keeps one value per query parameter, so its ListJobs refuses the
 * signature of a request with several `jobStatuses` (real S3 takes them): list one status at a time.
 */
function listOneStatusAtATime(deps: S3HandlerDeps): S3HandlerDeps {
  return withJobs(deps, {
    listJobs: async (statuses) => {
      const pages = await Promise.all(statuses.map((s) => deps.jobs.listJobs([s])));
      return { jobs: pages.flatMap((p) => p.jobs) };
    },
  });
}

describe('create', () => {
  test('a tagging job over a generator runs to Complete, tags the objects and writes the result file; the same event again adopts the same job', async () => {
    const event = jobEvent(endpoint, { manifest: { generator: { sourceBucket: 'src', prefix: 'raw/' } }, description: 'tag raw' });
    const file = resultPath();
    const first = await runHandler('create', event, file);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const result = readResult(file);
    const token = s3JobToken(event.identity);
    expect(result).toEqual({
      jobId: expect.stringMatching(/^[0-9a-f-]{36}$/), jobArn: `arn:aws:s3:${REGION}:${ACCOUNT}:job/${result.jobId}`, status: 'Complete',
      totalTasks: 3, succeededTasks: 3, failedTasks: 0, reportLocation: `s3://rpt/reports/job-${result.jobId}/`, clientRequestToken: token,
    });
    expect(first.stdout[0]).toBe(`[stack/Job] job ${result.jobId} (ClientRequestToken ${token})`);
    expect(first.stdout).toContain(`[stack/Job] job ${result.jobId} Complete: 3/0/3 tasks (succeeded/failed/total)`);
    for (const key of ['raw/a.jpg', 'raw/b c.jpg', 'raw/ü.jpg']) expect(await tagsOf('src', key)).toEqual([{ Key: 'env', Value: 'prod' }]);
    expect(await tagsOf('src', 'other/e.jpg')).toEqual([]);

    const before = await jobIds();
    const again = await runHandler('create', event, file);
    expect(again.code).toBe(0);
    expect(readResult(file).jobId).toBe(result.jobId);
    expect(await jobIds()).toEqual(before);
  });

  test('a copy job (S3PutObjectCopy) copies the objects under the target prefix with the storage class asked for', async () => {
    await putObjects(s3, 'dst', []);
    const event = jobEvent(endpoint, {
      manifest: { generator: { sourceBucket: 'src', prefix: 'raw/' } },
      operation: { type: 'S3PutObjectCopy', targetBucket: 'dst', targetKeyPrefix: 'copies/', storageClass: 'STANDARD_IA' },
    });
    const file = resultPath();
    const run = await runHandler('create', event, file);
    expect(run.stderr).toBe('');
    expect(readResult(file)).toMatchObject({ status: 'Complete', totalTasks: 3, succeededTasks: 3 });
    const copy = await s3.send(new GetObjectCommand({ Bucket: 'dst', Key: 'copies/raw/b c.jpg' }));
    expect(await copy.Body!.transformToString()).toBe('raw/b c.jpg');
    expect(copy.StorageClass).toBe('STANDARD_IA');
  });

  test('a CSV manifest without an ETag gets it by HeadObject', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'ops', Key: 'lists/m.csv', Body: 'src,raw/a.jpg\nsrc,raw/b%20c.jpg\n' }));
    const event = jobEvent(endpoint, {
      manifest: { csv: { bucket: 'ops', key: 'lists/m.csv', fields: 'Bucket,Key', format: 'S3BatchOperations_CSV_20180820' } },
      operation: { type: 'S3PutObjectTagging', tags: [{ key: 'from', value: 'csv' }] },
    });
    const run = await runHandler('create', event, resultPath());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.some((l) => /^\[stack\/Job\] manifest s3:\/\/ops\/lists\/m\.csv has ETag [0-9a-f]{32}$/.test(l))).toBe(true);
    expect(await tagsOf('src', 'raw/b c.jpg')).toContainEqual({ Key: 'from', Value: 'csv' });
  });

  test('an unpinned CSV manifest that changed after its job was made: S3 refuses the token (exit 4) and the message says why', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'ops', Key: 'lists/changing.csv', Body: 'src,raw/a.jpg\n' }));
    const event = jobEvent(endpoint, { manifest: { csv: { bucket: 'ops', key: 'lists/changing.csv', fields: 'Bucket,Key', format: 'S3BatchOperations_CSV_20180820' } }, priority: 11 });
    expect((await runHandler('create', event, resultPath())).code).toBe(0);
    await s3.send(new PutObjectCommand({ Bucket: 'ops', Key: 'lists/changing.csv', Body: 'src,raw/a.jpg\nsrc,other/e.jpg\n' }));
    const run = await runHandler('create', event, resultPath());
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^cdktf-oss-batch: S3 Control CreateJob failed: IdempotencyException \(409\): .*\[request id [^\]]+\]\. A job with this ClientRequestToken \(s3b1-[0-9a-f]+\) was created from a different request: the manifest s3:\/\/ops\/lists\/changing\.csv may have changed since/);
  });

  test('an inventory manifest drives the job', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'ops', Key: 'inv/data/1.csv', Body: '"src","raw/a.jpg"\n"src","raw/%C3%BC.jpg"\n' }));
    await s3.send(new PutObjectCommand({
      Bucket: 'ops', Key: 'inv/manifest.json',
      Body: JSON.stringify({ sourceBucket: 'src', destinationBucket: 'arn:aws:s3:::ops', version: '2016-11-30', fileFormat: 'CSV', fileSchema: 'Bucket, Key', files: [{ key: 'inv/data/1.csv', size: 1, MD5checksum: 'x' }] }),
    }));
    const event = jobEvent(endpoint, {
      manifest: { inventory: { bucket: 'ops', manifestKey: 'inv/manifest.json', format: 'S3InventoryReport_CSV_20161130' } },
      operation: { type: 'S3PutObjectTagging', tags: [{ key: 'from', value: 'inventory' }] },
    });
    const file = resultPath();
    const run = await runHandler('create', event, file);
    expect(run.stderr).toBe('');
    expect(readResult(file)).toMatchObject({ status: 'Complete', totalTasks: 2, succeededTasks: 2 });
    expect(await tagsOf('src', 'raw/ü.jpg')).toEqual([{ Key: 'from', Value: 'inventory' }]);
  });

  test('more failed tasks than maxFailedTasks: exit 1 naming the failed key with s3://, the rerun hint and an aws command; no result file', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'ops', Key: 'lists/missing.csv', Body: 'src,raw/a.jpg\nsrc,raw/gone%20away.jpg\n' }));
    const event = jobEvent(endpoint, {
      manifest: { csv: { bucket: 'ops', key: 'lists/missing.csv', fields: 'Bucket,Key', format: 'S3BatchOperations_CSV_20180820' } },
    });
    const file = resultPath();
    const run = await runHandler('create', event, file);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^cdktf-oss-batch: job \S+ is Complete but 1 of 2 tasks failed \(maxFailedTasks is 0\)\./);
    expect(run.stderr).toContain('  - s3://src/raw/gone away.jpg: NoSuchKey (HTTP 404)');
    expect(run.stderr).not.toContain('oss://');
    expect(run.stderr).toContain('set a new `rerunToken`');
    expect(run.stderr).toMatch(new RegExp(`The whole report: aws s3 ls s3://rpt/reports/job-[0-9a-f-]+/ --recursive --region ${REGION} --endpoint-url ${endpoint.replace(/[.]/g, '\\.')}$`));
    expect(existsSync(file)).toBe(false);

    // Within the budget the same job passes (a new setting, not a new job).
    const lenient = await runHandler('create', { ...event, settings: { ...event.settings, maxFailedTasks: 1 } }, file);
    expect(lenient.code).toBe(0);
    expect(readResult(file)).toMatchObject({ failedTasks: 1, succeededTasks: 1 });
  });

  test('a Failed job (an unreadable manifest): exit 1 with S3\'s failure reasons from DescribeJob', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'ops', Key: 'lists/bad.csv', Body: 'src,raw/%ZZ.jpg\n' }));
    const event = jobEvent(endpoint, { manifest: { csv: { bucket: 'ops', key: 'lists/bad.csv', fields: 'Bucket,Key', format: 'S3BatchOperations_CSV_20180820' } }, priority: 7 });
    const run = await runHandler('create', event, resultPath());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^cdktf-oss-batch: job \S+ Failed \(\w+: [^)]*%ZZ[^)]*\); 0 of 0 tasks processed/);
  });

  test('report disabled: the job is verified from DescribeJob alone and the result has no report location', async () => {
    const event = jobEvent(endpoint, {
      manifest: { generator: { sourceBucket: 'src', prefix: 'other/' } }, report: { enabled: false, bucket: '', prefix: 's3-batch-reports', scope: 'AllTasks' },
    });
    const file = resultPath();
    const run = await runHandler('create', event, file);
    expect(run.stderr).toBe('');
    expect(readResult(file)).toMatchObject({ status: 'Complete', totalTasks: 1, reportLocation: '' });
  });

  test('waitForCompletion false: one DescribeJob, the status as it is, no verdict', async () => {
    const event = jobEvent(endpoint, { manifest: { generator: { sourceBucket: 'src', prefix: 'raw/a' } }, confirmationRequired: true }, { waitForCompletion: false });
    const file = resultPath();
    const run = await runHandler('create', event, file);
    expect(run.code).toBe(0);
    const result = readResult(file);
    expect(['New', 'Preparing', 'Suspended']).toContain(result.status);
    expect(run.stdout).toContain(`[stack/Job] job ${result.jobId} is ${result.status}; not waiting (waitForCompletion is false)`);
  });

  test('confirmationRequired with autoConfirm: the handler confirms the Suspended job once and it completes', async () => {
    const event = jobEvent(endpoint, { manifest: { generator: { sourceBucket: 'src', prefix: 'raw/b' } }, confirmationRequired: true, priority: 3 }, { autoConfirm: true });
    const file = resultPath();
    const run = await runHandler('create', event, file);
    expect(run.stderr).toBe('');
    const result = readResult(file);
    expect(result.status).toBe('Complete');
    expect(run.stdout).toContain(`[stack/Job] job ${result.jobId} confirmed (autoConfirm)`);
  });

  test('confirmationRequired without autoConfirm: the job waits Suspended; the lines and the timeout name the aws command that confirms it', async () => {
    const event = jobEvent(endpoint, { manifest: { generator: { sourceBucket: 'src', prefix: 'raw/a' } }, confirmationRequired: true, priority: 9 }, { timeoutSeconds: 1 });
    const run = await runHandler('create', event, resultPath());
    expect(run.code).toBe(3);
    const jobId = /job (\S+) is still Suspended after 1 s\./.exec(run.stderr)![1];
    const confirm = `aws s3control update-job-status --account-id ${ACCOUNT} --job-id ${jobId} --requested-job-status Ready --region ${REGION} --endpoint-url ${endpoint}`;
    expect(run.stdout).toContain(`[stack/Job] job ${jobId} waits for confirmation: ${confirm}`);
    expect(run.stderr).toContain(`If it waits for confirmation, run \`${confirm}\` or set autoConfirm.`);
  });

  test('DescribeJob answering 503 (the emulator\'s fault injection): retried by the SDK and tolerated by the wait; always 503 is exit 4, and the next run adopts the job', async () => {
    const event = jobEvent(endpoint, { manifest: { generator: { sourceBucket: 'src', prefix: 'raw/' } }, priority: 12 });
    const file = resultPath();
    try {
      emulator.setFaults('503:1,apis:S3Control:DescribeJob');
      const failed = await runHandler('create', event, file);
      expect(failed.code).toBe(4);
      expect(failed.stderr).toMatch(/^cdktf-oss-batch: S3 Control DescribeJob failed: ServiceUnavailable \(503\): .*\[request id [^\]]+\]$/);
      expect(failed.stdout.filter((l) => l.includes('DescribeJob failed (S3 Control DescribeJob failed: ServiceUnavailable (503)'))).toHaveLength(2);
      const jobId = /^\[stack\/Job\] job (\S+) \(ClientRequestToken/.exec(failed.stdout[0])![1];
      // Half the answers fail (a fixed seed): the next run adopts the same job and sees it through.
      emulator.setFaults('503:0.5,apis:S3Control:DescribeJob', 7);
      const flaky = await runHandler('create', event, file);
      expect(flaky.stderr).toBe('');
      expect(flaky.code).toBe(0);
      expect(readResult(file)).toMatchObject({ jobId, status: 'Complete' });
    } finally {
      emulator.setFaults('');
    }
  });

  test('failed DescribeJob polls are tolerated (a few in a row), then the wait goes on', async () => {
    const event = jobEvent(endpoint, { manifest: { generator: { sourceBucket: 'src', prefix: 'raw/' } }, priority: 4 });
    let failures = 0;
    const run = await runHandler('create', event, resultPath(), {
      adjust: (deps) => withJobs(deps, {
        describeJob: async (id) => {
          // The first two polls fail as a 503 would after the SDK's own retries.
          if (failures < 2) {
            failures++;
            throw new AwsCallError('S3 Control DescribeJob', Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $fault: 'server', $metadata: { httpStatusCode: 503, requestId: `RID${failures}` } }));
          }
          return deps.jobs.describeJob(id);
        },
      }),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.filter((l) => l.includes('DescribeJob failed (S3 Control DescribeJob failed: SlowDown (503): Please reduce your request rate. [request id RID'))).toHaveLength(2);
  });
});

describe('timeout and adoption', () => {
  let slow: Awaited<ReturnType<typeof startS3Emulator>>;
  beforeAll(async () => {
    slow = await startS3Emulator({ tasksPerSecond: 4 });
    await putObjects(slow.s3, 'rpt', []);
    await putObjects(slow.s3, 'src', Array.from({ length: 12 }, (_, i) => `k/${i}`));
  });
  afterAll(async () => {
    slow.s3.destroy();
    await stopAndClean(slow.emulator);
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId });
  });

  test('a timeout exits 3 with the "next apply resumes" hint and no result file; the next run adopts the same job', async () => {
    const event = jobEvent(slow.endpoint, { manifest: { generator: { sourceBucket: 'src', prefix: 'k/' } } }, { timeoutSeconds: 1 });
    const file = resultPath();
    const first = await runHandler('create', event, file);
    expect(first.code).toBe(3);
    expect(first.stderr).toMatch(/^cdktf-oss-batch: job (\S+) is still (New|Preparing|Ready|Active) after 1 s\. The job is still running in S3; the next `terraform apply` finds the same job/);
    expect(existsSync(file)).toBe(false);
    const jobId = /job (\S+) is still/.exec(first.stderr)![1];

    const second = await runHandler('create', { ...event, settings: { ...event.settings, timeoutSeconds: 60 } }, file);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(readResult(file)).toMatchObject({ jobId, status: 'Complete', totalTasks: 12, succeededTasks: 12 });
  });

  test('delete with cancel: by the result file, and on a runner without one by matching the spec', async () => {
    for (const withResultFile of [true, false]) {
      const event = jobEvent(slow.endpoint, { manifest: { generator: { sourceBucket: 'src', prefix: 'k/' } }, confirmationRequired: true, description: `cancel ${withResultFile}` },
        { waitForCompletion: false, deletionBehavior: 'cancel' });
      const file = resultPath();
      expect((await runHandler('create', event, file)).code).toBe(0);
      const { jobId } = readResult(file);
      const deleteFile = withResultFile ? file : resultPath();
      const run = await runHandler('delete', event, deleteFile, { adjust: listOneStatusAtATime });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      if (!withResultFile) expect(run.stdout).toContain(`[stack/Job] no result file; found the job by its spec: ${jobId}`);
      expect(run.stdout).toContain(`[stack/Job] cancel requested for job ${jobId}`);
      expect(run.stdout).toContain(`[stack/Job] job ${jobId} ended Cancelled`);
      if (withResultFile) expect(existsSync(file)).toBe(false);
    }
  });

  test('delete with retain only logs', async () => {
    const event = jobEvent(slow.endpoint, { manifest: { generator: { sourceBucket: 'src', prefix: 'k/' } } });
    const run = await runHandler('delete', event, resultPath());
    expect(run.code).toBe(0);
    expect(run.stdout).toEqual(['[stack/Job] retained job (id not recorded on this machine) (S3 Batch Operations jobs cannot be deleted)']);
  });
});
