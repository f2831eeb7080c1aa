/** ManifestFromPrefix: its own terraform_data pair, the normalized event, attributes, and how a job uses it. */
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { BatchJob, JobManifest, ManifestFromPrefix, ManifestFromPrefixProps } from '../../src';
import type { ManifestFromPrefixEvent } from '../../src/shared/contract';
import { base, eventOf, resourceOf, synth } from './helpers';

const props = (overrides: Partial<ManifestFromPrefixProps> = {}): ManifestFromPrefixProps => ({
  region: 'cn-hangzhou', sourceBucket: 'photos', prefix: 'raw/', manifestBucket: 'ops', ...overrides,
});

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
    expect(result.lifecycle.replace_triggered_by).toEqual([`terraform_data.${jobName}`]);
    const event = eventOf<ManifestFromPrefixEvent>(json, 'Raw');
    expect(event).toEqual({
      kind: 'manifest-from-prefix', name: 'test/Raw', token: expect.stringMatching(/^cdktf1-[0-9a-f]{57}$/),
      connection: { region: 'cn-hangzhou', endpoint: 'http://127.0.0.1:9000', pathStyle: true },
      sourceBucket: 'photos', prefix: 'raw/', manifestBucket: 'ops', manifestKey: expect.stringMatching(/^oss-batch-manifests\/test\/[0-9a-f]{42}\.csv$/),
      filter: { suffixes: ['.jpg', '.png'], storageClasses: ['IA', 'Standard'], modifiedAfter: '2025-01-01T00:00:00.000Z', minSizeBytes: 1 },
      includeVersionIds: false,
    });
    expect(job.triggers_replace).toEqual([event.token]);
  });

  test('the default manifest key is stable per construct; an explicit one is used as given', () => {
    const keyOf = (overrides: Partial<ManifestFromPrefixProps>, id = 'Raw') => new ManifestFromPrefix(new TerraformStack(new App(), 's'), id, props(overrides)).key;
    expect(keyOf({})).toBe(keyOf({}));
    expect(keyOf({}, 'Other')).not.toBe(keyOf({}));
    expect(keyOf({ manifestKey: 'manifests/raw.csv' })).toBe('manifests/raw.csv');
  });

  test('equivalent inputs give the same manifest token; changed inputs and rerunToken a new one', () => {
    const tokenOf = (overrides: Partial<ManifestFromPrefixProps>) => new ManifestFromPrefix(new TerraformStack(new App(), 's'), 'Raw', props(overrides)).manifestToken;
    const reference = tokenOf({ filter: { suffixes: ['.jpg', '.png'] } });
    expect(tokenOf({ filter: { suffixes: ['.png', '.jpg', '.jpg'] }, pathStyle: false, region: 'oss-cn-hangzhou' })).toBe(reference);
    expect(tokenOf({ filter: { suffixes: ['.jpg', '.png'], modifiedAfter: '2025-01-01' } })).toBe(tokenOf({ filter: { suffixes: ['.jpg', '.png'], modifiedAfter: '2025-01-01T00:00:00Z' } }));
    const changed = [
      { prefix: 'other/' }, { sourceBucket: 'pictures' }, { manifestBucket: 'ops2' }, { manifestKey: 'k.csv' }, { includeVersionIds: true },
      { rerunToken: 'again' }, { endpoint: 'http://127.0.0.1:9000' }, { filter: { suffixes: ['.jpg'] } }, { filter: { suffixes: ['.jpg', '.png'], maxSizeBytes: 10 } },
    ].map((o) => tokenOf(o as Partial<ManifestFromPrefixProps>));
    expect(new Set([reference, ...changed]).size).toBe(changed.length + 1);
  });

  test('attributes: bucket and key are plain strings, the others references to the result', () => {
    const json = synth((stack) => {
      const manifest = new ManifestFromPrefix(stack, 'Raw', props({ manifestKey: 'm/raw.csv' }));
      expect(manifest.bucket).toBe('ops');
      expect(manifest.key).toBe('m/raw.csv');
      expect(typeof manifest.objectCount).toBe('number');
      new TerraformOutput(stack, 'etag', { value: manifest.etag });
      new TerraformOutput(stack, 'objectCount', { value: manifest.objectCount });
      new TerraformOutput(stack, 'contentSha256', { value: manifest.contentSha256 });
    });
    const [resultName] = resourceOf(json, 'Raw', 'result');
    for (const name of ['etag', 'objectCount', 'contentSha256']) expect(json.output[name].value).toBe(`\${terraform_data.${resultName}.output.${name}}`);
  });

  test('fromManifestFromPrefix: csv manifest with the ETag reference, content hash as apply-time identity and trigger', () => {
    const json = synth((stack) => {
      const manifest = new ManifestFromPrefix(stack, 'Raw', props({ includeVersionIds: true }));
      new BatchJob(stack, 'Tag', base({ manifest: JobManifest.fromManifestFromPrefix(manifest) }));
    });
    const [manifestResult] = resourceOf(json, 'Raw', 'result');
    const [, job] = resourceOf(json, 'Tag', 'job');
    const event = eventOf(json, 'Tag');
    const contentSha256 = `\${terraform_data.${manifestResult}.output.contentSha256}`;
    expect(event.manifestIdentity).toBe(contentSha256);
    expect(event.spec.manifest).toEqual({
      csv: {
        bucket: 'ops', key: eventOf<ManifestFromPrefixEvent>(json, 'Raw').manifestKey, etag: `\${terraform_data.${manifestResult}.output.etag}`,
        fields: 'Bucket,Key,VersionId', format: 'OSS_BatchOperations_CSV_20250611',
      },
    });
    expect(job.triggers_replace).toEqual([event.token, contentSha256]);
  });
});
