/** ManifestFromPrefix create: streaming listing → filter → CSV → PutObject or multipart, with the fakes. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/handler/errors';
import { buildManifest, describeFilter, matchesFilter } from '../../src/handler/manifest-builder';
import { parseManifestCsv } from '../../src/oss/csv';
import { OssError } from '../../src/oss/errors';
import type { ManifestFromPrefixEvent, ManifestResult } from '../../src/shared/contract';
import { expectFailed, expectSuccess, fakeDeps, FakeOss } from './mocks';

const resultPath = () => join(mkdtempSync(join(tmpdir(), 'oss-batch-manifest-')), '.oss-batch', 'M.json');
const manifestEvent = (filter: Partial<ManifestFromPrefixEvent['filter']> = {}, extra: Partial<ManifestFromPrefixEvent> = {}): ManifestFromPrefixEvent => ({
  kind: 'manifest-from-prefix', name: 'stack/M', token: 't', connection: { region: 'cn-hangzhou' }, sourceBucket: 'src', prefix: 'p/',
  manifestBucket: 'ops', manifestKey: 'm.csv', filter: { suffixes: [], storageClasses: [], ...filter }, includeVersionIds: false, ...extra,
});
const body = (oss: FakeOss) => oss.objects.get('ops/m.csv')!.body;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

test('streams 25,000 keys in pages of 1,000 into a multipart CSV with URL-encoded keys and a correct hash', async () => {
  const oss = new FakeOss();
  const name = (i: number) => `p/${String(i).padStart(5, '0')} a,"b"é\n.txt`; // space, comma, quotes, unicode, newline
  for (let i = 0; i < 25_000; i++) oss.putRaw('src', name(i), 'x');
  oss.putRaw('src', 'other/skip', 'x');
  const file = resultPath();
  const partSize = 256 * 1024;
  const result = await expectSuccess(buildManifest(manifestEvent(), file, fakeDeps(oss), partSize));

  // The expected manifest, written out by hand (not through the encoder under test).
  const expected = Array.from({ length: 25_000 }, (_, i) => `src,p/${String(i).padStart(5, '0')}%20a%2C%22b%22%C3%A9%0A.txt\n`).join('');
  expect(body(oss).toString('utf8')).toBe(expected);
  const expectedSha = createHash('sha256').update(Buffer.from(expected, 'utf8')).digest('hex');
  expect(result).toEqual({ bucket: 'ops', key: 'm.csv', etag: 'MULTI-4', objectCount: 25_000, contentSha256: expectedSha });
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(result);
  expect(oss.calls.listObjectsV2).toBe(25);
  expect(oss.maxKeysSeen).toBe(1000);
  expect(oss.calls.putObject).toBeUndefined();

  // Parts: a line is 39 bytes, a page 39,000; a part is flushed once ≥ 256 KiB is buffered, i.e. every
  // 7 pages (273,000 bytes), so 25 pages make 3 full parts and a last one of 4 pages.
  expect(Buffer.byteLength(expected.slice(0, expected.indexOf('\n') + 1))).toBe(39);
  expect(oss.partLog).toEqual([
    { uploadId: 'U1', partNumber: 1, size: 273_000 }, { uploadId: 'U1', partNumber: 2, size: 273_000 },
    { uploadId: 'U1', partNumber: 3, size: 273_000 }, { uploadId: 'U1', partNumber: 4, size: 156_000 },
  ]);
  // OSS refuses parts under 100 KiB except the last; memory stays at about one part plus one page.
  for (const part of oss.partLog.slice(0, -1)) expect(part.size).toBeGreaterThanOrEqual(Math.max(partSize, 100 * 1024));
  expect(oss.largestPart).toBeLessThan(partSize + 39_000);
  expect(oss.calls.completeMultipartUpload).toBe(1);
  expect(oss.uploads.size).toBe(0);

  const entries = parseManifestCsv(body(oss).toString('utf8'));
  expect(entries).toHaveLength(25_000);
  expect(entries[24_999]).toEqual({ bucket: 'src', key: name(24_999) });

  // The single-PutObject path over the same listing writes the same bytes and the same hash.
  const single = new FakeOss();
  for (let i = 0; i < 25_000; i++) single.putRaw('src', name(i), 'x');
  const one = await expectSuccess(buildManifest(manifestEvent(), resultPath(), fakeDeps(single)));
  expect(single.calls.putObject).toBe(1);
  expect(single.calls.initiateMultipartUpload).toBeUndefined();
  expect(body(single).equals(body(oss))).toBe(true);
  expect({ ...one, etag: 'x' }).toEqual({ ...result, etag: 'x' });
});

test('a small manifest is one PutObject; the ETag comes back without quotes', async () => {
  const oss = new FakeOss();
  oss.putRaw('src', 'p/a', 'x');
  oss.putRaw('src', 'p/b', 'y');
  const result: ManifestResult = await buildManifest(manifestEvent(), resultPath(), fakeDeps(oss));
  expect(oss.calls.putObject).toBe(1);
  expect(oss.calls.initiateMultipartUpload).toBeUndefined();
  expect(result.etag).toMatch(/^[0-9A-F]{32}$/);
  expect(body(oss).toString()).toBe('src,p/a\nsrc,p/b\n');
  expect(result.contentSha256).toBe(sha256(Buffer.from('src,p/a\nsrc,p/b\n')));
});

test('filters by suffix, size, date and storage class; folder placeholders are skipped', async () => {
  const oss = new FakeOss();
  const at = (lastModified: string, size: number, storageClass: string) => ({ size, lastModified, storageClass });
  oss.putRaw('src', 'p/a.jpg', 'x', at('2025-01-02T00:00:00Z', 10, 'Archive'));
  oss.putRaw('src', 'p/b.jpg', 'x', at('2025-01-02T00:00:00Z', 1000, 'Archive')); // too big
  oss.putRaw('src', 'p/c.png', 'x', at('2025-01-02T00:00:00Z', 10, 'Archive')); // suffix
  oss.putRaw('src', 'p/d.jpg', 'x', at('2024-01-01T00:00:00Z', 10, 'Archive')); // too old
  oss.putRaw('src', 'p/e.jpg', 'x', at('2025-01-02T00:00:00Z', 10, 'Standard')); // class
  oss.putRaw('src', 'p/f.jpg', 'x', at('2025-01-02T00:00:00Z', 2, 'Archive')); // too small
  oss.putRaw('src', 'p/dir/', '', at('2025-01-02T00:00:00Z', 0, 'Archive'));
  const filter = { suffixes: ['.jpg', '/'], minSizeBytes: 5, maxSizeBytes: 100, modifiedAfter: '2025-01-01T00:00:00.000Z', storageClasses: ['Archive'] };
  const result = await buildManifest(manifestEvent(filter), resultPath(), fakeDeps(oss));
  expect(result.objectCount).toBe(1);
  expect(body(oss).toString()).toBe('src,p/a.jpg\n');
});

test('matchesFilter: bounds are inclusive, an empty filter keeps everything but folder placeholders', () => {
  const o = { key: 'k.txt', size: 10, etag: 'e', lastModified: '2025-01-01T00:00:00Z', storageClass: 'IA' };
  const none = { suffixes: [], storageClasses: [] };
  expect(matchesFilter(o, none)).toBe(true);
  expect(matchesFilter(o, { ...none, minSizeBytes: 10, maxSizeBytes: 10 })).toBe(true);
  expect(matchesFilter(o, { ...none, modifiedAfter: '2025-01-01T00:00:00Z' })).toBe(false); // strictly after
  expect(matchesFilter({ ...o, key: 'd/', size: 0 }, none)).toBe(false);
  expect(matchesFilter({ ...o, key: 'd/', size: 3 }, none)).toBe(true);
});

test('an empty manifest is an error that names the prefix and the filter; nothing is uploaded', async () => {
  const oss = new FakeOss();
  oss.putRaw('src', 'p/a.jpg', 'x');
  const file = resultPath();
  await expectFailed(buildManifest(manifestEvent({ suffixes: ['.gif'], maxSizeBytes: 5 }), file, fakeDeps(oss)), EXIT.OUTCOME,
    /no object under oss:\/\/src\/p\/ matches the filter \(1 listed; filter: suffixes \.gif; size ≤ 5 bytes\)\. A batch job over zero objects/);
  await expectFailed(buildManifest(manifestEvent({}, { prefix: 'nothing/' }), file, fakeDeps(oss)), EXIT.OUTCOME, /oss:\/\/src\/nothing\/.*0 listed; filter: none/);
  expect(oss.calls.putObject).toBeUndefined();
  expect(existsSync(file)).toBe(false);
  expect(describeFilter({ suffixes: [], storageClasses: ['IA', 'Archive'], minSizeBytes: 1, modifiedAfter: '2025-01-01' }))
    .toBe('size ≥ 1 bytes; modified after 2025-01-01; storage classes IA, Archive');
});

test('a failing part upload aborts the multipart upload and leaves no result', async () => {
  const oss = new FakeOss();
  for (let i = 0; i < 20_000; i++) oss.putRaw('src', `p/${i}`, 'x');
  oss.failOn.uploadPart = { calls: [2], error: () => new OssError({ code: 'InternalError', status: 500, message: 'boom' }) };
  const file = resultPath();
  await expect(buildManifest(manifestEvent(), file, fakeDeps(oss), 100 * 1024)).rejects.toThrow(/InternalError/);
  expect(oss.calls.abortMultipartUpload).toBe(1);
  expect(oss.calls.completeMultipartUpload).toBeUndefined();
  expect(oss.uploads.size).toBe(0);
  expect(existsSync(file)).toBe(false);
});

test('a failing abort does not hide the error that caused it; a failing listing aborts the parts already sent', async () => {
  const oss = new FakeOss();
  for (let i = 0; i < 20_000; i++) oss.putRaw('src', `p/${String(i).padStart(5, '0')}`, 'x');
  oss.failOn.listObjectsV2 = { calls: [15], error: () => new OssError({ code: 'ServiceUnavailable', status: 503, message: 'listing down' }) };
  oss.failOn.abortMultipartUpload = { calls: [1], error: () => new OssError({ code: 'InternalError', status: 500, message: 'abort down' }) };
  const file = resultPath();
  await expect(buildManifest(manifestEvent(), file, fakeDeps(oss), 100 * 1024)).rejects.toThrow(/ServiceUnavailable.*listing down/);
  expect(oss.calls.uploadPart).toBeGreaterThan(0); // parts were on their way when the listing failed
  expect(oss.calls.abortMultipartUpload).toBe(1);
  expect(oss.calls.completeMultipartUpload).toBeUndefined();
  expect(existsSync(file)).toBe(false);
});

test('includeVersionIds lists versions page by page and writes the current version of each key', async () => {
  const oss = new FakeOss();
  for (let i = 0; i < 1500; i++) {
    const key = `p/${String(i).padStart(4, '0')}`;
    const base = { bucket: 'src', key, size: 1, etag: 'e', lastModified: '2025-06-01T00:00:00Z', storageClass: 'Standard' };
    oss.versions.push({ ...base, versionId: `v2-${i}`, isLatest: i % 3 !== 0 }); // every third key's latest is a delete marker
    oss.versions.push({ ...base, versionId: `v1-${i}`, isLatest: false });
  }
  const result = await buildManifest(manifestEvent({}, { includeVersionIds: true }), resultPath(), fakeDeps(oss));
  expect(oss.calls.listObjectVersions).toBe(3);
  expect(oss.calls.listObjectsV2).toBeUndefined();
  expect(result.objectCount).toBe(1000);
  const lines = body(oss).toString().trimEnd().split('\n');
  expect(lines[0]).toBe('src,p/0001,v2-1');
  expect(lines).not.toContain('src,p/0000,v2-0');
  expect(lines.some((l) => l.includes(',v1-'))).toBe(false);
});

test('includeVersionIds without a versions-capable client is a clear error', async () => {
  const oss = new FakeOss();
  const deps = fakeDeps(oss);
  deps.objects = { ...oss, listObjectVersions: undefined } as unknown as typeof deps.objects;
  await expectFailed(buildManifest(manifestEvent({}, { includeVersionIds: true }), resultPath(), deps), EXIT.USAGE, /list object versions/);
});
