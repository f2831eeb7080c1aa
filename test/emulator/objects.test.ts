/**
 * Object API conformance, driven by the official ali-oss client (V4 signatures, then its default
 * V1 signatures) where it can,
 * and by our OssClient for what ali-oss does not cover (versions). ali-oss, given an IP endpoint,
 * sends `Host: <bucket>.oss-<region>.aliyuncs.com` with a `/key` path (virtual-host addressing on
 * the wire, lib/common/utils/createRequest.js), which the emulator's router resolves; no
 * cname/sldEnable option is needed (sldEnable would put the bucket in the path *and* the host).
 */
import { createHash } from 'node:crypto';
import type { RunningEmulator } from '../../src/emulator';
import type { OssClient } from '../../src/oss/client';
import { decodeErrorXml } from '../../src/oss/xml/error';
import { decodeListObjectsV2Result } from '../../src/oss/xml/objects';
import { clientFor, ossError, raw, signedRaw, start, stopAndClean } from './helpers';

const OSS = require('ali-oss');

const BUCKET = 'conformance';
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex').toUpperCase();

let emulator: RunningEmulator;
let client: OssClient;
let offsetMs = 0;
/** ali-oss signs with V1 (HMAC-SHA1) unless told otherwise; every ali-oss test runs both ways. */
let authorizationV4 = true;
const clock = () => new Date(Date.now() + offsetMs);

// ali-oss's objects are untyped; keep them as `any` in one place.
type AliOss = any;
function aliOss(bucket = BUCKET, overrides: Record<string, unknown> = {}): AliOss {
  return new OSS({
    region: 'oss-cn-hangzhou', endpoint: emulator.endpoint, accessKeyId: emulator.credentials.accessKeyId,
    accessKeySecret: emulator.credentials.accessKeySecret, bucket, authorizationV4, ...overrides,
  });
}

/** The error ali-oss throws, with its code and status. */
async function aliError(promise: Promise<unknown>): Promise<{ name: string; code: string; status: number; requestId?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { name: string; code: string; status: number; requestId?: string };
  }
  throw new Error('expected ali-oss to throw');
}

describe.each([['V4 signatures', true], ['V1 signatures (ali-oss default)', false]])('%s', (_, v4) => {
  beforeAll(() => { authorizationV4 = v4 as boolean; });

  beforeAll(async () => {
    emulator = await start({ clock });
    client = clientFor(emulator, { clock });
    await client.createBucket(BUCKET);
  });
  afterAll(() => stopAndClean(emulator));
  beforeEach(() => { offsetMs = 0; });

  describe('ali-oss: basic object calls', () => {
    test('put, get, head, delete', async () => {
      const oss = aliOss();
      const put = await oss.put('docs/hello.txt', Buffer.from('hello world'), { mime: 'text/plain' });
      expect(put.res.status).toBe(200);
      expect(put.res.headers.etag).toBe(`"${md5('hello world')}"`);

      const got = await oss.get('docs/hello.txt');
      expect(got.res.status).toBe(200);
      expect(got.content.toString()).toBe('hello world');
      expect(got.res.headers['content-type']).toBe('text/plain');
      expect(got.res.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);

      const head = await oss.head('docs/hello.txt');
      expect(head.status).toBe(200);
      expect(head.res.headers['content-length']).toBe('11');
      expect(head.res.headers['x-oss-storage-class']).toBe('Standard');
      expect(head.res.headers.etag).toBe(`"${md5('hello world')}"`);

      const del = await oss.delete('docs/hello.txt');
      expect(del.res.status).toBe(204);
      const err = await aliError(oss.get('docs/hello.txt'));
      expect([err.name, err.code, err.status]).toEqual(['NoSuchKeyError', 'NoSuchKey', 404]);
      const headErr = await aliError(oss.head('docs/hello.txt'));
      expect(headErr.status).toBe(404);
    });

    test('keys with spaces, plus signs, unicode and nested slashes round-trip', async () => {
      const oss = aliOss();
      const keys = ['odd/a b+c.txt', 'odd/ключ/日本語.txt', "odd/!*'()&$=;@.txt"];
      for (const key of keys) await oss.put(key, Buffer.from(`body of ${key}`));
      for (const key of keys) expect((await oss.get(key)).content.toString()).toBe(`body of ${key}`);
      const listed = await oss.listV2({ prefix: 'odd/' });
      expect(listed.objects.map((o: { name: string }) => o.name)).toEqual([...keys].sort());
    });

    test('a request to a missing bucket is 404 NoSuchBucket', async () => {
      const err = await aliError(aliOss('no-such-bucket').put('k', Buffer.from('x')));
      expect([err.code, err.status]).toEqual(['NoSuchBucket', 404]);
    });
  });

  describe('ali-oss: listV2', () => {
    const keys = ['list/a.txt', 'list/b/1.txt', 'list/b/2.txt', 'list/c/1.txt', 'list/d.txt', 'list2.txt'];
    beforeAll(async () => {
      for (const key of keys) await client.putObject(BUCKET, key, key);
    });

    test('prefix without delimiter lists every key under it, sorted, with sizes and ETags', async () => {
      const page = await aliOss().listV2({ prefix: 'list/' });
      expect(page.objects.map((o: { name: string }) => o.name)).toEqual(keys.slice(0, 5));
      expect(page.objects[0]).toMatchObject({ name: 'list/a.txt', size: 10, etag: `"${md5('list/a.txt')}"`, storageClass: 'Standard' });
      expect(page.prefixes).toBeNull();
      expect(page.isTruncated).toBe(false);
      expect(page.keyCount).toBe(5);
    });

    test('delimiter groups sub-folders into common prefixes', async () => {
      const page = await aliOss().listV2({ prefix: 'list/', delimiter: '/' });
      expect(page.objects.map((o: { name: string }) => o.name)).toEqual(['list/a.txt', 'list/d.txt']);
      expect(page.prefixes).toEqual(['list/b/', 'list/c/']);
      expect(page.keyCount).toBe(4);
      expect(page.isTruncated).toBe(false);
    });

    test('max-keys and continuation tokens page through every key exactly once', async () => {
      const oss = aliOss();
      const pages: string[][] = [];
      const truncated: boolean[] = [];
      let token: string | null = null;
      do {
        const page: AliOss = await oss.listV2({ prefix: 'list/', 'max-keys': 2, ...(token ? { 'continuation-token': token } : {}) });
        pages.push(page.objects.map((o: { name: string }) => o.name));
        truncated.push(page.isTruncated);
        token = page.nextContinuationToken;
      } while (token);
      expect(pages).toEqual([['list/a.txt', 'list/b/1.txt'], ['list/b/2.txt', 'list/c/1.txt'], ['list/d.txt']]);
      expect(truncated).toEqual([true, true, false]);
    });

    test.each([1, 2, 3])('paging with a delimiter and max-keys %i returns each common prefix once', async (maxKeys) => {
      const oss = aliOss();
      const entries: string[] = [];
      let token: string | null = null;
      let pages = 0;
      do {
        const page: AliOss = await oss.listV2({ prefix: 'list/', delimiter: '/', 'max-keys': maxKeys, ...(token ? { 'continuation-token': token } : {}) });
        entries.push(...page.objects.map((o: { name: string }) => o.name), ...(page.prefixes ?? []));
        expect(page.keyCount).toBeLessThanOrEqual(maxKeys);
        token = page.nextContinuationToken;
        pages++;
      } while (token && pages < 10);
      expect(entries.sort()).toEqual(['list/a.txt', 'list/b/', 'list/c/', 'list/d.txt']);
      expect(pages).toBe(Math.ceil(4 / maxKeys));
    });

    test('max-keys above 1000 is 400 InvalidArgument', async () => {
      const err = await aliError(aliOss().listV2({ 'max-keys': 1001 }));
      expect([err.code, err.status]).toEqual(['InvalidArgument', 400]);
    });
  });

  describe('ali-oss: tagging and ACL', () => {
    test('putObjectTagging, getObjectTagging, deleteObjectTagging', async () => {
      const oss = aliOss();
      await oss.put('tags/one.txt', Buffer.from('x'));
      expect((await oss.getObjectTagging('tags/one.txt')).tag).toEqual({});
      const put = await oss.putObjectTagging('tags/one.txt', { project: 'alpha', 'cost center': '42 / b' });
      expect(put.status).toBe(200);
      const got = await oss.getObjectTagging('tags/one.txt');
      expect(got.status).toBe(200);
      expect(got.tag).toEqual({ project: 'alpha', 'cost center': '42 / b' });
      expect(await client.getObjectTagging(BUCKET, 'tags/one.txt')).toEqual([{ key: 'project', value: 'alpha' }, { key: 'cost center', value: '42 / b' }]);
      const del = await oss.deleteObjectTagging('tags/one.txt');
      expect(del.status).toBe(204);
      expect((await oss.getObjectTagging('tags/one.txt')).tag).toEqual({});
    });

    test('tags set at upload (x-oss-tagging) are returned; more than 10 tags is 400 InvalidTag', async () => {
      await client.putObject(BUCKET, 'tags/upload.txt', 'x', { tags: [{ key: 'a b', value: 'c&d' }, { key: 'e', value: '' }] });
      expect((await aliOss().getObjectTagging('tags/upload.txt')).tag).toEqual({ 'a b': 'c&d', e: '' });
      const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
      const err = await ossError(client.putObjectTagging(BUCKET, 'tags/upload.txt', Object.entries(eleven).map(([key, value]) => ({ key, value }))));
      expect([err.code, err.status]).toEqual(['InvalidTag', 400]);
    });

    test('tagging a missing object is 404 NoSuchKey', async () => {
      const err = await aliError(aliOss().putObjectTagging('tags/missing.txt', { a: 'b' }));
      expect([err.code, err.status]).toEqual(['NoSuchKey', 404]);
    });

    test('putACL and getACL', async () => {
      const oss = aliOss();
      await oss.put('acl/one.txt', Buffer.from('x'));
      expect((await oss.getACL('acl/one.txt')).acl).toBe('default');
      for (const acl of ['private', 'public-read', 'public-read-write', 'default']) {
        expect((await oss.putACL('acl/one.txt', acl)).res.status).toBe(200);
        expect((await oss.getACL('acl/one.txt')).acl).toBe(acl);
      }
      const err = await ossError(client.putObjectAcl(BUCKET, 'acl/one.txt', 'everyone'));
      expect([err.code, err.status]).toEqual(['InvalidArgument', 400]);
    });
  });

  describe('ali-oss: restore', () => {
    test('an Archive object is unreadable until restored; restore is ongoing, then done', async () => {
      const oss = aliOss();
      await oss.put('cold/archived.bin', Buffer.from('frozen'), { headers: { 'x-oss-storage-class': 'Archive' } });
      const head = await oss.head('cold/archived.bin');
      expect(head.res.headers['x-oss-storage-class']).toBe('Archive');
      expect(head.res.headers['x-oss-restore']).toBeUndefined();

      const before = await aliError(oss.get('cold/archived.bin'));
      expect([before.code, before.status]).toEqual(['InvalidObjectState', 403]);

      const restored = await oss.restore('cold/archived.bin');
      expect(restored.res.status).toBe(202);
      expect((await oss.head('cold/archived.bin')).res.headers['x-oss-restore']).toBe('ongoing-request="true"');
      const again = await aliError(oss.restore('cold/archived.bin'));
      expect([again.code, again.status]).toEqual(['RestoreAlreadyInProgress', 409]);
      expect((await aliError(oss.get('cold/archived.bin'))).code).toBe('InvalidObjectState');

      offsetMs = 1500; // restores take 1 s on the emulator's clock
      const done = await oss.head('cold/archived.bin');
      const expiry = /^ongoing-request="false", expiry-date="(.+)"$/.exec(done.res.headers['x-oss-restore']);
      expect(expiry).not.toBeNull();
      // ali-oss asks for 2 days by default
      const days = (Date.parse(expiry![1]) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(1.99);
      expect(days).toBeLessThan(2.01);
      expect((await oss.get('cold/archived.bin')).content.toString()).toBe('frozen');
    });

    test('restore days outside 1-7 for Archive is 400 InvalidArgument; ColdArchive allows up to 365', async () => {
      const oss = aliOss();
      await oss.put('cold/days.bin', Buffer.from('x'), { headers: { 'x-oss-storage-class': 'Archive' } });
      const err = await aliError(oss.restore('cold/days.bin', { Days: 8 }));
      expect([err.code, err.status]).toEqual(['InvalidArgument', 400]);
      await oss.put('cold/colder.bin', Buffer.from('x'), { headers: { 'x-oss-storage-class': 'ColdArchive' } });
      expect((await oss.restore('cold/colder.bin', { type: 'ColdArchive', Days: 30, JobParameters: 'Bulk' })).res.status).toBe(202);
    });

    test('restoring a Standard object is 400 OperationNotSupported', async () => {
      const oss = aliOss();
      await oss.put('cold/standard.txt', Buffer.from('x'));
      const err = await aliError(oss.restore('cold/standard.txt'));
      expect([err.name, err.code, err.status]).toEqual(['OperationNotSupportedError', 'OperationNotSupported', 400]);
    });
  });

  describe('ali-oss: multipart upload', () => {
    test('multipartUpload assembles the parts; the ETag is the multipart form', async () => {
      const oss = aliOss();
      const body = Buffer.concat([Buffer.alloc(100 * 1024, 1), Buffer.alloc(100 * 1024, 2), Buffer.alloc(50 * 1024, 3)]);
      const result = await oss.multipartUpload('mp/big.bin', body, { partSize: 100 * 1024, mime: 'application/x-test' });
      expect(result.res.status).toBe(200);
      const partMd5s = [body.subarray(0, 102400), body.subarray(102400, 204800), body.subarray(204800)].map((p) => createHash('md5').update(p).digest());
      const expected = `"${md5(Buffer.concat(partMd5s))}-3"`;
      expect(result.etag).toBe(expected);
      const got = await oss.get('mp/big.bin');
      expect(Buffer.compare(got.content, body)).toBe(0);
      expect(got.res.headers.etag).toBe(expected);
      expect(got.res.headers['content-type']).toBe('application/x-test');
    });

    test('parts out of order, unknown parts and aborted uploads are rejected (OssClient)', async () => {
      const { uploadId } = await client.initiateMultipartUpload(BUCKET, 'mp/manual.bin');
      const p1 = await client.uploadPart(BUCKET, 'mp/manual.bin', uploadId, 1, Buffer.from('first-'));
      const p2 = await client.uploadPart(BUCKET, 'mp/manual.bin', uploadId, 2, Buffer.from('second'));
      expect(p1).toEqual({ partNumber: 1, etag: md5('first-') });

      const order = await ossError(client.completeMultipartUpload(BUCKET, 'mp/manual.bin', uploadId, [p2, p1]));
      expect([order.code, order.status]).toEqual(['InvalidPartOrder', 400]);
      const unknown = await ossError(client.completeMultipartUpload(BUCKET, 'mp/manual.bin', uploadId, [p1, { partNumber: 3, etag: p2.etag }]));
      expect([unknown.code, unknown.status]).toEqual(['InvalidPart', 400]);
      const badEtag = await ossError(client.completeMultipartUpload(BUCKET, 'mp/manual.bin', uploadId, [p1, { partNumber: 2, etag: p1.etag }]));
      expect(badEtag.code).toBe('InvalidPart');

      const done = await client.completeMultipartUpload(BUCKET, 'mp/manual.bin', uploadId, [p1, p2]);
      expect(done.etag).toMatch(/-2$/);
      expect((await client.getObject(BUCKET, 'mp/manual.bin')).body.toString()).toBe('first-second');

      const { uploadId: second } = await client.initiateMultipartUpload(BUCKET, 'mp/aborted.bin');
      await client.abortMultipartUpload(BUCKET, 'mp/aborted.bin', second);
      const aborted = await ossError(client.uploadPart(BUCKET, 'mp/aborted.bin', second, 1, Buffer.from('x')));
      expect([aborted.code, aborted.status]).toEqual(['NoSuchUpload', 404]);
      expect((await ossError(client.headObject(BUCKET, 'mp/aborted.bin'))).status).toBe(404);
    });
  });

  describe('OssClient: versioning', () => {
    const VBUCKET = 'versioned';
    beforeAll(async () => {
      await client.createBucket(VBUCKET);
      await client.putBucketVersioning(VBUCKET, true);
    });

    test('each put makes a new version; reads by version id; delete leaves a marker', async () => {
      const v1 = await client.putObject(VBUCKET, 'doc.txt', 'one');
      const v2 = await client.putObject(VBUCKET, 'doc.txt', 'two');
      expect(v1.versionId).toMatch(/^CAEQ[A-Za-z0-9_-]{32}$/);
      expect(v2.versionId).toMatch(/^CAEQ[A-Za-z0-9_-]{32}$/);
      expect(v2.versionId).not.toBe(v1.versionId);

      const listed = await client.listObjectVersions(VBUCKET);
      expect(listed.versions.map((v) => [v.key, v.versionId, v.isLatest, v.etag])).toEqual([
        ['doc.txt', v1.versionId, false, md5('one')],
        ['doc.txt', v2.versionId, true, md5('two')],
      ]);
      expect(listed.deleteMarkers).toEqual([]);

      expect((await client.getObject(VBUCKET, 'doc.txt')).body.toString()).toBe('two');
      const old = await client.getObject(VBUCKET, 'doc.txt', { versionId: v1.versionId });
      expect([old.body.toString(), old.versionId]).toEqual(['one', v1.versionId]);
      // ali-oss reads a version too
      expect((await aliOss(VBUCKET).get('doc.txt', null, { versionId: v1.versionId })).content.toString()).toBe('one');

      await client.deleteObject(VBUCKET, 'doc.txt');
      const gone = await ossError(client.getObject(VBUCKET, 'doc.txt'));
      expect([gone.code, gone.status]).toEqual(['NoSuchKey', 404]);
      expect((await client.getObject(VBUCKET, 'doc.txt', { versionId: v2.versionId })).body.toString()).toBe('two');

      const after = await client.listObjectVersions(VBUCKET);
      expect(after.versions.map((v) => v.isLatest)).toEqual([false, false]);
      expect(after.deleteMarkers).toHaveLength(1);
      expect(after.deleteMarkers[0]).toMatchObject({ key: 'doc.txt', isLatest: true });
      const marker = await ossError(client.getObject(VBUCKET, 'doc.txt', { versionId: after.deleteMarkers[0].versionId }));
      expect([marker.code, marker.status]).toEqual(['MethodNotAllowed', 405]);
      const unknown = await ossError(client.getObject(VBUCKET, 'doc.txt', { versionId: 'CAEQnope' }));
      expect([unknown.code, unknown.status]).toEqual(['NoSuchVersion', 404]);
      // objects listing hides the deleted key
      expect((await client.listObjectsV2(VBUCKET)).contents).toEqual([]);
    });

    test('tags are per version', async () => {
      const a = await client.putObject(VBUCKET, 'tagged.txt', 'a');
      const b = await client.putObject(VBUCKET, 'tagged.txt', 'b');
      await client.putObjectTagging(VBUCKET, 'tagged.txt', [{ key: 'v', value: '1' }], { versionId: a.versionId });
      expect(await client.getObjectTagging(VBUCKET, 'tagged.txt', { versionId: a.versionId })).toEqual([{ key: 'v', value: '1' }]);
      expect(await client.getObjectTagging(VBUCKET, 'tagged.txt', { versionId: b.versionId })).toEqual([]);
      expect(await client.getObjectTagging(VBUCKET, 'tagged.txt')).toEqual([]);
    });

    test('a versioning Status other than Enabled/Suspended is 400 MalformedXML, and changes nothing', async () => {
      await client.createBucket('versioning-bad');
      const res = await signedRaw(emulator, {
        method: 'PUT', bucket: 'versioning-bad', query: { versioning: null }, body: '<VersioningConfiguration><Status>Sometimes</Status></VersioningConfiguration>',
      });
      expect([res.status, decodeErrorXml(res.body)?.code]).toEqual([400, 'MalformedXML']);
      expect((await client.putObject('versioning-bad', 'k', 'v')).versionId).toBeUndefined();
    });

    test('version listings page by key with max-keys; max-keys above 1000 is 400 InvalidArgument', async () => {
      for (const k of ['page/a', 'page/b', 'page/c']) await client.putObject(VBUCKET, k, k);
      const first = await client.listObjectVersions(VBUCKET, { prefix: 'page/', maxKeys: 2 });
      expect([first.versions.map((v) => v.key), first.isTruncated, first.nextKeyMarker]).toEqual([['page/a', 'page/b'], true, 'page/b']);
      const second = await client.listObjectVersions(VBUCKET, { prefix: 'page/', maxKeys: 2, keyMarker: first.nextKeyMarker });
      expect([second.versions.map((v) => v.key), second.isTruncated]).toEqual([['page/c'], false]);
      const res = await signedRaw(emulator, { method: 'GET', bucket: VBUCKET, query: { versions: null, 'max-keys': '1001' } });
      expect([res.status, decodeErrorXml(res.body)?.code]).toEqual([400, 'InvalidArgument']);
    });

    test('an unversioned bucket answers without version ids and replaces objects', async () => {
      const put = await client.putObject(BUCKET, 'plain/one.txt', '1');
      expect(put.versionId).toBeUndefined();
      await client.putObject(BUCKET, 'plain/one.txt', '2');
      const listed = await client.listObjectVersions(BUCKET, { prefix: 'plain/' });
      expect(listed.versions.map((v) => [v.versionId, v.isLatest])).toEqual([['null', true]]);
    });
  });

  describe('addressing', () => {
    beforeAll(async () => {
      await client.putObject(BUCKET, 'vhost/a.txt', 'virtual host body');
    });

    test.each(['127.0.0.1', 'localhost'])('virtual-host style: Host %s prefixed with the bucket', async (base) => {
      const host = `${BUCKET}.${base}:${emulator.port}`;
      const get = await signedRaw(emulator, { method: 'GET', bucket: BUCKET, key: 'vhost/a.txt', host, path: '/vhost/a.txt' });
      expect(get.status).toBe(200);
      expect(get.body).toBe('virtual host body');

      const list = await signedRaw(emulator, { method: 'GET', bucket: BUCKET, query: { 'list-type': '2', prefix: 'vhost/' }, host, path: '/' });
      expect(list.status).toBe(200);
      expect(decodeListObjectsV2Result(list.body).contents.map((c) => c.key)).toEqual(['vhost/a.txt']);

      const key = `vhost-put/${base}.txt`;
      const put = await signedRaw(emulator, { method: 'PUT', bucket: BUCKET, key, host, path: `/${key}`, body: `via ${base}` });
      expect(put.status).toBe(200);
      expect((await client.getObject(BUCKET, key)).body.toString()).toBe(`via ${base}`);
    });

    test('path style on the bare IP, and a signature for another bucket does not match', async () => {
      const get = await signedRaw(emulator, { method: 'GET', bucket: BUCKET, key: 'vhost/a.txt' });
      expect([get.status, get.body]).toEqual([200, 'virtual host body']);
      // signed for /other/vhost/a.txt but addressed to the conformance bucket
      const wrong = await signedRaw(emulator, { method: 'GET', bucket: 'other', key: 'vhost/a.txt', host: `${BUCKET}.127.0.0.1:${emulator.port}`, path: '/vhost/a.txt' });
      expect(wrong.status).toBe(403);
      expect(decodeErrorXml(wrong.body)?.code).toBe('SignatureDoesNotMatch');
    });

    test('sub-resources the emulator does not implement answer 501 NotImplemented', async () => {
      const res = await signedRaw(emulator, { method: 'GET', bucket: BUCKET, key: 'vhost/a.txt', query: { symlink: null } });
      expect(res.status).toBe(501);
      expect(decodeErrorXml(res.body)?.code).toBe('NotImplemented');
      const unsigned = await raw(emulator, { method: 'GET', path: `/${BUCKET}/vhost/a.txt` });
      expect(unsigned.status).toBe(403);
    });
  });
});
