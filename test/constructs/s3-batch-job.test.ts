/** S3BatchJob synthesis: the same two-resource wiring as BatchJob, running the S3 handler bundle; the event it carries, attributes, and what must be absent. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import {
  BatchJob, DeletionBehavior, ReportScope, S3BatchJob, S3BatchOperation, S3CannedAcl, S3JobManifest, S3RestoreTier, S3StorageClass,
} from '../../src';
import { parseS3Event } from '../../src/handler/s3/event';
import type { S3BatchJobEvent } from '../../src/shared/contract';
import { s3JobToken } from '../../src/shared/token';
import { base, eventOf, expectJobWiring, resourceOf, synth } from './helpers';
import { s3Base } from './s3-helpers';

const s3EventOf = (json: Record<string, any>, prefix: string) => eventOf<S3BatchJobEvent>(json, prefix);

describe('S3BatchJob wiring', () => {
  test('two terraform_data resources running s3-handler.js, and nothing else', () => {
    const json = synth((stack) => {
      const job = new S3BatchJob(stack, 'Tag', s3Base({ deletionBehavior: DeletionBehavior.CANCEL }));
      new TerraformOutput(stack, 'JobId', { value: job.jobId });
    });
    expectJobWiring(json, 'Tag', 's3-handler.js');
  });

  test('OSS and S3 constructs of one stack share one asset; each runs its own bundle', () => {
    const json = synth((stack) => {
      new BatchJob(stack, 'Oss', base());
      new S3BatchJob(stack, 'S3', s3Base());
    });
    const commandOf = (prefix: string) => resourceOf(json, prefix, 'job')[1].provisioner[0]['local-exec'].command as string;
    const [, ossDir] = /^node "(.+)\/handler\.js" create$/.exec(commandOf('Oss'))!;
    const [, s3Dir] = /^node "(.+)\/s3-handler\.js" create$/.exec(commandOf('S3'))!;
    expect(s3Dir).toBe(ossDir);
  });

  test('credentials in the environment never reach the synthesized JSON', () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'MARKER-KEY-ID-4711', AWS_SECRET_ACCESS_KEY: 'MARKER-SECRET-4711', AWS_SESSION_TOKEN: 'MARKER-STS-4711', AWS_PROFILE: 'MARKER-PROFILE-4711',
    });
    try {
      const text = JSON.stringify(synth((stack) => {
        new S3BatchJob(stack, 'Job', s3Base({ endpoint: 'http://127.0.0.1:9000', deletionBehavior: DeletionBehavior.CANCEL }));
      }));
      expect(text).not.toMatch(/MARKER-[A-Z-]*4711/);
      expect(text).not.toMatch(/ACCESS_KEY|SECRET|SESSION_TOKEN|AWS_PROFILE/);
    } finally {
      process.env = saved;
    }
  });

  test('the event carries the normalized identity, connection and settings with defaults filled in', () => {
    const event = s3EventOf(synth((stack) => new S3BatchJob(stack, 'J', s3Base())), 'J');
    expect(event).toEqual({
      kind: 's3-batch-job', format: 2, name: 'test/J', connection: {},
      identity: {
        region: 'us-east-1', accountId: '123456789012', roleArn: 'arn:aws:iam::123456789012:role/BatchRole', priority: 10, description: '', confirmationRequired: false,
        operation: { type: 'S3PutObjectTagging', tags: [{ key: 'env', value: 'prod' }] },
        manifest: { generator: { sourceBucket: 'photos', prefix: 'raw/' } },
        report: { enabled: true, bucket: 'ops', prefix: 's3-batch-reports', scope: 'AllTasks' },
      },
      settings: { autoConfirm: false, waitForCompletion: true, timeoutSeconds: 3600, maxFailedTasks: 0, deletionBehavior: 'retain' },
    });
    // The handler's own check of what it receives changes nothing (normalization is idempotent).
    expect(parseS3Event(JSON.stringify(event))).toEqual(event);
  });

  test('every prop given explicitly lands in the event', () => {
    const event = s3EventOf(synth((stack) => new S3BatchJob(stack, 'J', s3Base({
      region: 'eu-central-1', endpoint: 'HTTP://127.0.0.1:9000/', pathStyle: true, description: 'nightly', confirmationRequired: true, autoConfirm: true,
      waitForCompletion: false, timeoutSeconds: 60, maxFailedTasks: 3, deletionBehavior: DeletionBehavior.CANCEL, rerunToken: 'again-1',
      operation: S3BatchOperation.putObjectCopy({ targetBucket: 'backup', targetKeyPrefix: 'copy/', storageClass: S3StorageClass.GLACIER_IR, cannedAcl: S3CannedAcl.BUCKET_OWNER_FULL_CONTROL }),
      manifest: S3JobManifest.fromCsv({ bucket: 'ops', key: 'manifests/m.csv', etag: '"ABC123"', versionId: 'v1', includesVersionIds: true }),
      report: { bucket: 'ops', prefix: 'r/', scope: ReportScope.FAILED_TASKS_ONLY, enabled: false },
    }))), 'J');
    expect(event.connection).toEqual({ endpoint: 'http://127.0.0.1:9000', pathStyle: true });
    expect(event.identity).toEqual({
      region: 'eu-central-1', accountId: '123456789012', roleArn: 'arn:aws:iam::123456789012:role/BatchRole', priority: 10,
      description: 'nightly', confirmationRequired: true, rerunToken: 'again-1',
      operation: { type: 'S3PutObjectCopy', targetBucket: 'backup', targetKeyPrefix: 'copy/', storageClass: 'GLACIER_IR', cannedAcl: 'bucket-owner-full-control' },
      manifest: { csv: { bucket: 'ops', key: 'manifests/m.csv', etag: 'ABC123', versionId: 'v1', fields: 'Bucket,Key,VersionId', format: 'S3BatchOperations_CSV_20180820' } },
      report: { enabled: false, bucket: 'ops', prefix: 'r', scope: 'FailedTasksOnly' },
    });
    expect(event.settings).toEqual({ autoConfirm: true, waitForCompletion: false, timeoutSeconds: 60, maxFailedTasks: 3, deletionBehavior: 'cancel' });
  });

  test.each([
    ['deleteObjectTagging', S3BatchOperation.deleteObjectTagging(), { type: 'S3DeleteObjectTagging' }],
    ['putObjectAcl', S3BatchOperation.putObjectAcl(S3CannedAcl.PRIVATE), { type: 'S3PutObjectAcl', cannedAcl: 'private' }],
    ['initiateRestoreObject, default tier', S3BatchOperation.initiateRestoreObject({ days: 3 }), { type: 'S3InitiateRestoreObject', days: 3, tier: 'STANDARD' }],
    ['initiateRestoreObject, bulk', S3BatchOperation.initiateRestoreObject({ days: 3, tier: S3RestoreTier.BULK }), { type: 'S3InitiateRestoreObject', days: 3, tier: 'BULK' }],
    ['putObjectCopy, target only', S3BatchOperation.putObjectCopy({ targetBucket: 'backup' }), { type: 'S3PutObjectCopy', targetBucket: 'backup' }],
    ['putObjectTagging, no tags (removes them)', S3BatchOperation.putObjectTagging({}), { type: 'S3PutObjectTagging', tags: [] }],
  ])('operation %s', (_name, operation, expected) => {
    expect(s3EventOf(synth((stack) => new S3BatchJob(stack, 'J', s3Base({ operation }))), 'J').identity.operation).toEqual(expected);
  });

  test.each([
    ['fromCsv', S3JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv' }), { csv: { bucket: 'ops', key: 'm.csv', fields: 'Bucket,Key', format: 'S3BatchOperations_CSV_20180820' } }],
    ['fromInventoryReport', S3JobManifest.fromInventoryReport({ bucket: 'inv', manifestKey: 'inventory/photos/manifest.json', etag: '"E1"' }),
      { inventory: { bucket: 'inv', manifestKey: 'inventory/photos/manifest.json', etag: 'E1', format: 'S3InventoryReport_CSV_20161130' } }],
    ['fromGenerator, whole bucket', S3JobManifest.fromGenerator({ sourceBucket: 'photos' }), { generator: { sourceBucket: 'photos', prefix: '' } }],
  ])('manifest %s', (_name, manifest, expected) => {
    expect(s3EventOf(synth((stack) => new S3BatchJob(stack, 'J', s3Base({ manifest }))), 'J').identity.manifest).toEqual(expected);
  });

  test('a disabled report needs no bucket', () => {
    const event = s3EventOf(synth((stack) => new S3BatchJob(stack, 'J', s3Base({ report: { enabled: false } }))), 'J');
    expect(event.identity.report).toEqual({ enabled: false, bucket: '', prefix: 's3-batch-reports', scope: 'AllTasks' });
  });

  test('every attribute renders as a lookup into the result resource; the token is known at synth', () => {
    const names = ['jobId', 'jobArn', 'status', 'totalTasks', 'succeededTasks', 'failedTasks', 'reportLocation'] as const;
    const json = synth((stack) => {
      const job = new S3BatchJob(stack, 'J', s3Base());
      for (const name of names) new TerraformOutput(stack, name, { value: job[name] });
      new TerraformOutput(stack, 'token', { value: job.clientRequestToken });
    });
    const [resultName] = resourceOf(json, 'J', 'result');
    for (const name of names) expect(json.output[name].value).toBe(`\${terraform_data.${resultName}.output.${name}}`);
    expect(json.output.token.value).toBe(s3JobToken(s3EventOf(json, 'J').identity));
    expect(json.output.token.value).toMatch(/^s3b1-[0-9a-f]{59}$/);
  });

  test('attribute tokens are typed: strings are strings, counts are numbers', () => {
    const job = new S3BatchJob(new TerraformStack(new App(), 's'), 'J', s3Base());
    for (const name of ['jobId', 'jobArn', 'status', 'reportLocation'] as const) expect(typeof job[name]).toBe('string');
    for (const name of ['totalTasks', 'succeededTasks', 'failedTasks'] as const) expect(typeof job[name]).toBe('number');
  });

  test('full synth: the command points into the asset copied beside the stack; no credentials in cdk.tf.json', () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'MARKER-4713-ID', AWS_SECRET_ACCESS_KEY: 'MARKER-4713-SECRET', AWS_SESSION_TOKEN: 'MARKER-4713-STS' });
    let stackDir: string;
    try {
      const stack = new TerraformStack(Testing.app(), 'assets');
      new S3BatchJob(stack, 'A', s3Base({ endpoint: 'http://127.0.0.1:9000', deletionBehavior: DeletionBehavior.CANCEL }));
      stackDir = join(Testing.fullSynth(stack), 'stacks', 'assets');
    } finally {
      process.env = saved;
    }
    const text = readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8');
    expect(text).not.toContain('MARKER-4713');
    const json = JSON.parse(text);
    const command: string = resourceOf(json, 'A', 'job')[1].provisioner[0]['local-exec'].command;
    const relative = /^node "([^"]+)\/s3-handler\.js" create$/.exec(command)![1];
    expect(relative.startsWith('/')).toBe(false);
    // Both bundles travel in the one asset directory.
    for (const file of ['s3-handler.js', 'handler.js']) expect(statSync(join(stackDir, relative, file)).isFile()).toBe(true);
  });
});

describe('the S3 handler bundle must exist', () => {
  test('a missing s3-handler.js is a clear error naming npm run build, even when the stack already has the asset', () => {
    jest.isolateModules(() => {
      const actual = jest.requireActual('node:fs');
      jest.doMock('node:fs', () => ({ ...actual, existsSync: (p: string) => (String(p).endsWith('/s3-handler.js') ? false : actual.existsSync(p)) }));
      const isolated = require('../../src') as typeof import('../../src');
      const cdktf = require('cdktf') as typeof import('cdktf');
      const stack = new cdktf.TerraformStack(cdktf.Testing.app(), 's');
      // The OSS job creates the shared asset; the S3 job still checks its own bundle.
      new isolated.BatchJob(stack, 'Oss', { ...base(), operation: isolated.BatchOperation.deleteObjectTagging(), manifest: isolated.JobManifest.fromKeyPrefix({ sourceBucket: 'photos' }) });
      expect(() => new isolated.S3BatchJob(stack, 'S3', {
        ...s3Base(), operation: isolated.S3BatchOperation.deleteObjectTagging(), manifest: isolated.S3JobManifest.fromGenerator({ sourceBucket: 'photos' }),
      })).toThrow(/the bundled handler .*dist\/handler\/s3-handler\.js does not exist.*run `npm run build`/);
    });
    jest.dontMock('node:fs');
  });
});
