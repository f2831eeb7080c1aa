/** BatchJob synthesis: the two-resource wiring (docs/architecture.md), the event it carries, attributes, and what must be absent. */
import { jobToken } from '../../src/shared/token';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { BatchJob, BatchOperation, DeletionBehavior, JobManifest, ReportScope } from '../../src';
import { base, eventOf, resourceOf, resources, synth } from './helpers';

describe('BatchJob wiring', () => {
  test('two terraform_data resources, and nothing else', () => {
    const json = synth((stack) => {
      const job = new BatchJob(stack, 'TagRaw', base({ deletionBehavior: DeletionBehavior.CANCEL }));
      new TerraformOutput(stack, 'JobId', { value: job.jobId });
    });
    // Absence: no provider, no data sources, no other resource types (cdktf's DataResource would
    // add nothing to the JSON either, but it is not used: see the terraform-data test).
    expect(json.provider).toBeUndefined();
    expect(json.data).toBeUndefined();
    expect(Object.keys(json.resource)).toEqual(['terraform_data']);
    expect(Object.keys(resources(json))).toHaveLength(2);

    const [jobName, job] = resourceOf(json, 'TagRaw', 'job');
    const [resultName, result] = resourceOf(json, 'TagRaw', 'result');
    expect(job.provisioner).toHaveLength(2);
    const [create, destroy] = job.provisioner.map((p: any) => p['local-exec']);
    expect(create.command).toMatch(/^node "assets\/OssBatchHandler\/[0-9A-F]+\/handler\.js" create$/);
    expect(create.when).toBeUndefined();
    expect(create.environment).toEqual({ OSS_BATCH_EVENT: '${self.input}', OSS_BATCH_RESULT: expect.stringMatching(/^\.oss-batch\/test\/\$\{terraform\.workspace\}\/[0-9a-f]{42}\.json$/) });
    // The destroy step may reference only self and literals: the same environment.
    expect(destroy).toEqual({ when: 'destroy', command: create.command.replace(/create$/, 'delete'), environment: create.environment });
    // The identity itself (as JSON text), so a changed value replaces the job; never the connection or settings.
    expect(JSON.parse(job.triggers_replace)).toEqual(eventOf(json, 'TagRaw').identity);
    expect(job.lifecycle).toBeUndefined();

    const file = create.environment.OSS_BATCH_RESULT;
    expect(result.provisioner).toBeUndefined();
    expect(result.triggers_replace).toBeUndefined();
    // On the job's id: an in-place update of the job (endpoint, settings) keeps the stored result.
    expect(result.lifecycle).toEqual({ ignore_changes: ['input'], replace_triggered_by: [`terraform_data.${jobName}.id`] });
    expect(result.input).toBe(`\${jsondecode(terraform_data.${jobName}.id == "unknown-until-apply" ? "{}" : (fileexists("${file}") ? file("${file}") : "{}"))}`);
    expect(json.output.JobId.value).toBe(`\${terraform_data.${resultName}.output.jobId}`);
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
