import fc from 'fast-check';
import { App, TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import {
  BatchJob, BatchJobProps, BatchOperation, DeletionBehavior, JobManifest, ManifestFromPrefix, ObjectAcl, ReportScope,
} from '../../src';
import { BatchJobEvent } from '../../src/shared/contract';

const base = (overrides: Partial<BatchJobProps> = {}): BatchJobProps => ({
  region: 'cn-hangzhou', roleArn: 'acs:ram::1234567890123456:role/BatchRole', priority: 10,
  operation: BatchOperation.putObjectTagging({ env: 'prod' }),
  manifest: JobManifest.fromKeyPrefix({ sourceBucket: 'photos', prefix: 'raw/' }),
  report: { bucket: 'ops' }, ...overrides,
});

function synth(build: (stack: TerraformStack) => void): Record<string, any> {
  const stack = new TerraformStack(Testing.app(), 'test');
  build(stack);
  return JSON.parse(Testing.synth(stack));
}

const resources = (json: Record<string, any>) => json.resource.terraform_data as Record<string, any>;
const eventOf = (json: Record<string, any>, prefix: string): BatchJobEvent => {
  const [, job] = Object.entries(resources(json)).find(([name]) => name.startsWith(`${prefix}_job_`))!;
  return JSON.parse(job.input);
};
const tokenOf = (props: BatchJobProps) => {
  const stack = new TerraformStack(new App(), 's');
  return new BatchJob(stack, 'J', props).clientRequestToken;
};

describe('BatchJob synthesis', () => {
  test('two terraform_data resources wired as design §2; no provider, no credentials', () => {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = 'MARKER-KEY-ID';
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = 'MARKER-SECRET';
    try {
      const json = synth((stack) => {
        const job = new BatchJob(stack, 'TagRaw', base({ deletionBehavior: DeletionBehavior.CANCEL }));
        new TerraformOutput(stack, 'JobId', { value: job.jobId });
      });
      const text = JSON.stringify(json);
      expect(text).not.toContain('MARKER-KEY-ID');
      expect(text).not.toContain('MARKER-SECRET');
      expect(json.provider).toBeUndefined();
      const names = Object.keys(resources(json));
      expect(names).toHaveLength(2);
      const [jobName, resultName] = [names.find((n) => n.startsWith('TagRaw_job_'))!, names.find((n) => n.startsWith('TagRaw_result_'))!];
      const job = resources(json)[jobName];
      const [create, destroy] = job.provisioner.map((p: any) => p['local-exec']);
      expect(create.command).toMatch(/^node "assets\/OssBatchHandler\/[0-9A-F]+\/handler\.js" create$/);
      expect(create.environment).toEqual({ OSS_BATCH_EVENT: '${self.input}', OSS_BATCH_RESULT: expect.stringMatching(/^\.oss-batch\/test\/[0-9a-f]+\.json$/) });
      expect(destroy).toMatchObject({ when: 'destroy', command: expect.stringMatching(/handler\.js" delete$/) });
      expect(job.triggers_replace).toEqual([eventOf(json, 'TagRaw').token]);
      const result = resources(json)[resultName];
      expect(result.lifecycle).toEqual({ ignore_changes: ['input'], replace_triggered_by: [`terraform_data.${jobName}`] });
      expect(result.input).toBe(`\${jsondecode(terraform_data.${jobName}.id == "unknown-until-apply" ? "{}" : (fileexists("${create.environment.OSS_BATCH_RESULT}") ? file("${create.environment.OSS_BATCH_RESULT}") : "{}"))}`);
      expect(json.output.JobId.value).toBe(`\${terraform_data.${resultName}.output.jobId}`);
    } finally {
      delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
      delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
    }
  });

  test('the event carries the normalized spec with defaults filled in', () => {
    const event = eventOf(synth((stack) => new BatchJob(stack, 'J', base())), 'J');
    expect(event).toMatchObject({
      kind: 'batch-job', name: 'test/J',
      spec: {
        connection: { region: 'cn-hangzhou' }, roleArn: 'acs:ram::1234567890123456:role/BatchRole', priority: 10, description: '', confirmationRequired: false,
        operation: { type: 'PutObjectTagging', tags: [{ key: 'env', value: 'prod' }] },
        manifest: { keyPrefix: { sourceBucket: 'photos', prefix: 'raw/' } },
        report: { enabled: true, bucket: 'ops', prefix: 'oss-batch-reports/', scope: 'AllTasks' },
      },
      settings: { autoConfirm: false, waitForCompletion: true, timeoutSeconds: 3600, maxFailedTasks: 0, deletionBehavior: 'retain' },
    });
    expect(event.token).toMatch(/^cdktf1-[0-9a-f]{57}$/);
  });

  test('Terraform template syntax in user text is escaped in the input, and the token ignores the escaping', () => {
    const props = base({ description: 'a ${b} %{c}', operation: BatchOperation.putObjectTagging({ k: '${v}' }) });
    const json = synth((stack) => new BatchJob(stack, 'J', props));
    const [, job] = Object.entries(resources(json)).find(([n]) => n.startsWith('J_job_'))!;
    expect(job.input).toContain('"description":"a $${b} %%{c}"');
    expect(job.input).toContain('"value":"$${v}"');
    expect(eventOf(json, 'J').token).toBe(tokenOf(props));
  });

  test('retained jobs have no destroy step; every stack shares one handler asset', () => {
    const json = synth((stack) => {
      new BatchJob(stack, 'A', base());
      new BatchJob(stack, 'B', base({ priority: 1 }));
    });
    const jobs = Object.entries(resources(json)).filter(([n]) => n.includes('_job_')).map(([, r]) => r);
    expect(jobs).toHaveLength(2);
    for (const job of jobs) expect(job.provisioner).toHaveLength(1);
    const commands = new Set(jobs.map((j) => j.provisioner[0]['local-exec'].command));
    expect(commands.size).toBe(1);
  });

  test('fromManifestFromPrefix wires the manifest content hash into the job', () => {
    const json = synth((stack) => {
      const manifest = new ManifestFromPrefix(stack, 'Raw', { region: 'cn-hangzhou', sourceBucket: 'photos', prefix: 'raw/', manifestBucket: 'ops' });
      new BatchJob(stack, 'Tag', base({ manifest: JobManifest.fromManifestFromPrefix(manifest) }));
    });
    const names = Object.keys(resources(json));
    const manifestResult = names.find((n) => n.startsWith('Raw_result_'))!;
    const job = resources(json)[names.find((n) => n.startsWith('Tag_job_'))!];
    const event = eventOf(json, 'Tag');
    expect(event.manifestIdentity).toBe(`\${terraform_data.${manifestResult}.output.contentSha256}`);
    expect(event.spec.manifest.csv).toMatchObject({ bucket: 'ops', etag: `\${terraform_data.${manifestResult}.output.etag}`, fields: 'Bucket,Key' });
    expect(job.triggers_replace).toEqual([event.token, `\${terraform_data.${manifestResult}.output.contentSha256}`]);
    const manifestJob = resources(json)[names.find((n) => n.startsWith('Raw_job_'))!];
    expect(manifestJob.provisioner).toHaveLength(1);
    expect(JSON.parse(manifestJob.input)).toMatchObject({ kind: 'manifest-from-prefix', sourceBucket: 'photos', prefix: 'raw/', manifestBucket: 'ops' });
  });
});

describe('ClientRequestToken', () => {
  test('tag order and explicit defaults do not change it', () => {
    const a = tokenOf(base({ operation: BatchOperation.putObjectTagging({ a: '1', b: '2' }) }));
    const b = tokenOf(base({
      operation: BatchOperation.putObjectTagging({ b: '2', a: '1' }), description: '', confirmationRequired: false,
      report: { bucket: 'ops', prefix: 'oss-batch-reports/', scope: ReportScope.ALL_TASKS, enabled: true },
    }));
    expect(a).toBe(b);
    expect(a.length).toBeLessThanOrEqual(64);
  });

  test('settings do not change it; every identity field does (property)', () => {
    const reference = tokenOf(base());
    expect(tokenOf(base({ timeoutSeconds: 60, maxFailedTasks: 5, autoConfirm: true, waitForCompletion: false, deletionBehavior: DeletionBehavior.CANCEL }))).toBe(reference);
    const changes: Partial<BatchJobProps>[] = [
      { region: 'cn-shanghai' }, { endpoint: 'http://127.0.0.1:9000' }, { roleArn: 'acs:ram::1234567890123456:role/Other' }, { priority: 11 },
      { description: 'x' }, { confirmationRequired: true }, { rerunToken: 'again' },
      { operation: BatchOperation.putObjectTagging({ env: 'dev' }) }, { operation: BatchOperation.putObjectAcl(ObjectAcl.PRIVATE) },
      { manifest: JobManifest.fromKeyPrefix({ sourceBucket: 'photos', prefix: 'other/' }) }, { manifest: JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv' }) },
      { report: { bucket: 'ops', prefix: 'r/' } }, { report: { bucket: 'ops', scope: ReportScope.FAILED_TASKS_ONLY } }, { report: { bucket: 'ops', enabled: false } },
    ];
    const tokens = changes.map((c) => tokenOf(base(c)));
    expect(new Set([reference, ...tokens]).size).toBe(changes.length + 1);
    fc.assert(fc.property(fc.integer({ min: 0, max: 2147483647 }), fc.integer({ min: 0, max: 2147483647 }), (p1, p2) => {
      expect(tokenOf(base({ priority: p1 })) === tokenOf(base({ priority: p2 }))).toBe(p1 === p2);
    }), { numRuns: 50 });
  });
});

describe('validation names the prop', () => {
  const cases: [string, Partial<BatchJobProps>, RegExp][] = [
    ['region', { region: 'Hangzhou' }, /region must be a region id/],
    ['endpoint', { endpoint: 'nope' }, /endpoint must be a URL/],
    ['roleArn', { roleArn: 'arn:aws:iam::1:role/x' }, /roleArn must look like acs:ram::<account id>:role\/<role name>/],
    ['priority', { priority: -1 }, /priority must be an integer from 0 to 2147483647/],
    ['priority (fraction)', { priority: 1.5 }, /priority must be an integer/],
    ['description', { description: 'd'.repeat(257) }, /description must be 0-256 characters long/],
    ['rerunToken', { rerunToken: 'r'.repeat(65) }, /rerunToken must be 1-64 characters long/],
    ['timeoutSeconds', { timeoutSeconds: 0 }, /timeoutSeconds must be an integer from 1 to 604800/],
    ['maxFailedTasks', { maxFailedTasks: -1 }, /maxFailedTasks must be an integer/],
    ['deletionBehavior', { deletionBehavior: 'destroy' as DeletionBehavior }, /deletionBehavior must be one of retain, cancel/],
    ['report.bucket', { report: { bucket: 'Bad_Bucket' } }, /report.bucket must be a bucket name/],
    ['report.prefix', { report: { bucket: 'ops', prefix: '/x' } }, /report.prefix must not start with "\/"/],
    ['report.scope', { report: { bucket: 'ops', scope: 'Some' as ReportScope } }, /report.scope must be one of AllTasks, FailedTasksOnly/],
    ['tags: none', { operation: BatchOperation.putObjectTagging({}) }, /operation PutObjectTagging needs 1-10 tags \(got 0\)/],
    ['tags: 11', { operation: BatchOperation.addObjectTagging(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']))) }, /operation AddObjectTagging needs 1-10 tags \(got 11\)/],
    ['tag key', { operation: BatchOperation.putObjectTagging({ ['k'.repeat(129)]: 'v' }) }, /operation tag key .* must be 1-128 characters/],
    ['tag value', { operation: BatchOperation.putObjectTagging({ k: 'v'.repeat(257) }) }, /operation tag value of "k" must be at most 256 characters/],
    ['acl', { operation: BatchOperation.putObjectAcl('bogus' as ObjectAcl) }, /operation acl must be one of default, private, public-read, public-read-write/],
    ['restore days', { operation: BatchOperation.restoreObject({ days: 366 }) }, /operation days .* must be an integer from 1 to 365/],
    ['manifest bucket', { manifest: JobManifest.fromCsv({ bucket: 'x', key: 'm.csv' }) }, /manifest.bucket must be a bucket name/],
    ['manifest fields', { manifest: JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', fields: 'Key' }) }, /manifest.fields must be/],
  ];
  test.each(cases)('%s', (_name, overrides, message) => {
    const stack = new TerraformStack(new App(), 'v');
    expect(() => new BatchJob(stack, 'Job', base(overrides))).toThrow(new RegExp(`^v/Job: ${message.source}`));
  });

  test('identity values must be known at synth', () => {
    const stack = new TerraformStack(new App(), 'v');
    const role = new TerraformVariable(stack, 'role', { type: 'string' });
    expect(() => new BatchJob(stack, 'Job', base({ roleArn: role.stringValue }))).toThrow(/roleArn must be known at synth time/);
  });

  test('boolean props given as Terraform references are rejected, naming the prop', () => {
    for (const prop of ['confirmationRequired', 'pathStyle', 'autoConfirm', 'waitForCompletion'] as const) {
      const stack = new TerraformStack(new App(), 'v');
      const flag = new TerraformVariable(stack, 'flag', { type: 'bool' });
      expect(() => new BatchJob(stack, 'Job', base({ [prop]: flag.booleanValue as unknown as boolean }))).toThrow(new RegExp(`^v/Job: ${prop} must be known at synth time`));
    }
    const stack = new TerraformStack(new App(), 'v');
    const flag = new TerraformVariable(stack, 'flag', { type: 'bool' });
    expect(() => new BatchJob(stack, 'Job', base({ report: { bucket: 'ops', enabled: flag.booleanValue as unknown as boolean } }))).toThrow(/^v\/Job: report.enabled must be known at synth time/);
    expect(() => new ManifestFromPrefix(stack, 'M', { region: 'cn-hangzhou', sourceBucket: 'photos', manifestBucket: 'ops', includeVersionIds: flag.booleanValue as unknown as boolean }))
      .toThrow(/^v\/M: includeVersionIds must be known at synth time/);
  });

  test('ManifestFromPrefix filter checks', () => {
    const make = (filter: object) => () => new ManifestFromPrefix(new TerraformStack(new App(), 'm'), 'M', { region: 'cn-hangzhou', sourceBucket: 'photos', manifestBucket: 'ops', filter });
    expect(make({ minSizeBytes: 10, maxSizeBytes: 1 })).toThrow(/filter.minSizeBytes must not exceed filter.maxSizeBytes/);
    expect(make({ minSizeBytes: -1 })).toThrow(/filter.minSizeBytes must be a whole number/);
    expect(make({ modifiedAfter: 'yesterday' })).toThrow(/filter.modifiedAfter must be an ISO-8601/);
    expect(make({ storageClasses: ['Glacier'] })).toThrow(/filter.storageClasses must contain only Standard/);
    expect(make({ suffixes: ['.jpg'], storageClasses: ['Archive'], modifiedAfter: '2025-01-01T00:00:00Z' })).not.toThrow();
  });
});
