/**
 * ClientRequestToken properties (docs/identity.md): a pure function of the normalized job identity.
 * Key order, explicitly written defaults, connection props and settings do not change it; any
 * change to an identity field does; synth (literals) and the handler (resolved references) agree.
 */
import fc from 'fast-check';
import { App, TerraformOutput, TerraformStack, Testing, Token } from 'cdktf';
import { BatchJob, BatchJobProps, BatchOperation, DeletionBehavior, JobManifest, ManifestFromPrefix, ObjectAcl, ReportScope, RestoreTier } from '../../src';
import { parseEvent } from '../../src/handler/event';
import { jobToken } from '../../src/shared/token';
import { base, eventOf, shuffledKeys, stripUndefined, synth, tokenOf } from './helpers';

const tags = fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 20 }), { minKeys: 1, maxKeys: 10 });
const identityProps: fc.Arbitrary<Partial<BatchJobProps>> = fc.record({
  region: fc.constantFrom('cn-hangzhou', 'cn-shanghai', 'ap-southeast-1'),
  priority: fc.integer({ min: 0, max: 2147483647 }),
  description: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
  confirmationRequired: fc.option(fc.boolean(), { nil: undefined }),
  rerunToken: fc.option(fc.string({ minLength: 1, maxLength: 10 }), { nil: undefined }),
  operation: fc.oneof(
    tags.map((t) => BatchOperation.putObjectTagging(t)), tags.map((t) => BatchOperation.addObjectTagging(t)),
    fc.constantFrom(...Object.values(ObjectAcl)).map((acl) => BatchOperation.putObjectAcl(acl)),
    fc.record({ days: fc.integer({ min: 1, max: 365 }), tier: fc.constantFrom(undefined, ...Object.values(RestoreTier)) }).map((o) => BatchOperation.restoreObject(o)),
    fc.constant(BatchOperation.deleteObjectTagging()),
  ),
  manifest: fc.oneof(
    fc.record({ sourceBucket: fc.constantFrom('photos', 'logs-1'), prefix: fc.option(fc.constantFrom('raw/', 'a/b/'), { nil: undefined }) }).map((p) => JobManifest.fromKeyPrefix(p)),
    fc.record({ bucket: fc.constant('ops'), key: fc.constantFrom('m.csv', 'x/m.csv'), etag: fc.option(fc.stringMatching(/^[0-9A-F]{32}$/), { nil: undefined }) }).map((p) => JobManifest.fromCsv(p)),
  ),
  report: fc.record({
    bucket: fc.constantFrom('ops', 'reports'), prefix: fc.option(fc.constantFrom('r/', 'reports/'), { nil: undefined }),
    scope: fc.option(fc.constantFrom(...Object.values(ReportScope)), { nil: undefined }), enabled: fc.option(fc.boolean(), { nil: undefined }),
  }),
}, { requiredKeys: ['priority', 'operation', 'manifest', 'report', 'region'] });

const settings: fc.Arbitrary<Partial<BatchJobProps>> = fc.record({
  autoConfirm: fc.boolean(), waitForCompletion: fc.boolean(), timeoutSeconds: fc.integer({ min: 1, max: 604800 }),
  maxFailedTasks: fc.nat(), deletionBehavior: fc.constantFrom(...Object.values(DeletionBehavior)), pathStyle: fc.boolean(),
  endpoint: fc.constantFrom(undefined, 'http://127.0.0.1:9000', 'https://oss-cn-hangzhou-internal.aliyuncs.com'),
}, { requiredKeys: [] });

describe('ClientRequestToken', () => {
  test('format: ossb2- and 58 hex digits, 64 characters (the OSS maximum)', () => {
    expect(tokenOf(base())).toMatch(/^ossb2-[0-9a-f]{58}$/);
  });

  test('synth and the handler compute the same token from the event identity', () => {
    const json = synth((stack) => new BatchJob(stack, 'J', base({ pathStyle: true })));
    const event = eventOf(json, 'J');
    expect(event.connection.pathStyle).toBe(true);
    const token = tokenOf(base());
    expect(jobToken(event.identity)).toBe(token);
    // What the handler does with the event it receives: check, normalize again, hash.
    const received = parseEvent(JSON.stringify(event));
    expect(received.kind === 'batch-job' && jobToken(received.identity)).toBe(token);
  });

  test('key order, tag order and explicit defaults do not change it (property)', () => {
    fc.assert(fc.property(identityProps, fc.nat(), (props, seed) => {
      const explicit: Partial<BatchJobProps> = {
        ...props, description: props.description ?? '', confirmationRequired: props.confirmationRequired ?? false,
        report: { prefix: 'oss-batch-reports/', scope: ReportScope.ALL_TASKS, enabled: true, ...stripUndefined(props.report!) } as BatchJobProps['report'],
      };
      const reference = tokenOf(base(props));
      expect(tokenOf(shuffledKeys(base(explicit), seed))).toBe(reference);
    }), { numRuns: 150 });
    expect(tokenOf(base({ operation: BatchOperation.putObjectTagging({ a: '1', b: '2' }) })))
      .toBe(tokenOf(base({ operation: BatchOperation.putObjectTagging({ b: '2', a: '1' }) })));
  });

  test('settings, endpoint and pathStyle do not change it (property)', () => {
    const reference = tokenOf(base());
    fc.assert(fc.property(settings, (s) => {
      expect(tokenOf(base(s))).toBe(reference);
    }), { numRuns: 100 });
  });

  test('equivalent spellings of region, tags and ETag give the same job', () => {
    expect(tokenOf(base({ region: 'oss-cn-hangzhou' }))).toBe(tokenOf(base()));
    expect(tokenOf(base({ manifest: JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', fields: 'Bucket, Key' }) })))
      .toBe(tokenOf(base({ manifest: JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv' }) })));
    expect(tokenOf(base({ manifest: JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', etag: '"ABC"' }) })))
      .toBe(tokenOf(base({ manifest: JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', etag: 'ABC' }) })));
  });

  test('every identity field changes it', () => {
    const changes: Partial<BatchJobProps>[] = [
      { region: 'cn-shanghai' }, { roleArn: 'acs:ram::1234567890123456:role/Other' }, { priority: 11 },
      { description: 'x' }, { confirmationRequired: true }, { rerunToken: 'again' },
      { operation: BatchOperation.putObjectTagging({ env: 'dev' }) }, { operation: BatchOperation.putObjectTagging({ Env: 'prod' }) },
      { operation: BatchOperation.addObjectTagging({ env: 'prod' }) }, { operation: BatchOperation.deleteObjectTagging() },
      { operation: BatchOperation.putObjectAcl(ObjectAcl.PRIVATE) }, { operation: BatchOperation.restoreObject({ days: 1 }) },
      { operation: BatchOperation.restoreObject({ days: 1, tier: RestoreTier.BULK }) },
      { manifest: JobManifest.fromKeyPrefix({ sourceBucket: 'photos', prefix: 'other/' }) }, { manifest: JobManifest.fromKeyPrefix({ sourceBucket: 'pictures', prefix: 'raw/' }) },
      { manifest: JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv' }) }, { manifest: JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', etag: 'ABC' }) },
      { manifest: JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', versionId: 'v1' }) }, { manifest: JobManifest.fromCsv({ bucket: 'ops', key: 'm.csv', fields: 'Bucket,Key,VersionId' }) },
      { manifest: JobManifest.fromInventoryReport({ bucket: 'ops', manifestKey: 'inv/manifest.json' }) },
      { manifest: JobManifest.fromInventoryReport({ bucket: 'ops', manifestKey: 'inv/manifest.json', etag: 'ABC' }) },
      { report: { bucket: 'reports' } }, { report: { bucket: 'ops', prefix: 'r/' } }, { report: { bucket: 'ops', scope: ReportScope.FAILED_TASKS_ONLY } }, { report: { bucket: 'ops', enabled: false } },
    ];
    const tokens = [tokenOf(base()), ...changes.map((c) => tokenOf(base(c)))];
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  test('two different specs never share a token (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2147483647 }), fc.integer({ min: 0, max: 2147483647 }), fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (p1, p2, d1, d2) => {
      expect(tokenOf(base({ priority: p1, description: d1 })) === tokenOf(base({ priority: p2, description: d2 }))).toBe(p1 === p2 && d1 === d2);
    }), { numRuns: 100 });
  });

  test('does not depend on the construct path, stack, app or process state', () => {
    const inOtherPlace = new BatchJob(new TerraformStack(new App(), 'elsewhere'), 'Renamed', base()).clientRequestToken;
    expect(inOtherPlace).toBe(tokenOf(base()));
    const before = tokenOf(base());
    const zone = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai';
    try {
      expect(tokenOf(base())).toBe(before);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  test('a ManifestFromPrefix job: the token is known after apply, from the manifest key and ETag', () => {
    const stack = new TerraformStack(new App(), 's');
    const manifest = new ManifestFromPrefix(stack, 'Raw', { region: 'cn-hangzhou', sourceBucket: 'photos', prefix: 'raw/', manifestBucket: 'ops' });
    const job = new BatchJob(stack, 'J', base({ manifest: JobManifest.fromManifestFromPrefix(manifest) }));
    expect(Token.isUnresolved(job.clientRequestToken)).toBe(true);
    new TerraformOutput(stack, 'Token', { value: job.clientRequestToken });
    const output = JSON.parse(Testing.synth(stack)).output.Token.value;
    expect(output).toMatch(/^\$\{.*terraform_data\.J_result_\w+\.output.*clientRequestToken/);
  });
});

