/**
 * The S3 constructs in both builds: the cdktn entry point ('cdktf-oss-batch/cdktn', the same code
 * with cdktf bound to cdktn) exports them and they synthesize in a cdktn stack; a construct of one
 * build in a stack of the other fails with one sentence naming the right import.
 */
import * as cdktf from 'cdktf';
import { S3BatchJob, S3ManifestFromPrefix } from '../../src';
import { s3Base } from './s3-helpers';

type Lib = typeof import('../../src');

/** The library as the cdktn entry point runs it, and the cdktn module it was bound to. */
function cdktnBuild(): { lib: Lib; framework: typeof import('cdktn') } {
  let result: ReturnType<typeof cdktnBuild> | undefined;
  jest.isolateModules(() => {
    jest.doMock('cdktf', () => jest.requireActual('cdktn'));
    result = { lib: require('../../src') as Lib, framework: require('cdktf') as typeof import('cdktn') };
  });
  jest.dontMock('cdktf');
  return result!;
}

const S3_EXPORTS = [
  'S3BatchJob', 'S3BatchOperation', 'S3JobManifest', 'S3ManifestFromPrefix', 'S3CannedAcl', 'S3RestoreTier', 'S3StorageClass',
] as const;

describe('S3 constructs in the cdktn build', () => {
  const { lib, framework } = cdktnBuild();

  test('the cdktn entry exports every S3 class and enum, as the main entry does', () => {
    const main = require('../../src') as Lib;
    for (const name of S3_EXPORTS) {
      expect(lib[name]).toBeDefined();
      expect(main[name]).toBeDefined();
    }
  });

  test('an S3BatchJob on an S3ManifestFromPrefix synthesizes in a cdktn stack', () => {
    const stack = new framework.TerraformStack(framework.Testing.app(), 'photos');
    const manifest = new lib.S3ManifestFromPrefix(stack, 'Raw', { region: 'us-east-1', sourceBucket: 'photos', manifestBucket: 'ops' });
    const job = new lib.S3BatchJob(stack, 'Tag', {
      ...s3Base(), operation: lib.S3BatchOperation.putObjectAcl(lib.S3CannedAcl.PRIVATE), manifest: lib.S3JobManifest.fromManifestFromPrefix(manifest),
    });
    new framework.TerraformOutput(stack, 'JobArn', { value: job.jobArn });
    const json = JSON.parse(framework.Testing.synth(stack));
    expect(Object.keys(json.resource.terraform_data)).toHaveLength(4);
    expect(json.output.JobArn.value).toMatch(/^\$\{terraform_data\.Tag_result_\w+\.output\.jobArn\}$/);
  });

  test('an S3BatchJob of the cdktn build in a cdktf stack names the main entry', () => {
    const stack = new cdktf.TerraformStack(new cdktf.App(), 'photos');
    expect(() => new lib.S3BatchJob(stack, 'Tag', { ...s3Base(), operation: lib.S3BatchOperation.deleteObjectTagging(), manifest: lib.S3JobManifest.fromGenerator({ sourceBucket: 'photos' }) }))
      .toThrow("photos/Tag: this S3BatchJob comes from 'cdktf-oss-batch/cdktn', which is built for cdktn, but its stack is a cdktf stack; import S3BatchJob from 'cdktf-oss-batch' instead.");
  });
});

describe('S3 constructs of the main build in a cdktn stack', () => {
  const { framework } = cdktnBuild();

  test.each([
    ['S3BatchJob', (stack: any) => new S3BatchJob(stack, 'Tag', s3Base())],
    ['S3ManifestFromPrefix', (stack: any) => new S3ManifestFromPrefix(stack, 'Tag', { region: 'us-east-1', sourceBucket: 'photos', manifestBucket: 'ops' })],
  ])('%s: one sentence naming cdktf-oss-batch/cdktn', (name, make) => {
    const stack = new framework.TerraformStack(new framework.App(), 'photos');
    expect(() => make(stack)).toThrow(
      `photos/Tag: this ${name} comes from 'cdktf-oss-batch', which is built for cdktf, but its stack is a cdktn stack; import ${name} from 'cdktf-oss-batch/cdktn' instead.`);
  });
});
