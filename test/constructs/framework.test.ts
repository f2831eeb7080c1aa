/**
 * A construct of one build (cdktf: the main entry; cdktn: 'cdktf-oss-batch/cdktn', the same code
 * with cdktf bound to cdktn) in a stack of the other framework fails when it is created, with one
 * sentence naming the right import. The cdktn build is reproduced here by mapping 'cdktf' to the
 * real cdktn package, as scripts/library-entries.mjs does when it bundles lib/cdktn.
 */
import * as cdktf from 'cdktf';
import * as cdktn from 'cdktn';
import { Construct } from 'constructs';
import { BatchJob, BatchOperation, JobManifest, ManifestFromPrefix } from '../../src';
import { assertFramework, frameworkOfClass, OWN_FRAMEWORK } from '../../src/constructs/private/framework';
import { base } from './helpers';

type Lib = typeof import('../../src');

/** The constructs as the cdktn entry point runs them, and the cdktn module they were bound to. */
function cdktnBuild(): { lib: Lib; framework: typeof import('cdktn'); own: unknown } {
  let result: ReturnType<typeof cdktnBuild> | undefined;
  jest.isolateModules(() => {
    jest.doMock('cdktf', () => jest.requireActual('cdktn'));
    result = {
      lib: require('../../src') as Lib,
      framework: require('cdktf') as typeof import('cdktn'),
      own: (require('../../src/constructs/private/framework') as typeof import('../../src/constructs/private/framework')).OWN_FRAMEWORK,
    };
  });
  jest.dontMock('cdktf');
  return result!;
}

const propsOf = (lib: Lib) => ({
  region: 'cn-hangzhou', roleArn: 'acs:ram::1234567890123456:role/BatchRole', priority: 10,
  operation: lib.BatchOperation.putObjectTagging({ env: 'prod' }),
  manifest: lib.JobManifest.fromKeyPrefix({ sourceBucket: 'photos', prefix: 'raw/' }),
  report: { bucket: 'ops' },
});

const ONE_SENTENCE = /^[^\n]+ instead\.$/;

describe('frameworkOfClass', () => {
  test('tells the two frameworks apart by their classes, through user subclasses', () => {
    class MyCdktnStack extends cdktn.TerraformStack {}
    expect(frameworkOfClass(cdktf.TerraformStack)).toBe('cdktf');
    expect(frameworkOfClass(cdktf.App)).toBe('cdktf');
    expect(frameworkOfClass(cdktn.TerraformStack)).toBe('cdktn');
    expect(frameworkOfClass(MyCdktnStack)).toBe('cdktn');
    expect(frameworkOfClass(Construct)).toBeUndefined();
    expect(frameworkOfClass(undefined)).toBeUndefined();
  });

  test('the main entry is built for cdktf', () => {
    expect(OWN_FRAMEWORK).toBe('cdktf');
  });
});

describe('the cdktf build (main entry)', () => {
  test('BatchJob in a cdktn stack: one sentence naming cdktf-oss-batch/cdktn', () => {
    const stack = new cdktn.TerraformStack(new cdktn.App(), 'photos');
    const error = captureError(() => new BatchJob(new Construct(stack, 'Group'), 'TagRaw', base()));
    expect(error.message).toBe(
      "photos/Group/TagRaw: this BatchJob comes from 'cdktf-oss-batch', which is built for cdktf, but its stack is a cdktn stack; " +
      "import BatchJob from 'cdktf-oss-batch/cdktn' instead.");
    expect(error.message).toMatch(ONE_SENTENCE);
  });

  test('ManifestFromPrefix in a cdktn stack fails the same way', () => {
    const stack = new cdktn.TerraformStack(new cdktn.App(), 'photos');
    expect(() => new ManifestFromPrefix(stack, 'Raw', { region: 'cn-hangzhou', sourceBucket: 'photos', manifestBucket: 'ops' }))
      .toThrow("photos/Raw: this ManifestFromPrefix comes from 'cdktf-oss-batch', which is built for cdktf, but its stack is a cdktn stack; import ManifestFromPrefix from 'cdktf-oss-batch/cdktn' instead.");
  });

  test('a cdktf stack, also under plain constructs, passes', () => {
    const stack = new cdktf.TerraformStack(cdktf.Testing.app(), 'photos');
    const job = new BatchJob(new Construct(stack, 'Group'), 'TagRaw', base({ manifest: JobManifest.fromKeyPrefix({ sourceBucket: 'photos' }), operation: BatchOperation.deleteObjectTagging() }));
    expect(() => assertFramework(job)).not.toThrow();
    expect(JSON.parse(cdktf.Testing.synth(stack)).resource.terraform_data).toBeDefined();
  });

  test('a tree without any framework class is left to the constructs (no framework to compare)', () => {
    expect(() => assertFramework(new Construct(new Construct(undefined as any, 'root'), 'c'))).not.toThrow();
  });
});

describe('the cdktn build (cdktf bound to cdktn)', () => {
  const build = cdktnBuild();

  test('knows it is built for cdktn', () => {
    expect(build.own).toBe('cdktn');
  });

  test('BatchJob in a cdktf stack: one sentence naming cdktf-oss-batch', () => {
    const stack = new cdktf.TerraformStack(new cdktf.App(), 'photos');
    const error = captureError(() => new build.lib.BatchJob(stack, 'TagRaw', propsOf(build.lib)));
    expect(error.message).toBe(
      "photos/TagRaw: this BatchJob comes from 'cdktf-oss-batch/cdktn', which is built for cdktn, but its stack is a cdktf stack; " +
      "import BatchJob from 'cdktf-oss-batch' instead.");
    expect(error.message).toMatch(ONE_SENTENCE);
  });

  test('in a cdktn stack it synthesizes (the crash of a cdktf-built construct in cdktn does not happen)', () => {
    const { framework, lib } = build;
    const stack = new framework.TerraformStack(framework.Testing.app(), 'photos');
    const job = new lib.BatchJob(stack, 'TagRaw', propsOf(lib));
    new framework.TerraformOutput(stack, 'JobId', { value: job.jobId });
    const json = JSON.parse(framework.Testing.synth(stack));
    expect(Object.keys(json.resource.terraform_data).length).toBeGreaterThanOrEqual(2);
    expect(json.output.JobId.value).toMatch(/^\$\{terraform_data\./);
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}
