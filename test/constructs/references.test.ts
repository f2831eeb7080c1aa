/**
 * Values that may be unknown at synth (bucket names, the role ARN, a CSV manifest's etag/version id
 * given as references to other resources): accepted, hashed by their Terraform expression at synth,
 * folded in by value at apply time, JSON-encoded in the event, and wired into triggers_replace.
 */
import { App, TerraformResource, TerraformStack, TerraformVariable } from 'cdktf';
import { BatchJob, JobManifest, ManifestFromPrefix } from '../../src';
import { base, eventOf, resourceOf, synth } from './helpers';

/** A resource of some provider with a `bucket` attribute, as a bucket resource would have. */
const bucketResource = (stack: TerraformStack, id: string) => new TerraformResource(stack, id, { terraformResourceType: 'alicloud_oss_bucket' });

describe('references to other resources', () => {
  test('report.bucket and roleArn as references: token known at synth, values folded in at apply time', () => {
    let token = '';
    const json = synth((stack) => {
      const reports = bucketResource(stack, 'Reports');
      const role = new TerraformVariable(stack, 'role_arn', { type: 'string' });
      token = new BatchJob(stack, 'J', base({ roleArn: role.stringValue, report: { bucket: reports.getStringAttribute('bucket') } })).clientRequestToken;
    });
    const [, job] = resourceOf(json, 'J', 'job');
    // In the event the references are JSON-encoded by Terraform at apply time.
    expect(job.input).toContain('"roleArn":${jsonencode(var.role_arn)}');
    expect(job.input).toContain('"bucket":${jsonencode(alicloud_oss_bucket.Reports.bucket)}');
    // A change of either value replaces the job resource (a new job, not the old token with a new body).
    // Document order of the spec: roleArn comes before report.
    expect(job.triggers_replace).toEqual([token, '${var.role_arn}', '${alicloud_oss_bucket.Reports.bucket}']);
    expect(job.input).toContain('"manifestIdentity":"${sha256(jsonencode([var.role_arn, alicloud_oss_bucket.Reports.bucket]))}"');
  });

  test('the synth token is stable across synths and differs from the literal-value token', () => {
    const build = (bucketId: string) => {
      const stack = new TerraformStack(new App(), 's');
      return new BatchJob(stack, 'J', base({ report: { bucket: bucketResource(stack, bucketId).getStringAttribute('bucket') } })).clientRequestToken;
    };
    expect(build('Reports')).toBe(build('Reports'));
    expect(build('Reports')).not.toBe(build('OtherReports'));
    const stack = new TerraformStack(new App(), 's');
    expect(build('Reports')).not.toBe(new BatchJob(stack, 'J', base({ report: { bucket: 'reports' } })).clientRequestToken);
  });

  test('fromCsv with bucket and etag from the resource that uploads the manifest', () => {
    const json = synth((stack) => {
      const ops = bucketResource(stack, 'Ops');
      const object = new TerraformResource(stack, 'Manifest', { terraformResourceType: 'alicloud_oss_bucket_object' });
      new BatchJob(stack, 'J', base({
        manifest: JobManifest.fromCsv({ bucket: ops.getStringAttribute('bucket'), key: 'm.csv', etag: object.getStringAttribute('etag') }),
      }));
    });
    const [, job] = resourceOf(json, 'J', 'job');
    // The etag's quotes (if any) are removed by Terraform, then the value JSON-encoded.
    expect(job.input).toContain('"etag":${jsonencode(replace(alicloud_oss_bucket_object.Manifest.etag, "\\"", ""))}');
    expect(job.input).toContain('"bucket":${jsonencode(alicloud_oss_bucket.Ops.bucket)}');
    expect(job.triggers_replace).toHaveLength(3);
  });

  test('ManifestFromPrefix buckets as references reach its event, its triggers and the job identity', () => {
    const json = synth((stack) => {
      const photos = bucketResource(stack, 'Photos');
      const manifest = new ManifestFromPrefix(stack, 'Raw', { region: 'cn-hangzhou', sourceBucket: photos.getStringAttribute('bucket'), manifestBucket: 'ops' });
      new BatchJob(stack, 'J', base({ manifest: JobManifest.fromManifestFromPrefix(manifest) }));
    });
    const [, manifestJob] = resourceOf(json, 'Raw', 'job');
    expect(manifestJob.input).toContain('"sourceBucket":${jsonencode(alicloud_oss_bucket.Photos.bucket)}');
    expect(manifestJob.triggers_replace).toEqual([manifestEventOfRaw(json).token, '${alicloud_oss_bucket.Photos.bucket}']);
    const [resultName] = resourceOf(json, 'Raw', 'result');
    const event = JSON.parse(resourceOf(json, 'J', 'job')[1].input);
    expect(event.manifestIdentity).toBe(`\${sha256(jsonencode([terraform_data.${resultName}.output.contentSha256, alicloud_oss_bucket.Photos.bucket]))}`);
  });

  test('literal-only specs carry no apply-time identity', () => {
    expect(eventOf(synth((stack) => new BatchJob(stack, 'J', base())), 'J').manifestIdentity).toBeUndefined();
  });
});

function manifestEventOfRaw(json: Record<string, any>) {
  // The manifest event holds a reference, so read its token from the literal part of the string.
  const input = resourceOf(json, 'Raw', 'job')[1].input as string;
  return { token: /"token":"(cdktf1-[0-9a-f]+)"/.exec(input)![1] };
}
