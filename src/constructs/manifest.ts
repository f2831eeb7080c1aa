/** Where a batch job's object list comes from: a CSV object, a server-side prefix, or a ManifestFromPrefix. */
import type { ManifestSpec } from '../shared/contract';
import { MANIFEST_FORMAT_CSV } from '../oss/model';
import { invalidProp } from './errors';
import type { ManifestFromPrefix } from './manifest-from-prefix';
import { checkBucket, checkLength, checkObjectKey, requireLiteral } from './validation';

/** A CSV manifest object you maintain (lines `bucket,<url-encoded key>[,versionId]`). */
export interface CsvManifestProps {
  /** Bucket holding the manifest (same region as the job). */
  readonly bucket: string;
  /** Object key of the manifest. */
  readonly key: string;
  /**
   * ETag of the manifest object. When given, it pins the manifest's content: it is part of the
   * job's identity and OSS rejects the job if the object changed.
   * @default - not pinned: editing the object in place does not make a new job
   */
  readonly etag?: string;
  /**
   * Version id of the manifest object (versioned buckets).
   * @default - the current version
   */
  readonly versionId?: string;
  /**
   * Columns of the CSV, in order.
   * @default 'Bucket,Key'
   */
  readonly fields?: string;
}

/** Let OSS generate the manifest from a prefix listing (KeyPrefixManifestGenerator). */
export interface KeyPrefixManifestProps {
  /** Bucket whose objects the job processes. */
  readonly sourceBucket: string;
  /**
   * Only objects whose key starts with this prefix.
   * @default '' (the whole bucket)
   */
  readonly prefix?: string;
}

/** @internal */
export interface BoundManifest {
  readonly spec: ManifestSpec;
  /** What the job identity hashes for the manifest (literals only). */
  readonly identity: unknown;
  /** Terraform reference to a content hash known only at apply time. */
  readonly manifestIdentity?: string;
  /** Extra `triggers_replace` values (references). */
  readonly triggers: unknown[];
}

const FIELDS = /^(Bucket|Key|VersionId|Ignore)(,(Bucket|Key|VersionId|Ignore))*$/;

/** Build with `JobManifest.fromCsv`, `JobManifest.fromKeyPrefix` or `JobManifest.fromManifestFromPrefix`. */
export class JobManifest {
  /** A CSV manifest object that already exists. */
  public static fromCsv(props: CsvManifestProps): JobManifest {
    return new JobManifest((path) => {
      checkBucket(path, 'manifest.bucket', props.bucket);
      checkObjectKey(path, 'manifest.key', props.key);
      checkLength(path, 'manifest.etag', props.etag, 1, 128);
      checkLength(path, 'manifest.versionId', props.versionId, 1, 256);
      const fields = props.fields ?? 'Bucket,Key';
      requireLiteral(path, 'manifest.fields', fields);
      if (!FIELDS.test(fields) || !fields.includes('Bucket') || !fields.includes('Key')) {
        throw invalidProp(path, 'manifest.fields', `must be a comma-separated list of Bucket, Key, VersionId, Ignore that includes Bucket and Key (got "${fields}")`);
      }
      const csv = { bucket: props.bucket, key: props.key, etag: props.etag?.replace(/"/g, ''), versionId: props.versionId, fields, format: MANIFEST_FORMAT_CSV };
      return { spec: { csv }, identity: { csv }, triggers: [] };
    });
  }

  /** Objects under a prefix, listed by OSS when the job starts. */
  public static fromKeyPrefix(props: KeyPrefixManifestProps): JobManifest {
    return new JobManifest((path) => {
      checkBucket(path, 'manifest.sourceBucket', props.sourceBucket);
      checkObjectKey(path, 'manifest.prefix', props.prefix, true);
      const keyPrefix = { sourceBucket: props.sourceBucket, prefix: props.prefix ?? '' };
      return { spec: { keyPrefix }, identity: { keyPrefix }, triggers: [] };
    });
  }

  /** The CSV written at apply time by a `ManifestFromPrefix` construct. */
  public static fromManifestFromPrefix(manifest: ManifestFromPrefix): JobManifest {
    return new JobManifest(() => ({
      spec: {
        csv: {
          bucket: manifest.bucket, key: manifest.key, etag: manifest.etag,
          fields: manifest.includeVersionIds ? 'Bucket,Key,VersionId' : 'Bucket,Key', format: MANIFEST_FORMAT_CSV,
        },
      },
      // The listing is only known at apply time: the job identity covers the manifest construct's
      // own inputs, and the handler folds the content hash in (deriveEffectiveToken).
      identity: { fromPrefix: manifest.manifestToken },
      manifestIdentity: manifest.contentSha256,
      triggers: [manifest.contentSha256],
    }));
  }

  private constructor(private readonly binder: (path: string) => BoundManifest) {}

  /** @internal */
  public _bind(path: string): BoundManifest {
    return this.binder(path);
  }
}
