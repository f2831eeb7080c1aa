/**
 * The emulator's S3 object API driven by the real AWS SDK v3 (`@aws-sdk/client-s3`, path style):
 * every supported API, its error codes, SigV4 checks (repeated query parameters too), aws-chunked
 * uploads, versioning and ListObjectVersions, and the shared store (what S3 writes OSS reads, and
 * the other way round).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  DeleteObjectCommand, DeleteObjectTaggingCommand, GetBucketAclCommand, GetBucketVersioningCommand, GetObjectCommand, GetObjectTaggingCommand,
  HeadBucketCommand, HeadObjectCommand, ListObjectsCommand, ListObjectsV2Command, ListObjectVersionsCommand, ListObjectVersionsCommandInput,
  ListObjectVersionsCommandOutput, PutBucketVersioningCommand, PutObjectAclCommand, PutObjectCommand, PutObjectTaggingCommand,
  RestoreObjectCommand, S3Client, S3ServiceException, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RunningEmulator } from '../../src/emulator';
import { awsFailure, clientFor, start, stopAndClean } from './helpers';

// The SDK warns once per process that its 2027 releases need Node 22; the project supports Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let emulator: RunningEmulator;
let s3: S3Client;
let offsetMs = 0;
/** Headers of every request the SDK sent (after signing), to see which payload form it chose. */
const sent: Record<string, string>[] = [];

function clientWith(overrides: { secret?: string; keyId?: string; region?: string } = {}): S3Client {
  return new S3Client({
    endpoint: emulator.endpoint, forcePathStyle: true, region: overrides.region ?? emulator.region, maxAttempts: 1,
    credentials: { accessKeyId: overrides.keyId ?? emulator.credentials.accessKeyId, secretAccessKey: overrides.secret ?? emulator.credentials.accessKeySecret },
  });
}

beforeAll(async () => {
  emulator = await start({ clock: () => new Date(Date.now() + offsetMs) });
  s3 = clientWith();
  s3.middlewareStack.add((next) => async (args) => {
    sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
    return next(args);
  }, { step: 'deserialize', name: 'captureHeaders' });
  await s3.send(new CreateBucketCommand({ Bucket: 'sdk-bucket' }));
});

afterAll(async () => {
  s3?.destroy();
  await stopAndClean(emulator);
});

/** The S3 error the promise rejects with (its code and HTTP status). */
const s3Failure = (promise: Promise<unknown>) => awsFailure(promise, S3ServiceException);

const text = async (out: { Body?: { transformToString(): Promise<string> } }) => out.Body!.transformToString();
const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

describe('buckets', () => {
  test('CreateBucket, HeadBucket, and their errors', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-other', CreateBucketConfiguration: { LocationConstraint: emulator.region as never } }));
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'sdk-other' }));
    // The S3 region (us-east-1 by default) is the bucket's region; the OSS region is accepted as a constraint too.
    expect(head.BucketRegion).toBe(emulator.s3Region);
    expect(emulator.s3Region).toBe('us-east-1');
    expect(await s3Failure(s3.send(new CreateBucketCommand({ Bucket: 'sdk-other' })))).toMatchObject({ code: 'BucketAlreadyOwnedByYou', status: 409 });
    expect(await s3Failure(s3.send(new CreateBucketCommand({ Bucket: 'No_Such' })))).toMatchObject({ code: 'InvalidBucketName', status: 400 });
    expect(await s3Failure(s3.send(new CreateBucketCommand({ Bucket: 'sdk-far', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }))))
      .toMatchObject({ code: 'InvalidLocationConstraint', status: 400 });
    // HEAD errors have no body: the SDK names them by status.
    expect(await s3Failure(s3.send(new HeadBucketCommand({ Bucket: 'sdk-missing' })))).toMatchObject({ code: 'NotFound', status: 404 });
    expect(await s3Failure(s3.send(new PutObjectCommand({ Bucket: 'sdk-missing', Key: 'k', Body: 'x' })))).toMatchObject({ code: 'NoSuchBucket', status: 404 });
  });
});

describe('objects', () => {
  test('PutObject / GetObject / HeadObject / DeleteObject with a hashed payload', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'dir/a b+c.txt', Body: 'hello s3', ContentType: 'text/plain', StorageClass: 'STANDARD_IA' }));
    expect(put.ETag).toBe(`"${md5('hello s3')}"`);
    expect(sent[sent.length - 1]['x-amz-content-sha256']).toBe(createHash('sha256').update('hello s3').digest('hex'));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'dir/a b+c.txt' }));
    expect(await text(got)).toBe('hello s3');
    expect(got).toMatchObject({ ETag: put.ETag, ContentType: 'text/plain', ContentLength: 8, StorageClass: 'STANDARD_IA' });
    const range = await s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'dir/a b+c.txt', Range: 'bytes=1-3' }));
    expect(await text(range)).toBe('ell');
    expect(range.ContentRange).toBe('bytes 1-3/8');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'dir/a b+c.txt' }));
    expect(head).toMatchObject({ ETag: put.ETag, ContentLength: 8, StorageClass: 'STANDARD_IA' });
    await s3.send(new DeleteObjectCommand({ Bucket: 'sdk-bucket', Key: 'dir/a b+c.txt' }));
    expect(await s3Failure(s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'dir/a b+c.txt' })))).toMatchObject({ code: 'NoSuchKey', status: 404 });
    expect(await s3Failure(s3.send(new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'dir/a b+c.txt' })))).toMatchObject({ code: 'NotFound', status: 404 });
  });

  test('a streamed body arrives aws-chunked with a CRC32 trailer and is stored decoded', async () => {
    const data = Buffer.alloc(300_000, 'z');
    data.write('start');
    const put = await s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'streamed.bin', Body: Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]), ContentLength: data.length }));
    const headers = sent[sent.length - 1];
    expect(headers['x-amz-content-sha256']).toBe('STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    expect(headers['content-encoding']).toContain('aws-chunked');
    expect(headers['x-amz-trailer']).toBe('x-amz-checksum-crc32');
    expect(put.ETag).toBe(`"${md5(data)}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'streamed.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
  });

  test('ListObjectsV2: prefix, delimiter, max-keys, continuation-token, start-after', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-list' }));
    for (const key of ['a/1', 'a/2', 'b/1', 'c', 'd', 'e']) await s3.send(new PutObjectCommand({ Bucket: 'sdk-list', Key: key, Body: key }));
    const folders = await s3.send(new ListObjectsV2Command({ Bucket: 'sdk-list', Delimiter: '/' }));
    expect(folders.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'b/']);
    expect(folders.Contents?.map((c) => c.Key)).toEqual(['c', 'd', 'e']);
    expect(folders.KeyCount).toBe(5);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'sdk-list', Prefix: 'a/' }))).Contents?.map((c) => [c.Key, c.Size, c.ETag])).toEqual([
      ['a/1', 3, `"${md5('a/1')}"`], ['a/2', 3, `"${md5('a/2')}"`],
    ]);
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: 'sdk-list', MaxKeys: 4, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((c) => c.Key!));
      token = page.NextContinuationToken;
      expect(page.IsTruncated).toBe(token !== undefined);
      pages++;
    } while (token);
    expect([pages, keys]).toEqual([2, ['a/1', 'a/2', 'b/1', 'c', 'd', 'e']]);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'sdk-list', StartAfter: 'c' }));
    expect(after).toMatchObject({ StartAfter: 'c' });
    expect(after.Contents?.map((c) => c.Key)).toEqual(['d', 'e']);
    const empty = await s3.send(new ListObjectsV2Command({ Bucket: 'sdk-list', MaxKeys: 0 }));
    expect([empty.KeyCount, empty.IsTruncated, empty.NextContinuationToken, empty.Contents]).toEqual([0, false, undefined, undefined]);
    expect(await s3Failure(s3.send(new ListObjectsV2Command({ Bucket: 'sdk-list', ContinuationToken: '!!' })))).toMatchObject({ code: 'InvalidArgument', status: 400 });
    expect(await s3Failure(s3.send(new ListObjectsV2Command({ Bucket: 'sdk-nope' })))).toMatchObject({ code: 'NoSuchBucket', status: 404 });
  });

  test('tagging: x-amz-tagging on put, Put/Get/DeleteObjectTagging, the tag limits', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'tagged', Body: 't', Tagging: 'env=dev&team=a%20b' }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: 'sdk-bucket', Key: 'tagged' }))).TagSet).toEqual([{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'a b' }]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'tagged' }))).$metadata.httpStatusCode).toBe(200);
    await s3.send(new PutObjectTaggingCommand({ Bucket: 'sdk-bucket', Key: 'tagged', Tagging: { TagSet: [{ Key: 'env', Value: 'prod' }] } }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: 'sdk-bucket', Key: 'tagged' }))).TagSet).toEqual([{ Key: 'env', Value: 'prod' }]);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(await s3Failure(s3.send(new PutObjectTaggingCommand({ Bucket: 'sdk-bucket', Key: 'tagged', Tagging: { TagSet: eleven } })))).toMatchObject({ code: 'InvalidTag', status: 400 });
    await s3.send(new DeleteObjectTaggingCommand({ Bucket: 'sdk-bucket', Key: 'tagged' }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: 'sdk-bucket', Key: 'tagged' }))).TagSet).toEqual([]);
    expect(await s3Failure(s3.send(new GetObjectTaggingCommand({ Bucket: 'sdk-bucket', Key: 'untagged-missing' })))).toMatchObject({ code: 'NoSuchKey', status: 404 });
  });

  test('PutObjectAcl (canned), seen over OSS; unsupported canned ACLs and grants are NotImplemented', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'acl', Body: 'a' }));
    await s3.send(new PutObjectAclCommand({ Bucket: 'sdk-bucket', Key: 'acl', ACL: 'public-read' }));
    expect(await clientFor(emulator).getObjectAcl('sdk-bucket', 'acl')).toBe('public-read');
    expect(await s3Failure(s3.send(new PutObjectAclCommand({ Bucket: 'sdk-bucket', Key: 'acl', ACL: 'bucket-owner-full-control' })))).toMatchObject({ code: 'NotImplemented', status: 501 });
    expect(await s3Failure(s3.send(new PutObjectAclCommand({ Bucket: 'sdk-bucket', Key: 'acl', GrantRead: 'id=abc' })))).toMatchObject({ code: 'NotImplemented', status: 501 });
    expect(await s3Failure(s3.send(new PutObjectAclCommand({ Bucket: 'sdk-bucket', Key: 'missing', ACL: 'private' })))).toMatchObject({ code: 'NoSuchKey', status: 404 });
  });

  test('RestoreObject: archived objects are unreadable until restored; non-archived ones refuse', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'cold', Body: 'frozen', StorageClass: 'GLACIER' }));
    expect(await s3Failure(s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'cold' })))).toMatchObject({ code: 'InvalidObjectState', status: 403 });
    const started = await s3.send(new RestoreObjectCommand({ Bucket: 'sdk-bucket', Key: 'cold', RestoreRequest: { Days: 2, GlacierJobParameters: { Tier: 'Bulk' } } }));
    expect(started.$metadata.httpStatusCode).toBe(202);
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'cold' }))).Restore).toBe('ongoing-request="true"');
    expect(await s3Failure(s3.send(new RestoreObjectCommand({ Bucket: 'sdk-bucket', Key: 'cold', RestoreRequest: { Days: 2 } })))).toMatchObject({ code: 'RestoreAlreadyInProgress', status: 409 });
    offsetMs += 2000; // restores take 1 s of emulator clock
    expect(await text(await s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'cold' })))).toBe('frozen');
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'cold' }))).Restore).toMatch(/^ongoing-request="false", expiry-date=".+GMT"$/);
    expect((await s3.send(new RestoreObjectCommand({ Bucket: 'sdk-bucket', Key: 'cold', RestoreRequest: { Days: 3 } }))).$metadata.httpStatusCode).toBe(200);
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'warm', Body: 'w' }));
    expect(await s3Failure(s3.send(new RestoreObjectCommand({ Bucket: 'sdk-bucket', Key: 'warm', RestoreRequest: { Days: 1 } })))).toMatchObject({ code: 'InvalidObjectState', status: 403 });
  });

  test('CopyObject: body and tags copied, or replaced by directive; copying onto itself unchanged is refused', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'src key', Body: 'copy me', ContentType: 'text/x-src', Tagging: 'a=1' }));
    const copy = await s3.send(new CopyObjectCommand({ Bucket: 'sdk-other', Key: 'dst', CopySource: `sdk-bucket/${encodeURIComponent('src key')}` }));
    expect(copy.CopyObjectResult?.ETag).toBe(`"${md5('copy me')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'sdk-other', Key: 'dst' }));
    expect([await text(got), got.ContentType, got.TagCount]).toEqual(['copy me', 'text/x-src', 1]);
    await s3.send(new CopyObjectCommand({
      Bucket: 'sdk-bucket', Key: 'src key', CopySource: 'sdk-bucket/src%20key', MetadataDirective: 'REPLACE', ContentType: 'text/plain',
      TaggingDirective: 'REPLACE', Tagging: 'b=2', StorageClass: 'STANDARD_IA',
    }));
    const replaced = await s3.send(new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'src key' }));
    expect([replaced.ContentType, replaced.StorageClass]).toEqual(['text/plain', 'STANDARD_IA']);
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: 'sdk-bucket', Key: 'src key' }))).TagSet).toEqual([{ Key: 'b', Value: '2' }]);
    expect(await s3Failure(s3.send(new CopyObjectCommand({ Bucket: 'sdk-bucket', Key: 'src key', CopySource: 'sdk-bucket/src%20key' })))).toMatchObject({ code: 'InvalidRequest', status: 400 });
    expect(await s3Failure(s3.send(new CopyObjectCommand({ Bucket: 'sdk-bucket', Key: 'x', CopySource: 'sdk-bucket/none' })))).toMatchObject({ code: 'NoSuchKey', status: 404 });
  });

  test('multipart: create, upload parts, complete (S3 ETag), abort; bad parts refused', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'sdk-bucket', Key: 'big', ContentType: 'application/x-big' }));
    const parts = [Buffer.alloc(5 * 1024 * 1024, 'a'), Buffer.from('tail')];
    const etags: string[] = [];
    for (const [i, body] of parts.entries()) {
      etags.push((await s3.send(new UploadPartCommand({ Bucket: 'sdk-bucket', Key: 'big', UploadId, PartNumber: i + 1, Body: body }))).ETag!);
    }
    expect(etags).toEqual(parts.map((p) => `"${md5(p)}"`));
    expect(await s3Failure(s3.send(new CompleteMultipartUploadCommand({
      Bucket: 'sdk-bucket', Key: 'big', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: etags[1] }] },
    })))).toMatchObject({ code: 'InvalidPart', status: 400 });
    const done = await s3.send(new CompleteMultipartUploadCommand({
      Bucket: 'sdk-bucket', Key: 'big', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) },
    }));
    const expected = md5(Buffer.concat(parts.map((p) => createHash('md5').update(p).digest())));
    expect(done).toMatchObject({ Bucket: 'sdk-bucket', Key: 'big', ETag: `"${expected}-2"` });
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'big' }));
    expect([head.ContentLength, head.ContentType]).toEqual([5 * 1024 * 1024 + 4, 'application/x-big']);
    const second = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'sdk-bucket', Key: 'big2' }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'sdk-bucket', Key: 'big2', UploadId: second.UploadId }));
    expect(await s3Failure(s3.send(new UploadPartCommand({ Bucket: 'sdk-bucket', Key: 'big2', UploadId: second.UploadId, PartNumber: 1, Body: 'x' }))))
      .toMatchObject({ code: 'NoSuchUpload', status: 404 });
  });
});

describe('versioning and ListObjectVersions', () => {
  /** One listing as (key, version id, kind, latest) rows, following the markers page by page. */
  async function listAll(input: ListObjectVersionsCommandInput): Promise<{ rows: string[]; pages: ListObjectVersionsCommandOutput[] }> {
    const rows: string[] = [];
    const pages: ListObjectVersionsCommandOutput[] = [];
    let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
    do {
      const page = await s3.send(new ListObjectVersionsCommand({ ...input, ...markers }));
      pages.push(page);
      rows.push(...entriesOf(page));
      markers = page.IsTruncated ? { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker } : {};
    } while (markers.KeyMarker);
    return { rows, pages };
  }

  /** A page's entries in listing order (key, then newest first); the SDK hands versions and delete markers apart. */
  function entriesOf(page: ListObjectVersionsCommandOutput): string[] {
    const all = [
      ...(page.Versions ?? []).map((v) => ({ ...v, kind: 'version' })),
      ...(page.DeleteMarkers ?? []).map((m) => ({ ...m, kind: 'marker' })),
    ].sort((a, b) => (a.Key! < b.Key! ? -1 : a.Key! > b.Key! ? 1 : b.LastModified!.getTime() - a.LastModified!.getTime() || made(b) - made(a)));
    return all.map((e) => `${e.Key} ${e.VersionId} ${e.kind}${e.IsLatest ? ' latest' : ''}`);
  }
  /** `<key> <version id>` in the order they were made, for entries with the same LastModified (a `null` one replaces the one before). */
  const order: string[] = [];
  const made = (e: { Key?: string; VersionId?: string }) => order.lastIndexOf(`${e.Key} ${e.VersionId}`);
  const put = async (bucket: string, key: string, body: string) => {
    const out = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    order.push(`${key} ${out.VersionId ?? 'null'}`);
    return out.VersionId ?? 'null';
  };
  const remove = async (bucket: string, key: string) => {
    const out = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    if (out.DeleteMarker) order.push(`${key} ${out.VersionId}`);
    return out;
  };

  test('an unversioned bucket lists every object once, as version "null"', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-plain' }));
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-plain', Key: 'a.txt', Body: 'first' }));
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-plain', Key: 'a.txt', Body: 'second' }));
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-plain', Key: 'b.txt', Body: 'bb', StorageClass: 'GLACIER' }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'sdk-plain' }))).Status).toBeUndefined();
    const out = await s3.send(new ListObjectVersionsCommand({ Bucket: 'sdk-plain' }));
    expect(out).toMatchObject({ Name: 'sdk-plain', IsTruncated: false, MaxKeys: 1000 });
    expect(out.DeleteMarkers).toBeUndefined();
    expect(out.Versions).toEqual([
      { Key: 'a.txt', VersionId: 'null', IsLatest: true, LastModified: expect.any(Date), ETag: `"${md5('second')}"`, Size: 6, StorageClass: 'STANDARD' },
      { Key: 'b.txt', VersionId: 'null', IsLatest: true, LastModified: expect.any(Date), ETag: `"${md5('bb')}"`, Size: 2, StorageClass: 'GLACIER' },
    ]);
    // Deleting in an unversioned bucket leaves nothing behind.
    await s3.send(new DeleteObjectCommand({ Bucket: 'sdk-plain', Key: 'b.txt' }));
    expect(entriesOf(await s3.send(new ListObjectVersionsCommand({ Bucket: 'sdk-plain' })))).toEqual(['a.txt null version latest']);
  });

  test('PutBucketVersioning over S3; versions newest first with delete markers; paging with both markers gives the same listing', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-versioned' }));
    const before = await put('sdk-versioned', 'k1', 'before versioning');
    expect(before).toBe('null');
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'sdk-versioned', VersioningConfiguration: { Status: 'Enabled' } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'sdk-versioned' }))).Status).toBe('Enabled');
    const k1 = [before, await put('sdk-versioned', 'k1', 'v2'), await put('sdk-versioned', 'k1', 'v3')];
    const k2 = [await put('sdk-versioned', 'k2', 'only')];
    const gone = await remove('sdk-versioned', 'k2');
    expect(gone.DeleteMarker).toBe(true);
    const k3 = [await put('sdk-versioned', 'k3', 'x'), await put('sdk-versioned', 'k3', 'y')];
    for (const id of [...k1.slice(1), ...k2, ...k3, gone.VersionId!]) expect(id).toMatch(/^CAEQ/);

    const whole = await s3.send(new ListObjectVersionsCommand({ Bucket: 'sdk-versioned' }));
    const expected = [
      `k1 ${k1[2]} version latest`, `k1 ${k1[1]} version`, 'k1 null version',
      `k2 ${gone.VersionId} marker latest`, `k2 ${k2[0]} version`,
      `k3 ${k3[1]} version latest`, `k3 ${k3[0]} version`,
    ];
    expect(entriesOf(whole)).toEqual(expected);
    expect(whole.Versions!.map((v) => v.VersionId)).toEqual([k1[2], k1[1], 'null', k2[0], k3[1], k3[0]]);
    expect(whole.DeleteMarkers).toEqual([{ Key: 'k2', VersionId: gone.VersionId, IsLatest: true, LastModified: expect.any(Date) }]);
    // The deleted key is gone from ListObjectsV2 but its version is still readable.
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'sdk-versioned' }))).Contents!.map((c) => c.Key)).toEqual(['k1', 'k3']);
    expect(await text(await s3.send(new GetObjectCommand({ Bucket: 'sdk-versioned', Key: 'k2', VersionId: k2[0] })))).toBe('only');

    for (const maxKeys of [1, 2, 3]) {
      const { rows, pages } = await listAll({ Bucket: 'sdk-versioned', MaxKeys: maxKeys });
      expect(rows).toEqual(expected);
      expect(pages).toHaveLength(Math.ceil(expected.length / maxKeys));
      // Pages end inside a key: the version-id marker says where the key goes on.
      expect(pages[0]).toMatchObject({ IsTruncated: true, NextKeyMarker: 'k1', NextVersionIdMarker: maxKeys === 3 ? 'null' : k1[3 - maxKeys] });
    }
    // A key-marker alone starts after that key; with a version-id marker, after that version.
    expect(entriesOf(await s3.send(new ListObjectVersionsCommand({ Bucket: 'sdk-versioned', KeyMarker: 'k1' })))).toEqual(expected.slice(3));
    const after = await s3.send(new ListObjectVersionsCommand({ Bucket: 'sdk-versioned', KeyMarker: 'k1', VersionIdMarker: k1[1] }));
    expect(entriesOf(after)).toEqual(expected.slice(2));
    expect(after).toMatchObject({ KeyMarker: 'k1', VersionIdMarker: k1[1] });
    expect(entriesOf(await s3.send(new ListObjectVersionsCommand({ Bucket: 'sdk-versioned', Prefix: 'k3' })))).toEqual(expected.slice(5));

    // Suspended: a new put replaces the null version; a delete leaves a null delete marker; older versions stay.
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'sdk-versioned', VersioningConfiguration: { Status: 'Suspended' } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'sdk-versioned' }))).Status).toBe('Suspended');
    const suspendedDelete = await remove('sdk-versioned', 'k1');
    expect([suspendedDelete.DeleteMarker, suspendedDelete.VersionId]).toEqual([true, 'null']);
    expect(entriesOf(await s3.send(new ListObjectVersionsCommand({ Bucket: 'sdk-versioned', Prefix: 'k1' }))))
      .toEqual(['k1 null marker latest', `k1 ${k1[2]} version`, `k1 ${k1[1]} version`]);
  });

  test('prefix, delimiter (common prefixes count toward max-keys) and encoding-type=url', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-tree' }));
    for (const key of ['a/1', 'a/2', 'b', 'c/1', 'd e']) await s3.send(new PutObjectCommand({ Bucket: 'sdk-tree', Key: key, Body: key }));
    const one = await s3.send(new ListObjectVersionsCommand({ Bucket: 'sdk-tree', Delimiter: '/' }));
    expect(one.CommonPrefixes).toEqual([{ Prefix: 'a/' }, { Prefix: 'c/' }]);
    expect(one.Versions!.map((v) => v.Key)).toEqual(['b', 'd e']);
    const seen: string[] = [];
    let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
    do {
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: 'sdk-tree', Delimiter: '/', MaxKeys: 1, ...markers }));
      seen.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!), ...(page.Versions ?? []).map((v) => v.Key!));
      markers = page.IsTruncated ? { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker } : {};
    } while (markers.KeyMarker);
    expect(seen).toEqual(['a/', 'b', 'c/', 'd e']);
    const under = await s3.send(new ListObjectVersionsCommand({ Bucket: 'sdk-tree', Prefix: 'a/' }));
    expect(under.Versions!.map((v) => v.Key)).toEqual(['a/1', 'a/2']);
    // The SDK leaves url-encoded names as they come.
    const encoded = await s3.send(new ListObjectVersionsCommand({ Bucket: 'sdk-tree', Prefix: 'd', EncodingType: 'url' }));
    expect([encoded.EncodingType, encoded.Versions!.map((v) => v.Key)]).toEqual(['url', ['d%20e']]);
  });

  test('errors: a version-id marker without a key marker, a malformed one, a missing bucket, MFA delete', async () => {
    expect(await s3Failure(s3.send(new ListObjectVersionsCommand({ Bucket: 'sdk-tree', VersionIdMarker: 'null' })))).toMatchObject({ code: 'InvalidArgument', status: 400 });
    expect(await s3Failure(s3.send(new ListObjectVersionsCommand({ Bucket: 'sdk-tree', KeyMarker: 'b', VersionIdMarker: 'no such id' })))).toMatchObject({ code: 'InvalidArgument', status: 400 });
    expect(await s3Failure(s3.send(new ListObjectVersionsCommand({ Bucket: 'sdk-nowhere' })))).toMatchObject({ code: 'NoSuchBucket', status: 404 });
    expect(await s3Failure(s3.send(new GetBucketVersioningCommand({ Bucket: 'sdk-nowhere' })))).toMatchObject({ code: 'NoSuchBucket', status: 404 });
    expect(await s3Failure(s3.send(new PutBucketVersioningCommand({ Bucket: 'sdk-tree', VersioningConfiguration: { Status: 'Enabled', MFADelete: 'Enabled' } }))))
      .toMatchObject({ code: 'NotImplemented', status: 501 });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'sdk-tree' }))).Status).toBeUndefined();
  });

  test('versioning switched on over OSS is what S3 lists', async () => {
    const oss = clientFor(emulator);
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-oss-versioned' }));
    await oss.putBucketVersioning('sdk-oss-versioned', true);
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'sdk-oss-versioned' }))).Status).toBe('Enabled');
    const first = await put('sdk-oss-versioned', 'k', '1');
    const second = await put('sdk-oss-versioned', 'k', '2');
    expect(entriesOf(await s3.send(new ListObjectVersionsCommand({ Bucket: 'sdk-oss-versioned' })))).toEqual([`k ${second} version latest`, `k ${first} version`]);
    // Suspended over OSS, a delete over OSS also leaves the null delete marker and keeps the versions.
    await oss.putBucketVersioning('sdk-oss-versioned', false);
    await oss.deleteObject('sdk-oss-versioned', 'k');
    order.push('k null');
    expect(entriesOf(await s3.send(new ListObjectVersionsCommand({ Bucket: 'sdk-oss-versioned' }))))
      .toEqual(['k null marker latest', `k ${second} version`, `k ${first} version`]);
  });
});

describe('one store for both APIs', () => {
  test('an object put over S3 is read over OSS, and the other way round', async () => {
    const oss = clientFor(emulator);
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'shared/from-s3', Body: 'via s3', Tagging: 'k=v' }));
    expect((await oss.getObject('sdk-bucket', 'shared/from-s3')).body.toString()).toBe('via s3');
    expect(await oss.getObjectTagging('sdk-bucket', 'shared/from-s3')).toEqual([{ key: 'k', value: 'v' }]);
    await oss.putObject('sdk-bucket', 'shared/from-oss', 'via oss', { storageClass: 'Archive' });
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'shared/from-oss' }));
    expect([head.ETag, head.StorageClass]).toEqual([`"${md5('via oss')}"`, 'GLACIER']);
  });
});

describe('signatures and refusals', () => {
  test('requests signed for the S3 region or the OSS region are both accepted', async () => {
    const inS3Region = clientWith({ region: emulator.s3Region });
    try {
      expect(emulator.s3Region).not.toBe(emulator.region);
      await inS3Region.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'signed-for-s3-region', Body: 'x' }));
      expect(await text(await s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'signed-for-s3-region' })))).toBe('x');
    } finally {
      inS3Region.destroy();
    }
  });

  test('a wrong secret, an unknown key id and a foreign region are refused before anything happens', async () => {
    const wrongSecret = clientWith({ secret: 'not-the-secret' });
    const unknownKey = clientWith({ keyId: 'AKIAUNKNOWN' });
    const foreign = clientWith({ region: 'eu-west-1' });
    try {
      expect(await s3Failure(wrongSecret.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'forged', Body: 'x' })))).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
      expect(await s3Failure(unknownKey.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'tagged' })))).toMatchObject({ code: 'InvalidAccessKeyId', status: 403 });
      expect(await s3Failure(foreign.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'tagged' })))).toMatchObject({ code: 'AuthorizationHeaderMalformed', status: 400 });
    } finally {
      [wrongSecret, unknownKey, foreign].forEach((c) => c.destroy());
    }
    expect(await s3Failure(s3.send(new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'forged' })))).toMatchObject({ status: 404 });
  });

  test('APIs and headers the emulator does not implement answer 501 NotImplemented', async () => {
    expect(await s3Failure(s3.send(new ListObjectsCommand({ Bucket: 'sdk-bucket' })))).toMatchObject({ code: 'NotImplemented', status: 501 });
    expect(await s3Failure(s3.send(new GetBucketAclCommand({ Bucket: 'sdk-bucket' })))).toMatchObject({ code: 'NotImplemented', status: 501 });
    expect(await s3Failure(s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'meta', Body: 'm', Metadata: { a: 'b' } })))).toMatchObject({ code: 'NotImplemented', status: 501 });
    expect(await s3Failure(s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'meta', Body: 'm', StorageClass: 'INTELLIGENT_TIERING' })))).toMatchObject({ code: 'NotImplemented', status: 501 });
    expect(await s3Failure(s3.send(new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'meta' })))).toMatchObject({ status: 404 });
  });
});

describe('raw signed requests (what the SDK never sends)', () => {
  const signer = () => new SignatureV4({
    credentials: { accessKeyId: emulator.credentials.accessKeyId, secretAccessKey: emulator.credentials.accessKeySecret },
    region: emulator.region, service: 's3', sha256: Sha256, uriEscapePath: false,
  });

  type Query = Record<string, string | string[]>;
  /** `a=1&a=2` for a repeated name, in the order given. */
  const searchOf = (query: Query) => new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, x]))).toString();

  /** A signed request; `sentQuery` (default: the signed one) is the query that goes on the wire. */
  async function send(method: string, path: string, body: string, headers: Record<string, string> = {}, query: Query = {}, sentQuery: Query = query) {
    const request = await signer().sign({
      method, protocol: 'http:', hostname: emulator.host, port: emulator.port, path, query,
      headers: { host: `${emulator.host}:${emulator.port}`, 'content-length': String(Buffer.byteLength(body)), ...headers }, body,
    });
    const search = searchOf(sentQuery);
    return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
      const req = http.request({ host: emulator.host, port: emulator.port, method, path: search ? `${path}?${search}` : path, headers: request.headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  test('a body that does not match the signed SHA-256 is refused and not stored', async () => {
    const res = await send('PUT', '/sdk-bucket/tampered', 'other body', { 'x-amz-content-sha256': createHash('sha256').update('signed body').digest('hex') });
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
    expect(res.headers['x-amz-request-id']).toMatch(/^[0-9A-F]{16}$/);
    expect(await s3Failure(s3.send(new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'tampered' })))).toMatchObject({ status: 404 });
  });

  test('a Content-MD5 that does not match is BadDigest; a broken XML document is MalformedXML', async () => {
    const bad = await send('PUT', '/sdk-bucket/md5', 'abc', { 'content-md5': createHash('md5').update('abd').digest('base64') });
    expect([bad.status, /<Code>BadDigest<\/Code>/.test(bad.body)]).toEqual([400, true]);
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'xml', Body: 'x' }));
    const malformed = await send('PUT', '/sdk-bucket/xml', '<Tagging><TagSet><Tag>', {}, { tagging: '' });
    expect([malformed.status, /<Code>MalformedXML<\/Code>/.test(malformed.body)]).toEqual([400, true]);
  });

  test('UNSIGNED-PAYLOAD is accepted; a missing x-amz-content-sha256 or a skewed clock is refused', async () => {
    const unsigned = await send('PUT', '/sdk-bucket/unsigned', 'no hash', { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' });
    expect([unsigned.status, unsigned.headers.etag]).toEqual([200, `"${md5('no hash')}"`]);
    const request = await signer().sign({
      method: 'GET', protocol: 'http:', hostname: emulator.host, path: '/sdk-bucket/unsigned', query: {}, headers: { host: `${emulator.host}:${emulator.port}` },
    }, { signingDate: new Date(Date.now() + offsetMs) });
    const headers = { ...request.headers } as Record<string, string>;
    delete headers['x-amz-content-sha256'];
    const missing = await fetch(`${emulator.endpoint}/sdk-bucket/unsigned`, { headers });
    expect([missing.status, /<Code>InvalidRequest<\/Code>/.test(await missing.text())]).toEqual([400, true]);
    offsetMs += 3_600_000;
    try {
      expect(await s3Failure(s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'unsigned' })))).toMatchObject({ code: 'RequestTimeTooSkewed', status: 403 });
    } finally {
      offsetMs -= 3_600_000;
    }
  });

  test('signed aws-chunked payloads are NotImplemented', async () => {
    const chunked = await send('PUT', '/sdk-bucket/signed-chunks', '0\r\n\r\n', { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' });
    expect([chunked.status, /<Code>NotImplemented<\/Code>/.test(chunked.body)]).toEqual([501, true]);
  });

  /** A presigned URL as S3 presigners make it: UNSIGNED-PAYLOAD, only the host signed. */
  async function presign(method: string, path: string, options: { signingDate?: Date; expiresIn?: number; query?: Query } = {}): Promise<string> {
    const { query = {}, ...presignOptions } = options;
    const request = await signer().presign({
      method, protocol: 'http:', hostname: emulator.host, path, query,
      headers: { host: `${emulator.host}:${emulator.port}`, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    }, { unhoistableHeaders: new Set(['x-amz-content-sha256']), unsignableHeaders: new Set(['x-amz-content-sha256']), ...presignOptions });
    return `${emulator.endpoint}${path}?${searchOf(request.query as Query)}`;
  }

  test('a repeated query parameter: every value is signed (any order), a tampered value is refused, then the repetition is refused', async () => {
    const code = (body: string) => /<Code>(\w+)<\/Code>/.exec(body)?.[1];
    const signed = { 'list-type': '2', prefix: ['b', 'a'] };
    const repeated = await send('GET', '/sdk-bucket', '', {}, signed);
    expect([repeated.status, code(repeated.body)]).toEqual([400, 'InvalidArgument']);
    expect(repeated.body).toContain('prefix');
    // AWS sorts a name's values before signing: the order on the wire does not matter.
    const reordered = await send('GET', '/sdk-bucket', '', {}, signed, { 'list-type': '2', prefix: ['a', 'b'] });
    expect([reordered.status, code(reordered.body)]).toEqual([400, 'InvalidArgument']);
    for (const sent of [{ 'list-type': '2', prefix: ['b', 'c'] }, { 'list-type': '2', prefix: 'b' }, { 'list-type': '2', prefix: ['b', 'a', 'a'] }]) {
      const tampered = await send('GET', '/sdk-bucket', '', {}, signed, sent);
      expect([tampered.status, code(tampered.body)]).toEqual([403, 'SignatureDoesNotMatch']);
    }
    // Presigned: the same, and the credential parameters themselves may not repeat.
    const url = await presign('GET', '/sdk-bucket', { query: signed });
    const viaUrl = await fetch(url);
    expect([viaUrl.status, code(await viaUrl.text())]).toEqual([400, 'InvalidArgument']);
    const tamperedUrl = await fetch(url.replace('prefix=a', 'prefix=c'));
    expect([tamperedUrl.status, code(await tamperedUrl.text())]).toEqual([403, 'SignatureDoesNotMatch']);
    const twice = await fetch(`${url}&X-Amz-Expires=60`);
    expect([twice.status, code(await twice.text())]).toEqual([400, 'AuthorizationQueryParametersError']);
  });

  test('presigned URLs: GET and PUT work; expired or tampered ones are refused', async () => {
    const put = await fetch(await presign('PUT', '/sdk-bucket/presigned'), { method: 'PUT', body: 'via url' });
    expect([put.status, put.headers.get('etag')]).toEqual([200, `"${md5('via url')}"`]);
    const get = await fetch(await presign('GET', '/sdk-bucket/presigned'));
    expect([get.status, await get.text()]).toEqual([200, 'via url']);
    const expired = await fetch(await presign('GET', '/sdk-bucket/presigned', { signingDate: new Date(Date.now() + offsetMs - 120_000), expiresIn: 60 }));
    expect([expired.status, /<Code>AccessDenied<\/Code>/.test(await expired.text())]).toEqual([403, true]);
    const url = await presign('GET', '/sdk-bucket/presigned');
    const tampered = await fetch(url.replace('/presigned?', '/other?'));
    expect([tampered.status, /<Code>SignatureDoesNotMatch<\/Code>/.test(await tampered.text())]).toEqual([403, true]);
  });
});
