/** The shared checks run by synth (with deferred references) and by the handler (nothing deferred). */
import fc from 'fast-check';
import { checkFilter, checkJobIdentity } from '../../src/shared/identity';
import { Checks, NOTHING_DEFERRED } from '../../src/shared/validation';

const apply = new Checks('s/J', NOTHING_DEFERRED);
const DEFERRED = 'REF';
const synth = new Checks('s/J', (value) => value === DEFERRED || (Array.isArray(value) && value[0] === DEFERRED));
const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a ValidationError');
};

describe('Checks', () => {
  test('integers and booleans accept the string forms Terraform variables may resolve to', () => {
    expect(apply.integer('priority', '10', 0, 100)).toBe(10);
    expect(apply.boolean('report.enabled', 'false', true)).toBe(false);
    expect(apply.boolean('report.enabled', undefined, true)).toBe(true);
    expect(message(() => apply.integer('priority', '1e3', 0, 5000))).toBe('s/J: priority must be an integer from 0 to 5000 (got 1e3)');
    expect(message(() => apply.boolean('report.enabled', 'yes', true))).toBe('s/J: report.enabled must be true or false (got "yes")');
  });

  test('deferred values pass through untouched at synth, and are checked at apply', () => {
    expect(synth.bucket('report.bucket', DEFERRED)).toBe(DEFERRED);
    expect(synth.integer('priority', DEFERRED, 0, 1)).toBe(DEFERRED);
    expect(synth.stringSet('filter.suffixes', [DEFERRED])).toEqual([DEFERRED]);
    expect(message(() => apply.bucket('report.bucket', DEFERRED))).toMatch(/^s\/J: report.bucket must be a bucket name/);
  });

  test('endpoints have one spelling; regions lose their oss- prefix', () => {
    expect(apply.endpoint('HTTP://127.0.0.1:9000/')).toBe('http://127.0.0.1:9000');
    expect(apply.endpoint(undefined)).toBeUndefined();
    expect(apply.endpoint('')).toBeUndefined(); // an environment variable set to ''
    expect(message(() => apply.endpoint('ftp://x'))).toMatch(/^s\/J: endpoint must be an http or https URL/);
    expect(apply.region('oss-cn-hangzhou')).toBe('cn-hangzhou');
  });

  test('impossible dates and endpoints with user info, query or fragment are refused', () => {
    expect(message(() => apply.isoInstant('filter.modifiedAfter', '2025-02-30'))).toMatch(/^s\/J: filter.modifiedAfter must be an ISO-8601 date/);
    expect(message(() => apply.isoInstant('filter.modifiedAfter', '2024-02-30T10:00:00Z'))).toMatch(/must be an ISO-8601 date/);
    expect(apply.isoInstant('filter.modifiedAfter', '2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
    for (const url of ['http://u:p@127.0.0.1:9000', 'http://127.0.0.1:9000/?q=1', 'https://oss.example.com/#x']) {
      expect(message(() => apply.endpoint(url))).toMatch(/^s\/J: endpoint must be an http or https URL/);
    }
  });

  test('filter lists are sorted and de-duplicated; instants normalized', () => {
    expect(checkFilter(apply, { suffixes: ['.png', '.jpg', '.png'], modifiedAfter: '2025-01-01T08:00:00+08:00' }))
      .toEqual({ suffixes: ['.jpg', '.png'], storageClasses: [], modifiedAfter: '2025-01-01T00:00:00.000Z' });
  });

  test('normalizing twice changes nothing (the handler re-normalizes what synth normalized)', () => {
    const raw = {
      region: 'oss-cn-hangzhou', roleArn: 'acs:ram::1:role/R', priority: '3', description: undefined, confirmationRequired: 'true',
      operation: { type: 'PutObjectTagging', tags: [{ key: 'b', value: '2' }, { key: 'a', value: '1' }] },
      manifest: { csv: { bucket: 'ops', key: 'm.csv', etag: '"ABC"', fields: 'Bucket, Key' } },
      report: { bucket: 'ops' },
    };
    const once = checkJobIdentity(apply, raw);
    expect(checkJobIdentity(apply, JSON.parse(JSON.stringify(once)))).toEqual(once);
    expect(once).toMatchObject({ region: 'cn-hangzhou', priority: 3, confirmationRequired: true, description: '' });
    expect(once.operation.tags).toEqual([{ key: 'a', value: '1' }, { key: 'b', value: '2' }]);
    expect(once.manifest.csv).toMatchObject({ etag: 'ABC', fields: 'Bucket,Key' });
  });

  test('tag order never changes the normalized identity (property)', () => {
    const tags = fc.uniqueArray(fc.record({ key: fc.string({ minLength: 1, maxLength: 8 }), value: fc.string({ maxLength: 8 }) }), { minLength: 1, maxLength: 10, selector: (t) => t.key });
    fc.assert(fc.property(tags, fc.nat(), (list, seed) => {
      const rotated = list.map((_, i) => list[(i + seed) % list.length]);
      const identity = (t: typeof list) => checkJobIdentity(apply, {
        region: 'cn-hangzhou', roleArn: 'acs:ram::1:role/R', priority: 1, operation: { type: 'PutObjectTagging', tags: t },
        manifest: { keyPrefix: { sourceBucket: 'src' } }, report: { bucket: 'ops' },
      });
      expect(identity(rotated)).toEqual(identity(list));
    }), { numRuns: 200 });
  });
});
