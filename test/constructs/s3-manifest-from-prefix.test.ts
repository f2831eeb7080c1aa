/** S3ManifestFromPrefix: its own terraform_data pair running the S3 bundle, the normalized event, attributes, and how an S3BatchJob uses it. */
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { ManifestFromPrefix, S3BatchJob, S3JobManifest, S3ManifestFromPrefix, S3ManifestFromPrefixProps } from '../../src';
import { parseS3Event } from '../../src/handler/s3/event';
import type { S3ManifestFromPrefixEvent } from '../../src/shared/contract';
import { canonicalJson } from '../../src/shared/token';
import { eventOf, resourceOf, synth } from './helpers';
import { s3Base } from './s3-helpers';

const props = (overrides: Partial<S3ManifestFromPrefixProps> = {}): S3ManifestFromPrefixProps => ({
  region: 'us-east-1', sourceBucket: 'photos', prefix: 'raw/', manifestBucket: 'ops', ...overrides,
});

/** The manifest's identity as Terraform's triggers_replace holds it (all literals here). */
const identityOf = (overrides: Partial<S3ManifestFromPrefixProps>) => {
  const json = synth((stack) => new S3ManifestFromPrefix(stack, 'Raw', props(overrides)));
  return canonicalJson(JSON.parse(resourceOf(json, 'Raw', 'job')[1].triggers_replace));
};

describe('S3ManifestFromPrefix', () => {
  test('a terraform_data pair running s3-handler.js without a destroy step, and a normalized s3-manifest-from-prefix event', () => {
    const json = synth((stack) => new S3ManifestFromPrefix(stack, 'Raw', props({
      endpoint: 'http://127.0.0.1:9000', pathStyle: true,
      filter: { suffixes: ['.png', '.jpg', '.png'], storageClasses: ['STANDARD_IA', 'GLACIER'], modifiedAfter: '2025-01-01T08:00:00+08:00', minSizeBytes: 1 },
    })));
    const [jobName, job] = resourceOf(json, 'Raw', 'job');
    const [, result] = resourceOf(json, 'Raw', 'result');
    expect(job.provisioner).toHaveLength(1);
    expect(job.provisioner[0]['local-exec'].command).toMatch(/^node "assets\/OssBatchHandler\/[0-9A-F]+\/s3-handler\.js" create$/);
    expect(result.lifecycle.replace_triggered_by).toEqual([`terraform_data.${jobName}.id`]);
    const event = eventOf<S3ManifestFromPrefixEvent>(json, 'Raw');
    expect(event).toEqual({
      kind: 's3-manifest-from-prefix', format: 2, name: 'test/Raw',
      connection: { endpoint: 'http://127.0.0.1:9000', pathStyle: true },
      identity: {
        region: 'us-east-1', sourceBucket: 'photos', prefix: 'raw/', manifestBucket: 'ops', manifestPrefix: 's3-batch-manifests/',
        filter: { suffixes: ['.jpg', '.png'], storageClasses: ['GLACIER', 'STANDARD_IA'], modifiedAfter: '2025-01-01T00:00:00.000Z', minSizeBytes: 1 },
        includeVersionIds: false,
      },
    });
    expect(JSON.parse(job.triggers_replace)).toEqual(event.identity);
    // The S3 handler accepts the event as it is.
    expect(parseS3Event(JSON.stringify(event))).toEqual(event);
  });

  test('equivalent inputs give the same identity; changed inputs and rerunToken another; endpoint and pathStyle none', () => {
    const reference = identityOf({ filter: { suffixes: ['.jpg', '.png'] } });
    expect(identityOf({ filter: { suffixes: ['.png', '.jpg', '.jpg'] }, pathStyle: false, endpoint: 'http://127.0.0.1:9000' })).toBe(reference);
    expect(identityOf({ filter: { suffixes: ['.jpg', '.png'] }, manifestPrefix: 's3-batch-manifests/', includeVersionIds: false })).toBe(reference);
    const changed = [
      { prefix: 'other/' }, { sourceBucket: 'pictures' }, { manifestBucket: 'ops2' }, { manifestPrefix: 'lists/' }, { includeVersionIds: true },
      { rerunToken: 'again' }, { filter: { suffixes: ['.jpg'] } }, { filter: { suffixes: ['.jpg', '.png'], maxSizeBytes: 10 } }, { region: 'us-west-2' },
    ].map((o) => identityOf(o as Partial<S3ManifestFromPrefixProps>));
    expect(new Set([reference, ...changed]).size).toBe(changed.length + 1);
  });

  test('attributes: bucket is the prop; key, etag, count and hash are references to the result', () => {
    const json = synth((stack) => {
      const manifest = new S3ManifestFromPrefix(stack, 'Raw', props());
      expect(manifest.bucket).toBe('ops');
      expect(typeof manifest.objectCount).toBe('number');
      for (const name of ['key', 'etag', 'objectCount', 'contentSha256'] as const) new TerraformOutput(stack, name, { value: manifest[name] });
    });
    const [resultName] = resourceOf(json, 'Raw', 'result');
    for (const name of ['key', 'etag', 'objectCount', 'contentSha256']) expect(json.output[name].value).toBe(`\${terraform_data.${resultName}.output.${name}}`);
  });

  test('fromManifestFromPrefix: a csv manifest of the listing\'s bucket, key and ETag, with the version column when listed', () => {
    const json = synth((stack) => {
      const manifest = new S3ManifestFromPrefix(stack, 'Raw', props({ includeVersionIds: true }));
      new S3BatchJob(stack, 'Tag', s3Base({ manifest: S3JobManifest.fromManifestFromPrefix(manifest) }));
    });
    const [manifestResult] = resourceOf(json, 'Raw', 'result');
    const [, job] = resourceOf(json, 'Tag', 'job');
    const csv = `"csv":{"bucket":"ops","key":\${jsonencode(terraform_data.${manifestResult}.output.key)},` +
      `"etag":\${jsonencode(terraform_data.${manifestResult}.output.etag)},"fields":"Bucket,Key,VersionId","format":"S3BatchOperations_CSV_20180820"}`;
    expect(job.input).toContain(csv);
    expect(job.triggers_replace).toContain(csv);
  });

  test('a referenced includeVersionIds: the job reads the CSV columns from the listing result', () => {
    const json = synth((stack) => {
      const flag = new TerraformVariable(stack, 'versions', { type: 'bool' }).booleanValue as unknown as boolean;
      const manifest = new S3ManifestFromPrefix(stack, 'Raw', props({ includeVersionIds: flag }));
      expect(manifest._csvFields).toMatch(/TfToken/);
      new S3BatchJob(stack, 'Tag', s3Base({ manifest: S3JobManifest.fromManifestFromPrefix(manifest) }));
    });
    const [manifestResult] = resourceOf(json, 'Raw', 'result');
    expect(resourceOf(json, 'Raw', 'job')[1].input).toContain('"includeVersionIds":${jsonencode(var.versions)}');
    expect(resourceOf(json, 'Tag', 'job')[1].input).toContain(`"fields":\${jsonencode(terraform_data.${manifestResult}.output.fields)}`);
  });

  test('OSS and S3 listings of one stack share the asset and run their own bundles', () => {
    const json = synth((stack) => {
      new ManifestFromPrefix(stack, 'Oss', { region: 'cn-hangzhou', sourceBucket: 'photos', manifestBucket: 'ops' });
      new S3ManifestFromPrefix(stack, 'S3', props());
    });
    const commandOf = (prefix: string) => resourceOf(json, prefix, 'job')[1].provisioner[0]['local-exec'].command as string;
    expect(commandOf('S3')).toBe(commandOf('Oss').replace('/handler.js"', '/s3-handler.js"'));
  });

  test('the manifest key is known after apply only: it is the content hash', () => {
    expect(new S3ManifestFromPrefix(new TerraformStack(new App(), 'photos'), 'Raw', props()).key).toMatch(/TfToken/);
  });
});
