/**
 * The wiring uses a raw terraform_data TerraformResource, not cdktf's DataResource: the latter runs
 * `terraform version` in a child process per instance at synth (~100 ms each, docs/architecture.md "The Terraform wiring").
 */
import * as childProcess from 'node:child_process';
import { DataResource, TerraformStack, Testing } from 'cdktf';
import { BatchJob, JobManifest, ManifestFromPrefix } from '../../src';
import { TerraformData } from '../../src/constructs/private/terraform-data';
import { base } from './helpers';

test('no DataResource and no child process at synth', () => {
  const execSync = jest.spyOn(childProcess, 'execSync');
  try {
    const stack = new TerraformStack(Testing.app(), 'test');
    const manifest = new ManifestFromPrefix(stack, 'M', { region: 'cn-hangzhou', sourceBucket: 'photos', manifestBucket: 'ops' });
    new BatchJob(stack, 'A', base());
    new BatchJob(stack, 'B', base({ manifest: JobManifest.fromManifestFromPrefix(manifest) }));
    const all = stack.node.findAll();
    expect(all.filter((c) => c instanceof TerraformData)).toHaveLength(6);
    expect(all.filter((c) => c instanceof DataResource)).toHaveLength(0);
    Testing.synth(stack);
    expect(execSync.mock.calls.map((call) => String(call[0])).filter((command) => command.includes('terraform'))).toEqual([]);
  } finally {
    execSync.mockRestore();
  }
});
