/** The entry point: invocation and event validation (exit 2), the endpoint override, dispatch, exit codes, the stderr paragraph. */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { EXIT, HandlerError } from '../../src/handler/errors';
import { parseEvent } from '../../src/handler/event';
import { chooseEndpoint, EndpointChoice, exitCodeFor, main, manifestPartSize, parseInvocation, run, USAGE } from '../../src/handler/main';
import { CredentialsError } from '../../src/oss/credentials';
import { OssError, OssNetworkError } from '../../src/oss/errors';
import { MANIFEST_FORMAT_CSV, MANIFEST_FORMAT_INVENTORY } from '../../src/oss/model';
import { BatchJobEvent, EVENT_FORMAT, HandlerEvent, ManifestFromPrefixEvent } from '../../src/shared/contract';
import { jobToken } from '../../src/shared/token';
import { fakeDeps, FakeOss } from './mocks';

/** Normalized events (as parseEvent returns them), so a round trip is an equality. */
const batchEvent = (): BatchJobEvent => ({
  kind: 'batch-job', format: EVENT_FORMAT, name: 'stack/Job',
  identity: {
    region: 'cn-hangzhou', roleArn: 'acs:ram::1:role/r', priority: 1, description: '', confirmationRequired: false,
    operation: { type: 'DeleteObjectTagging' }, manifest: { keyPrefix: { sourceBucket: 'src', prefix: '' } },
    report: { enabled: true, bucket: 'ops', prefix: 'r/', scope: 'AllTasks' },
  },
  connection: { endpoint: 'http://127.0.0.1:9000', pathStyle: true },
  settings: { autoConfirm: false, waitForCompletion: true, timeoutSeconds: 3600, maxFailedTasks: 0, deletionBehavior: 'retain' },
});
const manifestEvent = (): ManifestFromPrefixEvent => ({
  kind: 'manifest-from-prefix', format: EVENT_FORMAT, name: 'stack/M', connection: {},
  identity: {
    region: 'cn-hangzhou', sourceBucket: 'src', prefix: 'p/', filter: { suffixes: [], storageClasses: [], modifiedAfter: '2025-01-01T00:00:00.000Z' },
    includeVersionIds: false, manifestBucket: 'ops', manifestPrefix: 'm/',
  },
});
const resultPath = () => join(mkdtempSync(join(tmpdir(), 'oss-batch-main-')), '.oss-batch', 'r.json');
const env = (event: unknown = batchEvent(), extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv =>
  ({ OSS_BATCH_EVENT: typeof event === 'string' ? event : JSON.stringify(event), OSS_BATCH_RESULT: resultPath(), ...extra });
/** The event as JSON with some values replaced, the way Terraform's jsonencode may resolve references. */
type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const edited = (event: HandlerEvent, edit: (e: Raw) => void): string => {
  const copy = JSON.parse(JSON.stringify(event)) as Raw;
  edit(copy);
  return JSON.stringify(copy);
};

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
    ] as [string[], NodeJS.ProcessEnv, RegExp][]) {
      const err = usageError(() => parseInvocation(argv, e));
      expect(err.message).toMatch(message);
      expect(err.message.endsWith(`\n${USAGE}`)).toBe(true);
    }
  });

  test('event problems are usage errors that say what is wrong in the event, without the usage line', () => {
    for (const [raw, message] of [
      ['{', /^OSS_BATCH_EVENT is not valid JSON/],
      ['{"kind":"x"}', /^OSS_BATCH_EVENT has an unknown kind "x" \(expected "batch-job" or "manifest-from-prefix"\)/],
      ['null', /^OSS_BATCH_EVENT must be a JSON object/],
      ['[1]', /^OSS_BATCH_EVENT must be a JSON object/],
      [edited(batchEvent(), (e) => { e.identity.priority = -1; }), /^stack\/Job: priority must be an integer from 0 to 2147483647 \(got -1\)/],
    ] as [string, RegExp][]) {
      const err = usageError(() => parseInvocation(['delete'], env(raw)));
      expect(err.message).toMatch(message);
      expect(err.message).not.toContain(USAGE);
    }
  });

  test('a valid invocation', () => {
    const e = env();
    expect(parseInvocation(['delete'], e)).toEqual({ command: 'delete', event: batchEvent(), resultFile: e.OSS_BATCH_RESULT });
  });
});

describe('parseEvent', () => {
  const APPLY_TIME = '(checked at apply time, after Terraform resolved the references; nothing was sent to OSS)';

  test('accepts what the constructs write, for both kinds and every manifest form', () => {
    expect(parseEvent(JSON.stringify(batchEvent()))).toEqual(batchEvent());
    expect(parseEvent(JSON.stringify(manifestEvent()))).toEqual(manifestEvent());
    const rerun = manifestEvent();
    rerun.identity.rerunToken = 'x';
    expect(parseEvent(JSON.stringify(rerun))).toEqual(rerun);
    const csv = batchEvent();
    csv.identity.manifest = { csv: { bucket: 'ops', key: 'm.csv', etag: 'E', versionId: 'v1', fields: 'Bucket,Key,VersionId', format: MANIFEST_FORMAT_CSV } };
    expect(parseEvent(JSON.stringify(csv))).toEqual(csv);
    const inventory = batchEvent();
    inventory.identity.manifest = { inventory: { bucket: 'inv', manifestKey: 'src/daily/manifest.json', etag: 'E', format: MANIFEST_FORMAT_INVENTORY } };
    expect(parseEvent(JSON.stringify(inventory))).toEqual(inventory);
  });

  test('an event of another format (an older synth) is refused: exit 2, saying to synthesize again', () => {
    for (const format of [1, undefined, '2', 3]) {
      const message = usageError(() => parseEvent(edited(batchEvent(), (e) => { e.format = format; }))).message;
      expect(message).toContain(`OSS_BATCH_EVENT has event format ${JSON.stringify(format ?? null)}, this handler reads format 2`);
      expect(message).toMatch(/re-run `cdktf synth`/);
    }
    // A format-1 event as 0.x synthesized it: token and spec, no identity.
    const old = { kind: 'batch-job', name: 'stack/Job', token: 'cdktf1-abc', spec: { connection: { region: 'cn-hangzhou' } }, settings: batchEvent().settings };
    expect(usageError(() => parseEvent(JSON.stringify({ ...old, format: 1 }))).message).toMatch(/event format 1.*re-run `cdktf synth`/);
    expect(usageError(() => parseEvent(JSON.stringify(old))).message).toMatch(/event format null.*re-run `cdktf synth`/);
  });

  test('destroy with an event of an older format does nothing and says so (it must not block the apply); create still fails', async () => {
    const old = { kind: 'batch-job', name: 'stack/Job', token: 'cdktf1-abc', spec: { connection: { region: 'cn-hangzhou' } }, settings: { ...batchEvent().settings, deletionBehavior: 'cancel' } };
    const env = { OSS_BATCH_EVENT: JSON.stringify(old), OSS_BATCH_RESULT: resultPath() };
    const lines: string[] = [];
    let depsMade = false;
    await run(['delete'], env, () => { depsMade = true; return fakeDeps(new FakeOss()); }, (line) => lines.push(line));
    expect(depsMade).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cdktf-oss-batch: not cancelling anything on destroy: OSS_BATCH_EVENT has event format null, .*oss-batch jobs cancel <id>/);
    await expect(run(['create'], env, () => fakeDeps(new FakeOss()), () => undefined)).rejects.toThrow(/event format null/);
    // Other problems of a delete event are still errors.
    await expect(run(['delete'], { ...env, OSS_BATCH_EVENT: '{' }, () => fakeDeps(new FakeOss()), () => undefined)).rejects.toThrow(/not valid JSON/);
  });

  test('a referenced value that is invalid fails with the construct and the prop named (exit 2), before any OSS call', async () => {
    const cases: [HandlerEvent, (e: Raw) => void, string][] = [
      [batchEvent(), (e) => { e.identity.priority = 'abc'; }, 'stack/Job: priority must be an integer from 0 to 2147483647 (got abc)'],
      [batchEvent(), (e) => { e.identity.priority = -1; }, 'stack/Job: priority must be an integer from 0 to 2147483647 (got -1)'],
      [batchEvent(), (e) => { e.identity.priority = 1.5; }, 'stack/Job: priority must be an integer'],
      [batchEvent(), (e) => { e.identity.report.bucket = 'Bad_Bucket'; }, 'stack/Job: report.bucket must be a bucket name'],
      [batchEvent(), (e) => { e.identity.manifest.keyPrefix.sourceBucket = 'x'; }, 'stack/Job: manifest.sourceBucket must be a bucket name'],
      [batchEvent(), (e) => { e.identity.roleArn = 7; }, 'stack/Job: roleArn is required and must be a string (got number)'],
      [batchEvent(), (e) => { e.identity.roleArn = 'arn:aws:iam::1:role/x'; }, 'stack/Job: roleArn must look like acs:ram::<account id>:role/<role name>'],
      [batchEvent(), (e) => { e.identity.region = 'Hangzhou'; }, 'stack/Job: region must be a region id'],
      [batchEvent(), (e) => { e.identity.description = 'd'.repeat(257); }, 'stack/Job: description must be 0-256 characters long (got 257)'],
      [batchEvent(), (e) => { e.identity.operation = { type: 'PutObjectTagging', tags: [{ key: 'k'.repeat(129), value: 'v' }] }; },
        'stack/Job: operation tag key "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk…" must be 1-128 characters (got 129)'],
      [batchEvent(), (e) => { e.identity.operation = { type: 'AddObjectTagging', tags: [{ key: 'env', value: 'a' }, { key: 'b', value: 'c' }, { key: 'env', value: 'b' }] }; },
        'stack/Job: operation tag key "env" is given twice'],
      [batchEvent(), (e) => { e.identity.operation = { type: 'Explode' }; }, 'stack/Job: operation must be one of PutObjectTagging, AddObjectTagging, DeleteObjectTagging, PutObjectAcl, RestoreObject (got "Explode")'],
      [batchEvent(), (e) => { e.identity.manifest = { keyPrefix: { sourceBucket: 'src' }, csv: { bucket: 'ops', key: 'k' } }; }, 'stack/Job: manifest must be built with JobManifest.fromCsv'],
      [batchEvent(), (e) => { e.identity.manifest = { csv: { bucket: 'ops', key: 'm.csv', fields: 'Name,Key' } }; }, 'stack/Job: manifest.fields must be a comma-separated list'],
      [batchEvent(), (e) => { e.settings.timeoutSeconds = 0; }, 'stack/Job: timeoutSeconds must be an integer from 1 to 604800 (got 0)'],
      [batchEvent(), (e) => { e.settings.deletionBehavior = 'shred'; }, 'stack/Job: deletionBehavior must be one of retain, cancel (got "shred")'],
      [batchEvent(), (e) => { e.connection.endpoint = 'ftp://host/x'; }, 'stack/Job: endpoint must be an http or https URL'],
      [batchEvent(), (e) => { e.connection.pathStyle = 'yes'; }, 'stack/Job: pathStyle must be true or false (got "yes")'],
      [batchEvent(), (e) => { delete e.settings; }, "stack/Job: the event's settings is missing"],
      [manifestEvent(), (e) => { e.identity.filter.modifiedAfter = 'yesterday'; }, 'stack/M: filter.modifiedAfter must be an ISO-8601 date'],
      [manifestEvent(), (e) => { e.identity.filter.suffixes = '.jpg'; }, 'stack/M: filter.suffixes must be a list of strings (got string)'],
      [manifestEvent(), (e) => { e.identity.filter.minSizeBytes = 10; e.identity.filter.maxSizeBytes = '5'; }, 'stack/M: filter.minSizeBytes must not exceed filter.maxSizeBytes (10 > 5)'],
      [manifestEvent(), (e) => { e.identity.manifestBucket = '-ops'; }, 'stack/M: manifestBucket must be a bucket name'],
      [manifestEvent(), (e) => { e.identity.manifestPrefix = '/abs/'; }, 'stack/M: manifestPrefix starts with "/"'],
      [manifestEvent(), (e) => { e.identity.rerunToken = 'r'.repeat(65); }, 'stack/M: rerunToken must be 1-64 characters long (got 65)'],
    ];
    for (const [event, edit, expected] of cases) {
      const err = usageError(() => parseEvent(edited(event, edit)));
      expect(err.message.startsWith(expected)).toBe(true);
      expect(err.message.endsWith(APPLY_TIME)).toBe(true);
    }
    // Through main: exit 2, the message on stderr, and no OSS client made.
    const errors: string[] = [];
    let made = false;
    const exit = await main(['create'], env(edited(batchEvent(), (e) => { e.identity.priority = 'abc'; })), (t) => errors.push(t), () => { made = true; return fakeDeps(new FakeOss()); });
    expect(exit).toBe(EXIT.USAGE);
    expect(made).toBe(false);
    expect(errors).toEqual([`cdktf-oss-batch: stack/Job: priority must be an integer from 0 to 2147483647 (got abc); higher runs first ${APPLY_TIME}`]);
  });

  test('resolved values are normalized: "10" is 10, "true" is true, an ETag loses its quotes, oss- leaves the region', () => {
    const resolved = parseEvent(edited(batchEvent(), (e) => {
      e.identity.priority = '10';
      e.identity.confirmationRequired = 'true';
      e.identity.region = 'oss-cn-hangzhou';
      e.identity.manifest = { csv: { bucket: 'ops', key: 'm.csv', etag: '"ABC"', fields: 'Bucket, Key' } };
      e.settings.timeoutSeconds = '60';
      e.connection.endpoint = 'HTTP://127.0.0.1:9000/';
    })) as BatchJobEvent;
    expect(resolved.identity.priority).toBe(10);
    expect(resolved.identity.confirmationRequired).toBe(true);
    expect(resolved.identity.region).toBe('cn-hangzhou');
    expect(resolved.identity.manifest).toEqual({ csv: { bucket: 'ops', key: 'm.csv', etag: 'ABC', fields: 'Bucket,Key', format: MANIFEST_FORMAT_CSV } });
    expect(resolved.settings.timeoutSeconds).toBe(60);
    expect(resolved.connection.endpoint).toBe('http://127.0.0.1:9000');
    // The same values written as literals give the same identity, so the same token.
    const literal = batchEvent();
    literal.identity = { ...literal.identity, priority: 10, confirmationRequired: true,
      manifest: { csv: { bucket: 'ops', key: 'm.csv', etag: 'ABC', fields: 'Bucket,Key', format: MANIFEST_FORMAT_CSV } } };
    expect(resolved.identity).toEqual(literal.identity);
    expect(jobToken(resolved.identity)).toBe(jobToken(literal.identity));
    expect(jobToken(resolved.identity)).not.toBe(jobToken(batchEvent().identity));
  });

  test('tags given unsorted give the same identity and token as sorted; defaults are filled in', () => {
    const tags = (list: { key: string; value: string }[]) => parseEvent(edited(batchEvent(), (e) => {
      e.identity.operation = { type: 'PutObjectTagging', tags: list };
    })) as BatchJobEvent;
    const sorted = tags([{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '3' }]);
    const unsorted = tags([{ key: 'c', value: '3' }, { key: 'a', value: '1' }, { key: 'b', value: '2' }]);
    expect(unsorted.identity.operation.tags).toEqual([{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '3' }]);
    expect(jobToken(unsorted.identity)).toBe(jobToken(sorted.identity));
    // Another value is another token.
    expect(jobToken(tags([{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '4' }]).identity)).not.toBe(jobToken(sorted.identity));
    // Absent optional values take their defaults, as synth fills them in.
    const sparse = parseEvent(edited(batchEvent(), (e) => {
      delete e.identity.description;
      delete e.identity.confirmationRequired;
      e.identity.report = { bucket: 'ops' };
      e.settings = {};
    })) as BatchJobEvent;
    expect(sparse.identity).toMatchObject({ description: '', confirmationRequired: false, report: { enabled: true, bucket: 'ops', prefix: 'oss-batch-reports/', scope: 'AllTasks' } });
    expect(sparse.settings).toEqual({ autoConfirm: false, waitForCompletion: true, timeoutSeconds: 3600, maxFailedTasks: 0, deletionBehavior: 'retain' });
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
      '[stack/M] retained the manifest in oss://ops/m/ (the handler never deletes objects)',
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
  test('each kind and command reaches its lifecycle; makeDeps gets the parsed event and the endpoint', async () => {
    const oss = new FakeOss();
    for (let i = 0; i < 3; i++) oss.putRaw('src', `p/${i}`, 'x', { lastModified: '2025-06-01T00:00:00Z' });
    const seen: HandlerEvent[] = [];
    const endpoints: EndpointChoice[] = [];
    const makeDeps = (event: HandlerEvent, endpoint: EndpointChoice) => { seen.push(event); endpoints.push(endpoint); return fakeDeps(oss); };

    const m = env(manifestEvent());
    await run(['create'], m, makeDeps);
    const content = 'src,p/0\nsrc,p/1\nsrc,p/2\n';
    const key = `m/${createHash('sha256').update(content).digest('hex')}.csv`;
    expect(JSON.parse(readFileSync(m.OSS_BATCH_RESULT!, 'utf8'))).toMatchObject({ bucket: 'ops', key, objectCount: 3, fields: 'Bucket,Key' });
    expect(oss.objects.get(`ops/${key}`)!.body.toString()).toBe(content);
    expect(oss.calls.createJob).toBeUndefined();

    oss.script = ['Active'];
    const running = batchEvent();
    running.settings = { ...running.settings, waitForCompletion: false, deletionBehavior: 'cancel' };
    const b = env(running);
    await run(['create'], b, makeDeps);
    expect(oss.calls.createJob).toBe(1);
    expect(JSON.parse(readFileSync(b.OSS_BATCH_RESULT!, 'utf8'))).toMatchObject({ status: 'Active', clientRequestToken: jobToken(running.identity) });
    expect(oss.jobs[0].input.clientRequestToken).toBe(jobToken(running.identity));
    await run(['delete'], b, makeDeps);
    expect(oss.calls['updateJobStatus:Cancelled']).toBe(1);
    expect(oss.calls.putObject).toBe(1); // the manifest only: delete never writes objects

    expect(seen).toEqual([manifestEvent(), running, running]);
    expect(endpoints).toEqual([{ url: undefined, overridden: false }, { url: 'http://127.0.0.1:9000', overridden: false }, { url: 'http://127.0.0.1:9000', overridden: false }]);
  });

  test('run throws the HandlerError (main maps it to the exit code)', async () => {
    const err = await run(['create'], env('{'), () => fakeDeps(new FakeOss())).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(HandlerError);
    expect((err as HandlerError).exitCode).toBe(EXIT.USAGE);
  });
});

describe('chooseEndpoint: OSS_ENDPOINT overrides the stack\'s endpoint', () => {
  test('without OSS_ENDPOINT the stack\'s endpoint (or the region default) is used', () => {
    expect(chooseEndpoint(batchEvent(), {})).toEqual({ url: 'http://127.0.0.1:9000', overridden: false });
    expect(chooseEndpoint(batchEvent(), { OSS_ENDPOINT: '' })).toEqual({ url: 'http://127.0.0.1:9000', overridden: false });
    expect(chooseEndpoint(manifestEvent(), {})).toEqual({ url: undefined, overridden: false });
  });

  test('the environment wins, checked and normalized like the prop; the same URL is no override', () => {
    expect(chooseEndpoint(batchEvent(), { OSS_ENDPOINT: 'https://oss-cn-hangzhou-internal.aliyuncs.com/' }))
      .toEqual({ url: 'https://oss-cn-hangzhou-internal.aliyuncs.com', overridden: true });
    expect(chooseEndpoint(manifestEvent(), { OSS_ENDPOINT: 'HTTP://127.0.0.1:9100' })).toEqual({ url: 'http://127.0.0.1:9100', overridden: true });
    expect(chooseEndpoint(batchEvent(), { OSS_ENDPOINT: 'http://127.0.0.1:9000/' })).toEqual({ url: 'http://127.0.0.1:9000', overridden: false });
  });

  test('an invalid OSS_ENDPOINT is a usage error (exit 2) naming OSS_ENDPOINT, before any OSS client is made', async () => {
    for (const bad of ['not a url', 'ftp://host/x', 'oss-cn-hangzhou.aliyuncs.com']) {
      const err = usageError(() => chooseEndpoint(batchEvent(), { OSS_ENDPOINT: bad }));
      expect(err.message).toBe(`OSS_ENDPOINT (environment): endpoint must be an http or https URL such as https://oss-cn-hangzhou.aliyuncs.com or http://127.0.0.1:9000 (got "${bad}")`);
    }
    const errors: string[] = [];
    let made = false;
    expect(await main(['create'], env(batchEvent(), { OSS_ENDPOINT: 'ftp://host/x' }), (t) => errors.push(t), () => { made = true; return fakeDeps(new FakeOss()); })).toBe(EXIT.USAGE);
    expect(made).toBe(false);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^cdktf-oss-batch: OSS_ENDPOINT \(environment\): endpoint must be an http or https URL/);
  });

  test('run passes the override to makeDeps and logs it; the job (its token) is the same as without it', async () => {
    const withOverride = new FakeOss();
    const choices: EndpointChoice[] = [];
    const deps = fakeDeps(withOverride);
    const e = env(batchEvent(), { OSS_ENDPOINT: 'http://10.0.0.7:8080' });
    await run(['create'], e, (_event, endpoint) => { choices.push(endpoint); return deps; });
    expect(choices).toEqual([{ url: 'http://10.0.0.7:8080', overridden: true }]);
    expect(deps.lines[0]).toBe("[stack/Job] endpoint http://10.0.0.7:8080 from OSS_ENDPOINT (overrides the stack's http://127.0.0.1:9000)");
    const without = new FakeOss();
    const plainDeps = fakeDeps(without);
    await run(['create'], env(), () => plainDeps);
    expect(plainDeps.lines.some((l) => l.includes('OSS_ENDPOINT'))).toBe(false);
    expect(withOverride.jobs[0].input.clientRequestToken).toBe(without.jobs[0].input.clientRequestToken);
    expect(JSON.parse(readFileSync(e.OSS_BATCH_RESULT!, 'utf8')).clientRequestToken).toBe(jobToken(batchEvent().identity));
    // A stack without an endpoint: the log says it overrides the default.
    const m = fakeDeps(new FakeOss());
    await run(['delete'], env(manifestEvent(), { OSS_ENDPOINT: 'http://10.0.0.7:8080' }), () => m);
    expect(m.lines[0]).toBe("[stack/M] endpoint http://10.0.0.7:8080 from OSS_ENDPOINT (overrides the stack's default)");
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

  // A minimal environment, as in a clean runner: no credentials or OSS settings from this machine.
  const runBundle = (extra: NodeJS.ProcessEnv, command = 'create') => spawnSync(process.execPath, [file, command], {
    env: { PATH: process.env.PATH ?? '', OSS_BATCH_RESULT: join(dir, 'r.json'), ...extra }, encoding: 'utf8', timeout: 30_000,
  });

  test('a bad event: exit 2, one error line on stderr, nothing on stdout, no OSS call', () => {
    for (const [event, message] of [
      ['{"kind":"batch-job"', /^cdktf-oss-batch: OSS_BATCH_EVENT is not valid JSON \(.*\)\.\n$/],
      [edited(batchEvent(), (e) => { e.format = 1; }), /^cdktf-oss-batch: OSS_BATCH_EVENT has event format 1, this handler reads format 2: re-run `cdktf synth`/],
      [edited(batchEvent(), (e) => { e.identity.priority = 'abc'; }), /^cdktf-oss-batch: stack\/Job: priority must be an integer from 0 to 2147483647 \(got abc\).*checked at apply time/],
    ] as [string, RegExp][]) {
      // The endpoint points nowhere: an OSS call would fail with exit 4, not 2.
      const child = runBundle({ OSS_BATCH_EVENT: event, OSS_ENDPOINT: 'http://127.0.0.1:9' });
      expect(child.status).toBe(EXIT.USAGE);
      expect(child.stdout).toBe('');
      expect(child.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(child.stderr).toMatch(message);
      expect(child.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    const badEndpoint = runBundle({ OSS_BATCH_EVENT: JSON.stringify(batchEvent()), OSS_ENDPOINT: 'ftp://host' });
    expect(badEndpoint.status).toBe(EXIT.USAGE);
    expect(badEndpoint.stderr).toMatch(/^cdktf-oss-batch: OSS_ENDPOINT \(environment\): endpoint must be an http or https URL/);
  });

  test('OSS_ENDPOINT reaches the real client: the request goes to the override, not the stack\'s endpoint', async () => {
    const requests: { method?: string; url?: string; host?: string }[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      requests.push({ method: req.method, url: req.url, host: req.headers.host });
      req.resume();
      res.writeHead(403, { 'content-type': 'application/xml', 'x-oss-request-id': 'RID-OVERRIDE' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>denied by the test server</Message><RequestId>RID-OVERRIDE</RequestId></Error>');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    try {
      const event = batchEvent();
      event.connection = { endpoint: 'http://127.0.0.1:9', pathStyle: true }; // nothing listens there
      const child = spawn(process.execPath, [file, 'create'], {
        env: {
          PATH: process.env.PATH ?? '', OSS_BATCH_RESULT: join(dir, 'r2.json'), OSS_BATCH_EVENT: JSON.stringify(event),
          OSS_ENDPOINT: `http://127.0.0.1:${port}`, ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAItestkey', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'test-secret',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      const code = await new Promise<number | null>((done) => child.on('close', done));
      expect(stdout).toContain(`[stack/Job] endpoint http://127.0.0.1:${port} from OSS_ENDPOINT (overrides the stack's http://127.0.0.1:9)`);
      expect(code).toBe(EXIT.API);
      expect(stderr).toMatch(/AccessDenied/);
      expect(requests.length).toBeGreaterThanOrEqual(1);
      expect(requests[0].host).toBe(`127.0.0.1:${port}`);
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
  });
});
