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
