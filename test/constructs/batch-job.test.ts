/** BatchJob synthesis: the two-resource wiring (docs/architecture.md), the event it carries, attributes, and what must be absent. */
import { jobToken } from '../../src/shared/token';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { BatchJob, BatchOperation, DeletionBehavior, JobManifest, ReportScope } from '../../src';
import { base, eventOf, expectJobWiring, resourceOf, synth } from './helpers';

describe('BatchJob wiring', () => {
  test('two terraform_data resources, and nothing else', () => {
    const json = synth((stack) => {
      const job = new BatchJob(stack, 'TagRaw', base({ deletionBehavior: DeletionBehavior.CANCEL }));
      new TerraformOutput(stack, 'JobId', { value: job.jobId });
    });
    expectJobWiring(json, 'TagRaw', 'handler.js');
  });

  test('credentials in the environment never reach the synthesized JSON', () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'MARKER-KEY-ID-4711', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'MARKER-SECRET-4711',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'MARKER-STS-4711', OSS_ACCESS_KEY_ID: 'MARKER-OSS-ID-4711',
    });
    try {
      const text = JSON.stringify(synth((stack) => {
        new BatchJob(stack, 'Job', base({ endpoint: 'http://127.0.0.1:9000', deletionBehavior: DeletionBehavior.CANCEL }));
      }));
      expect(text).not.toMatch(/MARKER-[A-Z-]*4711/);
      expect(text).not.toMatch(/ACCESS_KEY|SECRET|SECURITY_TOKEN/);
    } finally {
      process.env = saved;
    }
  });

  test('the event carries the normalized identity, connection and settings with defaults filled in', () => {
    const event = eventOf(synth((stack) => new BatchJob(stack, 'J', base())), 'J');
    expect(event).toEqual({
      kind: 'batch-job', format: 2, name: 'test/J', connection: {},
      identity: {
        region: 'cn-hangzhou', roleArn: 'acs:ram::1234567890123456:role/BatchRole', priority: 10, description: '', confirmationRequired: false,
        operation: { type: 'PutObjectTagging', tags: [{ key: 'env', value: 'prod' }] },
        manifest: { keyPrefix: { sourceBucket: 'photos', prefix: 'raw/' } },
        report: { enabled: true, bucket: 'ops', prefix: 'oss-batch-reports/', scope: 'AllTasks' },
      },
      settings: { autoConfirm: false, waitForCompletion: true, timeoutSeconds: 3600, maxFailedTasks: 0, deletionBehavior: 'retain' },
    });
  });

  test('every prop given explicitly lands in the event', () => {
    const event = eventOf(synth((stack) => new BatchJob(stack, 'J', base({
      region: 'oss-cn-shanghai', endpoint: 'HTTP://127.0.0.1:9000/', pathStyle: true, description: 'nightly', confirmationRequired: true, autoConfirm: true,
      waitForCompletion: false, timeoutSeconds: 60, maxFailedTasks: 3, deletionBehavior: DeletionBehavior.CANCEL, rerunToken: 'again-1',
      operation: BatchOperation.restoreObject({ days: 3 }),
      manifest: JobManifest.fromCsv({ bucket: 'ops', key: 'manifests/m.csv', etag: '"ABC123"', versionId: 'v1', fields: 'Bucket,Key,VersionId' }),
      report: { bucket: 'ops', prefix: 'r/', scope: ReportScope.FAILED_TASKS_ONLY, enabled: false },
    }))), 'J');
    expect(event.connection).toEqual({ endpoint: 'http://127.0.0.1:9000', pathStyle: true });
    expect(event.identity).toEqual({
      region: 'cn-shanghai', roleArn: 'acs:ram::1234567890123456:role/BatchRole', priority: 10, description: 'nightly', confirmationRequired: true, rerunToken: 'again-1',
      operation: { type: 'RestoreObject', days: 3 },
      manifest: { csv: { bucket: 'ops', key: 'manifests/m.csv', etag: 'ABC123', versionId: 'v1', fields: 'Bucket,Key,VersionId', format: 'OSS_BatchOperations_CSV_20250611' } },
      report: { enabled: false, bucket: 'ops', prefix: 'r/', scope: 'FailedTasksOnly' },
    });
    expect(event.settings).toEqual({ autoConfirm: true, waitForCompletion: false, timeoutSeconds: 60, maxFailedTasks: 3, deletionBehavior: 'cancel' });
  });

  test('every attribute renders as a lookup into the result resource', () => {
    const json = synth((stack) => {
      const job = new BatchJob(stack, 'J', base());
      const attributes = { jobId: job.jobId, status: job.status, totalTasks: job.totalTasks, succeededTasks: job.succeededTasks, failedTasks: job.failedTasks, reportLocation: job.reportLocation };
      for (const [name, value] of Object.entries(attributes)) new TerraformOutput(stack, name, { value });
      new TerraformOutput(stack, 'token', { value: job.clientRequestToken });
    });
    const [resultName] = resourceOf(json, 'J', 'result');
    for (const name of ['jobId', 'status', 'totalTasks', 'succeededTasks', 'failedTasks', 'reportLocation']) {
      expect(json.output[name].value).toBe(`\${terraform_data.${resultName}.output.${name}}`);
    }
    // The token is a plain string, known at synth.
    expect(json.output.token.value).toBe(jobToken(eventOf(json, 'J').identity));
  });

  test('attribute tokens are typed: strings are strings, counts are numbers', () => {
    const job = new BatchJob(new TerraformStack(new App(), 's'), 'J', base());
    expect(typeof job.jobId).toBe('string');
    expect(typeof job.status).toBe('string');
    expect(typeof job.reportLocation).toBe('string');
    expect(typeof job.totalTasks).toBe('number');
    expect(typeof job.succeededTasks).toBe('number');
    expect(typeof job.failedTasks).toBe('number');
    expect(job.clientRequestToken).toMatch(/^ossb2-/);
  });
});
