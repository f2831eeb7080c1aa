/** The entry point: invocation and event validation (exit 2 with usage), dispatch, exit codes, the stderr paragraph. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { EXIT, HandlerError } from '../../src/handler/errors';
import { parseEvent } from '../../src/handler/event';
import { exitCodeFor, main, manifestPartSize, parseInvocation, run, USAGE } from '../../src/handler/main';
import { CredentialsError } from '../../src/oss/credentials';
import { OssError, OssNetworkError } from '../../src/oss/errors';
import type { BatchJobEvent, HandlerEvent, ManifestFromPrefixEvent } from '../../src/shared/contract';
import { fakeDeps, FakeOss } from './mocks';

const batchEvent = (): BatchJobEvent => ({
  kind: 'batch-job', name: 'stack/Job', token: 'cdktf1-token',
  spec: {
    connection: { region: 'cn-hangzhou', endpoint: 'http://127.0.0.1:9000', pathStyle: true }, roleArn: 'acs:ram::1:role/r', priority: 1, description: '',
    confirmationRequired: false, operation: { type: 'DeleteObjectTagging' }, manifest: { keyPrefix: { sourceBucket: 'src', prefix: '' } },
    report: { enabled: true, bucket: 'ops', prefix: 'r/', scope: 'AllTasks' },
  },
  settings: { autoConfirm: false, waitForCompletion: true, timeoutSeconds: 3600, maxFailedTasks: 0, deletionBehavior: 'retain' },
});
const manifestEvent = (): ManifestFromPrefixEvent => ({
  kind: 'manifest-from-prefix', name: 'stack/M', token: 't', connection: { region: 'cn-hangzhou' }, sourceBucket: 'src', prefix: 'p/',
  manifestBucket: 'ops', manifestKey: 'm.csv', filter: { suffixes: [], storageClasses: [], modifiedAfter: '2025-01-01T00:00:00Z' }, includeVersionIds: false,
});
const resultPath = () => join(mkdtempSync(join(tmpdir(), 'oss-batch-main-')), '.oss-batch', 'r.json');
const env = (event: unknown = batchEvent(), extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv =>
  ({ OSS_BATCH_EVENT: typeof event === 'string' ? event : JSON.stringify(event), OSS_BATCH_RESULT: resultPath(), ...extra });

function usageError(fn: () => unknown): HandlerError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HandlerError);
    expect((err as HandlerError).exitCode).toBe(EXIT.USAGE);
    return err as HandlerError;
  }
  throw new Error('expected a usage error');
}

describe('parseInvocation', () => {
  test('command and environment problems are usage errors that show the usage line', () => {
    for (const [argv, e, message] of [
      [['frob'], env(), /unknown command "frob"/],
      [[], env(), /no command given/],
      [['create', 'extra'], env(), /expected one command, got "create extra"/],
      [['create'], { ...env(), OSS_BATCH_EVENT: '' }, /OSS_BATCH_EVENT is not set/],
      [['create'], { OSS_BATCH_EVENT: JSON.stringify(batchEvent()) }, /OSS_BATCH_RESULT is not set/],
      [['create'], env('{'), /OSS_BATCH_EVENT is not valid JSON/],
      [['delete'], env('{"kind":"x"}'), /unknown kind "x"/],
      [['create'], env('null'), /unknown kind null/],
    ] as [string[], NodeJS.ProcessEnv, RegExp][]) {
      const err = usageError(() => parseInvocation(argv, e));
      expect(err.message).toMatch(message);
      expect(err.message.endsWith(USAGE)).toBe(true);
    }
  });

  test('a valid invocation', () => {
    const e = env();
    expect(parseInvocation(['delete'], e)).toEqual({ command: 'delete', event: batchEvent(), resultFile: e.OSS_BATCH_RESULT });
  });
});

describe('parseEvent', () => {
  test('accepts what the constructs write, for both kinds', () => {
    expect(parseEvent(JSON.stringify(batchEvent()))).toEqual(batchEvent());
    expect(parseEvent(JSON.stringify({ ...manifestEvent(), rerunToken: 'x' }))).toMatchObject({ kind: 'manifest-from-prefix' });
    const csv = { ...batchEvent(), manifestIdentity: 'abc' };
    csv.spec.manifest = { csv: { bucket: 'ops', key: 'm.csv', etag: 'E', fields: 'Bucket,Key', format: 'OSS_BatchOperations_CSV_20250611' } };
    expect(parseEvent(JSON.stringify(csv))).toEqual(csv);
  });

  test('names every wrong field, and how to get a good event', () => {
    const bad = batchEvent() as unknown as { spec: Record<string, unknown>; settings: Record<string, unknown> };
    bad.spec.roleArn = 7;
    bad.spec.operation = { type: 'Explode' };
    bad.settings.timeoutSeconds = 0;
    bad.settings.deletionBehavior = 'shred';
    const message = usageError(() => parseEvent(JSON.stringify(bad))).message;
    expect(message).toMatch(/^OSS_BATCH_EVENT is not a valid batch-job event/);
    expect(message).toContain('roleArn must be a non-empty string');
    expect(message).toContain('type must be one of PutObjectTagging, AddObjectTagging, DeleteObjectTagging, PutObjectAcl, RestoreObject');
    expect(message).toContain('timeoutSeconds must be a number ≥ 1');
    expect(message).toContain('deletionBehavior must be one of retain, cancel');
    expect(message).toMatch(/re-run `cdktf synth`/);
  });

  test('manifest: exactly one of csv and keyPrefix; manifest-from-prefix filters are checked', () => {
    const both = batchEvent();
    both.spec.manifest = { keyPrefix: { sourceBucket: 'src', prefix: '' }, csv: { bucket: 'b', key: 'k', fields: '', format: 'f' } };
    expect(usageError(() => parseEvent(JSON.stringify(both))).message).toContain('exactly one of csv and keyPrefix');
    const noSettings = { ...batchEvent(), settings: undefined };
    expect(usageError(() => parseEvent(JSON.stringify(noSettings))).message).toContain('settings must be an object');
    const m = manifestEvent() as unknown as { filter: Record<string, unknown> };
    m.filter.modifiedAfter = 'yesterday';
    m.filter.suffixes = '.jpg';
    const message = usageError(() => parseEvent(JSON.stringify(m))).message;
    expect(message).toContain('modifiedAfter must be an ISO-8601 date');
    expect(message).toContain('suffixes must be a list of strings');
  });
});

describe('main', () => {
  test('create runs the lifecycle with injected deps and exits 0', async () => {
    const oss = new FakeOss();
    const e = env();
    const errors: string[] = [];
    expect(await main(['create'], e, (t) => errors.push(t), () => fakeDeps(oss))).toBe(EXIT.OK);
    expect(JSON.parse(readFileSync(e.OSS_BATCH_RESULT!, 'utf8')).status).toBe('Complete');
    expect(errors).toEqual([]);
  });

  test('usage errors exit 2 before any OSS client is made', async () => {
    const errors: string[] = [];
    let made = false;
    expect(await main(['frob'], env(), (t) => errors.push(t), () => { made = true; return fakeDeps(new FakeOss()); })).toBe(EXIT.USAGE);
    expect(made).toBe(false);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^cdktf-oss-batch: unknown command "frob"\nusage: OSS_BATCH_EVENT=/);
    expect(await main(['create'], env(undefined, { OSS_BATCH_MANIFEST_PART_BYTES: '5' }), () => undefined, () => fakeDeps(new FakeOss()))).toBe(EXIT.USAGE);
  });

  test('outcome, timeout and OSS errors map to 1, 3 and 4 with one stderr paragraph', async () => {
    const failed = new FakeOss();
    failed.script = ['New', 'Failed'];
    const errors: string[] = [];
    expect(await main(['create'], env(), (t) => errors.push(t), () => fakeDeps(failed))).toBe(EXIT.OUTCOME);
    const slow = new FakeOss();
    slow.script = ['Active'];
    const short = batchEvent();
    short.settings.timeoutSeconds = 5;
    expect(await main(['create'], env(short), (t) => errors.push(t), () => fakeDeps(slow))).toBe(EXIT.TIMEOUT);
    const down = new FakeOss();
    down.failOn.createJob = { calls: [1], error: () => new OssError({ code: 'AccessDenied', status: 403, message: 'not allowed', requestId: 'RID9' }) };
    expect(await main(['create'], env(), (t) => errors.push(t), () => fakeDeps(down))).toBe(EXIT.API);
    expect(errors[2]).toBe('cdktf-oss-batch: OSS AccessDenied (403): not allowed [request id RID9]');
    expect(errors.every((e) => e.startsWith('cdktf-oss-batch: '))).toBe(true);
  });

  test('delete of a manifest retains the object; delete of a retained job logs it', async () => {
    const oss = new FakeOss();
    const deps = fakeDeps(oss);
    expect(await main(['delete'], env(manifestEvent()), () => undefined, () => deps)).toBe(EXIT.OK);
    expect(await main(['delete'], env(), () => undefined, () => deps)).toBe(EXIT.OK);
    expect(deps.lines).toEqual([
      '[stack/M] retained manifest oss://ops/m.csv (the handler never deletes objects)',
      '[stack/Job] retained job (id not recorded on this machine) (jobs cannot be deleted in OSS)',
    ]);
  });

  test('create of a manifest honours OSS_BATCH_MANIFEST_PART_BYTES', async () => {
    const oss = new FakeOss();
    for (let i = 0; i < 12_000; i++) oss.putRaw('src', `p/${i}`, 'x', { lastModified: '2025-06-01T00:00:00Z' });
    expect(await main(['create'], env(manifestEvent(), { OSS_BATCH_MANIFEST_PART_BYTES: '102400' }), () => undefined, () => fakeDeps(oss))).toBe(EXIT.OK);
    expect(oss.calls.uploadPart).toBeGreaterThan(1);
  });
});

test('exitCodeFor and manifestPartSize', () => {
  expect(exitCodeFor(new HandlerError(EXIT.TIMEOUT, 'x'))).toBe(3);
  expect(exitCodeFor(new OssNetworkError('ECONNRESET', 'reset'))).toBe(4);
  expect(exitCodeFor(new CredentialsError('none'))).toBe(4);
  expect(manifestPartSize({})).toBe(8 * 1024 * 1024);
  expect(manifestPartSize({ OSS_BATCH_MANIFEST_PART_BYTES: '204800' })).toBe(204_800);
  for (const bad of ['1', '1.5e5', 'abc', '102399']) expect(() => manifestPartSize({ OSS_BATCH_MANIFEST_PART_BYTES: bad })).toThrow(/whole number ≥ 102400/);
});

describe('run: dispatch on kind and command with injected deps', () => {
  test('each kind and command reaches its lifecycle; makeDeps gets the parsed event', async () => {
    const oss = new FakeOss();
    for (let i = 0; i < 3; i++) oss.putRaw('src', `p/${i}`, 'x', { lastModified: '2025-06-01T00:00:00Z' });
    const seen: HandlerEvent[] = [];
    const makeDeps = (event: HandlerEvent) => { seen.push(event); return fakeDeps(oss); };

    const m = env(manifestEvent());
    await run(['create'], m, makeDeps);
    expect(JSON.parse(readFileSync(m.OSS_BATCH_RESULT!, 'utf8'))).toMatchObject({ bucket: 'ops', key: 'm.csv', objectCount: 3 });
    expect(oss.objects.get('ops/m.csv')!.body.toString()).toBe('src,p/0\nsrc,p/1\nsrc,p/2\n');
    expect(oss.calls.createJob).toBeUndefined();

    oss.script = ['Active'];
    const running = batchEvent();
    running.settings = { ...running.settings, waitForCompletion: false, deletionBehavior: 'cancel' };
    const b = env(running);
    await run(['create'], b, makeDeps);
    expect(oss.calls.createJob).toBe(1);
    expect(JSON.parse(readFileSync(b.OSS_BATCH_RESULT!, 'utf8'))).toMatchObject({ status: 'Active', clientRequestToken: 'cdktf1-token' });
    await run(['delete'], b, makeDeps);
    expect(oss.calls['updateJobStatus:Cancelled']).toBe(1);
    expect(oss.calls.putObject).toBe(1); // the manifest only: delete never writes objects

    expect(seen).toEqual([manifestEvent(), running, running]);
  });

  test('run throws the HandlerError (main maps it to the exit code)', async () => {
    const err = await run(['create'], env('{'), () => fakeDeps(new FakeOss())).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(HandlerError);
    expect((err as HandlerError).exitCode).toBe(EXIT.USAGE);
  });
});

describe('the bundled handler as Terraform runs it', () => {
  // Bundled from src/handler/main.ts with the options of scripts/build.mjs, into a private temp dir:
  // the test runs the current source and never races a suite that rebuilds dist/.
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oss-batch-handler-bundle-'));
    file = join(dir, 'handler.js');
    await build({
      entryPoints: [resolve(__dirname, '../../src/handler/main.ts')], outfile: file,
      bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'none',
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a bad event: exit 2, one error paragraph with the usage line on stderr, nothing on stdout, no OSS call', () => {
    // A minimal environment, as in a clean runner: no credentials or OSS settings from this machine.
    const child = spawnSync(process.execPath, [file, 'create'], {
      env: { PATH: process.env.PATH ?? '', OSS_BATCH_EVENT: '{"kind":"batch-job"', OSS_BATCH_RESULT: join(dir, 'r.json') },
      encoding: 'utf8', timeout: 30_000,
    });
    expect(child.status).toBe(EXIT.USAGE);
    expect(child.stdout).toBe('');
    expect(child.stderr).toMatch(/^cdktf-oss-batch: OSS_BATCH_EVENT is not valid JSON/);
    expect(child.stderr.trimEnd().endsWith(USAGE)).toBe(true);
    expect(child.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
