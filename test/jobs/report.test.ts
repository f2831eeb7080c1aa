/** The one tolerant completion-report reader. */
import { parseReportMeta, readReport, ReportError, reportCounts, ReportFormatError } from '../../src/jobs/report';
import { encodeReportCsv, reportJobPrefix, reportManifestKey, reportResultKey, ReportRow } from '../../src/oss/csv';
import { FakeOss } from '../handler/mocks';

const ID = 'JOB=';
const loc = { bucket: 'ops', prefix: 'r/' };
const failedRow = (i: number, errorCode = 'NoSuchKey'): ReportRow => ({ bucket: 'src', key: `k${i}`, taskStatus: 'failed', errorCode });
const okRow = (i: number): ReportRow => ({ bucket: 'src', key: `ok${i}`, taskStatus: 'succeeded' });
const manifest = (files: string[], counts: object = {}) => JSON.stringify({ format: 'cdktf-oss-batch-report-v1', jobId: ID, status: 'Complete', reportScope: 'AllTasks', ...counts, resultFiles: files });

describe('readReport', () => {
  test('manifest.json names the files and gives the counts; rows are counted by status and error code', async () => {
    const oss = new FakeOss();
    oss.putRaw('ops', reportResultKey('r/', ID, 0), encodeReportCsv([okRow(1), failedRow(1), failedRow(2, 'AccessDenied'), failedRow(3)]));
    oss.putRaw('ops', reportManifestKey('r/', ID), manifest([reportResultKey('r/', ID, 0)], { totalTasks: 4, succeededTasks: 1, failedTasks: 3 }));
    const r = await readReport(oss, loc, ID, { maxFailures: 2 });
    expect(r).toMatchObject({ where: `oss://ops/r/job-${ID}/`, countsFromManifest: true, complete: true, rowsRead: 4, byStatus: { succeeded: 1, failed: 3 }, notes: [] });
    expect(Object.entries(r.byErrorCode)).toEqual([['NoSuchKey', 2], ['AccessDenied', 1]]);
    expect(r.failures.map((f) => f.key)).toEqual(['k1', 'k2']);
    expect(reportCounts(r)).toEqual({ total: 4, succeeded: 1, failed: 3 });
  });

  test('without manifest.json, the CSVs in the job folder are read in key order and the counts come from the rows', async () => {
    const oss = new FakeOss();
    oss.putRaw('ops', `${reportJobPrefix('r/', ID)}b.csv`, encodeReportCsv([failedRow(2)]));
    oss.putRaw('ops', `${reportJobPrefix('r/', ID)}a.csv`, encodeReportCsv([failedRow(1), okRow(1)]));
    oss.putRaw('ops', `${reportJobPrefix('r/', ID)}readme.txt`, 'not a report');
    const r = await readReport(oss, loc, ID);
    expect(r.failures.map((f) => f.key)).toEqual(['k1', 'k2']);
    expect(r.countsFromManifest).toBe(false);
    expect(reportCounts(r)).toEqual({ total: 3, succeeded: 1, failed: 2 });
  });

  test('an unreadable manifest.json falls back to the folder listing, with a note', async () => {
    const oss = new FakeOss();
    oss.putRaw('ops', reportManifestKey('r/', ID), '{ not json');
    oss.putRaw('ops', reportResultKey('r/', ID, 0), encodeReportCsv([failedRow(1)]));
    const r = await readReport(oss, loc, ID);
    expect(r.failures.map((f) => f.key)).toEqual(['k1']);
    expect(r.notes).toEqual([expect.stringMatching(/^oss:\/\/ops\/r\/job-JOB=\/manifest\.json is not JSON .*; reading every CSV in the job's folder instead$/)]);
  });

  test('unknown extra columns, another column order and a BOM are accepted', async () => {
    const oss = new FakeOss();
    oss.putRaw('ops', reportResultKey('r/', ID, 0), '\ufeffTaskStatus,Extra,Key,Bucket,ErrorCode,Later\nfailed,zzz,a%20b,src,AccessDenied,1\nsucceeded,zzz,ok,src,,2\n');
    expect((await readReport(oss, loc, ID)).failures).toEqual([{ bucket: 'src', key: 'a b', taskStatus: 'failed', errorCode: 'AccessDenied' }]);
  });

  test('missing and unreadable reports are ReportErrors saying where; OSS errors pass through', async () => {
    const empty = await readReport(new FakeOss(), loc, ID).catch((e) => e);
    expect(empty).toBeInstanceOf(ReportError);
    expect(empty).toMatchObject({ kind: 'missing', message: `no completion report at oss://ops/r/job-${ID}/` });
    await expect(readReport(new FakeOss(), { bucket: 'ops', prefix: 'r' }, ID)).rejects.toThrow('(did you mean the prefix r/ ?)');
    const broken = new FakeOss();
    broken.putRaw('ops', reportResultKey('r/', ID, 0), 'Bucket,Key,TaskStatus\nsrc,k,exploded\n');
    await expect(readReport(broken, loc, ID)).rejects.toMatchObject({ kind: 'unreadable', message: expect.stringContaining('results/part-00000.csv: report row 1 has task status "exploded"') });
    const gone = new FakeOss();
    gone.putRaw('ops', reportManifestKey('r/', ID), manifest(['r/gone.csv']));
    await expect(readReport(gone, loc, ID)).rejects.toMatchObject({ kind: 'unreadable', message: 'the report names oss://ops/r/gone.csv, which does not exist: the report is incomplete' });
    const denied = new FakeOss();
    denied.failOn.listObjectsV2 = { calls: [1], error: () => new Error('AccessDenied on the report bucket') };
    await expect(readReport(denied, loc, ID)).rejects.toThrow('AccessDenied on the report bucket');
  });

  test('stopEarly: with the manifest counts, reading stops once enough failures are kept; without them, every file is read', async () => {
    const files = Array.from({ length: 5 }, (_, part) => reportResultKey('r/', ID, part));
    const put = (oss: FakeOss) => files.forEach((f, part) => oss.putRaw('ops', f, encodeReportCsv(Array.from({ length: 10 }, (_, i) => failedRow(part * 10 + i)))));
    const counted = new FakeOss();
    put(counted);
    counted.putRaw('ops', reportManifestKey('r/', ID), manifest(files, { totalTasks: 50, succeededTasks: 0, failedTasks: 50 }));
    const early = await readReport(counted, loc, ID, { maxFailures: 10, stopEarly: true });
    expect(early).toMatchObject({ complete: false, rowsRead: 10 });
    expect(counted.calls.getObject).toBe(2); // manifest.json and the first part
    const uncounted = new FakeOss();
    put(uncounted);
    uncounted.putRaw('ops', reportManifestKey('r/', ID), manifest(files));
    expect(await readReport(uncounted, loc, ID, { maxFailures: 10, stopEarly: true })).toMatchObject({ complete: true, rowsRead: 50, byStatus: { failed: 50 } });
  });
});

describe('parseReportMeta', () => {
  test('reads the fields we use, ignores unknown ones', () => {
    const meta = parseReportMeta(JSON.stringify({
      format: 'cdktf-oss-batch-report-v1', jobId: 'J', status: 'Complete', reportScope: 'AllTasks', totalTasks: 3, succeededTasks: 2, failedTasks: 1,
      resultFiles: ['r/job-J/results/part-00000.csv'], future: { anything: true },
    }), 'fallback', 'where');
    expect(meta).toEqual({ jobId: 'J', status: 'Complete', reportScope: 'AllTasks', totalTasks: 3, succeededTasks: 2, failedTasks: 1, resultFiles: ['r/job-J/results/part-00000.csv'] });
  });

  test('drops wrongly typed fields instead of trusting them', () => {
    const meta = parseReportMeta(JSON.stringify({ status: 7, totalTasks: '3', failedTasks: -1, succeededTasks: 1.5, resultFiles: ['a.csv', 5, null] }), 'J', 'where');
    expect(meta).toEqual({ jobId: 'J', resultFiles: ['a.csv'] });
  });

  test('not JSON, or not an object: a ReportFormatError naming the file', () => {
    expect(() => parseReportMeta('{', 'J', 'oss://b/m.json')).toThrow(ReportFormatError);
    expect(() => parseReportMeta('{', 'J', 'oss://b/m.json')).toThrow(/^oss:\/\/b\/m\.json is not JSON/);
    expect(() => parseReportMeta('[1]', 'J', 'oss://b/m.json')).toThrow('oss://b/m.json is not a JSON object');
    expect(() => parseReportMeta('null', 'J', 'oss://b/m.json')).toThrow(ReportFormatError);
  });
});
