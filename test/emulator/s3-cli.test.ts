/**
 * The emulator's S3 object API driven by the official AWS CLI (`aws s3api … --endpoint-url`), with
 * a private HOME and config so no user setting leaks in; what the CLI writes and reads must agree
 * with the AWS SDK v3 on the same emulator. Without `aws`: skipped loudly, or a failure under
 * CI=true (as the terraform suites).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteObjectCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import type { RunningEmulator } from '../../src/emulator';
import { CliResult, describeWithAws, findAws, runAws } from './aws-cli';
import { start, stopAndClean } from './helpers';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const AWS = findAws();

let emulator: RunningEmulator;
let sdk: S3Client;
let home: string;
const requestLog: string[] = [];

/** `aws s3api <args>` against the emulator. */
function s3api(...args: string[]): Promise<CliResult> {
  return s3apiWith({}, ...args);
}

function s3apiWith(overrides: Record<string, string>, ...args: string[]): Promise<CliResult> {
  return aws(['s3api', ...args, '--endpoint-url', emulator.endpoint, '--output', 'json'], overrides);
}

/** The CLI with a private HOME and config. */
function aws(args: string[], overrides: Record<string, string> = {}): Promise<CliResult> {
  return runAws(AWS!, home, emulator, args, overrides);
}

async function ok(...args: string[]): Promise<Record<string, unknown>> {
  const r = await s3api(...args);
  if (r.code !== 0) throw new Error(`aws s3api ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : {};
}

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

describeWithAws(AWS, 'the AWS CLI against the S3 API', () => {
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 's3-cli-'));
    writeFileSync(join(home, 'config'), '');
    writeFileSync(join(home, 'credentials'), '');
    emulator = await start({ log: (line) => requestLog.push(line) });
    sdk = new S3Client({
      endpoint: emulator.endpoint, forcePathStyle: true, region: emulator.region, maxAttempts: 1,
      credentials: { accessKeyId: emulator.credentials.accessKeyId, secretAccessKey: emulator.credentials.accessKeySecret },
    });
  });

  afterAll(async () => {
    sdk?.destroy();
    await stopAndClean(emulator);
    if (home) rmSync(home, { recursive: true, force: true });
  });

  test('create-bucket, put-object, head-object, get-object: the SDK reads the same object', async () => {
    expect(await ok('create-bucket', '--bucket', 'cli-bucket')).toEqual({ Location: '/cli-bucket' });
    const file = join(home, 'body.txt');
    writeFileSync(file, 'from the cli\n');
    const put = await ok('put-object', '--bucket', 'cli-bucket', '--key', 'dir/a b.txt', '--body', file, '--content-type', 'text/plain', '--tagging', 'env=dev');
    expect(put.ETag).toBe(`"${md5('from the cli\n')}"`);
    const head = await ok('head-object', '--bucket', 'cli-bucket', '--key', 'dir/a b.txt');
    expect(head).toMatchObject({ ETag: put.ETag, ContentLength: 13, ContentType: 'text/plain', TagCount: 1 });
    const out = join(home, 'out.txt');
    const got = await ok('get-object', '--bucket', 'cli-bucket', '--key', 'dir/a b.txt', out);
    expect([readFileSync(out, 'utf8'), got.ETag]).toEqual(['from the cli\n', put.ETag]);
    const viaSdk = await sdk.send(new HeadObjectCommand({ Bucket: 'cli-bucket', Key: 'dir/a b.txt' }));
    expect([viaSdk.ETag, viaSdk.ContentLength, viaSdk.ContentType, viaSdk.TagCount]).toEqual([head.ETag, head.ContentLength, head.ContentType, head.TagCount]);
  });

  test('list-objects-v2 (the CLI asks for encoding-type=url) lists what the SDK lists', async () => {
    for (const key of ['list/x y', 'list/sub/1', 'list/z']) await sdk.send(new PutObjectCommand({ Bucket: 'cli-bucket', Key: key, Body: key }));
    const cli = await ok('list-objects-v2', '--bucket', 'cli-bucket', '--prefix', 'list/', '--delimiter', '/');
    const viaSdk = await sdk.send(new ListObjectsV2Command({ Bucket: 'cli-bucket', Prefix: 'list/', Delimiter: '/' }));
    const keys = (cli.Contents as { Key: string; ETag: string; Size: number }[]).map((c) => [c.Key, c.ETag, c.Size]);
    expect(keys).toEqual(viaSdk.Contents!.map((c) => [c.Key, c.ETag, c.Size]));
    expect(keys.map((k) => k[0])).toEqual(['list/x y', 'list/z']);
    expect(cli.CommonPrefixes).toEqual([{ Prefix: 'list/sub/' }]);
    const page = await ok('list-objects-v2', '--bucket', 'cli-bucket', '--prefix', 'list/', '--max-keys', '1', '--no-paginate');
    expect(page).toMatchObject({ IsTruncated: true, KeyCount: 1, Contents: [{ Key: 'list/sub/1' }] });
    const rest = await ok('list-objects-v2', '--bucket', 'cli-bucket', '--prefix', 'list/', '--start-after', 'list/sub/1');
    expect((rest.Contents as { Key: string }[]).map((c) => c.Key)).toEqual(['list/x y', 'list/z']);
  });

  test('put-bucket-versioning, get-bucket-versioning, list-object-versions (encoding-type=url, paged) list what the SDK lists', async () => {
    await ok('create-bucket', '--bucket', 'cli-versions');
    await ok('put-bucket-versioning', '--bucket', 'cli-versions', '--versioning-configuration', 'Status=Enabled');
    expect(await ok('get-bucket-versioning', '--bucket', 'cli-versions')).toEqual({ Status: 'Enabled' });
    for (const body of ['1', '2']) await sdk.send(new PutObjectCommand({ Bucket: 'cli-versions', Key: 'v/a b', Body: body }));
    await sdk.send(new PutObjectCommand({ Bucket: 'cli-versions', Key: 'v/c', Body: '3' }));
    await sdk.send(new DeleteObjectCommand({ Bucket: 'cli-versions', Key: 'v/c' }));
    // --page-size 1: the CLI's paginator follows the key and version-id markers page by page.
    const cli = await ok('list-object-versions', '--bucket', 'cli-versions', '--prefix', 'v/', '--page-size', '1');
    const viaSdk = await sdk.send(new ListObjectVersionsCommand({ Bucket: 'cli-versions', Prefix: 'v/' }));
    const rows = (list: { Key?: string; VersionId?: string; IsLatest?: boolean }[] | undefined) => (list ?? []).map((v) => [v.Key, v.VersionId, v.IsLatest]);
    expect(rows(cli.Versions as [])).toEqual(rows(viaSdk.Versions));
    expect(rows(cli.DeleteMarkers as [])).toEqual(rows(viaSdk.DeleteMarkers));
    expect(rows(cli.Versions as []).map((r) => [r[0], r[2]])).toEqual([['v/a b', true], ['v/a b', false], ['v/c', false]]);
    expect(rows(cli.DeleteMarkers as []).map((r) => [r[0], r[2]])).toEqual([['v/c', true]]);
    // One request a page, the later ones with both markers.
    const pages = requestLog.filter((l) => l.includes(' S3:ListObjectVersions 200 '));
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pages.filter((l) => /[?&]key-marker/.test(l) && /[?&]version-id-marker/.test(l)).length).toBeGreaterThanOrEqual(3);
  });

  test('put-object-tagging / get-object-tagging / delete-object-tagging agree with the SDK', async () => {
    await ok('put-object-tagging', '--bucket', 'cli-bucket', '--key', 'dir/a b.txt', '--tagging', 'TagSet=[{Key=env,Value=prod},{Key=team,Value=data}]');
    const cli = await ok('get-object-tagging', '--bucket', 'cli-bucket', '--key', 'dir/a b.txt');
    const viaSdk = await sdk.send(new GetObjectTaggingCommand({ Bucket: 'cli-bucket', Key: 'dir/a b.txt' }));
    expect(cli.TagSet).toEqual([{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'data' }]);
    expect(cli.TagSet).toEqual(viaSdk.TagSet);
    await ok('delete-object-tagging', '--bucket', 'cli-bucket', '--key', 'dir/a b.txt');
    expect((await sdk.send(new GetObjectTaggingCommand({ Bucket: 'cli-bucket', Key: 'dir/a b.txt' }))).TagSet).toEqual([]);
  });

  test('create-multipart-upload, upload-part, complete-multipart-upload', async () => {
    const { UploadId } = await ok('create-multipart-upload', '--bucket', 'cli-bucket', '--key', 'multi') as { UploadId: string };
    const parts = [Buffer.alloc(5 * 1024 * 1024, 'p'), Buffer.from('end')];
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      writeFileSync(join(home, `part${i}`), part);
      etags.push((await ok('upload-part', '--bucket', 'cli-bucket', '--key', 'multi', '--upload-id', UploadId, '--part-number', String(i + 1), '--body', join(home, `part${i}`))).ETag as string);
    }
    expect(etags).toEqual(parts.map((p) => `"${md5(p)}"`));
    const layout = JSON.stringify({ Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) });
    const done = await ok('complete-multipart-upload', '--bucket', 'cli-bucket', '--key', 'multi', '--upload-id', UploadId, '--multipart-upload', layout);
    const head = await sdk.send(new HeadObjectCommand({ Bucket: 'cli-bucket', Key: 'multi' }));
    expect([done.ETag, head.ContentLength]).toEqual([head.ETag, parts[0].length + parts[1].length]);
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}-2"$/);
  });

  test('aws s3 presign makes a SigV4 URL the emulator accepts', async () => {
    const r = await aws(['s3', 'presign', 's3://cli-bucket/dir/a b.txt', '--endpoint-url', emulator.endpoint, '--expires-in', '60']);
    const url = r.stdout.trim();
    expect(url).toContain('X-Amz-Algorithm=AWS4-HMAC-SHA256');
    const res = await fetch(url);
    expect([res.status, await res.text()]).toEqual([200, 'from the cli\n']);
  });

  // The CLI URL-encodes --copy-source itself, so the key is given as it is.
  test('put-object-acl, copy-object and restore-object', async () => {
    await ok('put-object-acl', '--bucket', 'cli-bucket', '--key', 'dir/a b.txt', '--acl', 'public-read');
    expect(emulator.store.version('cli-bucket', 'dir/a b.txt').acl).toBe('public-read');
    const copy = await ok('copy-object', '--bucket', 'cli-bucket', '--key', 'copied', '--copy-source', 'cli-bucket/dir/a b.txt', '--storage-class', 'GLACIER');
    expect(copy.CopyObjectResult).toMatchObject({ ETag: `"${md5('from the cli\n')}"` });
    const restore = await s3api('restore-object', '--bucket', 'cli-bucket', '--key', 'copied', '--restore-request', 'Days=1,GlacierJobParameters={Tier=Standard}');
    expect(restore.code).toBe(0);
    expect((await sdk.send(new HeadObjectCommand({ Bucket: 'cli-bucket', Key: 'copied' }))).Restore).toBe('ongoing-request="true"');
    const sdkGet = await sdk.send(new GetObjectCommand({ Bucket: 'cli-bucket', Key: 'dir/a b.txt' }));
    expect(await sdkGet.Body!.transformToString()).toBe('from the cli\n');
  });

  test('errors come back with S3 codes: NoSuchKey, NoSuchBucket, SignatureDoesNotMatch, NotImplemented', async () => {
    const missing = await s3api('get-object-tagging', '--bucket', 'cli-bucket', '--key', 'nope');
    // A service error exits 255 in CLI v1, 254 in v2.
    expect([255, 254]).toContain(missing.code);
    expect(missing.stderr).toContain('(NoSuchKey)');
    const noBucket = await s3api('list-objects-v2', '--bucket', 'cli-missing');
    expect(noBucket.stderr).toContain('(NoSuchBucket)');
    const acl = await s3api('get-object-acl', '--bucket', 'cli-bucket', '--key', 'dir/a b.txt');
    expect(acl.stderr).toContain('(NotImplemented)');
    // A CLI configured with another secret: refused before anything happens.
    const forged = await s3apiWith({ AWS_SECRET_ACCESS_KEY: `${emulator.credentials.accessKeySecret}-wrong` }, 'get-object-tagging', '--bucket', 'cli-bucket', '--key', 'dir/a b.txt');
    expect([255, 254]).toContain(forged.code);
    expect(forged.stderr).toContain('(SignatureDoesNotMatch)');
  });
});
