/**
 * The package as a user gets it. `npm pack` of a fresh copy of the repository (the files a clone of
 * this working tree would have; its prepack builds what it ships), the tarball's contents and size,
 * then two empty apps that install the tarball from disk and the rest from the registry: one with
 * cdktf 0.21, one with cdktn (npm must not add cdktf to it). Each follows README "Use it in a stack"
 * literally, as shipped in the tarball (the cdktn app with the imports of the README's cdktn
 * section), type-checks it under --strict --exactOptionalPropertyTypes, synthesizes by running it
 * (no cdktf-cli) and deploys it with real terraform against an emulator started by the installed
 * package's own CLI. The README's S3 app (section "AWS S3 Batch Operations") type-checks with both
 * frameworks and deploys from the tarball too, through its S3 handler bundle and the AWS SDK.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CreateBucketCommand, GetObjectTaggingCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ListJobsCommand } from '@aws-sdk/client-s3-control';
import { s3Clients } from '../../examples/s3-seed';
import { OssClient } from '../../src/oss/client';
import { describeWithTerraform, PACKAGE_ROOT, RunResult, runProcess, TerraformRunner, tmpWorkDir } from '../e2e/terraform-harness';

const MAX_UNPACKED_BYTES = 5 * 1024 * 1024;
const FRAMEWORKS = ['cdktf', 'cdktn'] as const;
type Framework = (typeof FRAMEWORKS)[number];
/** What each app installs besides the tarball: the README's npm line plus Node's types for `process.env`. */
const APP_DEPENDENCIES: Record<Framework, string[]> = {
  cdktf: ['cdktf@^0.21.0', 'constructs', '@types/node@^20'],
  cdktn: ['cdktn', 'constructs', '@types/node@^20'],
};

/** The environment of a user's shell: none of the npm_* variables `npm test` sets for its scripts. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && !/^ALIBABA_CLOUD_|^OSS_|^AWS_|^S3_/.test(k)) env[k] = v;
  return { ...env, CHECKPOINT_DISABLE: '1', ...extra };
}

/** Asynchronous, so the two apps install side by side. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = userEnv(), timeoutMs = 300_000): Promise<RunResult> {
  return runProcess(cmd, args, { cwd, env, timeoutMs });
}

async function must(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<RunResult> {
  const r = await run(cmd, args, cwd, env);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r;
}

interface Packed { tarball: string; size: number; unpackedSize: number; files: { path: string; size: number }[] }

/** The files a clone of this working tree would hold (tracked and new, not ignored), with its dependencies. */
function freshCopy(dest: string): void {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`the package test copies the git working tree, and git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const from = join(PACKAGE_ROOT, file);
    if (!existsSync(from) || file.split('/')[0] === 'node_modules') continue; // deleted in the working tree; linked below
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(from, join(dest, file));
  }
  // What `npm ci` would install; linked, not downloaded again.
  symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(dest, 'node_modules'), 'dir');
}

async function packFreshCopy(work: string): Promise<Packed> {
  const copy = join(work, 'clone');
  freshCopy(copy);
  const r = await must('npm', ['pack', '--json', '--pack-destination', work], copy);
  // The prepack build may print before npm's JSON array.
  const json = JSON.parse(r.stdout.slice(r.stdout.lastIndexOf('\n[\n') + 1)) as { filename: string; size: number; unpackedSize: number; files: { path: string; size: number }[] }[];
  const { filename, size, unpackedSize, files } = json[0];
  return { tarball: join(work, filename), size, unpackedSize, files };
}

async function installApp(work: string, framework: Framework, tarball: string): Promise<string> {
  const dir = join(work, `app-${framework}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `app-${framework}`, version: '1.0.0', private: true }, null, 2));
  await must('npm', ['install', '--no-audit', '--no-fund', tarball, ...APP_DEPENDENCIES[framework]], dir);
  return dir;
}

/** The first ```ts block under the heading `heading` (up to the next heading of the same or a higher level). */
function codeBlockUnder(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) throw new Error(`README has no heading "${heading}"`);
  const level = heading.indexOf(' ');
  let inBlock = false;
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const h = /^(#+) /.exec(line);
    if (!inBlock && h && h[1].length <= level) break;
    if (!inBlock && line.trim() === '```ts') inBlock = true;
    else if (inBlock && line.trim() === '```') return block.join('\n') + '\n';
    else if (inBlock) block.push(line);
  }
  throw new Error(`README has no \`\`\`ts block under "${heading}"`);
}

const IMPORT_LINE = /^import \{[^}]+\} from '([^']+)';$/;

/**
 * The app of README "Use it in a stack" for `framework`: the snippet itself for cdktf; for cdktn the
 * snippet with its imports replaced by those of the "CDK Terrain (cdktn)" section, which must be the
 * same imports from 'cdktn' and 'cdktf-oss-batch/cdktn' (so the two sections cannot drift apart).
 */
function readmeApp(readme: string, framework: Framework): string {
  const snippet = codeBlockUnder(readme, '## Use it in a stack');
  if (framework === 'cdktf') return snippet;
  const imports = snippet.split('\n').filter((l) => IMPORT_LINE.test(l));
  const cdktnImports = codeBlockUnder(readme, '### CDK Terrain (cdktn)').trim().split('\n');
  const expected = imports.map((l) => l.replace(/'cdktf'/, "'cdktn'").replace(/'cdktf-oss-batch'/, "'cdktf-oss-batch/cdktn'"));
  expect(cdktnImports).toEqual(expected);
  return snippet.split('\n').map((l) => (IMPORT_LINE.test(l) ? cdktnImports[imports.indexOf(l)] : l)).join('\n');
}

/** A string prop of the snippet, e.g. `sourceBucket: 'photos'` (the test seeds what the README names). */
function literal(code: string, prop: string): string[] {
  return [...code.matchAll(new RegExp(`\\b${prop}: '([^']*)'`, 'g'))].map((m) => m[1]);
}

/**
 * `tsc` on main.ts; with `declarations`, also on every declaration file of that entry point (those the
 * snippet does not reach too), so one that imports the other framework fails here.
 */
function typeCheck(dir: string, compilerOptions: Record<string, unknown>, declarations?: { include: string; exclude: string[] }): RunResult {
  const pkg = 'node_modules/cdktf-oss-batch/';
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', lib: ['ES2022'], strict: true, exactOptionalPropertyTypes: true, noEmit: true, types: ['node'], ...compilerOptions },
    files: ['main.ts'],
    ...(declarations ? { include: [pkg + declarations.include], exclude: declarations.exclude.map((e) => pkg + e) } : {}),
  }, null, 2));
  const r = spawnSync(join(PACKAGE_ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, encoding: 'utf8', env: userEnv() });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface RunningEmulator { endpoint: string; child: ChildProcess }

/** `oss-batch emulator --port 0` of the installed package; resolves with the endpoint it prints. */
function startPackagedEmulator(app: string, dataDir: string, region: string, keyId: string, secret: string): Promise<RunningEmulator> {
  const bin = join(app, 'node_modules/.bin/oss-batch');
  const child = spawn(bin, ['emulator', '--port', '0', '--data-dir', dataDir, '--region', region, '--access-key-id', keyId, '--access-key-secret', secret, '--quiet'],
    { cwd: app, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => { err += d; });
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^OSS emulator listening on (http:\/\/\S+)\n/.exec(out);
      if (m) resolve({ endpoint: m[1], child });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the packaged emulator exited ${code} before printing its endpoint\n${out}\n${err}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.on('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

const work = tmpWorkDir('package');
let packed: Packed;
const apps = {} as Record<Framework, string>;

beforeAll(async () => {
  packed = await packFreshCopy(work);
  // eslint-disable-next-line no-console
  console.log(`${packed.tarball}: ${packed.size} bytes packed, ${packed.unpackedSize} bytes unpacked, ${packed.files.length} files`);
  const dirs = await Promise.all(FRAMEWORKS.map((f) => installApp(work, f, packed.tarball)));
  FRAMEWORKS.forEach((f, i) => { apps[f] = dirs[i]; });
}, 420_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm pack of a fresh copy', () => {
  test('ships the bundles, both entry points, .jsii, API.md and README, and nothing a user does not run', () => {
    const paths = packed.files.map((f) => f.path).sort();
    for (const required of ['package.json', 'README.md', 'API.md', '.jsii', 'bin/oss-batch', 'dist/handler/handler.js', 'dist/handler/s3-handler.js', 'dist/cli/oss-batch.js',
      'lib/index.js', 'lib/index.d.ts', 'lib/cdktn/index.js', 'lib/cdktn/index.d.ts']) {
      expect(paths).toContain(required);
    }
    const unexpected = paths.filter((p) => !(
      ['package.json', 'README.md', 'API.md', '.jsii', 'LICENSE', 'bin/oss-batch', 'dist/handler/handler.js', 'dist/handler/s3-handler.js', 'dist/cli/oss-batch.js',
        'lib/index.js', 'lib/cdktn/index.js'].includes(p)
      || /^lib\/.*\.d\.ts$/.test(p)));
    expect(unexpected).toEqual([]);
    expect(packed.unpackedSize).toBeLessThanOrEqual(MAX_UNPACKED_BYTES);
  });

  test('the packed package.json: no runtime dependencies, both frameworks optional peers, the cdktn export', () => {
    const manifest = JSON.parse(readFileSync(join(apps.cdktf, 'node_modules/cdktf-oss-batch/package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.bundledDependencies ?? manifest.bundleDependencies).toBeUndefined();
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['cdktf', 'cdktn', 'constructs']);
    expect(manifest.peerDependenciesMeta).toEqual({ cdktf: { optional: true }, cdktn: { optional: true } });
    expect(manifest.exports['./cdktn']).toEqual({ types: './lib/cdktn/index.d.ts', default: './lib/cdktn/index.js' });
  });
});

describe.each(FRAMEWORKS)('a %s app with the installed tarball', (framework) => {
  const app = () => apps[framework];

  test('npm resolved every peer without overrides', async () => {
    await must('npm', ['ls', '--all'], app());
    // The cdktn app must not get cdktf as a peer of the package (it would load the wrong framework).
    expect(existsSync(join(app(), 'node_modules/cdktf'))).toBe(framework === 'cdktf');
    expect(existsSync(join(app(), 'node_modules/cdktn'))).toBe(framework === 'cdktn');
  });

  test('the other entry point, whose framework is not installed, names the right import', async () => {
    const [own, other] = framework === 'cdktf' ? ['cdktf-oss-batch', 'cdktf-oss-batch/cdktn'] : ['cdktf-oss-batch/cdktn', 'cdktf-oss-batch'];
    const r = await run(process.execPath, ['-e', `require(${JSON.stringify(other)})`], app());
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`Error: ${other} is built for ${framework === 'cdktf' ? 'cdktn' : 'cdktf'}, which is not installed: a ${framework} app imports from '${own}'`);
  });

  test('oss-batch --version prints the package version', async () => {
    const r = await run(join(app(), 'node_modules/.bin/oss-batch'), ['--version'], app());
    expect({ status: r.status, stdout: r.stdout.trim() }).toEqual({ status: 0, stdout: JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version });
  });

  test('the README app type-checks under --strict --exactOptionalPropertyTypes, with the declarations checked too', () => {
    const readme = readFileSync(join(app(), 'node_modules/cdktf-oss-batch/README.md'), 'utf8');
    writeFileSync(join(app(), 'main.ts'), readmeApp(readme, framework));
    // node10 resolution (cdktf's project template) reads typesVersions; node16 reads exports.
    const declarations = framework === 'cdktn' ? { include: 'lib/cdktn/**/*.d.ts', exclude: [] } : { include: 'lib/**/*.d.ts', exclude: ['lib/cdktn'] };
    for (const [options, files] of [
      [{ module: 'commonjs', moduleResolution: 'node10', skipLibCheck: false }, declarations],
      [{ module: 'node16', moduleResolution: 'node16', skipLibCheck: true }, undefined],
    ] as const) {
      const r = typeCheck(app(), options, files);
      expect({ options, status: r.status, output: r.stdout + r.stderr }).toEqual({ options, status: 0, output: '' });
    }
  }, 180_000); // skipLibCheck: false checks cdktf's own declarations too: slow on a busy machine
});

describeWithTerraform('the README app deploys from the installed tarball', () => {
  test.each(FRAMEWORKS)('%s: synth by running the app, terraform init && apply, one completed job', async (framework) => {
    const app = apps[framework];
    const code = readmeApp(readFileSync(join(app, 'node_modules/cdktf-oss-batch/README.md'), 'utf8'), framework);
    // Without it the app would deploy to the real OSS endpoint of its region.
    expect(code).toContain('endpoint: process.env.OSS_ENDPOINT');
    writeFileSync(join(app, 'main.ts'), code);
    const [region] = literal(code, 'region');
    const [sourceBucket] = literal(code, 'sourceBucket');
    const prefix = literal(/new ManifestFromPrefix\([^]*?\}\);/.exec(code)?.[0] ?? '', 'prefix')[0] ?? '';
    const buckets = new Set([...literal(code, 'sourceBucket'), ...literal(code, 'manifestBucket'), ...literal(code, 'bucket')]);
    const credentials = { accessKeyId: `LTAIpackage${process.pid}`, accessKeySecret: `package-test-secret-${Date.now()}` };

    const emulator = await startPackagedEmulator(app, join(app, 'emulator-data'), region, credentials.accessKeyId, credentials.accessKeySecret);
    try {
      const client = new OssClient({ region, endpoint: emulator.endpoint, credentials });
      for (const bucket of buckets) await client.createBucket(bucket);
      const keys = Array.from({ length: 7 }, (_, i) => `${prefix}photo-${i}.jpg`);
      await Promise.all(keys.map((key, i) => client.putObject(sourceBucket, key, `bytes ${i}`)));

      const env = {
        OSS_ENDPOINT: emulator.endpoint, ALIBABA_CLOUD_ACCESS_KEY_ID: credentials.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: credentials.accessKeySecret,
      };
      const outdir = join(app, 'cdktf.out');
      await must(join(PACKAGE_ROOT, 'node_modules/.bin/tsx'), ['main.ts'], app, userEnv({ ...env, CDKTF_OUTDIR: outdir }));
      const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
      const stacks = Object.values(manifest.stacks) as { workingDirectory: string }[];
      expect(stacks).toHaveLength(1);

      const terraform = new TerraformRunner(join(outdir, stacks[0].workingDirectory), userEnv(env) as Record<string, string>);
      await terraform.init();
      await terraform.apply();
      const jobId = (await terraform.outputs()).JobId;
      expect(typeof jobId).toBe('string');
      const job = await client.describeJob(jobId as string);
      expect({ status: job.status, total: job.progressSummary.totalNumberOfTasks, succeeded: job.progressSummary.numberOfTasksSucceeded })
        .toEqual({ status: 'Complete', total: keys.length, succeeded: keys.length });
      expect((await client.listJobs({ maxKeys: 100 })).jobs.map((j) => j.jobId)).toEqual([jobId]);
      expect((await terraform.planExitCode()).code).toBe(0);
    } finally {
      await stop(emulator.child);
    }
  }, 240_000);
});

const S3_HEADING = '## AWS S3 Batch Operations (`S3BatchJob`)';

/** The README's S3 app for `framework` (for cdktn: the same code importing from 'cdktn' and 'cdktf-oss-batch/cdktn'). */
function readmeS3App(readme: string, framework: Framework): string {
  const snippet = codeBlockUnder(readme, S3_HEADING);
  return framework === 'cdktf' ? snippet : snippet.replace(/from 'cdktf';/, "from 'cdktn';").replace(/from 'cdktf-oss-batch';/, "from 'cdktf-oss-batch/cdktn';");
}

describe.each(FRAMEWORKS)('the README S3 app in a %s app', (framework) => {
  test('type-checks under --strict --exactOptionalPropertyTypes', () => {
    const app = apps[framework];
    const readme = readFileSync(join(app, 'node_modules/cdktf-oss-batch/README.md'), 'utf8');
    writeFileSync(join(app, 'main.ts'), readmeS3App(readme, framework));
    const r = typeCheck(app, { module: 'node16', moduleResolution: 'node16', skipLibCheck: true });
    expect({ status: r.status, output: r.stdout + r.stderr }).toEqual({ status: 0, output: '' });
  }, 180_000);
});

describeWithTerraform('the README S3 app deploys from the installed tarball', () => {
  test('cdktf: terraform apply runs s3-handler.js against the packaged emulator\'s S3 APIs; one completed job', async () => {
    const app = apps.cdktf;
    const code = readmeS3App(readFileSync(join(app, 'node_modules/cdktf-oss-batch/README.md'), 'utf8'), 'cdktf');
    expect(code).toContain('endpoint: process.env.S3_ENDPOINT');
    writeFileSync(join(app, 'main.ts'), code);
    const [region] = literal(code, 'region');
    const [accountId] = literal(code, 'accountId');
    const [sourceBucket] = literal(code, 'sourceBucket');
    const prefix = literal(/fromGenerator\([^)]*\)/.exec(code)?.[0] ?? '', 'prefix')[0] ?? '';
    const buckets = new Set([...literal(code, 'sourceBucket'), ...literal(code, 'bucket')]);
    const keyId = `AKIAPACKAGE${process.pid}`;
    const secret = `package-s3-secret-${Date.now()}`;
    const emulator = await startPackagedEmulator(app, join(app, 's3-emulator-data'), 'cn-hangzhou', keyId, secret);
    // S3 Control puts the account id in front of the host: a name that resolves to loopback, not an IP.
    const endpoint = emulator.endpoint.replace('127.0.0.1', 'localhost');
    const { s3, control } = s3Clients({ endpoint, region, credentials: { accessKeyId: keyId, secretAccessKey: secret } });
    try {
      for (const bucket of buckets) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const keys = Array.from({ length: 6 }, (_, i) => `${prefix}photo ${i}.jpg`);
      await Promise.all(keys.map((key, i) => s3.send(new PutObjectCommand({ Bucket: sourceBucket, Key: key, Body: `bytes ${i}` }))));
      const env = { S3_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: keyId, AWS_SECRET_ACCESS_KEY: secret, AWS_EC2_METADATA_DISABLED: 'true' };
      const outdir = join(app, 'cdktf-s3.out');
      await must(join(PACKAGE_ROOT, 'node_modules/.bin/tsx'), ['main.ts'], app, userEnv({ ...env, CDKTF_OUTDIR: outdir }));
      const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
      const stacks = Object.values(manifest.stacks) as { workingDirectory: string }[];
      const terraform = new TerraformRunner(join(outdir, stacks[0].workingDirectory), userEnv(env) as Record<string, string>);
      await terraform.init();
      await terraform.apply();
      const jobId = (await terraform.outputs()).JobId;
      const listed = await control.send(new ListJobsCommand({ AccountId: accountId }));
      expect((listed.Jobs ?? []).map((j) => ({ id: j.JobId, status: j.Status, total: j.ProgressSummary?.TotalNumberOfTasks })))
        .toEqual([{ id: jobId, status: 'Complete', total: keys.length }]);
      const { TagSet } = await s3.send(new GetObjectTaggingCommand({ Bucket: sourceBucket, Key: keys[0] }));
      expect(TagSet).toEqual([{ Key: 'env', Value: 'prod' }]);
      expect((await terraform.planExitCode()).code).toBe(0);
    } finally {
      s3.destroy();
      control.destroy();
      await stop(emulator.child);
    }
  }, 240_000);
});
