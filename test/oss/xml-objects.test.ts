import fc from 'fast-check';
import { XmlDecodeError } from '../../src/oss/xml/common';
import {
  decodeAccessControlPolicy, decodeCompleteMultipartUpload, decodeCompleteMultipartUploadResult, decodeCreateBucketConfiguration,
  decodeInitiateMultipartUploadResult, decodeListObjectsV2Result, decodeListObjectVersionsResult, decodeRestoreRequest, decodeTagging,
  decodeVersioningConfiguration, encodeAccessControlPolicy, encodeCompleteMultipartUpload, encodeCompleteMultipartUploadResult,
  encodeCreateBucketConfiguration, encodeInitiateMultipartUploadResult, encodeListObjectsV2Result, encodeListObjectVersionsResult,
  encodeRestoreRequest, encodeTagging, encodeVersioningConfiguration,
} from '../../src/oss/xml/objects';

describe('object documents', () => {
  test('ListObjectsV2 round-trip; one Contents/CommonPrefixes element is still a list; ETag quotes', () => {
    const result = {
      name: 'photos', prefix: 'raw/', delimiter: '/', maxKeys: 2, keyCount: 2, isTruncated: true, nextContinuationToken: 'tok',
      contents: [{ key: 'raw/a & b.jpg', size: 3, etag: '5B3C1A2E053D763E1B002CC607C5A0FE', lastModified: '2025-06-11T08:00:00.000Z', storageClass: 'Archive' }],
      commonPrefixes: ['raw/sub/'],
    };
    const xml = encodeListObjectsV2Result(result);
    expect(xml).toContain('<ETag>&quot;5B3C1A2E053D763E1B002CC607C5A0FE&quot;</ETag>'); // quotes escaped, as S3 and OSS do
    expect(decodeListObjectsV2Result(xml)).toEqual(result);
    expect(decodeListObjectsV2Result(encodeListObjectsV2Result({ ...result, isTruncated: false, nextContinuationToken: undefined, contents: [], commonPrefixes: [], keyCount: 0 })))
      .toEqual({ name: 'photos', prefix: 'raw/', delimiter: '/', maxKeys: 2, keyCount: 0, isTruncated: false, contents: [], commonPrefixes: [] });
  });

  test('ListObjectVersions round-trip', () => {
    const result = {
      name: 'b', maxKeys: 100, isTruncated: false,
      versions: [{ key: 'k', size: 1, etag: 'E', lastModified: 'T', storageClass: 'Standard', versionId: 'v2', isLatest: true }],
      deleteMarkers: [{ key: 'gone', versionId: 'v9', isLatest: true, lastModified: 'T' }],
    };
    expect(decodeListObjectVersionsResult(encodeListObjectVersionsResult(result))).toEqual(result);
  });

  test('tagging, ACL, restore, versioning, bucket configuration', () => {
    expect(decodeTagging(encodeTagging([{ key: 'env', value: 'prod' }]))).toEqual([{ key: 'env', value: 'prod' }]);
    expect(decodeTagging(encodeTagging([]))).toEqual([]);
    expect(decodeAccessControlPolicy(encodeAccessControlPolicy('public-read'))).toBe('public-read');
    expect(decodeRestoreRequest(encodeRestoreRequest({ days: 3, tier: 'Bulk' }))).toEqual({ days: 3, tier: 'Bulk' });
    expect(decodeRestoreRequest(encodeRestoreRequest({}))).toEqual({});
    expect(decodeVersioningConfiguration(encodeVersioningConfiguration(true))).toBe('Enabled');
    expect(() => decodeVersioningConfiguration('<VersioningConfiguration><Status>On</Status></VersioningConfiguration>')).toThrow(/Enabled or Suspended/);
    expect(decodeCreateBucketConfiguration(encodeCreateBucketConfiguration('IA'))).toEqual({ storageClass: 'IA' });
    expect(decodeCreateBucketConfiguration('')).toEqual({});
  });

  test('multipart documents', () => {
    expect(decodeInitiateMultipartUploadResult(encodeInitiateMultipartUploadResult('b', 'k', 'U1'))).toEqual({ uploadId: 'U1' });
    const parts = [{ partNumber: 1, etag: 'A' }, { partNumber: 2, etag: 'B' }];
    expect(decodeCompleteMultipartUpload(encodeCompleteMultipartUpload(parts))).toEqual(parts);
    expect(decodeCompleteMultipartUpload(encodeCompleteMultipartUpload([parts[0]]))).toEqual([parts[0]]);
    expect(decodeCompleteMultipartUploadResult(encodeCompleteMultipartUploadResult('/b/k', 'b', 'k', 'E-2'))).toEqual({ etag: 'E-2' });
  });
});

describe('object documents: wrong shapes and generated round trips', () => {
  test('malformed or wrong-shaped documents are XmlDecodeErrors that name the element', () => {
    const list = encodeListObjectsV2Result({ name: 'b', maxKeys: 1, keyCount: 1, isTruncated: false, contents: [{ key: 'k', size: 1, etag: 'E', lastModified: 'T', storageClass: 'Standard' }], commonPrefixes: [] });
    const cases: [() => unknown, RegExp][] = [
      [() => decodeListObjectsV2Result(list.slice(0, 80)), /malformed XML/],
      [() => decodeListObjectsV2Result('<html><body>503 Service Temporarily Unavailable</body></html>'), /root element <ListBucketResult>/],
      [() => decodeListObjectsV2Result(list.replace('<Size>1</Size>', '<Size>big</Size>')), /ListBucketResult\/Contents\/Size> must be an integer/],
      [() => decodeListObjectsV2Result(list.replace('<IsTruncated>false', '<IsTruncated>maybe')), /IsTruncated> must be true or false/],
      [() => decodeListObjectsV2Result(list.replace(/<Key>k<\/Key>/, '')), /Contents\/Key> is required/],
      [() => decodeTagging('<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>'), /Tagging\/TagSet\/Tag\/Key> is required/],
      [() => decodeCompleteMultipartUpload('<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>"A"</ETag></Part></CompleteMultipartUpload>'), /PartNumber> must be an integer/],
      [() => decodeRestoreRequest('<RestoreRequest><Days>1.5</Days></RestoreRequest>'), /Days> must be an integer/],
      [() => decodeAccessControlPolicy('<AccessControlPolicy><Owner/></AccessControlPolicy>'), /AccessControlList> is required/],
      [() => decodeVersioningConfiguration('<VersioningConfiguration><Status>On</Status></VersioningConfiguration>'), /Status> must be Enabled or Suspended/],
      [() => decodeCreateBucketConfiguration('not xml'), /expected an XML <CreateBucketConfiguration> document/],
    ];
    for (const [decode, message] of cases) {
      expect(decode).toThrow(XmlDecodeError);
      expect(decode).toThrow(message);
    }
  });

  // Keys are arbitrary text (OSS allows any UTF-8 except a leading '/'), so XML escaping must hold.
  const key = fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }).filter((k) => k.trim() === k && !/[\u0000-\u001f]/.test(k));
  const summary = fc.record({
    key, size: fc.integer({ min: 0, max: 2 ** 40 }), etag: fc.stringMatching(/^[0-9A-F]{32}$/),
    lastModified: fc.constant('2025-06-11T08:00:00.000Z'), storageClass: fc.constantFrom('Standard', 'IA', 'Archive', 'ColdArchive'),
  });

  test('ListObjectsV2 round-trips generated listings', () => {
    fc.assert(fc.property(fc.array(summary, { maxLength: 4 }), fc.array(key, { maxLength: 3 }), fc.boolean(), (contents, commonPrefixes, isTruncated) => {
      const result = {
        name: 'bucket', maxKeys: 1000, keyCount: contents.length + commonPrefixes.length, isTruncated, contents, commonPrefixes,
        ...(isTruncated ? { nextContinuationToken: 'CgJiYw--' } : {}),
      };
      expect(decodeListObjectsV2Result(encodeListObjectsV2Result(result))).toEqual(result);
    }));
  });

  test('tag sets round-trip generated tags, one tag included', () => {
    const tag = fc.record({ key, value: fc.string({ maxLength: 20 }).filter((v) => v.trim() === v && !/[\u0000-\u001f]/.test(v)) });
    fc.assert(fc.property(fc.array(tag, { maxLength: 5 }), (tags) => {
      expect(decodeTagging(encodeTagging(tags))).toEqual(tags);
    }));
  });
});
