/**
 * The S3 object calls the handler makes (the report reader, the CSV manifest's ETag, the prefix
 * manifest's listing and upload), over the SDK's S3Client, in the shapes the shared code uses.
 */
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand,
  ListObjectsV2Command, ListObjectVersionsCommand, PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { CompletedPart, ObjectSummary } from '../../oss/model';
import { awsCall, AwsCallError } from './aws';

export type ListedObject = ObjectSummary & { versionId?: string };

const bare = (etag: string | undefined) => (etag ?? '').replace(/"/g, '');

/** A key that is not there (a missing bucket is not: that is a configuration error worth its own message). */
export const isMissingObject = (err: unknown): boolean =>
  err instanceof AwsCallError && (err.code === 'NoSuchKey' || err.code === 'NotFound' || (err.status === 404 && err.code !== 'NoSuchBucket'));

export class S3Objects {
  constructor(private readonly client: S3Client) {}

  /** The object's ETag without quotes. */
  async headEtag(bucket: string, key: string, versionId?: string): Promise<string> {
    const out = await awsCall('S3 HeadObject', () => this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId })));
    return bare(out.ETag);
  }

  async getText(bucket: string, key: string): Promise<string> {
    return awsCall('S3 GetObject', async () => {
      const out = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return out.Body ? out.Body.transformToString('utf8') : '';
    });
  }

  /** Current objects under a prefix, one page (≤ 1000) at a time. */
  async *listObjects(bucket: string, prefix: string): AsyncGenerator<ListedObject[]> {
    let token: string | undefined;
    do {
      const out = await awsCall('S3 ListObjectsV2', () => this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token, MaxKeys: 1000 })));
      yield (out.Contents ?? []).map((o) => ({
        key: o.Key ?? '', size: o.Size ?? 0, etag: bare(o.ETag), lastModified: o.LastModified?.toISOString() ?? '', storageClass: o.StorageClass ?? 'STANDARD',
      }));
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }

  /** The latest version of each key under a prefix (a key whose latest version is a delete marker is not listed). */
  async *listLatestVersions(bucket: string, prefix: string): AsyncGenerator<ListedObject[]> {
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const out = await awsCall('S3 ListObjectVersions', () => this.client.send(new ListObjectVersionsCommand({
        Bucket: bucket, Prefix: prefix || undefined, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker, MaxKeys: 1000,
      })));
      yield (out.Versions ?? []).filter((v) => v.IsLatest).map((v) => ({
        key: v.Key ?? '', size: v.Size ?? 0, etag: bare(v.ETag), lastModified: v.LastModified?.toISOString() ?? '',
        storageClass: v.StorageClass ?? 'STANDARD', versionId: v.VersionId,
      }));
      keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
      versionIdMarker = out.IsTruncated ? out.NextVersionIdMarker : undefined;
    } while (keyMarker);
  }

  /** Keys under a prefix, following continuation tokens. */
  async listKeys(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const page of this.listObjects(bucket, prefix)) keys.push(...page.map((o) => o.key));
    return keys;
  }

  async putObject(bucket: string, key: string, body: Buffer, contentType: string): Promise<string> {
    return bare((await awsCall('S3 PutObject', () => this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType })))).ETag);
  }

  async createMultipartUpload(bucket: string, key: string, contentType: string): Promise<string> {
    const out = await awsCall('S3 CreateMultipartUpload', () => this.client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType })));
    if (!out.UploadId) throw new Error('S3 CreateMultipartUpload answered without an UploadId');
    return out.UploadId;
  }

  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Buffer): Promise<CompletedPart> {
    const out = await awsCall('S3 UploadPart', () => this.client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body })));
    return { partNumber, etag: out.ETag ?? '' };
  }

  async completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: CompletedPart[]): Promise<string> {
    const out = await awsCall('S3 CompleteMultipartUpload', () => this.client.send(new CompleteMultipartUploadCommand({
      Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
    })));
    return bare(out.ETag);
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    await awsCall('S3 AbortMultipartUpload', () => this.client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })));
  }
}
