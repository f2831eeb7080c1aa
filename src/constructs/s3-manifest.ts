/**
 * S3JobManifest: where an S3BatchJob's object list comes from — a CSV object you maintain, an S3
 * Inventory report, S3's own manifest generator over a prefix, or an S3ManifestFromPrefix. Exactly
 * one form is produced, by construction; the values are checked by the shared S3 rules
 * (src/shared/s3-identity.ts) against the job that uses the manifest.
 */
import { Fn, Token } from 'cdktf';
import type { S3ManifestSpec } from '../shared/s3-identity';
import type { S3ManifestFromPrefix } from './s3-manifest-from-prefix';
import { isDeferred } from './validation';

/** A CSV manifest object you maintain: one line per object, `bucket,<url-encoded key>[,versionId]` (S3BatchOperations_CSV_20180820). */
export interface S3CsvManifestProps {
  /**
   * Bucket holding the manifest.
   *
   * May be a reference to a bucket created in the same stack.
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
   * the `aws_s3_object` that uploads the manifest): its value then counts at apply time.
   * Surrounding quotes are removed.
   * @default - not pinned: the handler reads the current ETag with HeadObject at apply (S3 Control
   * requires one), and editing the object in place does not make a new job
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
   * The CSV has a third column with the version id of each object.
   *
   * Columns `Bucket,Key,VersionId` instead of `Bucket,Key`. May be a reference.
   * @default false
   */
  readonly includesVersionIds?: boolean | undefined;
}

/** An S3 Inventory report's `manifest.json` (CSV format). */
export interface S3InventoryReportManifestProps {
  /**
   * Bucket holding the inventory's files.
   *
   * The inventory's destination bucket. May be a reference.
   */
  readonly bucket: string;
  /**
   * Key of the inventory's `manifest.json`.
   *
   * E.g. `inventory/photos/daily/2026-12-01T01-00Z/manifest.json`; it names the CSV data files that
   * list the objects. May be a reference.
   */
  readonly manifestKey: string;
  /**
   * ETag of `manifest.json`, which pins one inventory run.
   *
   * Part of the job identity when given. Surrounding quotes are removed.
   * @default - not pinned: the handler reads the current ETag with HeadObject at apply
   */
  readonly etag?: string | undefined;
}

/** Let S3 list the objects when the job starts (S3JobManifestGenerator). */
export interface S3GeneratorManifestProps {
  /**
   * Bucket whose objects the job processes.
   *
   * May be a reference to a bucket created in the same stack.
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

/**
 * The objects an S3BatchJob processes.
 *
 * Build with `S3JobManifest.fromCsv`, `fromInventoryReport`, `fromGenerator` or
 * `fromManifestFromPrefix`: each gives exactly one manifest source. Every value may be a Terraform
 * reference.
 */
export class S3JobManifest {
  /** A CSV manifest object that already exists (or that another resource of the stack uploads). */
  public static fromCsv(props: S3CsvManifestProps): S3JobManifest {
    return new S3JobManifest({
      csv: { bucket: props?.bucket, key: props?.key, etag: props?.etag, versionId: props?.versionId, fields: csvFields(props?.includesVersionIds) },
    });
  }

  /**
   * The objects listed by an S3 Inventory report (format `S3InventoryReport_CSV_20161130`).
   *
   * Inventories of millions of objects need no listing at apply time.
   */
  public static fromInventoryReport(props: S3InventoryReportManifestProps): S3JobManifest {
    return new S3JobManifest({ inventory: { bucket: props?.bucket, manifestKey: props?.manifestKey, etag: props?.etag } });
  }

  /**
   * Objects under a prefix, listed by S3 when the job starts (S3JobManifestGenerator).
   *
   * No manifest object to keep; the objects are whatever the prefix holds when the job starts.
   */
  public static fromGenerator(props: S3GeneratorManifestProps): S3JobManifest {
    return new S3JobManifest({ generator: { sourceBucket: props?.sourceBucket, prefix: props?.prefix } });
  }

  /**
   * The CSV written at apply time by an `S3ManifestFromPrefix` construct.
   *
   * The same as `fromCsv` with the manifest's bucket, key and ETag, which are known after the
   * listing ran: the job's ClientRequestToken is computed at apply, and a re-created manifest with
   * other content (a new content-addressed key) makes a new job.
   */
  public static fromManifestFromPrefix(manifest: S3ManifestFromPrefix): S3JobManifest {
    return new S3JobManifest({ csv: { bucket: manifest.bucket, key: manifest.key, etag: manifest.etag, fields: manifest._csvFields } });
  }

  private constructor(private readonly spec: Partial<Record<keyof S3ManifestSpec, unknown>>) {}

  /** The manifest in the job's identity form, checked by the shared rules against that job. @internal */
  public _bind(_path: string): Record<string, unknown> {
    return this.spec;
  }
}

/** The CSV columns; for a referenced flag, a Terraform conditional that resolves to the right one. */
function csvFields(includesVersionIds: boolean | undefined): string | undefined {
  if (includesVersionIds === undefined || includesVersionIds === null) return undefined;
  if (isDeferred(includesVersionIds)) return Token.asString(Fn.conditional(includesVersionIds, 'Bucket,Key,VersionId', 'Bucket,Key'));
  // A non-boolean literal goes through as it is: the shared check names it.
  return includesVersionIds === true ? 'Bucket,Key,VersionId' : includesVersionIds === false ? 'Bucket,Key' : (includesVersionIds as unknown as string);
}
