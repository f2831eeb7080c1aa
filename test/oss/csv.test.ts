import fc from 'fast-check';
import {
  CsvFormatError, encodeManifestLine, encodeReportCsv, parseManifestCsv, parseReportCsv,
  reportJobPrefix, reportManifestKey, reportResultKey, ReportRow,
} from '../../src/oss/csv';

describe('manifest CSV', () => {
  test('encodes keys URL-encoded with readable slashes, as in the S3 example', () => {
    expect(encodeManifestLine('Examplebucket', 'object key with spaces')).toBe('Examplebucket,object%20key%20with%20spaces\n');
    expect(encodeManifestLine('b', 'photos/jpgs/objectkey4')).toBe('b,photos/jpgs/objectkey4\n');
    expect(encodeManifestLine('b', 'k', 'v1')).toBe('b,k,v1\n');
  });

  test('keys with commas, quotes, newlines and unicode round-trip', () => {
    fc.assert(fc.property(fc.array(fc.string({ minLength: 1, unit: 'grapheme' }), { minLength: 1, maxLength: 20 }), (keys) => {
      const text = keys.map((k) => encodeManifestLine('bkt', k)).join('');
      expect(parseManifestCsv(text).map((e) => e.key)).toEqual(keys);
    }));
  });

  test('version ids via a third column or the VersionId field', () => {
    expect(parseManifestCsv('b,k1,v1\nb,k2,v2\n')).toEqual([
      { bucket: 'b', key: 'k1', versionId: 'v1' }, { bucket: 'b', key: 'k2', versionId: 'v2' },
    ]);
    expect(parseManifestCsv('v1,b,k1\n', 'VersionId,Bucket,Key')).toEqual([{ bucket: 'b', key: 'k1', versionId: 'v1' }]);
  });

  test('rejects mixed version ids, bad fields, short lines, bad encoding', () => {
    expect(() => parseManifestCsv('b,k1,v1\nb,k2\n')).toThrow(/version ids .* all objects or none/);
    expect(() => parseManifestCsv('b,k\n', 'Bucket,Name')).toThrow(CsvFormatError);
    expect(() => parseManifestCsv('b,k\n', 'Key')).toThrow(/must include Bucket and Key/);
    expect(() => parseManifestCsv('onlybucket\n')).toThrow(/line 1 has 1 columns/);
    expect(() => parseManifestCsv('b,%E0%A4%A\n')).toThrow(/not valid URL encoding/);
    expect(() => parseManifestCsv('b,,x,y\n')).toThrow(CsvFormatError);
  });

  test('empty manifest parses to no entries', () => {
    expect(parseManifestCsv('')).toEqual([]);
  });
});

describe('report CSV', () => {
  const rows: ReportRow[] = [
    { bucket: 'b', key: 'a, "quoted"\nkey', taskStatus: 'succeeded', httpStatus: 200 },
    { bucket: 'b', key: 'missing', versionId: 'v9', taskStatus: 'failed', errorCode: 'NoSuchKey', httpStatus: 404, message: 'The specified key does not exist, sorry.' },
  ];

  test('round-trips rows with a header', () => {
    expect(parseReportCsv(encodeReportCsv(rows))).toEqual(rows);
  });

  test('without header the default column order is assumed', () => {
    expect(parseReportCsv(encodeReportCsv(rows, false))).toEqual(rows);
  });

  test('header-driven: reordered and unknown extra columns are accepted', () => {
    const text = 'Extra,TaskStatus,Key,Bucket,ErrorCode\nzzz,failed,k%201,b,AccessDenied\n';
    expect(parseReportCsv(text)).toEqual([{ bucket: 'b', key: 'k 1', taskStatus: 'failed', errorCode: 'AccessDenied' }]);
  });

  test('an unknown task status is an error, not a silent success', () => {
    expect(() => parseReportCsv('Bucket,Key,TaskStatus\nb,k,maybe\n')).toThrow(/task status "maybe"/);
  });

  test('layout helpers', () => {
    expect(reportJobPrefix('reports/', 'J1')).toBe('reports/job-J1/');
    expect(reportManifestKey('', 'J1')).toBe('job-J1/manifest.json');
    expect(reportResultKey('r/', 'J1', 3)).toBe('r/job-J1/results/part-00003.csv');
  });
});
