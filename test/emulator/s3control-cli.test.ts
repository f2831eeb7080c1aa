/**
 * The emulator's S3 Control job API driven by the official AWS CLI (`aws s3control … --account-id
 * … --endpoint-url`), with a private HOME and config. The CLI puts the account id in front of the
 * endpoint's host (`123456789012.localhost`), which does not resolve here and cannot be mapped from
 * outside Python: its HTTP proxy is set to the emulator, which accepts the absolute-form request
 * target. What the CLI creates must read the same through `@aws-sdk/client-s3-control`. Without
 * `aws`: skipped loudly, or a failure under CI=true (as the terraform suites).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeJobCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { RunningEmulator } from '../../src/emulator';
import { CliResult, describeWithAws, findAws, runAws } from './aws-cli';
import { sleep, start, stopAndClean } from './helpers';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const AWS = findAws();
const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/BatchRole`;
let emulator: RunningEmulator;
let home: string;
let sdk: S3ControlClient;

function aws(args: string[]): Promise<CliResult> {
  // `<account>.localhost` does not resolve: for s3control the emulator itself is the proxy (docs/emulator.md, S3 Control).
  const proxy: Record<string, string> = args[0] === 's3control' ? { HTTP_PROXY: `http://127.0.0.1:${emulator.port}`, NO_PROXY: '' } : {};
  return runAws(AWS!, home, emulator, args, proxy, 30_000);
}

async function ok(service: 's3api' | 's3control', ...args: string[]): Promise<Record<string, any>> {
  const endpoint = service === 's3api' ? emulator.endpoint : `http://localhost:${emulator.port}`;
  const extra = service === 's3control' ? ['--account-id', ACCOUNT] : [];
  const r = await aws([service, ...args, ...extra, '--endpoint-url', endpoint, '--output', 'json']);
  if (r.code !== 0) throw new Error(`aws ${service} ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : {};
}

async function waitFor(jobId: string, statuses: string[]): Promise<Record<string, any>> {
  const until = Date.now() + 20_000;
  for (;;) {
    const { Job } = await ok('s3control', 'describe-job', '--job-id', jobId);
    if (statuses.includes(Job.Status)) return Job;
    if (Date.now() > until) throw new Error(`job ${jobId} is ${Job.Status}`);
    await sleep(100);
  }
}

describeWithAws(AWS, 'aws s3control against the emulator', () => {
  beforeAll(async () => {
    emulator = await start();
    home = mkdtempSync(join(tmpdir(), 'aws-cli-home-'));
    writeFileSync(join(home, 'config'), '[default]\n');
    const loopback = ((_host: string, options: { all?: boolean }, cb: (...a: unknown[]) => void) => (options?.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4))) as unknown as LookupFunction;
    sdk = new S3ControlClient({
      endpoint: `http://localhost:${emulator.port}`, region: emulator.region, maxAttempts: 1,
      credentials: { accessKeyId: emulator.credentials.accessKeyId, secretAccessKey: emulator.credentials.accessKeySecret },
      requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ lookup: loopback }) }),
    });
  });

  afterAll(async () => {
    sdk?.destroy();
    await stopAndClean(emulator);
    if (home) rmSync(home, { recursive: true, force: true });
  });

  test('create-job (confirmation required), describe-job, list-jobs, update-job-priority, update-job-status Ready → Complete; the SDK reads the same job', async () => {
    await ok('s3api', 'create-bucket', '--bucket', 'cli-src');
    await ok('s3api', 'create-bucket', '--bucket', 'cli-rpt');
    writeFileSync(join(home, 'a.txt'), 'a');
    await ok('s3api', 'put-object', '--bucket', 'cli-src', '--key', 'raw/a.txt', '--body', join(home, 'a.txt'));
    writeFileSync(join(home, 'manifest.csv'), 'cli-src,raw/a.txt\n');
    const put = await ok('s3api', 'put-object', '--bucket', 'cli-src', '--key', 'manifest.csv', '--body', join(home, 'manifest.csv'));

    const created = await ok('s3control', 'create-job', '--confirmation-required', '--priority', '5', '--role-arn', ROLE, '--client-request-token', 'cli-token-1',
      '--operation', JSON.stringify({ S3PutObjectTagging: { TagSet: [{ Key: 'by', Value: 'cli' }] } }),
      '--manifest', JSON.stringify({ Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] }, Location: { ObjectArn: 'arn:aws:s3:::cli-src/manifest.csv', ETag: put.ETag } }),
      '--report', JSON.stringify({ Bucket: 'arn:aws:s3:::cli-rpt', Format: 'Report_CSV_20180820', Enabled: true, Prefix: 'r', ReportScope: 'AllTasks' }));
    const jobId = created.JobId as string;
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await waitFor(jobId, ['Suspended'])).ConfirmationRequired).toBe(true);

    const listed = await ok('s3control', 'list-jobs', '--job-statuses', 'Suspended');
    expect(listed.Jobs.map((j: { JobId: string }) => j.JobId)).toContain(jobId);
    expect(await ok('s3control', 'update-job-priority', '--job-id', jobId, '--priority', '9')).toEqual({ JobId: jobId, Priority: 9 });
    const ready = await ok('s3control', 'update-job-status', '--job-id', jobId, '--requested-job-status', 'Ready', '--status-update-reason', 'ok');
    expect(ready).toMatchObject({ JobId: jobId, StatusUpdateReason: 'ok' });
    const done = await waitFor(jobId, ['Complete', 'Failed']);
    expect(done).toMatchObject({ Status: 'Complete', Priority: 9, ProgressSummary: { TotalNumberOfTasks: 1, NumberOfTasksSucceeded: 1, NumberOfTasksFailed: 0 } });

    // Several statuses: the CLI repeats jobStatuses in the query, and every value is signed and filtered on.
    const both = await ok('s3control', 'list-jobs', '--job-statuses', 'Complete', 'Suspended');
    expect(both.Jobs.map((j: { JobId: string }) => j.JobId)).toContain(jobId);
    expect((await ok('s3control', 'list-jobs', '--job-statuses', 'Suspended', 'Cancelled')).Jobs ?? []).toEqual([]);
    const tags = await ok('s3api', 'get-object-tagging', '--bucket', 'cli-src', '--key', 'raw/a.txt');
    expect(tags.TagSet).toEqual([{ Key: 'by', Value: 'cli' }]);
    const report = await ok('s3api', 'list-objects-v2', '--bucket', 'cli-rpt', '--prefix', `r/job-${jobId}/`);
    expect(report.Contents.map((o: { Key: string }) => o.Key)).toContain(`r/job-${jobId}/manifest.json`);

    // The same job through the SDK: same fields.
    const { Job } = await sdk.send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId: jobId }));
    expect(Job).toMatchObject({ JobId: jobId, Status: done.Status, Priority: done.Priority, RoleArn: done.RoleArn, ProgressSummary: done.ProgressSummary, Report: done.Report });
    expect(Job!.Operation).toEqual(done.Operation);

    // Idempotent retry with the same token and body; a different body is refused.
    expect((await ok('s3control', 'create-job', '--confirmation-required', '--priority', '5', '--role-arn', ROLE, '--client-request-token', 'cli-token-1',
      '--operation', JSON.stringify({ S3PutObjectTagging: { TagSet: [{ Key: 'by', Value: 'cli' }] } }),
      '--manifest', JSON.stringify({ Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] }, Location: { ObjectArn: 'arn:aws:s3:::cli-src/manifest.csv', ETag: put.ETag } }),
      '--report', JSON.stringify({ Bucket: 'arn:aws:s3:::cli-rpt', Format: 'Report_CSV_20180820', Enabled: true, Prefix: 'r', ReportScope: 'AllTasks' }))).JobId).toBe(jobId);
  });

  test('describe-job of an unknown job and a bad status update fail with S3 Control error codes', async () => {
    const missing = await aws(['s3control', 'describe-job', '--account-id', ACCOUNT, '--job-id', '00000000-0000-4000-8000-000000000000', '--endpoint-url', `http://localhost:${emulator.port}`]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('NoSuchJob');
    const bad = await aws(['s3control', 'update-job-status', '--account-id', ACCOUNT, '--job-id', '00000000-0000-4000-8000-000000000000', '--requested-job-status', 'Ready', '--endpoint-url', `http://localhost:${emulator.port}`]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('NoSuchJob');
  });
});
