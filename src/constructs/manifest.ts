/**
 * JobManifest: where a batch job's object list comes from — a CSV object you maintain, a bucket
 * inventory, a server-side prefix listing (OSS's KeyPrefixManifestGenerator), or a
 * ManifestFromPrefix. Exactly one wire form is produced, by construction; the values are checked
 * by the shared identity rules (src/shared/identity.ts) against the job that uses the manifest.
 */
import type { ManifestFromPrefix } from './manifest-from-prefix';

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
  readonly etag?: string | undefined;
  /**
   * Version id of the manifest object.
   *
   * For versioned buckets. Part of the job identity; may be a reference like `etag`.
   * @default - the current version
   */
  readonly versionId?: string | undefined;
  /**
   * Columns of the CSV, in order.
   *
   * A comma-separated list of Bucket, Key, VersionId, Ignore that includes Bucket and Key.
   * @default 'Bucket,Key'
   */
  readonly fields?: string | undefined;
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
  readonly prefix?: string | undefined;
}

/** A bucket inventory's `manifest.json` (OSS bucket inventory in CSV format). */
export interface InventoryReportManifestProps {
  /**
   * Bucket holding the inventory's files.
   *
   * The inventory's destination bucket; must be in the job's region. May be a reference.
   */
  readonly bucket: string;
  /**
   * Key of the inventory's `manifest.json`.
   *
   * E.g. `inventory/photos/daily/2026-12-01T00-00Z/manifest.json`; it names the CSV data files that
   * list the objects. May be a reference.
   */
  readonly manifestKey: string;
  /**
   * ETag of `manifest.json`, which pins one inventory run.
   *
   * Part of the job identity. Surrounding quotes are removed.
   * @default - not pinned
   */
  readonly etag?: string | undefined;
}

/**
 * The objects a BatchJob processes.
 *
 * Build with `JobManifest.fromCsv`, `fromKeyPrefix`, `fromInventoryReport` or
 * `fromManifestFromPrefix`: each gives exactly one manifest source, so a job can never have both a
 * manifest and a generator. Every value may be a Terraform reference.
 */
export class JobManifest {
  /** A CSV manifest object that already exists (or that another resource of the stack uploads). */
  public static fromCsv(props: CsvManifestProps): JobManifest {
    return new JobManifest({ csv: { bucket: props?.bucket, key: props?.key, etag: props?.etag, versionId: props?.versionId, fields: props?.fields } });
  }

  /** Objects under a prefix, listed by OSS when the job starts. */
  public static fromKeyPrefix(props: KeyPrefixManifestProps): JobManifest {
    return new JobManifest({ keyPrefix: { sourceBucket: props?.sourceBucket, prefix: props?.prefix } });
  }

  /**
   * The objects listed by a bucket inventory (format `OSS_InventoryReport_CSV_20250611`).
   *
   * OSS reads `manifest.json` and the CSV data files it names (docs/identity.md says what layout
   * is assumed). Inventories of millions of objects need no listing at apply time.
   */
  public static fromInventoryReport(props: InventoryReportManifestProps): JobManifest {
    return new JobManifest({ inventory: { bucket: props?.bucket, manifestKey: props?.manifestKey, etag: props?.etag } });
  }

  /**
   * The CSV written at apply time by a `ManifestFromPrefix` construct.
   *
   * The same as `fromCsv` with the manifest's bucket, key and ETag, which are known after the
   * listing ran: the job's ClientRequestToken is computed at apply, and a re-created manifest with
   * other content (a new content-addressed key) makes a new job.
   */
  public static fromManifestFromPrefix(manifest: ManifestFromPrefix): JobManifest {
    return new JobManifest({ csv: { bucket: manifest.bucket, key: manifest.key, etag: manifest.etag, fields: manifest._csvFields } });
  }

  private constructor(private readonly spec: Record<string, unknown>) {}

  /** The manifest in the job's identity form, checked by the shared rules against that job. @internal */
  public _bind(_path: string): Record<string, unknown> {
    return this.spec;
  }
}
