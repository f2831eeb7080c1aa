/** The handler bundle travels as one TerraformAsset per stack, relative to the stack directory. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { BatchJob, DeletionBehavior, JobManifest, ManifestFromPrefix } from '../../src';
import { handlerBundleDir, packageRoot } from '../../src/constructs/private/handler-asset';
import { base, resourceOf, synth } from './helpers';

const commandsOf = (json: Record<string, any>) => Object.values(json.resource.terraform_data as Record<string, any>)
  .flatMap((r) => (r.provisioner ?? []).map((p: any) => p['local-exec'].command.replace(/ (create|delete)$/, '')));

describe('handler asset', () => {
  test('every construct of a stack shares one asset', () => {
    const json = synth((stack) => {
      new BatchJob(stack, 'A', base());
      new BatchJob(new Construct(stack, 'Group'), 'B', base({ deletionBehavior: DeletionBehavior.CANCEL }));
      const manifest = new ManifestFromPrefix(stack, 'M', { region: 'cn-hangzhou', sourceBucket: 'photos', manifestBucket: 'ops' });
      new BatchJob(stack, 'C', base({ manifest: JobManifest.fromManifestFromPrefix(manifest) }));
    });
    const commands = commandsOf(json);
    expect(commands).toHaveLength(5);
    expect(new Set(commands).size).toBe(1);
  });

  test('full synth: the asset is copied beside the stack and referenced by a relative path', () => {
    const saved = { ...process.env };
    Object.assign(process.env, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'MARKER-4712-ID', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'MARKER-4712-SECRET' });
    let outdir: string;
    try {
      const stack = new TerraformStack(Testing.app(), 'assets');
      new BatchJob(stack, 'A', base({ deletionBehavior: DeletionBehavior.CANCEL }));
      outdir = Testing.fullSynth(stack);
    } finally {
      process.env = saved;
    }
    const stackDir = join(outdir, 'stacks', 'assets');
    const json = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
    const command: string = resourceOf(json, 'A', 'job')[1].provisioner[0]['local-exec'].command;
    const relative = /^node "([^"]+)\/handler\.js" create$/.exec(command)![1];
    expect(relative.startsWith('/')).toBe(false);
    expect(statSync(join(stackDir, relative, 'handler.js')).isFile()).toBe(true);
    // Credentials in the synth environment reach no synthesized file.
    for (const file of walk(outdir)) expect(readFileSync(file, 'utf8')).not.toContain('MARKER-4712');
  });

  test('two stacks each get their own asset', () => {
    for (const name of ['one', 'two']) {
      const stack = new TerraformStack(Testing.app(), name);
      new BatchJob(stack, 'A', base());
      expect(existsSync(join(Testing.fullSynth(stack), 'stacks', name, 'assets', 'OssBatchHandler'))).toBe(true);
    }
  });

  test('a missing bundle is a clear error naming npm run build', () => {
    jest.isolateModules(() => {
      // Only the bundle is missing; cdktf's own file checks still see the real disk.
      const actual = jest.requireActual('node:fs');
      jest.doMock('node:fs', () => ({ ...actual, existsSync: (p: string) => (String(p).endsWith('handler.js') ? false : actual.existsSync(p)) }));
      const isolated = require('../../src') as typeof import('../../src');
      const cdktf = require('cdktf') as typeof import('cdktf');
      const stack = new cdktf.TerraformStack(cdktf.Testing.app(), 's');
      expect(() => new isolated.BatchJob(stack, 'A', { ...base(), operation: isolated.BatchOperation.deleteObjectTagging(), manifest: isolated.JobManifest.fromKeyPrefix({ sourceBucket: 'photos' }) }))
        .toThrow(/the bundled handler .*dist\/handler\/handler\.js does not exist.*run `npm run build`/);
    });
    jest.dontMock('node:fs');
  });

  test('the bundle is found from the package root, whatever the depth of the code (src/, lib/, lib/cdktn/)', () => {
    expect(handlerBundleDir()).toBe(join(resolve(__dirname, '../..'), 'dist/handler'));
    const dir = mkdtempSync(join(tmpdir(), 'oss-batch-root-'));
    try {
      // An installed package: node_modules/cdktf-oss-batch/lib/cdktn, inside an app with its own package.json.
      const pkg = join(dir, 'node_modules', 'cdktf-oss-batch');
      mkdirSync(join(pkg, 'lib', 'cdktn'), { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app' }));
      writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'cdktf-oss-batch' }));
      writeFileSync(join(pkg, 'lib', 'package.json'), '{ not json');
      expect(packageRoot(join(pkg, 'lib', 'cdktn'))).toBe(pkg);
      expect(packageRoot(join(pkg, 'lib'))).toBe(pkg);
      expect(() => packageRoot(dir)).toThrow(/no package\.json named "cdktf-oss-batch" above .*reinstall it/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the asset id is reserved: a user construct of that name is a clear error', () => {
    const stack = new TerraformStack(new App(), 's');
    new Construct(stack, 'OssBatchHandler');
    expect(() => new BatchJob(stack, 'A', base())).toThrow(/the construct id "OssBatchHandler" is reserved by cdktf-oss-batch/);
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}
