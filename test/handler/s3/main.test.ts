/**
 * The S3 handler's entry: invocation and event checks (exit 2 with synth's messages), the endpoint
 * and its S3_ENDPOINT override, AWS failures (exit 4 with the code and request id), and the bundle
 * run as Terraform runs it.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { S3Client } from '@aws-sdk/client-s3';
import type { RunningEmulator } from '../../../src/emulator';
import { checkS3JobIdentity, checkS3PrefixManifestIdentity } from '../../../src/shared/s3-identity';
import { controlEndpoint, defaultPathStyle } from '../../../src/handler/s3/aws';
import { parseS3Event } from '../../../src/handler/s3/event';
import { USAGE } from '../../../src/handler/s3/main';
import type { S3BatchJobResult } from '../../../src/shared/contract';
import { Checks, NOTHING_DEFERRED } from '../../../src/shared/validation';
import { stopAndClean } from '../../emulator/helpers';
import { awsEnv, jobEvent, manifestEvent, putObjects, resultPath, runHandler, startS3Emulator } from './helpers';

let emulator: RunningEmulator;
let s3: S3Client;
let endpoint: string;

beforeAll(async () => {
  ({ emulator, s3, endpoint } = await startS3Emulator());
  await putObjects(s3, 'rpt', []);
  await putObjects(s3, 'src', ['raw/a.jpg', 'raw/b.jpg']);
});

afterAll(async () => {
  s3?.destroy();
  await stopAndClean(emulator);
});

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const edited = (event: object, edit: (e: Raw) => void): string => {
  const copy = JSON.parse(JSON.stringify(event)) as Raw;
  edit(copy);
  return JSON.stringify(copy);
};
const generatorJob = (ep = endpoint) => jobEvent(ep, { manifest: { generator: { sourceBucket: 'src', prefix: 'raw/' } } });

describe('invocation and event checks (exit 2, nothing sent to AWS)', () => {
  // Nothing listens on port 9: a call to AWS would fail with exit 4, not 2.
  const nowhere = 'http://localhost:9';

  test('command and environment problems show the usage line', async () => {
    const file = resultPath();
    for (const [command, env, message] of [
      ['frob', {}, /unknown command "frob"/],
      ['create', { OSS_BATCH_EVENT: '' }, /OSS_BATCH_EVENT is not set/],
      ['delete', { OSS_BATCH_RESULT: '' }, /OSS_BATCH_RESULT is not set/],
    ] as [string, NodeJS.ProcessEnv, RegExp][]) {
      const run = await runHandler(command, JSON.stringify(generatorJob(nowhere)), file, { env });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.endsWith(`\n${USAGE}`)).toBe(true);
    }
  });

  test('bad values name the construct and the prop, with synth\'s message', async () => {
    for (const [event, message] of [
      ['{', /^cdktf-oss-batch: OSS_BATCH_EVENT is not valid JSON/],
      [JSON.stringify({ kind: 'batch-job', format: 2 }), /unknown kind "batch-job" for the S3 handler \(expected "s3-batch-job" or "s3-manifest-from-prefix"\)/],
      [edited(generatorJob(nowhere), (e) => { e.identity.accountId = 12345; }), /^cdktf-oss-batch: stack\/Job: accountId is required and must be a string \(got number\)/],
      [edited(generatorJob(nowhere), (e) => { e.identity.accountId = '12345'; }), /^cdktf-oss-batch: stack\/Job: accountId must be a 12-digit AWS account id, written as a string \(got "12345"\) \(checked at apply time, after Terraform resolved the references; nothing was sent to AWS\)$/],
      [edited(generatorJob(nowhere), (e) => { e.identity.roleArn = 'acs:ram::1:role/r'; }), /stack\/Job: roleArn must look like arn:aws:iam::/],
      [edited(generatorJob(nowhere), (e) => { e.identity.priority = -1; }), /stack\/Job: priority must be an integer from 0 to 2147483647 \(got -1\)/],
      [edited(generatorJob(nowhere), (e) => { e.identity.region = 'cn-hangzhou'; }), /stack\/Job: region must be an AWS region id/],
      [edited(generatorJob(nowhere), (e) => { e.identity.manifest.generator.sourceBucket = 'Bad_Bucket'; }), /stack\/Job: manifest\.sourceBucket must be an S3 bucket name/],
      [edited(generatorJob(nowhere), (e) => { e.settings.timeoutSeconds = 0; }), /stack\/Job: timeoutSeconds must be an integer from 1/],
      [edited(generatorJob(nowhere), (e) => { e.connection.endpoint = 'ftp://x'; }), /stack\/Job: endpoint must be an http or https URL/],
      [edited(manifestEvent(nowhere, {}), (e) => { e.identity.manifestBucket = 'x'; }), /stack\/Manifest: manifestBucket must be an S3 bucket name/],
      [edited(generatorJob(nowhere), (e) => { delete e.settings; }), /stack\/Job: the event's settings is missing: re-run `cdktf synth`/],
    ] as [string, RegExp][]) {
      const run = await runHandler('create', event, resultPath());
      expect({ event, code: run.code }).toEqual({ event, code: 2 });
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toEqual([]);
    }
  });

  test('an event of another format: create asks for a new synth (exit 2); delete cancels nothing and names the manual way (exit 0)', async () => {
    const old = edited(generatorJob(nowhere), (e) => { e.format = 1; });
    const create = await runHandler('create', old, resultPath());
    expect(create.code).toBe(2);
    expect(create.stderr).toMatch(/^cdktf-oss-batch: OSS_BATCH_EVENT has event format 1, this handler reads format 2: re-run `cdktf synth`/);
    const logged: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => { logged.push(line); });
    try {
      const del = await runHandler('delete', old, resultPath());
      expect(del.code).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(logged).toEqual([expect.stringMatching(/^cdktf-oss-batch: not cancelling anything on destroy: .*`aws s3control update-job-status --account-id <account> --job-id <id> --requested-job-status Cancelled`/)]);
  });

  test('the handler\'s parse is synth\'s check: an event synth normalized passes again unchanged', () => {
    const c = new Checks('stack/Job', NOTHING_DEFERRED);
    const job = generatorJob();
    job.identity.report = { enabled: false, bucket: '', prefix: 's3-batch-reports', scope: 'AllTasks' };
    expect(parseS3Event(JSON.stringify(job))).toEqual(job);
    expect(checkS3JobIdentity(c, checkS3JobIdentity(c, job.identity as never) as never)).toEqual(job.identity);
    const manifest = manifestEvent(endpoint, { filter: { suffixes: ['.jpg'], storageClasses: ['GLACIER'] } });
    expect(checkS3PrefixManifestIdentity(c, manifest.identity as never)).toEqual(manifest.identity);
  });
});

describe('endpoints', () => {
  test('S3 Control gets `localhost` for 127.0.0.1 (it puts the account in front of the host); other IPs are refused; path style for local endpoints', () => {
    expect(controlEndpoint('http://127.0.0.1:9000')).toBe('http://localhost:9000');
    expect(controlEndpoint('https://s3-control.example.com')).toBe('https://s3-control.example.com');
    expect(() => controlEndpoint('http://10.0.0.5:9000')).toThrow(/is an IP address, but S3 Control puts the account id in front of the endpoint's host/);
    expect([defaultPathStyle('http://127.0.0.1:1'), defaultPathStyle('http://localhost:1'), defaultPathStyle('https://s3.example.com'), defaultPathStyle(undefined)])
      .toEqual([true, true, false, false]);
  });

  test('S3_ENDPOINT overrides the stack\'s endpoint for both clients (logged); a bad one is exit 2', async () => {
    const file = resultPath();
    const run = await runHandler('create', generatorJob('http://localhost:9'), file, { env: { S3_ENDPOINT: `http://127.0.0.1:${emulator.port}` } });
    expect(run.stderr).toBe('');
    expect(run.stdout[0]).toBe(`[stack/Job] endpoint http://127.0.0.1:${emulator.port} from S3_ENDPOINT (overrides the stack's http://localhost:9)`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ status: 'Complete', totalTasks: 2 });
    const bad = await runHandler('create', generatorJob(), resultPath(), { env: { S3_ENDPOINT: 'not a url' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^cdktf-oss-batch: S3_ENDPOINT \(environment\): endpoint must be/);
  });

  test('AWS errors exit 4 with one line naming the call, the AWS error code and the request id', async () => {
    const secret = process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_SECRET_ACCESS_KEY = 'wrong-secret';
    try {
      const run = await runHandler('create', generatorJob(), resultPath());
      expect(run.code).toBe(4);
      expect(run.stderr).toMatch(/^cdktf-oss-batch: S3 Control CreateJob failed: SignatureDoesNotMatch \(403\): .* \[request id [0-9A-F]+/);
      expect(run.stderr).not.toContain('\n');
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = secret;
    }
    const missing = await runHandler('create', jobEvent(endpoint, { manifest: { generator: { sourceBucket: 'no-such-bucket', prefix: '' } } }), resultPath());
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/^cdktf-oss-batch: S3 Control CreateJob failed: InvalidRequest \(400\): The source bucket no-such-bucket does not exist \[request id /);
  });
});

describe('the bundled S3 handler as Terraform runs it', () => {
  // Bundled from src/handler/s3/main.ts by scripts/build.mjs, into a private temp dir:
  // the test runs the current source and never races a suite that rebuilds dist/.
  let dir: string;
  let file: string;
  let inputs: string[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 's3-handler-bundle-'));
    file = join(dir, 's3-handler.js');
    // scripts/build.mjs itself, so the test runs the bundle exactly as shipped (its plugins included).
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--s3-handler-to', file], { cwd: resolve(__dirname, '../../..') });
    inputs = JSON.parse(stdout) as string[];
  }, 120_000);

  test('the bundle runs the lifecycle core and carries two AWS service clients, S3 and S3 Control, and no emulator, bench or test code', () => {
    expect(inputs).toEqual(expect.arrayContaining(['src/jobs/wait.ts', 'src/jobs/poller.ts', 'src/jobs/verdict.ts', 'src/jobs/report.ts']));
    const clients = new Set(inputs.map((f) => /node_modules\/@aws-sdk\/(client-[^/]+)\//.exec(f)?.[1]).filter(Boolean));
    expect([...clients].sort()).toEqual(['client-s3', 'client-s3-control']);
    expect(inputs.filter((f) => /^(src\/emulator|src\/cli|bench|test)\//.test(f))).toEqual([]);
    // Nor the OSS client and its credential chain: the shared code it runs lists through interfaces.
    expect(inputs.filter((f) => /@alicloud\/|^src\/oss\/(client|credentials|http)\.ts$/.test(f))).toEqual([]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function runBundle(extra: NodeJS.ProcessEnv, args = ['create']): Promise<{ code: number | null; stdout: string; stderr: string }> {
    // A clean runner's environment: the emulator's keys, no profiles, nothing else from this machine.
    const child = spawn(process.execPath, [file, ...args], {
      // Without the SDK's switch for its Node 20 warning: the handler sets it itself.
      env: { PATH: process.env.PATH ?? '', ...awsEnv(emulator), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined, ...extra }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
  }

  test('no command: exit 2 with the usage line only', async () => {
    const run = await runBundle({}, []);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`cdktf-oss-batch: no command given\n${USAGE}\n`);
  });

  test('a generator tagging job through the S3_ENDPOINT override: progress lines, Complete, the result file, nothing on stderr', async () => {
    const result = resultPath();
    const event = jobEvent('http://localhost:9', { manifest: { generator: { sourceBucket: 'src', prefix: 'raw/' } }, description: 'bundle' });
    const run = await runBundle({ OSS_BATCH_EVENT: JSON.stringify(event), OSS_BATCH_RESULT: result, S3_ENDPOINT: `http://127.0.0.1:${emulator.port}` });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const written = JSON.parse(readFileSync(result, 'utf8')) as S3BatchJobResult;
    expect(written).toMatchObject({ status: 'Complete', totalTasks: 2, succeededTasks: 2, failedTasks: 0 });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`[stack/Job] endpoint http://127.0.0.1:${emulator.port} from S3_ENDPOINT (overrides the stack's http://localhost:9)`);
    expect(lines).toContain(`[stack/Job] job ${written.jobId} Complete 2/0/2 tasks, ${lines.find((l) => l.includes(' Complete 2/0/2 tasks, '))!.split('tasks, ')[1]}`);
    expect(lines.at(-1)).toBe(`[stack/Job] job ${written.jobId} Complete: 2/0/2 tasks (succeeded/failed/total)`);
  });

  // The bundle keeps only the SDK operation schemas the handler reaches (scripts/build.mjs marks them
  // pure): every command the handler sends is sent by the bundle below, so a schema dropped by
  // mistake fails here. Commands: CreateJob, DescribeJob, ListJobs, UpdateJobStatus (S3 Control);
  // ListObjectsV2, ListObjectVersions, HeadObject, GetObject, PutObject, CreateMultipartUpload,
  // UploadPart, CompleteMultipartUpload (S3); AbortMultipartUpload is reached only after a failed part.
  test('every command the handler sends works from the bundle: a versioned multipart manifest, a job over it, a failed CSV job, a cancel found by spec', async () => {
    const { PutBucketVersioningCommand } = await import('@aws-sdk/client-s3');
    await putObjects(s3, 'vsrc', []);
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'vsrc', VersioningConfiguration: { Status: 'Enabled' } }));
    // Long keys, so the manifest is larger than the 100 KiB part size: multipart.
    const keys = Array.from({ length: 600 }, (_, i) => `v/${'k'.repeat(180)}-${String(i).padStart(4, '0')}.bin`);
    await putObjects(s3, 'vsrc', keys, () => 'x');
    await putObjects(s3, 'ops', []);
    const manifestResult = resultPath();
    const listed = await runBundle({
      OSS_BATCH_EVENT: JSON.stringify(manifestEvent(endpoint, { sourceBucket: 'vsrc', prefix: 'v/', includeVersionIds: true })),
      OSS_BATCH_RESULT: manifestResult, OSS_BATCH_MANIFEST_PART_BYTES: String(100 * 1024),
    });
    expect({ code: listed.code, stderr: listed.stderr }).toEqual({ code: 0, stderr: '' });
    const manifest = JSON.parse(readFileSync(manifestResult, 'utf8')) as { bucket: string; key: string; etag: string; objectCount: number; fields: string };
    expect(manifest).toMatchObject({ objectCount: keys.length, fields: 'Bucket,Key,VersionId' });
    expect(manifest.etag.replace(/"/g, '')).toMatch(/-2$/);

    // A job over it, the CSV given without its ETag (HeadObject), the report read back (GetObject, ListObjectsV2).
    const overManifest = await runBundle({
      OSS_BATCH_EVENT: JSON.stringify(jobEvent(endpoint, { manifest: { csv: { bucket: manifest.bucket, key: manifest.key, fields: manifest.fields, format: 'S3BatchOperations_CSV_20180820' } } })),
      OSS_BATCH_RESULT: resultPath(),
    });
    expect({ code: overManifest.code, stderr: overManifest.stderr }).toEqual({ code: 0, stderr: '' });
    expect(overManifest.stdout).toContain(`Complete: ${keys.length}/0/${keys.length} tasks`);

    // A CSV with a missing key: Complete with a failure, named from the report (exit 1).
    await putObjects(s3, 'ops', ['lists/two.csv'], () => 'src,raw/a.jpg\nsrc,raw/missing.jpg\n');
    const failed = await runBundle({
      OSS_BATCH_EVENT: JSON.stringify(jobEvent(endpoint, { manifest: { csv: { bucket: 'ops', key: 'lists/two.csv', fields: 'Bucket,Key', format: 'S3BatchOperations_CSV_20180820' } } })),
      OSS_BATCH_RESULT: resultPath(),
    });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('s3://src/raw/missing.jpg: NoSuchKey');

    // A job waiting for confirmation, cancelled on destroy by a runner without the result file (ListJobs finds it).
    const waiting = jobEvent(endpoint, { manifest: { generator: { sourceBucket: 'src', prefix: 'raw/' } }, confirmationRequired: true, description: 'to cancel' },
      { waitForCompletion: false, deletionBehavior: 'cancel' });
    const created = await runBundle({ OSS_BATCH_EVENT: JSON.stringify(waiting), OSS_BATCH_RESULT: resultPath() });
    expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
    const cancelled = await runBundle({ OSS_BATCH_EVENT: JSON.stringify(waiting), OSS_BATCH_RESULT: resultPath() }, ['delete']);
    expect({ code: cancelled.code, stderr: cancelled.stderr }).toEqual({ code: 0, stderr: '' });
    expect(cancelled.stdout).toMatch(/found the job by its spec/);
    expect(cancelled.stdout).toMatch(/ended Cancelled/);
  }, 120_000);

  test('no credentials anywhere: exit 4 with the SDK\'s credential error on one line', async () => {
    const run = await runBundle({
      OSS_BATCH_EVENT: JSON.stringify(generatorJob()), OSS_BATCH_RESULT: resultPath(), AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '',
    });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^cdktf-oss-batch: S3 Control CreateJob failed: CredentialsProviderError: Could not load credentials from any providers/);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
