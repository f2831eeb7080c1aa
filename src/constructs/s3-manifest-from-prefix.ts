/**
 * S3ManifestFromPrefix: lists an S3 bucket prefix at apply time and writes the CSV manifest an
 * S3BatchJob reads (`S3JobManifest.fromManifestFromPrefix`). The S3 twin of ManifestFromPrefix.
 */
import type { Construct } from 'constructs';
import { S3_HANDLER_ENTRY_FILE } from '../shared/contract';
import { checkS3PrefixManifestIdentity } from '../shared/s3-identity';
import { _ManifestConstruct } from './private/handler-construct';
import type { _PrefixManifestCommonProps } from './shared-props';

/** Props of an S3ManifestFromPrefix. */
export interface S3ManifestFromPrefixProps extends _PrefixManifestCommonProps {
  /**
   * AWS region of the buckets.
   *
   * A region id such as `us-east-1`; use the job's region. May be a reference.
   */
  readonly region: string;
  /**
   * S3 endpoint URL override.
   *
   * An http or https URL, e.g. the emulator's `http://127.0.0.1:9000`. Not identity: changing it
   * never lists again. `S3_ENDPOINT` in Terraform's environment overrides it at apply time.
   * @default - $S3_ENDPOINT at apply time, else the region's S3 endpoint
   */
  readonly endpoint?: string | undefined;
  /**
   * Bucket the CSV manifest is written to.
   *
   * May be a reference to a bucket created in the same stack.
   */
  readonly manifestBucket: string;
  /**
   * Key prefix of the CSV manifest object.
   *
   * The manifest is written to `<manifestPrefix><SHA-256 of its content>.csv`: content-addressed,
   * so two apps (or stacks of the same name) never overwrite each other's manifest, and a listing
   * with the same result writes the same object.
   * @default 's3-batch-manifests/'
   */
  readonly manifestPrefix?: string | undefined;
  /**
   * List the prefix again on purpose.
   *
   * 1-64 printable ASCII characters. Changing it re-creates the manifest, and so makes a new job
   * for every S3BatchJob built on it.
   * @default - none: the listing runs once per set of inputs
   */
  readonly rerunToken?: string | undefined;
}

/**
 * A CSV manifest for an S3BatchJob, built at apply time from an S3 bucket listing (prefix plus
 * filter): for filters S3's own manifest generator (`S3JobManifest.fromGenerator`) does not have,
 * and for a manifest object that stays as a record of what the job processed.
 *
 * The listing runs once per identity (region, buckets, prefix, filter, includeVersionIds,
 * manifestPrefix, rerunToken): later applies keep the manifest, and so the jobs built on it, as
 * they are. **Objects added under the prefix later are not picked up** until the manifest is
 * re-created by a changed identity prop or `rerunToken`. The manifest object's key is the SHA-256
 * of its content; a job built on it is identified by that key and its ETag. `endpoint` and
 * `pathStyle` are not identity. Every identity prop may be a Terraform reference.
 */
export class S3ManifestFromPrefix extends _ManifestConstruct {
  constructor(scope: Construct, id: string, props: S3ManifestFromPrefixProps) {
    super(scope, id);
    this._wireListing('s3-manifest-from-prefix', props, checkS3PrefixManifestIdentity, S3_HANDLER_ENTRY_FILE);
  }
}
