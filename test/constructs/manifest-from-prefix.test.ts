/** ManifestFromPrefix: its own terraform_data pair, the normalized event, attributes, and how a job uses it. */
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { BatchJob, JobManifest, ManifestFromPrefix, ManifestFromPrefixProps } from '../../src';
import type { ManifestFromPrefixEvent } from '../../src/shared/contract';
import { canonicalJson } from '../../src/shared/token';
import { base, eventOf, resourceOf, synth } from './helpers';

const props = (overrides: Partial<ManifestFromPrefixProps> = {}): ManifestFromPrefixProps => ({
  region: 'cn-hangzhou', sourceBucket: 'photos', prefix: 'raw/', manifestBucket: 'ops', ...overrides,
});

/** The manifest's identity as Terraform's triggers_replace holds it (all literals here). */
const identityOf = (overrides: Partial<ManifestFromPrefixProps>) => {
  const json = synth((stack) => new ManifestFromPrefix(stack, 'Raw', props(overrides)));
  return canonicalJson(JSON.parse(resourceOf(json, 'Raw', 'job')[1].triggers_replace));
};

describe('ManifestFromPrefix', () => {
  test('a terraform_data pair without a destroy step, and a normalized manifest-from-prefix event', () => {
    const json = synth((stack) => new ManifestFromPrefix(stack, 'Raw', props({
      endpoint: 'http://127.0.0.1:9000', pathStyle: true,
      filter: { suffixes: ['.png', '.jpg', '.png'], storageClasses: ['IA', 'Standard'], modifiedAfter: '2025-01-01T08:00:00+08:00', minSizeBytes: 1 },
    })));
    const [jobName, job] = resourceOf(json, 'Raw', 'job');
    const [, result] = resourceOf(json, 'Raw', 'result');
    expect(job.provisioner).toHaveLength(1);
    expect(job.provisioner[0]['local-exec'].command).toMatch(/handler\.js" create$/);
    expect(result.lifecycle.replace_triggered_by).toEqual([`terraform_data.${jobName}.id`]);
    const event = eventOf<ManifestFromPrefixEvent>(json, 'Raw');
    expect(event).toEqual({
      kind: 'manifest-from-prefix', format: 2, name: 'test/Raw',
      connection: { endpoint: 'http://127.0.0.1:9000', pathStyle: true },
      identity: {
        region: 'cn-hangzhou', sourceBucket: 'photos', prefix: 'raw/', manifestBucket: 'ops', manifestPrefix: 'oss-batch-manifests/',
        filter: { suffixes: ['.jpg', '.png'], storageClasses: ['IA', 'Standard'], modifiedAfter: '2025-01-01T00:00:00.000Z', minSizeBytes: 1 },
        includeVersionIds: false,
      },
    });
    // Replaced (listed again) when the identity changes; the connection is not part of it.
    expect(JSON.parse(job.triggers_replace)).toEqual(event.identity);
  });

  test('equivalent inputs give the same identity; changed inputs and rerunToken another; endpoint and pathStyle none', () => {
    const reference = identityOf({ filter: { suffixes: ['.jpg', '.png'] } });
    expect(identityOf({ filter: { suffixes: ['.png', '.jpg', '.jpg'] }, pathStyle: false, region: 'oss-cn-hangzhou', endpoint: 'http://127.0.0.1:9000' })).toBe(reference);
    expect(identityOf({ filter: { suffixes: ['.jpg', '.png'], modifiedAfter: '2025-01-01' } }))
      .toBe(identityOf({ filter: { suffixes: ['.jpg', '.png'], modifiedAfter: '2025-01-01T00:00:00Z' } }));
    const changed = [
      { prefix: 'other/' }, { sourceBucket: 'pictures' }, { manifestBucket: 'ops2' }, { manifestPrefix: 'lists/' }, { includeVersionIds: true },
      { rerunToken: 'again' }, { filter: { suffixes: ['.jpg'] } }, { filter: { suffixes: ['.jpg', '.png'], maxSizeBytes: 10 } }, { region: 'cn-shanghai' },
    ].map((o) => identityOf(o as Partial<ManifestFromPrefixProps>));
    expect(new Set([reference, ...changed]).size).toBe(changed.length + 1);
  });

  test('attributes: bucket is the prop; key, etag, count and hash are references to the result', () => {
    const json = synth((stack) => {
      const manifest = new ManifestFromPrefix(stack, 'Raw', props());
      expect(manifest.bucket).toBe('ops');
      expect(typeof manifest.objectCount).toBe('number');
      for (const name of ['key', 'etag', 'objectCount', 'contentSha256'] as const) new TerraformOutput(stack, name, { value: manifest[name] });
    });
    const [resultName] = resourceOf(json, 'Raw', 'result');
    for (const name of ['key', 'etag', 'objectCount', 'contentSha256']) expect(json.output[name].value).toBe(`\${terraform_data.${resultName}.output.${name}}`);
  });

  test('fromManifestFromPrefix: a csv manifest of the listing\'s bucket, key and ETag, known after the listing ran', () => {
    const json = synth((stack) => {
      const manifest = new ManifestFromPrefix(stack, 'Raw', props({ includeVersionIds: true }));
      new BatchJob(stack, 'Tag', base({ manifest: JobManifest.fromManifestFromPrefix(manifest) }));
    });
    const [manifestResult] = resourceOf(json, 'Raw', 'result');
    const [, job] = resourceOf(json, 'Tag', 'job');
    const csv = `"csv":{"bucket":"ops","key":\${jsonencode(terraform_data.${manifestResult}.output.key)},` +
      `"etag":\${jsonencode(terraform_data.${manifestResult}.output.etag)},"fields":"Bucket,Key,VersionId","format":"OSS_BatchOperations_CSV_20250611"}`;
    expect(job.input).toContain(csv);
    expect(job.triggers_replace).toContain(csv);
  });

  test('two stacks of the same name in two apps cannot share a manifest key: the key is the content hash', () => {
    const a = new ManifestFromPrefix(new TerraformStack(new App(), 'photos'), 'Raw', props());
    expect(a.key).toMatch(/TfToken/);
  });
});
