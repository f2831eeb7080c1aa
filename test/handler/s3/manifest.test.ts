/**
 * S3ManifestFromPrefix at apply time against the emulator: listing, filter, URL-encoded CSV lines,
 * content-addressed key, single and multipart upload, versions, and a job that consumes the result.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  DeleteObjectCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import type { RunningEmulator } from '../../../src/emulator';
import { S3Objects } from '../../../src/handler/s3/objects';
import type { ManifestResult, S3BatchJobResult } from '../../../src/shared/contract';
import { stopAndClean } from '../../emulator/helpers';
import { jobEvent, manifestEvent, putObjects, resultPath, runHandler, startS3Emulator } from './helpers';

let emulator: RunningEmulator;
let s3: S3Client;
let endpoint: string;

const KEYS = ['photos/a.jpg', 'photos/b c.jpg', 'photos/ünï cødé.jpg', 'photos/x,y"z.jpg', 'photos/notes.txt', 'photos/big.jpg', 'photos/dir/', 'other/o.jpg'];

beforeAll(async () => {
  ({ emulator, s3, endpoint } = await startS3Emulator());
  await putObjects(s3, 'src', KEYS, (key) => (key === 'photos/big.jpg' ? 'x'.repeat(5000) : key.endsWith('/') ? '' : key));
  await putObjects(s3, 'ops', []);
  await putObjects(s3, 'rpt', []);
});

afterAll(async () => {
  s3?.destroy();
  await stopAndClean(emulator);
});

const text = async (bucket: string, key: string) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
const readResult = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;

test('lists the prefix through the filter into URL-encoded CSV lines at a content-addressed key; a job consumes it', async () => {
  const file = resultPath();
  const event = manifestEvent(endpoint, { prefix: 'photos/', filter: { suffixes: ['.jpg'], storageClasses: ['STANDARD'], maxSizeBytes: 1000 } });
  const run = await runHandler('create', event, file);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const result = readResult<ManifestResult>(file);
  const csv = await text('ops', result.key);
  // Keys URL-encoded ('/' kept), so commas, quotes, spaces and non-ASCII survive a CSV line.
  expect(csv).toBe('src,photos/a.jpg\nsrc,photos/b%20c.jpg\nsrc,photos/x%2Cy%22z.jpg\nsrc,photos/%C3%BCn%C3%AF%20c%C3%B8d%C3%A9.jpg\n');
  const sha = createHash('sha256').update(csv).digest('hex');
  const head = await s3.send(new HeadObjectCommand({ Bucket: 'ops', Key: result.key }));
  expect(result).toEqual({ bucket: 'ops', key: `manifests/${sha}.csv`, etag: head.ETag!.replace(/"/g, ''), objectCount: 4, contentSha256: sha, fields: 'Bucket,Key' });
  expect(run.stdout).toContain(`[stack/Manifest] wrote s3://ops/manifests/${sha}.csv: 4 objects`);

  // The manifest as an S3BatchJob's CSV manifest (pinned ETag, as fromManifestFromPrefix wires it).
  const jobFile = resultPath();
  const job = await runHandler('create', jobEvent(endpoint, {
    manifest: { csv: { bucket: result.bucket, key: result.key, etag: result.etag, fields: result.fields, format: 'S3BatchOperations_CSV_20180820' } },
    operation: { type: 'S3PutObjectTagging', tags: [{ key: 'listed', value: 'yes' }] },
  }), jobFile);
  expect(job.stderr).toBe('');
  expect(readResult<S3BatchJobResult>(jobFile)).toMatchObject({ status: 'Complete', totalTasks: 4, succeededTasks: 4 });
  for (const key of ['photos/ünï cødé.jpg', 'photos/x,y"z.jpg']) {
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: 'src', Key: key }))).TagSet).toEqual([{ Key: 'listed', Value: 'yes' }]);
  }
});

test('modifiedAfter and minimum size; nothing matching is exit 1 naming s3://; delete keeps the manifest', async () => {
  const big = await runHandler('create', manifestEvent(endpoint, { prefix: 'photos/', filter: { suffixes: [], storageClasses: [], minSizeBytes: 1000 } }), resultPath());
  expect(big.stdout.at(-1)).toMatch(/: 1 objects$/);
  const future = await runHandler('create', manifestEvent(endpoint, { prefix: 'photos/', filter: { suffixes: [], storageClasses: [], modifiedAfter: '2999-01-01T00:00:00.000Z' } }), resultPath());
  expect(future.code).toBe(1);
  expect(future.stderr).toMatch(/^cdktf-oss-batch: no object under s3:\/\/src\/photos\/ matches the filter \(7 listed; filter: modified after 2999-01-01T00:00:00.000Z\)/);
  const del = await runHandler('delete', manifestEvent(endpoint, {}), resultPath());
  expect(del.stdout).toEqual(['[stack/Manifest] retained the manifest in s3://ops/manifests/ (the handler never deletes objects)']);
});

test('a manifest larger than OSS_BATCH_MANIFEST_PART_BYTES goes up in parts, with the same content and key', async () => {
  // Each line ~2.4 KB (a non-ASCII character is 6 bytes URL-encoded): 120 lines need three 100 KiB parts.
  const keys = Array.from({ length: 120 }, (_, i) => `many/${String(i).padStart(5, '0')} ${'ü'.repeat(400)}.jpg`);
  await putObjects(s3, 'src', keys, () => '');
  const single = resultPath();
  expect((await runHandler('create', manifestEvent(endpoint, { prefix: 'many/' }), single)).code).toBe(0);
  const multi = resultPath();
  const run = await runHandler('create', manifestEvent(endpoint, { prefix: 'many/' }), multi, { env: { OSS_BATCH_MANIFEST_PART_BYTES: String(100 * 1024) } });
  expect(run.stderr).toBe('');
  const a = readResult<ManifestResult>(single);
  const b = readResult<ManifestResult>(multi);
  expect(b.key).toBe(a.key);
  expect(b.objectCount).toBe(120);
  // S3's multipart ETag: <md5 of the part md5s>-<number of parts>.
  expect(a.etag).toMatch(/^[0-9a-f]{32}$/);
  expect(b.etag).toMatch(/^[0-9a-f]{32}-3$/);
  const csv = await text('ops', b.key);
  expect(createHash('sha256').update(csv).digest('hex')).toBe(b.contentSha256);
  expect(csv.split('\n')[0]).toBe(`src,many/00000%20${'%C3%BC'.repeat(400)}.jpg`);

  const bad = await runHandler('create', manifestEvent(endpoint, { prefix: 'many/' }), resultPath(), { env: { OSS_BATCH_MANIFEST_PART_BYTES: '1000' } });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/OSS_BATCH_MANIFEST_PART_BYTES must be a whole number ≥ 102400, got "1000"/);
});

describe('includeVersionIds', () => {
  test('lists a versioned bucket with ListObjectVersions: the latest version of each key, with its id', async () => {
    await putObjects(s3, 'ver', []);
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'ver', VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutObjectCommand({ Bucket: 'ver', Key: 'v/a b.jpg', Body: 'one' }));
    const latest = (await s3.send(new PutObjectCommand({ Bucket: 'ver', Key: 'v/a b.jpg', Body: 'two' }))).VersionId;
    await s3.send(new PutObjectCommand({ Bucket: 'ver', Key: 'v/gone.jpg', Body: 'x' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'ver', Key: 'v/gone.jpg' }));
    const file = resultPath();
    const run = await runHandler('create', manifestEvent(endpoint, { sourceBucket: 'ver', prefix: 'v/', includeVersionIds: true }), file);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = readResult<ManifestResult>(file);
    expect(result).toMatchObject({ objectCount: 1, fields: 'Bucket,Key,VersionId' });
    expect(latest).toBeTruthy();
    expect(await text('ops', result.key)).toBe(`ver,v/a%20b.jpg,${latest}\n`);
  });

  test('keeps only the latest version of each key (not delete markers) and writes Bucket,Key,VersionId lines', async () => {
    // S3's answer, as ListObjectVersions gives it on a versioned bucket; the upload goes to the emulator.
    const answer = {
      Versions: [
        { Key: 'v/a b.jpg', VersionId: 'v2', IsLatest: true, Size: 3, ETag: '"e1"', LastModified: new Date('2025-01-02'), StorageClass: 'STANDARD' },
        { Key: 'v/a b.jpg', VersionId: 'v1', IsLatest: false, Size: 3, ETag: '"e0"', LastModified: new Date('2025-01-01'), StorageClass: 'STANDARD' },
        { Key: 'v/gone.jpg', VersionId: 'g1', IsLatest: false, Size: 3, ETag: '"e2"', LastModified: new Date('2025-01-01'), StorageClass: 'STANDARD' },
      ],
      DeleteMarkers: [{ Key: 'v/gone.jpg', VersionId: 'g2', IsLatest: true }], IsTruncated: false,
    };
    const send = s3.send.bind(s3);
    const seen: unknown[] = [];
    const fake = { send: (command: { input: unknown }) => (command instanceof ListObjectVersionsCommand ? (seen.push(command.input), Promise.resolve(answer)) : send(command as never)) };
    const file = resultPath();
    const run = await runHandler('create', manifestEvent(endpoint, { prefix: 'v/', includeVersionIds: true }), file, {
      adjust: (deps) => ({ ...deps, objects: new S3Objects(fake as unknown as S3Client) }),
    });
    expect(run.stderr).toBe('');
    expect(seen).toEqual([{ Bucket: 'src', Prefix: 'v/', MaxKeys: 1000 }]);
    const result = readResult<ManifestResult>(file);
    expect(result).toMatchObject({ objectCount: 1, fields: 'Bucket,Key,VersionId' });
    expect(await text('ops', result.key)).toBe('src,v/a%20b.jpg,v2\n');
  });
});
