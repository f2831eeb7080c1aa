/** Outcome verification and the tolerant completion-report reader. */
import { EXIT } from '../../src/handler/errors';
import { firstFailures, MAX_LISTED_FAILURES, verifyOutcome } from '../../src/handler/verify';
import { encodeReportCsv, reportJobPrefix, reportManifestKey, reportResultKey, ReportRow } from '../../src/oss/csv';
import type { JobDescriptor } from '../../src/oss/model';
import type { ReportSpec } from '../../src/shared/contract';
import { expectFailed, FakeOss } from './mocks';

const ID = 'JOB=';
const report: ReportSpec = { enabled: true, bucket: 'ops', prefix: 'r/', scope: 'AllTasks' };
const job = (status: string, failed = 0, total = 10, extra: Partial<JobDescriptor> = {}): JobDescriptor => ({
  jobId: ID, status, failureReasons: [], progressSummary: { totalNumberOfTasks: total, numberOfTasksFailed: failed, numberOfTasksSucceeded: total - failed }, ...extra,
});
const failedRow = (i: number): ReportRow => ({ bucket: 'src', key: `k${i}`, taskStatus: 'failed', errorCode: 'NoSuchKey' });

describe('verifyOutcome', () => {
  test('Complete within maxFailedTasks passes without reading the report', async () => {
    const oss = new FakeOss();
    await expect(verifyOutcome(job('Complete', 2), report, 2, oss)).resolves.toBeUndefined();
    expect(oss.calls.listObjectsV2).toBeUndefined();
  });

  test('Failed lists every failure reason; none given is said', async () => {
    const oss = new FakeOss();
    await expectFailed(verifyOutcome(job('Failed', 6, 10, { failureReasons: [{ failureCode: 'A', failureReason: 'x' }, { failureCode: 'B', failureReason: 'y' }] }), report, 0, oss),
      EXIT.OUTCOME, /job JOB= Failed \(A: x; B: y\); 6 of 10 tasks failed\. The job has finished and will not run again/);
    await expectFailed(verifyOutcome(job('Failed'), report, 100, oss), EXIT.OUTCOME, /no failure reason given/);
  });

  test('Cancelled is an error with the reason OSS recorded', async () => {
    await expectFailed(verifyOutcome(job('Cancelled', 0, 10, { statusUpdateReason: 'ops said so' }), report, 0, new FakeOss()), EXIT.OUTCOME,
      /was Cancelled \(ops said so\) outside this deployment.*change the job spec or set a new `rerunToken`/);
  });

  test('more failures than allowed: the first 10 from the report, with how many there are', async () => {
    const oss = new FakeOss();
    oss.putRaw('ops', reportResultKey('r/', ID, 0), encodeReportCsv(Array.from({ length: 8 }, (_, i) => failedRow(i))));
    oss.putRaw('ops', reportResultKey('r/', ID, 1), encodeReportCsv(Array.from({ length: 8 }, (_, i) => failedRow(i + 8))));
    oss.putRaw('ops', reportManifestKey('r/', ID), JSON.stringify({ resultFiles: [reportResultKey('r/', ID, 0), reportResultKey('r/', ID, 1)] }));
    const message = await expectFailed(verifyOutcome(job('Complete', 16, 20), report, 3, oss), EXIT.OUTCOME, /16 of 20 tasks failed \(maxFailedTasks is 3\)\.\nFirst failed objects \(10 of 16\):/);
    expect(message.match(/^ {2}- oss:\/\/src\/k\d+: NoSuchKey$/gm)).toHaveLength(MAX_LISTED_FAILURES);
    expect(message).toContain('oss://src/k9: NoSuchKey');
    expect(message).not.toContain('oss://src/k10:');
  });

  test('report disabled: the counts, and why there are no keys', async () => {
    await expectFailed(verifyOutcome(job('Complete', 1), { ...report, enabled: false }, 0, new FakeOss()), EXIT.OUTCOME,
      /Failed keys are not listed: the completion report is disabled; the counts come from DescribeJob/);
  });
});

describe('firstFailures: the report reader is tolerant', () => {
  test('without manifest.json, the CSVs in the job folder are read in key order', async () => {
    const oss = new FakeOss();
    oss.putRaw('ops', `${reportJobPrefix('r/', ID)}b.csv`, encodeReportCsv([failedRow(2)]));
    oss.putRaw('ops', `${reportJobPrefix('r/', ID)}a.csv`, encodeReportCsv([failedRow(1)]));
    oss.putRaw('ops', `${reportJobPrefix('r/', ID)}readme.txt`, 'not a report');
    expect((await firstFailures(oss, report, ID)).rows.map((r) => r.key)).toEqual(['k1', 'k2']);
  });

  test('an unreadable manifest.json falls back to the folder listing', async () => {
    const oss = new FakeOss();
    oss.putRaw('ops', reportManifestKey('r/', ID), '{ not json');
    oss.putRaw('ops', reportResultKey('r/', ID, 0), encodeReportCsv([failedRow(1)]));
    expect((await firstFailures(oss, report, ID)).rows.map((r) => r.key)).toEqual(['k1']);
  });

  test('unknown extra columns, another column order and a BOM are accepted', async () => {
    const oss = new FakeOss();
    const csv = '\ufeffTaskStatus,Extra,Key,Bucket,ErrorCode,Later\nfailed,zzz,a%20b,src,AccessDenied,1\nsucceeded,zzz,ok,src,,2\n';
    oss.putRaw('ops', reportResultKey('r/', ID, 0), csv);
    expect(await firstFailures(oss, report, ID)).toEqual({ rows: [{ bucket: 'src', key: 'a b', taskStatus: 'failed', errorCode: 'AccessDenied' }], note: '' });
  });

  test('missing, unparsable or failure-free reports become a note, never an exception', async () => {
    const empty = await firstFailures(new FakeOss(), report, ID);
    expect(empty).toEqual({ rows: [], note: `no report was found under oss://ops/r/job-${ID}/` });
    const broken = new FakeOss();
    broken.putRaw('ops', reportResultKey('r/', ID, 0), 'Bucket,Key,TaskStatus\nsrc,k,exploded\n');
    expect((await firstFailures(broken, report, ID)).note).toMatch(/could not be read \(report row 1 has task status "exploded"/);
    const clean = new FakeOss();
    clean.putRaw('ops', reportResultKey('r/', ID, 0), encodeReportCsv([{ bucket: 'src', key: 'k', taskStatus: 'succeeded' }]));
    expect((await firstFailures(clean, report, ID)).note).toMatch(/lists no failed task/);
    const denied = new FakeOss();
    denied.failOn.listObjectsV2 = { calls: [1], error: () => new Error('AccessDenied on the report bucket') };
    expect((await firstFailures(denied, report, ID)).note).toMatch(/could not be read \(AccessDenied on the report bucket\)/);
  });

  test('stops reading result files once it has enough rows', async () => {
    const oss = new FakeOss();
    for (let part = 0; part < 5; part++) oss.putRaw('ops', reportResultKey('r/', ID, part), encodeReportCsv(Array.from({ length: 10 }, (_, i) => failedRow(part * 10 + i))));
    await firstFailures(oss, report, ID);
    expect(oss.calls.getObject).toBe(1);
  });
});
