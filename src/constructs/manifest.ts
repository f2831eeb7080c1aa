/**
 * JobManifest: where a batch job's object list comes from — a CSV object you maintain, a
 * server-side prefix listing (OSS's KeyPrefixManifestGenerator), or a ManifestFromPrefix.
 * Exactly one of the two wire forms (csv / keyPrefix) is produced, by construction.
 */
import { Fn, Token } from 'cdktf';
import type { ManifestSpec } from '../shared/contract';
import { MANIFEST_FORMAT_CSV } from '../oss/model';
import { invalidProp } from './errors';
import type { ManifestFromPrefix } from './manifest-from-prefix';
import { checkBucket, checkObjectKey, isToken, requireLiteral, requireString } from './validation';

/** A CSV manifest object you maintain: one line per object, `bucket,<url-encoded key>[,versionId]`. */
export interface CsvManifestProps {
  /**
   * Bucket holding the manifest.
   *
   * Must be in the job's region. May be a reference to a bucket created in the same stack.
   */
  readonly bucket: string;
  /**
   * Object key of the manifest.
   *
   * 1-1023 bytes, not starting with "/".
   */
  readonly key: string;
  /**
   * ETag of the manifest object, which pins its content.
   *
   * Part of the job identity, so a new ETag makes a new job. May be a reference (e.g. the etag of
   * the object resource that uploads the manifest): its value then counts at apply time.
   * Surrounding quotes are removed.
   * @default - not pinned: editing the object in place does not make a new job
   */
  readonly etag?: string;
  /**
   * Version id of the manifest object.
   *
   * For versioned buckets. Part of the job identity; may be a reference like `etag`.
   * @default - the current version
   */
  readonly versionId?: string;
  /**
   * Columns of the CSV, in order.
   *
   * A comma-separated list of Bucket, Key, VersionId, Ignore that includes Bucket and Key.
   * @default 'Bucket,Key'
   */
  readonly fields?: string;
}

/** Let OSS generate the object list from a prefix listing when the job starts (KeyPrefixManifestGenerator). */
export interface KeyPrefixManifestProps {
  /**
   * Bucket whose objects the job processes.
   *
   * Must be in the job's region. May be a reference to a bucket created in the same stack.
   */
  readonly sourceBucket: string;
  /**
   * Only objects whose key starts with this prefix.
   *
   * Include the trailing "/" to select a folder.
   * @default '' (the whole bucket)
   */
  readonly prefix?: string;
}

/** @internal */
export interface BoundManifest {
  readonly spec: ManifestSpec;
  /** What the job identity hashes for the manifest (tokens become their expressions, identity.ts). */
  readonly identity: unknown;
  /** Terraform reference to a hex content hash known only at apply time. */
  readonly manifestIdentity?: string;
  /** Extra `triggers_replace` values (our own references). */
  readonly triggers: unknown[];
  /** User references held by the manifest's own construct (ManifestFromPrefix), not in `identity`. */
  readonly references: string[];
}

const FIELDS = /^(Bucket|Key|VersionId|Ignore)(,(Bucket|Key|VersionId|Ignore))*$/;

/**
 * The objects a BatchJob processes.
 *
 * Build with `JobManifest.fromCsv`, `JobManifest.fromKeyPrefix` or
 * `JobManifest.fromManifestFromPrefix`: each gives exactly one manifest source, so a job can never
 * have both a manifest and a generator.
 */
export class JobManifest {
  /** A CSV manifest object that already exists (or that another resource of the stack uploads). */
  public static fromCsv(props: CsvManifestProps): JobManifest {
    return new JobManifest((path) => {
      checkBucket(path, 'manifest.bucket', props.bucket, true);
      checkObjectKey(path, 'manifest.key', props.key);
      const etag = checkPinned(path, 'manifest.etag', props.etag, 128);
      const versionId = checkPinned(path, 'manifest.versionId', props.versionId, 256);
      const fields = props.fields ?? 'Bucket,Key';
      requireString(path, 'manifest.fields', fields);
      requireLiteral(path, 'manifest.fields', fields);
      if (!FIELDS.test(fields) || !fields.split(',').includes('Bucket') || !fields.split(',').includes('Key')) {
        throw invalidProp(path, 'manifest.fields', `must be a comma-separated list of Bucket, Key, VersionId, Ignore that includes Bucket and Key (got "${fields}")`);
      }
      const csv = { bucket: props.bucket, key: props.key, etag, versionId, fields, format: MANIFEST_FORMAT_CSV };
      return { spec: { csv }, identity: { csv }, triggers: [], references: [] };
    });
  }

  /** Objects under a prefix, listed by OSS when the job starts. */
  public static fromKeyPrefix(props: KeyPrefixManifestProps): JobManifest {
    return new JobManifest((path) => {
      checkBucket(path, 'manifest.sourceBucket', props.sourceBucket, true);
      checkObjectKey(path, 'manifest.prefix', props.prefix, true);
      const keyPrefix = { sourceBucket: props.sourceBucket, prefix: props.prefix ?? '' };
      return { spec: { keyPrefix }, identity: { keyPrefix }, triggers: [], references: [] };
    });
  }

  /**
   * The CSV written at apply time by a `ManifestFromPrefix` construct.
   *
   * The job's ClientRequestToken (known at synth) covers the manifest construct's inputs; the
   * token sent to OSS also covers the manifest's content hash, so a re-created manifest with other
   * content makes a new job.
   */
  public static fromManifestFromPrefix(manifest: ManifestFromPrefix): JobManifest {
    return new JobManifest(() => ({
      spec: {
        csv: {
          bucket: manifest.bucket, key: manifest.key, etag: manifest.etag,
          fields: manifest.includeVersionIds ? 'Bucket,Key,VersionId' : 'Bucket,Key', format: MANIFEST_FORMAT_CSV,
        },
      },
      // The listing is only known at apply time: the identity covers the manifest construct's own
      // inputs, and the handler folds the content hash in (deriveEffectiveToken).
      identity: { fromPrefix: manifest.manifestToken },
      manifestIdentity: manifest.contentSha256,
      triggers: [manifest.contentSha256],
      references: manifest._references,
    }));
  }

  private constructor(private readonly binder: (path: string) => BoundManifest) {}

  /** Validates against the job that uses it and returns the wire form. @internal */
  public _bind(path: string): BoundManifest {
    return this.binder(path);
  }
}

/** An etag / version id: a literal (quotes stripped, length checked) or a reference taken as is. */
function checkPinned(path: string, prop: string, value: string | undefined, maxLength: number): string | undefined {
  if (value === undefined) return undefined;
  requireString(path, prop, value);
  // A reference's value may carry the quotes HTTP puts around an ETag: Terraform strips them at apply time.
  if (isToken(value)) return Token.asString(Fn.replace(value, Fn.rawString('"'), ''));
  const text = value.replace(/"/g, '');
  if (text.length < 1 || text.length > maxLength) throw invalidProp(path, prop, `must be 1-${maxLength} characters long without quotes (got ${text.length})`);
  return text;
}
