/**
 * Identity props given as Terraform references (variables, other resources' attributes): accepted
 * at synth, rendered as `${jsonencode(<reference>)}` in the event and in `triggers_replace`, and
 * hashed by the handler after Terraform resolved them: the same resolved values give the token a
 * literal spec gives, different values a different token.
 */
import { App, TerraformResource, TerraformStack, TerraformVariable } from 'cdktf';
import { BatchJob, BatchOperation, JobManifest, ManifestFromPrefix, ReportScope } from '../../src';
import { parseEvent } from '../../src/handler/event';
import type { BatchJobEvent } from '../../src/shared/contract';
import { jobToken } from '../../src/shared/token';
import { base, resolveLikeTerraform, resourceOf, ROLE, synth, tokenOf } from './helpers';

/** A resource of some provider with a `bucket` attribute, as a bucket resource would have. */
const bucketResource = (stack: TerraformStack, id: string) => new TerraformResource(stack, id, { terraformResourceType: 'alicloud_oss_bucket' });

/** The token the handler computes for the job `J` of `json` once Terraform resolved `values`. */
function applyTimeToken(json: Record<string, any>, values: Record<string, unknown>): string {
  const event = parseEvent(resolveLikeTerraform(resourceOf(json, 'J', 'job')[1].input, values)) as BatchJobEvent;
  return jobToken(event.identity);
}

describe('references in identity props', () => {
  const literal = base({
    roleArn: ROLE, priority: 7, description: 'nightly <tagging> & more',
    operation: BatchOperation.putObjectTagging({ env: 'prod', team: 'media' }),
    manifest: JobManifest.fromCsv({ bucket: 'ops', key: 'lists/m.csv', etag: 'ABC123' }),
    report: { bucket: 'reports', prefix: 'r/', scope: ReportScope.FAILED_TASKS_ONLY, enabled: true },
  });
  const values: Record<string, unknown> = {
    'var.role': ROLE, 'var.priority': 7, 'var.description': 'nightly <tagging> & more', 'var.tag_key': 'team', 'var.tag_value': 'media',
    'var.bucket': 'ops', 'var.key': 'lists/m.csv', 'alicloud_oss_bucket_object.M.etag': '"ABC123"', 'alicloud_oss_bucket.R.bucket': 'reports',
    'var.prefix': 'r/', 'var.scope': 'FailedTasksOnly', 'var.enabled': true, 'var.region': 'oss-cn-hangzhou',
  };
  const withReferences = (stack: TerraformStack) => {
    const v = (name: string, type = 'string') => new TerraformVariable(stack, name, { type });
    const object = new TerraformResource(stack, 'M', { terraformResourceType: 'alicloud_oss_bucket_object' });
    return new BatchJob(stack, 'J', base({
      region: v('region').stringValue,
      roleArn: v('role').stringValue, priority: v('priority', 'number').numberValue, description: v('description').stringValue,
      // The tags in another order than the literal spec: sorted by the handler once the keys are known.
      operation: BatchOperation.putObjectTagging({ [v('tag_key').stringValue]: v('tag_value').stringValue, env: 'prod' }),
      manifest: JobManifest.fromCsv({ bucket: v('bucket').stringValue, key: v('key').stringValue, etag: object.getStringAttribute('etag') }),
      report: {
        bucket: bucketResource(stack, 'R').getStringAttribute('bucket'), prefix: v('prefix').stringValue,
        scope: v('scope').stringValue as ReportScope, enabled: v('enabled', 'bool').booleanValue as unknown as boolean,
      },
    }));
  };

  test('are JSON-encoded by Terraform in the event and in triggers_replace; the token is known after apply', () => {
    let token = '';
    const json = synth((stack) => { token = withReferences(stack).clientRequestToken; });
    const [, job] = resourceOf(json, 'J', 'job');
    expect(job.input).toContain('"roleArn":${jsonencode(var.role)}');
    expect(job.input).toContain('"priority":${jsonencode(var.priority)}');
    expect(job.input).toContain('"bucket":${jsonencode(alicloud_oss_bucket.R.bucket)}');
    expect(job.input).toContain('"enabled":${jsonencode(var.enabled)}');
    expect(job.triggers_replace).toContain('"roleArn":${jsonencode(var.role)}');
    expect(job.triggers_replace).not.toContain('connection');
    expect(token).toMatch(/TfToken/);
  });

  test('the same resolved values give the literal spec\'s token', () => {
    const json = synth(withReferences);
    expect(applyTimeToken(json, values)).toBe(tokenOf(literal));
  });

  test('each changed resolved value gives another token', () => {
    const json = synth(withReferences);
    const changes: Record<string, unknown>[] = [
      { 'var.role': 'acs:ram::1234567890123456:role/Other' }, { 'var.priority': 8 }, { 'var.description': 'x' }, { 'var.tag_key': 'owner' },
      { 'var.tag_value': 'web' }, { 'var.bucket': 'ops-2' }, { 'var.key': 'lists/n.csv' }, { 'alicloud_oss_bucket_object.M.etag': 'DEF' },
      { 'alicloud_oss_bucket.R.bucket': 'reports-2' }, { 'var.prefix': 'q/' }, { 'var.scope': 'AllTasks' }, { 'var.enabled': false },
      { 'var.region': 'cn-shanghai' },
    ];
    const tokens = [applyTimeToken(json, values), ...changes.map((change) => applyTimeToken(json, { ...values, ...change }))];
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  test('a resolved value that breaks a rule fails with the prop named, as synth would for the literal', () => {
    const json = synth(withReferences);
    const failure = (change: Record<string, unknown>) => {
      try {
        applyTimeToken(json, { ...values, ...change });
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected the event to be refused');
    };
    expect(failure({ 'var.priority': -1 })).toMatch(/^test\/J: priority must be an integer from 0 to 2147483647 \(got -1\)/);
    expect(failure({ 'var.role': 'arn:aws:iam::1:role/x' })).toMatch(/^test\/J: roleArn must look like acs:ram::/);
    expect(failure({ 'var.bucket': 'Not_A_Bucket' })).toMatch(/^test\/J: manifest.bucket must be a bucket name/);
    expect(failure({ 'var.tag_key': 'env' })).toMatch(/^test\/J: operation tag key "env" is given twice/);
    expect(failure({ 'var.tag_key': 'k'.repeat(129) })).toMatch(/^test\/J: operation tag key "k+…" must be 1-128 characters \(got 129\)/);
    expect(failure({ 'var.scope': 'Some' })).toMatch(/^test\/J: report.scope must be one of AllTasks, FailedTasksOnly/);
    expect(failure({ 'var.enabled': 'maybe' })).toMatch(/^test\/J: report.enabled must be true or false/);
    // The synth message for the same literal:
    expect(() => tokenOf(base({ priority: -1 }))).toThrow(/^s\/J: priority must be an integer from 0 to 2147483647 \(got -1\); higher runs first$/);
  });

  test('a ManifestFromPrefix with a referenced source bucket; its job reads the manifest key and ETag from the listing', () => {
    const json = synth((stack) => {
      const photos = bucketResource(stack, 'Photos');
      const manifest = new ManifestFromPrefix(stack, 'Raw', { region: 'cn-hangzhou', sourceBucket: photos.getStringAttribute('bucket'), manifestBucket: 'ops' });
      new BatchJob(stack, 'J', base({ manifest: JobManifest.fromManifestFromPrefix(manifest) }));
    });
    const [, manifestJob] = resourceOf(json, 'Raw', 'job');
    expect(manifestJob.input).toContain('"sourceBucket":${jsonencode(alicloud_oss_bucket.Photos.bucket)}');
    expect(manifestJob.triggers_replace).toContain('"sourceBucket":${jsonencode(alicloud_oss_bucket.Photos.bucket)}');
    const [resultName] = resourceOf(json, 'Raw', 'result');
    const key = `terraform_data.${resultName}.output.key`;
    const etag = `terraform_data.${resultName}.output.etag`;
    const input = resourceOf(json, 'J', 'job')[1].input as string;
    expect(input).toContain(`"key":\${jsonencode(${key})}`);
    expect(input).toContain(`"etag":\${jsonencode(${etag})}`);
    // Once the listing ran, the job is the one a fromCsv of the same object would be.
    const resolved = { [key]: 'oss-batch-manifests/abc.csv', [etag]: 'E1' };
    expect(applyTimeToken(json, resolved)).toBe(tokenOf(base({ manifest: JobManifest.fromCsv({ bucket: 'ops', key: 'oss-batch-manifests/abc.csv', etag: 'E1' }) })));
  });

  test('a whole tags map as one reference is refused with a clear message', () => {
    const stack = new TerraformStack(new App(), 's');
    const tags = new TerraformVariable(stack, 'tags', { type: 'map(string)' });
    expect(() => BatchOperation.putObjectTagging(tags.value as { [key: string]: string }))
      .toThrow(/putObjectTagging: tags must be written as an object literal/);
  });
});
