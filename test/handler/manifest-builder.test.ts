/** ManifestFromPrefix create: streaming listing → filter → CSV spool → content-addressed PutObject or multipart, with the fakes. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../src/handler/errors';
import { buildManifest, describeFilter, manifestKeyFor, matchesFilter } from '../../src/handler/manifest-builder';
import { parseManifestCsv } from '../../src/oss/csv';
import { OssError } from '../../src/oss/errors';
import { EVENT_FORMAT, ManifestFromPrefixEvent, ManifestResult, PrefixManifestIdentity } from '../../src/shared/contract';
import type { ManifestFilterSpec } from '../../src/shared/identity';
import { expectFailed, expectSuccess, fakeDeps, FakeOss } from './mocks';

const resultPath = () => join(mkdtempSync(join(tmpdir(), 'oss-batch-manifest-test-')), '.oss-batch', 'M.json');
const manifestEvent = (filter: Partial<ManifestFilterSpec> = {}, over: Partial<PrefixManifestIdentity> = {}): ManifestFromPrefixEvent => ({
  kind: 'manifest-from-prefix', format: EVENT_FORMAT, name: 'stack/M', connection: {},
  identity: {
    region: 'cn-hangzhou', sourceBucket: 'src', prefix: 'p/', filter: { suffixes: [], storageClasses: [], ...filter }, includeVersionIds: false,
    manifestBucket: 'ops', manifestPrefix: 'manifests/', ...over,
  },
});
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
/** Every object the handler wrote to the manifest bucket. */
const written = (oss: FakeOss) => [...oss.objects.keys()].filter((k) => k.startsWith('ops/'));
/** The one manifest object in the bucket: its key is the result's, `manifests/<sha256 of its body>.csv`. */
function body(oss: FakeOss): Buffer {
  const keys = written(oss);
  expect(keys).toHaveLength(1);
  const data = oss.objects.get(keys[0])!.body;
  expect(keys[0]).toBe(`ops/manifests/${sha256(data)}.csv`);
  return data;
}

/**
 * Runs `fn` with os.tmpdir() answering a private directory (the spool's parent; jest's process.env
 * is a copy, so TMPDIR would not reach node:os) and notes what that directory holds when the fake
 * receives the first listing and each upload: the spool must exist then, and be gone after.
 * (The default import is the module object itself, so the spy reaches manifest-builder's import.)
 */
async function inPrivateTmp(oss: FakeOss, fn: () => Promise<unknown>): Promise<{ during: { api: string; files: string[] }[]; after: string[]; outcome: unknown }> {
  const dir = mkdtempSync(join(tmpdir(), 'oss-batch-spool-test-'));
  const during: { api: string; files: string[] }[] = [];
  const note = (api: string) => during.push({ api, files: readdirSync(dir).flatMap((d) => readdirSync(join(dir, d)).map((f) => `${d}/${f}`)) });
  const spy = <K extends 'listObjectsV2' | 'putObject' | 'initiateMultipartUpload'>(api: K) => {
    const original = (oss[api] as (...a: unknown[]) => Promise<unknown>).bind(oss);
    let calls = 0;
    (oss as unknown as Record<K, unknown>)[api] = async (...args: unknown[]) => {
      if (calls++ === 0) note(api);
      return original(...args);
    };
  };
  spy('listObjectsV2');
  spy('putObject');
  spy('initiateMultipartUpload');
  const tmp = jest.spyOn(os, 'tmpdir').mockReturnValue(dir);
  let outcome: unknown;
  try {
    outcome = await fn().catch((err: unknown) => err);
  } finally {
    tmp.mockRestore();
  }
  const after = readdirSync(dir);
  rmSync(dir, { recursive: true, force: true });
  return { during, after, outcome };
}
const SPOOL = expect.stringMatching(/^oss-batch-manifest-[^/]+\/manifest\.csv$/);

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
  expect(result).toEqual({
    bucket: 'ops', key: `manifests/${expectedSha}.csv`, etag: 'MULTI-4', objectCount: 25_000, contentSha256: expectedSha, fields: 'Bucket,Key',
  });
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(result);
  expect(oss.calls.listObjectsV2).toBe(25);
  expect(oss.maxKeysSeen).toBe(1000);
  expect(oss.calls.putObject).toBeUndefined();

  // Parts: a line is 39 bytes, 25,000 lines 975,000 bytes; the spool is cut into parts of exactly
  // 256 KiB (262,144 bytes), so 3 full parts and a last one of 188,568 bytes.
  expect(Buffer.byteLength(expected.slice(0, expected.indexOf('\n') + 1))).toBe(39);
  expect(Buffer.byteLength(expected)).toBe(975_000);
  expect(oss.partLog).toEqual([
    { uploadId: 'U1', partNumber: 1, size: 262_144 }, { uploadId: 'U1', partNumber: 2, size: 262_144 },
    { uploadId: 'U1', partNumber: 3, size: 262_144 }, { uploadId: 'U1', partNumber: 4, size: 188_568 },
  ]);
  // OSS refuses parts under 100 KiB except the last; memory holds one part at most.
  for (const part of oss.partLog.slice(0, -1)) expect(part.size).toBeGreaterThanOrEqual(Math.max(partSize, 100 * 1024));
  expect(oss.largestPart).toBeLessThanOrEqual(partSize);
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
  expect(one.key).toBe(result.key); // the same content, the same key
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
  expect(result.key).toBe(`manifests/${result.contentSha256}.csv`);
  expect(result.fields).toBe('Bucket,Key');
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
  expect(oss.calls.initiateMultipartUpload).toBeUndefined();
  expect(written(oss)).toEqual([]);
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
  expect(written(oss)).toEqual([]);
  expect(existsSync(file)).toBe(false);
});

test('a failing abort does not hide the error that caused it', async () => {
  const oss = new FakeOss();
  for (let i = 0; i < 20_000; i++) oss.putRaw('src', `p/${String(i).padStart(5, '0')}`, 'x');
  oss.failOn.uploadPart = { calls: [2], error: () => new OssError({ code: 'ServiceUnavailable', status: 503, message: 'part down' }) };
  oss.failOn.abortMultipartUpload = { calls: [1], error: () => new OssError({ code: 'InternalError', status: 500, message: 'abort down' }) };
  const file = resultPath();
  const err = await buildManifest(manifestEvent(), file, fakeDeps(oss), 100 * 1024).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(OssError);
  expect((err as Error).message).toMatch(/ServiceUnavailable.*part down/);
  expect((err as Error).message).not.toMatch(/abort down/);
  expect(oss.calls.abortMultipartUpload).toBe(1);
  expect(oss.calls.completeMultipartUpload).toBeUndefined();
  expect(existsSync(file)).toBe(false);
});

test('a failing listing uploads nothing: the key is the hash of the whole listing, so nothing is sent before it ends', async () => {
  const oss = new FakeOss();
  for (let i = 0; i < 20_000; i++) oss.putRaw('src', `p/${String(i).padStart(5, '0')}`, 'x');
  oss.failOn.listObjectsV2 = { calls: [15], error: () => new OssError({ code: 'ServiceUnavailable', status: 503, message: 'listing down' }) };
  const file = resultPath();
  await expect(buildManifest(manifestEvent(), file, fakeDeps(oss), 100 * 1024)).rejects.toThrow(/ServiceUnavailable.*listing down/);
  expect(oss.calls.listObjectsV2).toBe(15);
  expect(oss.calls.putObject).toBeUndefined();
  expect(oss.calls.initiateMultipartUpload).toBeUndefined();
  expect(oss.calls.uploadPart).toBeUndefined();
  expect(written(oss)).toEqual([]);
  expect(existsSync(file)).toBe(false);
});

describe('content-addressed key and the spool', () => {
  test('the key is <manifestPrefix><sha256 of the content>.csv; another listing gets another key and the first object stays', async () => {
    expect(manifestKeyFor('manifests/', 'ab12')).toBe('manifests/ab12.csv');
    expect(manifestKeyFor('', 'ab12')).toBe('ab12.csv');
    const oss = new FakeOss();
    oss.putRaw('src', 'p/a', 'x');
    const first = await expectSuccess(buildManifest(manifestEvent(), resultPath(), fakeDeps(oss)));
    const content = 'src,p/a\n';
    expect(first).toMatchObject({ key: `manifests/${sha256(content)}.csv`, contentSha256: sha256(content), objectCount: 1 });
    expect(oss.objects.get(`ops/${first.key}`)!.body.toString()).toBe(content);
    // The same listing again: the same key (the same bytes are written again).
    const again = await expectSuccess(buildManifest(manifestEvent(), resultPath(), fakeDeps(oss)));
    expect(again.key).toBe(first.key);
    expect(written(oss)).toEqual([`ops/${first.key}`]);
    // A changed listing: a new key; the old manifest is not overwritten (a job may still read it).
    oss.putRaw('src', 'p/b', 'y');
    const changed = await expectSuccess(buildManifest(manifestEvent(), resultPath(), fakeDeps(oss)));
    expect(changed.key).toBe(`manifests/${sha256('src,p/a\nsrc,p/b\n')}.csv`);
    expect(changed.key).not.toBe(first.key);
    expect(written(oss).sort()).toEqual([`ops/${first.key}`, `ops/${changed.key}`].sort());
    expect(oss.objects.get(`ops/${first.key}`)!.body.toString()).toBe(content);
    // Another prefix (and an empty one) only changes where the hash is put.
    const bare = await expectSuccess(buildManifest(manifestEvent({}, { manifestPrefix: '' }), resultPath(), fakeDeps(oss)));
    expect(bare.key).toBe(`${changed.contentSha256}.csv`);
  });

  test('the hash is of the bytes uploaded, multipart included', async () => {
    const oss = new FakeOss();
    for (let i = 0; i < 12_000; i++) oss.putRaw('src', `p/${i}`, 'x');
    const result = await expectSuccess(buildManifest(manifestEvent(), resultPath(), fakeDeps(oss), 100 * 1024));
    expect(oss.calls.uploadPart).toBeGreaterThan(1);
    const data = body(oss); // checks the key against the hash of the stored bytes
    expect(result.contentSha256).toBe(sha256(data));
    expect(data.toString().split('\n').filter(Boolean)).toHaveLength(12_000);
  });

  test('the spool lives in a temp directory while uploading and is removed after success', async () => {
    for (const partSize of [undefined, 100 * 1024]) {
      const oss = new FakeOss();
      for (let i = 0; i < 12_000; i++) oss.putRaw('src', `p/${i}`, 'x');
      const file = resultPath();
      const { during, after, outcome } = await inPrivateTmp(oss, () => buildManifest(manifestEvent(), file, fakeDeps(oss), partSize));
      expect(outcome).toMatchObject({ objectCount: 12_000 });
      expect(during).toEqual([
        { api: 'listObjectsV2', files: [SPOOL] },
        { api: partSize ? 'initiateMultipartUpload' : 'putObject', files: [SPOOL] },
      ]);
      expect(after).toEqual([]);
    }
  });

  test('the spool is removed after a failure: upload, listing, or an empty manifest', async () => {
    const failures: [string, (oss: FakeOss) => void, RegExp][] = [
      ['part upload', (oss) => { oss.failOn.uploadPart = { calls: [1], error: () => new OssError({ code: 'InternalError', status: 500, message: 'boom' }) }; }, /InternalError/],
      ['put', (oss) => { oss.failOn.putObject = { calls: [1], error: () => new OssError({ code: 'AccessDenied', status: 403, message: 'no' }) }; }, /AccessDenied/],
      ['listing', (oss) => { oss.failOn.listObjectsV2 = { calls: [2], error: () => new OssError({ code: 'ServiceUnavailable', status: 503, message: 'down' }) }; }, /ServiceUnavailable/],
    ];
    for (const [what, fail, message] of failures) {
      const oss = new FakeOss();
      for (let i = 0; i < 12_000; i++) oss.putRaw('src', `p/${i}`, 'x');
      fail(oss);
      const file = resultPath();
      const { during, after, outcome } = await inPrivateTmp(oss, () => buildManifest(manifestEvent(), file, fakeDeps(oss), what === 'put' ? undefined : 100 * 1024));
      expect(outcome).toBeInstanceOf(OssError);
      expect((outcome as Error).message).toMatch(message);
      // The spool existed while listing and when the upload started (none for the listing failure), and is gone.
      expect(during).toEqual(what === 'listing'
        ? [{ api: 'listObjectsV2', files: [SPOOL] }]
        : [{ api: 'listObjectsV2', files: [SPOOL] }, { api: what === 'put' ? 'putObject' : 'initiateMultipartUpload', files: [SPOOL] }]);
      expect(after).toEqual([]);
      expect(existsSync(file)).toBe(false);
    }
    const empty = new FakeOss();
    const { during, after, outcome } = await inPrivateTmp(empty, () => buildManifest(manifestEvent(), resultPath(), fakeDeps(empty)));
    expect(outcome).toMatchObject({ exitCode: EXIT.OUTCOME });
    expect(during).toEqual([{ api: 'listObjectsV2', files: [SPOOL] }]);
    expect(after).toEqual([]);
  });
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
  expect(result.fields).toBe('Bucket,Key,VersionId');
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
