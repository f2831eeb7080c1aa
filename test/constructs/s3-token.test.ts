/**
 * S3BatchJob's ClientRequestToken: a pure function of the normalized S3 identity, as for BatchJob.
 * Key order, explicit defaults, connection props and settings do not change it; any change to an
 * identity field does; identity props given as references are rendered for Terraform to resolve,
 * and the handler then computes the token a literal spec of the same values gives.
 */
import fc from 'fast-check';
import { App, TerraformOutput, TerraformResource, TerraformStack, TerraformVariable, Testing, Token } from 'cdktf';
import {
  DeletionBehavior, ReportScope, S3BatchJob, S3BatchJobProps, S3BatchOperation, S3CannedAcl, S3JobManifest, S3ManifestFromPrefix, S3RestoreTier, S3StorageClass,
} from '../../src';
import { resolveLikeTerraform, resourceOf, shuffledKeys, stripUndefined, synth } from './helpers';
import { applyTimeS3Token, handlerS3Token, s3Base, s3TokenOf } from './s3-helpers';

describe('S3 ClientRequestToken', () => {
  test('format: s3b1- and 59 hex digits, 64 characters (the S3 Control maximum)', () => {
    expect(s3TokenOf(s3Base())).toMatch(/^s3b1-[0-9a-f]{59}$/);
  });

  test('synth and the handler compute the same token from the event', () => {
    const json = synth((stack) => new S3BatchJob(stack, 'J', s3Base({ pathStyle: true })));
    expect(handlerS3Token(resourceOf(json, 'J', 'job')[1].input)).toBe(s3TokenOf(s3Base()));
  });

  const identityProps: fc.Arbitrary<Partial<S3BatchJobProps>> = fc.record({
    region: fc.constantFrom('us-east-1', 'eu-central-1'),
    priority: fc.integer({ min: 0, max: 2147483647 }),
    description: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    confirmationRequired: fc.option(fc.boolean(), { nil: undefined }),
    operation: fc.oneof(
      fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 10 }).map((t) => S3BatchOperation.putObjectTagging(t)),
      fc.constantFrom(...Object.values(S3CannedAcl)).map((acl) => S3BatchOperation.putObjectAcl(acl)),
      fc.record({ days: fc.integer({ min: 1, max: 1000 }), tier: fc.constantFrom(undefined, ...Object.values(S3RestoreTier)) }).map((o) => S3BatchOperation.initiateRestoreObject(o)),
      fc.record({ targetBucket: fc.constantFrom('backup', 'archive-1'), storageClass: fc.constantFrom(undefined, ...Object.values(S3StorageClass)) })
        .map((o) => S3BatchOperation.putObjectCopy(o)),
      fc.constant(S3BatchOperation.deleteObjectTagging()),
    ),
    manifest: fc.oneof(
      fc.record({ sourceBucket: fc.constantFrom('photos', 'logs-1'), prefix: fc.option(fc.constantFrom('raw/', 'a/b/'), { nil: undefined }) }).map((p) => S3JobManifest.fromGenerator(p)),
      fc.record({ bucket: fc.constant('ops'), key: fc.constantFrom('m.csv', 'x/m.csv'), etag: fc.option(fc.stringMatching(/^[0-9a-f]{32}$/), { nil: undefined }) }).map((p) => S3JobManifest.fromCsv(p)),
    ),
    report: fc.record({
      bucket: fc.constantFrom('ops', 'reports'), prefix: fc.option(fc.constantFrom('r', 'reports/x'), { nil: undefined }),
      scope: fc.option(fc.constantFrom(...Object.values(ReportScope)), { nil: undefined }), enabled: fc.option(fc.boolean(), { nil: undefined }),
    }),
  }, { requiredKeys: ['priority', 'operation', 'manifest', 'report', 'region'] });

  test('key order, tag order and explicit defaults do not change it (property)', () => {
    fc.assert(fc.property(identityProps, fc.nat(), (props, seed) => {
      const explicit: Partial<S3BatchJobProps> = {
        ...props, description: props.description ?? '', confirmationRequired: props.confirmationRequired ?? false,
        report: { prefix: 's3-batch-reports', scope: ReportScope.ALL_TASKS, enabled: true, ...stripUndefined(props.report!) },
      };
      expect(s3TokenOf(shuffledKeys(s3Base(explicit), seed))).toBe(s3TokenOf(s3Base(props)));
    }), { numRuns: 100 });
    expect(s3TokenOf(s3Base({ operation: S3BatchOperation.putObjectTagging({ a: '1', b: '2' }) })))
      .toBe(s3TokenOf(s3Base({ operation: S3BatchOperation.putObjectTagging({ b: '2', a: '1' }) })));
  });

  test('explicit defaults of the operation and manifest, and equivalent spellings, give the same job', () => {
    const same: [Partial<S3BatchJobProps>, Partial<S3BatchJobProps>][] = [
      [{ operation: S3BatchOperation.initiateRestoreObject({ days: 2, tier: S3RestoreTier.STANDARD }) }, { operation: S3BatchOperation.initiateRestoreObject({ days: 2 }) }],
      [{ operation: S3BatchOperation.putObjectCopy({ targetBucket: 'backup', targetKeyPrefix: '' }) }, { operation: S3BatchOperation.putObjectCopy({ targetBucket: 'backup' }) }],
      [{ manifest: S3JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', includesVersionIds: false }) }, { manifest: S3JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv' }) }],
      [{ manifest: S3JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', etag: '"ABC"' }) }, { manifest: S3JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', etag: 'ABC' }) }],
      [{ manifest: S3JobManifest.fromGenerator({ sourceBucket: 'photos', prefix: '' }) }, { manifest: S3JobManifest.fromGenerator({ sourceBucket: 'photos' }) }],
      [{ report: { bucket: 'ops', prefix: 'r/' } }, { report: { bucket: 'ops', prefix: 'r' } }],
    ];
    for (const [a, b] of same) expect(s3TokenOf(s3Base(a))).toBe(s3TokenOf(s3Base(b)));
  });

  test('settings, endpoint and pathStyle do not change it (property)', () => {
    const settings: fc.Arbitrary<Partial<S3BatchJobProps>> = fc.record({
      autoConfirm: fc.boolean(), waitForCompletion: fc.boolean(), timeoutSeconds: fc.integer({ min: 1, max: 604800 }),
      maxFailedTasks: fc.nat(), deletionBehavior: fc.constantFrom(...Object.values(DeletionBehavior)), pathStyle: fc.boolean(),
      endpoint: fc.constantFrom(undefined, '', 'http://127.0.0.1:9000', 'https://s3.us-east-1.amazonaws.com'),
    }, { requiredKeys: [] });
    const reference = s3TokenOf(s3Base());
    fc.assert(fc.property(settings, (s) => {
      expect(s3TokenOf(s3Base(s))).toBe(reference);
    }), { numRuns: 100 });
  });

  test('every identity field changes it', () => {
    const changes: Partial<S3BatchJobProps>[] = [
      { region: 'us-west-2' }, { accountId: '210987654321' }, { roleArn: 'arn:aws:iam::123456789012:role/Other' }, { priority: 11 },
      { description: 'x' }, { confirmationRequired: true }, { rerunToken: 'again' },
      { operation: S3BatchOperation.putObjectTagging({ env: 'dev' }) }, { operation: S3BatchOperation.putObjectTagging({ Env: 'prod' }) },
      { operation: S3BatchOperation.putObjectTagging({}) }, { operation: S3BatchOperation.deleteObjectTagging() },
      { operation: S3BatchOperation.putObjectAcl(S3CannedAcl.PRIVATE) }, { operation: S3BatchOperation.putObjectAcl(S3CannedAcl.BUCKET_OWNER_READ) },
      { operation: S3BatchOperation.initiateRestoreObject({ days: 1 }) }, { operation: S3BatchOperation.initiateRestoreObject({ days: 1, tier: S3RestoreTier.BULK }) },
      { operation: S3BatchOperation.initiateRestoreObject({ days: 2 }) },
      { operation: S3BatchOperation.putObjectCopy({ targetBucket: 'backup' }) }, { operation: S3BatchOperation.putObjectCopy({ targetBucket: 'backup-2' }) },
      { operation: S3BatchOperation.putObjectCopy({ targetBucket: 'backup', targetKeyPrefix: 'copy/' }) },
      { operation: S3BatchOperation.putObjectCopy({ targetBucket: 'backup', storageClass: S3StorageClass.GLACIER }) },
      { operation: S3BatchOperation.putObjectCopy({ targetBucket: 'backup', cannedAcl: S3CannedAcl.PRIVATE }) },
      { manifest: S3JobManifest.fromGenerator({ sourceBucket: 'photos', prefix: 'other/' }) }, { manifest: S3JobManifest.fromGenerator({ sourceBucket: 'pictures', prefix: 'raw/' }) },
      { manifest: S3JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv' }) }, { manifest: S3JobManifest.fromCsv({ bucket: 'ops-2', key: 'm.csv' }) },
      { manifest: S3JobManifest.fromCsv({ bucket: 'ops', key: 'n.csv' }) }, { manifest: S3JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', etag: 'ABC' }) },
      { manifest: S3JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', versionId: 'v1' }) }, { manifest: S3JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', includesVersionIds: true }) },
      { manifest: S3JobManifest.fromInventoryReport({ bucket: 'ops', manifestKey: 'inv/manifest.json' }) },
      { manifest: S3JobManifest.fromInventoryReport({ bucket: 'ops', manifestKey: 'inv/manifest.json', etag: 'ABC' }) },
      { manifest: S3JobManifest.fromInventoryReport({ bucket: 'ops', manifestKey: 'inv2/manifest.json' }) },
      { report: { bucket: 'reports' } }, { report: { bucket: 'ops', prefix: 'r' } }, { report: { bucket: 'ops', scope: ReportScope.FAILED_TASKS_ONLY } },
      { report: { bucket: 'ops', enabled: false } }, { report: { enabled: false } },
    ];
    const tokens = [s3TokenOf(s3Base()), ...changes.map((c) => s3TokenOf(s3Base(c)))];
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  test('does not depend on the construct path, stack or app', () => {
    expect(new S3BatchJob(new TerraformStack(new App(), 'elsewhere'), 'Renamed', s3Base()).clientRequestToken).toBe(s3TokenOf(s3Base()));
  });

  test('an S3ManifestFromPrefix job: the token is known after apply', () => {
    const stack = new TerraformStack(new App(), 's');
    const manifest = new S3ManifestFromPrefix(stack, 'Raw', { region: 'us-east-1', sourceBucket: 'photos', prefix: 'raw/', manifestBucket: 'ops' });
    const job = new S3BatchJob(stack, 'J', s3Base({ manifest: S3JobManifest.fromManifestFromPrefix(manifest) }));
    expect(Token.isUnresolved(job.clientRequestToken)).toBe(true);
    new TerraformOutput(stack, 'Token', { value: job.clientRequestToken });
    expect(JSON.parse(Testing.synth(stack)).output.Token.value).toMatch(/^\$\{.*terraform_data\.J_result_\w+\.output.*clientRequestToken/);
  });
});

describe('S3 identity props as references', () => {
  const resource = (stack: TerraformStack, type: string, id: string) => new TerraformResource(stack, id, { terraformResourceType: type });
  const literal = s3Base({
    region: 'eu-west-1', accountId: '012345678901', roleArn: 'arn:aws:iam::012345678901:role/Batch', priority: 7, description: 'nightly <tagging> & more',
    confirmationRequired: true, rerunToken: 'r1',
    operation: S3BatchOperation.putObjectTagging({ env: 'prod', team: 'media' }),
    manifest: S3JobManifest.fromCsv({ bucket: 'ops', key: 'lists/m.csv', etag: 'ABC123', versionId: 'v1', includesVersionIds: true }),
    report: { bucket: 'reports', prefix: 'r', scope: ReportScope.FAILED_TASKS_ONLY, enabled: true },
  });
  const values: Record<string, unknown> = {
    'var.region': 'eu-west-1', 'var.account': '012345678901', 'aws_iam_role.Role.arn': 'arn:aws:iam::012345678901:role/Batch', 'var.priority': '7',
    'var.description': 'nightly <tagging> & more', 'var.confirm': 'true', 'var.rerun': 'r1', 'var.tag_key': 'team', 'var.tag_value': 'media',
    'var.bucket': 'ops', 'var.key': 'lists/m.csv', 'aws_s3_object.M.etag': '"ABC123"', 'aws_s3_object.M.version_id': 'v1',
    'var.versions ? "Bucket,Key,VersionId" : "Bucket,Key"': 'Bucket,Key,VersionId',
    'aws_s3_bucket.R.bucket': 'reports', 'var.prefix': 'r/', 'var.scope': 'FailedTasksOnly', 'var.enabled': true,
  };
  const withReferences = (stack: TerraformStack) => {
    const v = (name: string, type = 'string') => new TerraformVariable(stack, name, { type });
    const object = resource(stack, 'aws_s3_object', 'M');
    return new S3BatchJob(stack, 'J', {
      region: v('region').stringValue, accountId: v('account').stringValue, roleArn: resource(stack, 'aws_iam_role', 'Role').getStringAttribute('arn'),
      priority: v('priority').numberValue, description: v('description').stringValue,
      confirmationRequired: v('confirm').booleanValue as unknown as boolean, rerunToken: v('rerun').stringValue,
      // The tags in another order than the literal spec: sorted by the handler once the keys are known.
      operation: S3BatchOperation.putObjectTagging({ [v('tag_key').stringValue]: v('tag_value').stringValue, env: 'prod' }),
      manifest: S3JobManifest.fromCsv({
        bucket: v('bucket').stringValue, key: v('key').stringValue, etag: object.getStringAttribute('etag'), versionId: object.getStringAttribute('version_id'),
        includesVersionIds: v('versions', 'bool').booleanValue as unknown as boolean,
      }),
      report: {
        bucket: resource(stack, 'aws_s3_bucket', 'R').getStringAttribute('bucket'), prefix: v('prefix').stringValue,
        scope: v('scope').stringValue as ReportScope, enabled: v('enabled', 'bool').booleanValue as unknown as boolean,
      },
      timeoutSeconds: 60, endpoint: v('endpoint').stringValue,
    });
  };

  test('are JSON-encoded by Terraform in the event and in triggers_replace; the token is looked up from the result', () => {
    let token = '';
    const json = synth((stack) => {
      token = withReferences(stack).clientRequestToken;
      new TerraformOutput(stack, 'Token', { value: token });
    });
    const [, job] = resourceOf(json, 'J', 'job');
    for (const text of ['"accountId":${jsonencode(var.account)}', '"roleArn":${jsonencode(aws_iam_role.Role.arn)}', '"priority":${jsonencode(var.priority)}',
      '"bucket":${jsonencode(aws_s3_bucket.R.bucket)}', '"enabled":${jsonencode(var.enabled)}', '"fields":${jsonencode(var.versions ? "Bucket,Key,VersionId" : "Bucket,Key")}']) {
      expect(job.input).toContain(text);
      expect(job.triggers_replace).toContain(text);
    }
    expect(job.input).toContain('"endpoint":${jsonencode(var.endpoint)}');
    expect(job.triggers_replace).not.toContain('endpoint');
    expect(token).toMatch(/TfToken/);
    const [resultName] = resourceOf(json, 'J', 'result');
    expect(json.output.Token.value).toBe(`\${terraform_data.${resultName}.output.clientRequestToken}`);
  });

  test('the same resolved values give the literal spec\'s token', () => {
    const json = synth(withReferences);
    expect(applyTimeS3Token(json, { ...values, 'var.endpoint': 'http://127.0.0.1:9000' })).toBe(s3TokenOf(literal));
  });

  test('each changed resolved value gives another token; the endpoint none', () => {
    const json = synth(withReferences);
    const at = (change: Record<string, unknown>) => applyTimeS3Token(json, { ...values, 'var.endpoint': '', ...change });
    expect(at({ 'var.endpoint': 'https://s3.eu-west-1.amazonaws.com' })).toBe(at({}));
    const changes: Record<string, unknown>[] = [
      { 'var.region': 'eu-west-2' }, { 'var.account': '012345678902' }, { 'aws_iam_role.Role.arn': 'arn:aws:iam::012345678901:role/Other' },
      { 'var.priority': 8 }, { 'var.description': 'x' }, { 'var.confirm': false }, { 'var.rerun': 'r2' }, { 'var.tag_key': 'owner' }, { 'var.tag_value': 'web' },
      { 'var.bucket': 'ops-2' }, { 'var.key': 'lists/n.csv' }, { 'aws_s3_object.M.etag': 'DEF' }, { 'aws_s3_object.M.version_id': 'v2' },
      { 'var.versions ? "Bucket,Key,VersionId" : "Bucket,Key"': 'Bucket,Key' }, { 'aws_s3_bucket.R.bucket': 'reports-2' }, { 'var.prefix': 'q' },
      { 'var.scope': 'AllTasks' }, { 'var.enabled': false },
    ];
    const tokens = [at({}), ...changes.map(at)];
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  test('a resolved value that breaks a rule fails with the prop named, as synth does for the literal', () => {
    const json = synth(withReferences);
    const failure = (change: Record<string, unknown>) => {
      try {
        applyTimeS3Token(json, { ...values, 'var.endpoint': '', ...change });
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected the event to be refused');
    };
    const synthFailure = (props: Partial<S3BatchJobProps>) => {
      try {
        s3TokenOf(s3Base(props));
      } catch (error) {
        // The handler says where it checked: at apply, before any call to AWS.
        return `${(error as Error).message.replace(/^s\/J:/, 'test/J:')} (checked at apply time, after Terraform resolved the references; nothing was sent to AWS)`;
      }
      throw new Error('expected synth to refuse the props');
    };
    expect(failure({ 'var.account': '12345' })).toBe(synthFailure({ accountId: '12345' }));
    expect(failure({ 'aws_iam_role.Role.arn': 'acs:ram::1:role/x' })).toBe(synthFailure({ roleArn: 'acs:ram::1:role/x' }));
    expect(failure({ 'var.region': 'cn-hangzhou-x' })).toBe(synthFailure({ region: 'cn-hangzhou-x' }));
    expect(failure({ 'var.bucket': 'Not_A_Bucket' })).toBe(synthFailure({ manifest: S3JobManifest.fromCsv({ bucket: 'Not_A_Bucket', key: 'm.csv' }) }));
    expect(failure({ 'var.priority': -1 })).toBe(synthFailure({ priority: -1 }));
    expect(failure({ 'var.tag_key': 'env' })).toMatch(/^test\/J: operation tag key "env" is given twice/);
  });

  test('a whole tags map as one reference is refused with a clear message', () => {
    const tags = new TerraformVariable(new TerraformStack(new App(), 's'), 'tags', { type: 'map(string)' });
    expect(() => S3BatchOperation.putObjectTagging(tags.value as { [key: string]: string }))
      .toThrow(/^S3BatchOperation\.putObjectTagging: tags must be written as an object literal/);
  });

  test('settings must be literals (they are validated at synth)', () => {
    const stack = new TerraformStack(new App(), 'v');
    const number = new TerraformVariable(stack, 'n', { type: 'number' }).numberValue;
    const flag = new TerraformVariable(stack, 'f', { type: 'bool' }).booleanValue as unknown as boolean;
    const cases: [string, Partial<S3BatchJobProps>][] = [
      ['timeoutSeconds', { timeoutSeconds: number }], ['maxFailedTasks', { maxFailedTasks: number }],
      ['waitForCompletion', { waitForCompletion: flag }], ['autoConfirm', { confirmationRequired: true, autoConfirm: flag }],
      ['deletionBehavior', { deletionBehavior: new TerraformVariable(stack, 'd', { type: 'string' }).stringValue as DeletionBehavior }],
    ];
    cases.forEach(([name, overrides], i) => {
      expect(() => new S3BatchJob(stack, `Job${i}`, s3Base(overrides)))
        .toThrow(new RegExp(`^v/Job${i}: ${name} must be a literal value \\(got an unresolved token\\): it is a setting`));
    });
  });

  test('a referenced ManifestFromPrefix source bucket; the job reads the manifest key and ETag from the listing', () => {
    const json = synth((stack) => {
      const photos = resource(stack, 'aws_s3_bucket', 'Photos');
      const manifest = new S3ManifestFromPrefix(stack, 'Raw', { region: 'us-east-1', sourceBucket: photos.getStringAttribute('bucket'), manifestBucket: 'ops' });
      new S3BatchJob(stack, 'J', s3Base({ manifest: S3JobManifest.fromManifestFromPrefix(manifest) }));
    });
    const [, manifestJob] = resourceOf(json, 'Raw', 'job');
    expect(manifestJob.triggers_replace).toContain('"sourceBucket":${jsonencode(aws_s3_bucket.Photos.bucket)}');
    const [resultName] = resourceOf(json, 'Raw', 'result');
    const key = `terraform_data.${resultName}.output.key`;
    const etag = `terraform_data.${resultName}.output.etag`;
    const input = resourceOf(json, 'J', 'job')[1].input as string;
    expect(input).toContain(`"csv":{"bucket":"ops","key":\${jsonencode(${key})},"etag":\${jsonencode(${etag})},"fields":"Bucket,Key","format":"S3BatchOperations_CSV_20180820"}`);
    // Once the listing ran, the job is the one a fromCsv of the same object would be.
    const resolved = { [key]: 's3-batch-manifests/abc.csv', [etag]: '"E1"' };
    expect(applyTimeS3Token(json, resolved)).toBe(s3TokenOf(s3Base({ manifest: S3JobManifest.fromCsv({ bucket: 'ops', key: 's3-batch-manifests/abc.csv', etag: 'E1' }) })));
    expect(JSON.parse(resolveLikeTerraform(input, resolved)).kind).toBe('s3-batch-job');
  });
});


