/**
 * S3ManifestFromPrefix at apply time: the OSS builder's writer (../manifest-builder.ts: filter,
 * CSV lines, spool and hash, content-addressed upload, result file) over ListObjectsV2 or
 * ListObjectVersions and S3's upload calls. The lines are `S3BatchOperations_CSV_20180820`
 * (bucket, URL-encoded key, version id).
 */
import type { ManifestResult, S3ManifestFromPrefixEvent } from '../../shared/contract';
import { ManifestUploads, writePrefixManifest } from '../manifest-builder';
import type { S3HandlerDeps } from './batch-job';
import type { S3Objects } from './objects';

const CSV = 'text/csv';

function s3Uploads(objects: S3Objects): ManifestUploads {
  return {
    putObject: (bucket, key, body) => objects.putObject(bucket, key, body, CSV),
    createMultipartUpload: (bucket, key) => objects.createMultipartUpload(bucket, key, CSV),
    uploadPart: (bucket, key, uploadId, partNumber, body) => objects.uploadPart(bucket, key, uploadId, partNumber, body),
    completeMultipartUpload: (bucket, key, uploadId, parts) => objects.completeMultipartUpload(bucket, key, uploadId, parts),
    abortMultipartUpload: (bucket, key, uploadId) => objects.abortMultipartUpload(bucket, key, uploadId),
  };
}

export async function buildS3Manifest(event: S3ManifestFromPrefixEvent, resultFile: string, deps: S3HandlerDeps, partSize: number): Promise<ManifestResult> {
  const identity = event.identity;
  const pages = identity.includeVersionIds
    ? deps.objects.listLatestVersions(identity.sourceBucket, identity.prefix)
    : deps.objects.listObjects(identity.sourceBucket, identity.prefix);
  return writePrefixManifest(event.name, identity, {
    // A version listed without an id is S3's null version (written before versioning was enabled).
    scheme: 's3', pages, versionIdOf: (o) => o.versionId ?? 'null', uploads: s3Uploads(deps.objects), spoolPrefix: 's3-batch-manifest-',
  }, resultFile, partSize, deps.log);
}
