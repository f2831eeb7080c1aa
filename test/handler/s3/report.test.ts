/** The S3 report reader: S3's layout, read as tolerantly as the OSS report. */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { RunningEmulator } from '../../../src/emulator';
import { ReportError } from '../../../src/jobs/report';
import { makeClients } from '../../../src/handler/s3/aws';
import { S3Objects } from '../../../src/handler/s3/objects';
import { readS3Report } from '../../../src/handler/s3/report';
import { stopAndClean } from '../../emulator/helpers';
import { putObjects, REGION, startS3Emulator } from './helpers';

let emulator: RunningEmulator;
let s3: S3Client;
let objects: S3Objects;

beforeAll(async () => {
  let endpoint: string;
  ({ emulator, s3, endpoint } = await startS3Emulator());
  objects = new S3Objects(makeClients({ region: REGION, endpoint }).s3);
  await putObjects(s3, 'rpt', []);
});

afterAll(async () => {
  s3?.destroy();
  await stopAndClean(emulator);
});

const put = (key: string, body: string) => s3.send(new PutObjectCommand({ Bucket: 'rpt', Key: key, Body: body }));
const FAILED = 'src,a%2Cb.jpg,,failed,NoSuchKey,404,The specified key does not exist.\nsrc,c.jpg,v1,failed,AccessDenied,403,\n';

test('manifest.json names the result files; unknown fields are ignored; rows are tallied', async () => {
  await put('r/job-1/results/ok.csv', 'src,d.jpg,,succeeded,,200,\n');
  await put('r/job-1/results/bad.csv', FAILED);
  await put('r/job-1/manifest.json', JSON.stringify({ Format: 'Report_CSV_20180820', Extra: 1, Results: [{ TaskExecutionStatus: 'failed', Key: 'r/job-1/results/bad.csv' }, { Key: 'r/job-1/results/ok.csv', New: true }] }));
  const reading = await readS3Report(objects, { bucket: 'rpt', prefix: 'r' }, '1');
  expect(reading).toMatchObject({ where: 's3://rpt/r/job-1/', countsFromManifest: false, complete: true, rowsRead: 3, byStatus: { failed: 2, succeeded: 1 }, byErrorCode: { AccessDenied: 1, NoSuchKey: 1 }, notes: [] });
  expect(reading.failures.map((f) => [f.key, f.versionId, f.errorCode, f.httpStatus])).toEqual([['a,b.jpg', undefined, 'NoSuchKey', 404], ['c.jpg', 'v1', 'AccessDenied', 403]]);
});

test('without a usable manifest.json every CSV under the job\'s folder is read (and the note says why)', async () => {
  await put('r/job-2/results/b.csv', FAILED);
  await put('r/job-2/results/a.csv', 'src,d.jpg,,succeeded,,200,\n');
  const missing = await readS3Report(objects, { bucket: 'rpt', prefix: 'r' }, '2');
  expect(missing).toMatchObject({ rowsRead: 3, byStatus: { failed: 2, succeeded: 1 }, notes: [] });
  await put('r/job-2/manifest.json', '{not json');
  const broken = await readS3Report(objects, { bucket: 'rpt', prefix: 'r' }, '2');
  expect(broken.rowsRead).toBe(3);
  expect(broken.notes).toEqual([expect.stringMatching(/^s3:\/\/rpt\/r\/job-2\/manifest\.json is not JSON .*; reading every CSV in the job's folder instead$/)]);
});

test('no report, a named file that is missing, a bad row: ReportErrors naming s3:// places', async () => {
  await expect(readS3Report(objects, { bucket: 'rpt', prefix: '' }, '3')).rejects.toMatchObject({ kind: 'missing', message: 'no completion report at s3://rpt/job-3/' });
  await put('job-4/manifest.json', JSON.stringify({ Results: [{ Key: 'job-4/results/gone.csv' }] }));
  await expect(readS3Report(objects, { bucket: 'rpt', prefix: '' }, '4')).rejects.toMatchObject({ kind: 'unreadable', message: 'the report names s3://rpt/job-4/results/gone.csv, which does not exist: the report is incomplete' });
  await put('job-5/results/x.csv', 'src,a.jpg,,exploded,,,\n');
  const err = await readS3Report(objects, { bucket: 'rpt', prefix: '' }, '5').catch((e) => e);
  expect(err).toBeInstanceOf(ReportError);
  expect(err.message).toMatch(/^s3:\/\/rpt\/job-5\/results\/x\.csv: report row 1 has task status "exploded"/);
});
