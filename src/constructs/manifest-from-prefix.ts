/**
 * ManifestFromPrefix: lists a bucket prefix at apply time and writes the CSV manifest a BatchJob
 * reads (`JobManifest.fromManifestFromPrefix`).
 */
import type { Construct } from 'constructs';
import { HANDLER_ENTRY_FILE } from '../shared/contract';
import { checkPrefixManifestIdentity } from '../shared/identity';
import { _ManifestConstruct } from './private/handler-construct';
import type { _PrefixManifestCommonProps } from './shared-props';

/** Props of a ManifestFromPrefix. */
export interface ManifestFromPrefixProps extends _PrefixManifestCommonProps {
  /**
   * Region of the buckets.
   *
   * A region id such as `cn-hangzhou`; use the job's region.
   */
  readonly region: string;
  /**
   * OSS endpoint URL override.
   *
   * An http or https URL, e.g. the emulator's `http://127.0.0.1:9000`.
   * @default - https://oss-<region>.aliyuncs.com
   */
  readonly endpoint?: string | undefined;
  /**
   * Bucket the CSV manifest is written to.
   *
   * Must be in the job's region. May be a reference to a bucket created in the same stack.
   */
  readonly manifestBucket: string;
  /**
   * Key prefix of the CSV manifest object.
   *
   * The manifest is written to `<manifestPrefix><SHA-256 of its content>.csv`: content-addressed,
   * so two apps (or stacks of the same name) never overwrite each other's manifest, and a listing
   * with the same result writes the same object.
   * @default 'oss-batch-manifests/'
   */
  readonly manifestPrefix?: string | undefined;
  /**
   * List the prefix again on purpose.
   *
   * 1-64 printable ASCII characters. Changing it re-creates the manifest, and so makes a new job
   * for every BatchJob built on it.
   * @default - none: the listing runs once per set of inputs
   */
  readonly rerunToken?: string | undefined;
}

/**
 * A CSV manifest built at apply time from a bucket listing (prefix plus filter).
 *
 * The listing runs once per identity (region, buckets, prefix, filter, includeVersionIds,
 * manifestPrefix, rerunToken): later applies keep the manifest, and so the jobs built on it, as
 * they are. **Objects added under the prefix later are not picked up** until the manifest is
 * re-created by a changed identity prop or `rerunToken`. The manifest object's key is the SHA-256
 * of its content; a job built on it (`JobManifest.fromManifestFromPrefix`) is identified by that
 * key and its ETag, so a re-created manifest with other content makes a new job and one with the
 * same content does not. `endpoint` and `pathStyle` are not identity. Every identity prop may be a
 * Terraform reference.
 */
export class ManifestFromPrefix extends _ManifestConstruct {
  constructor(scope: Construct, id: string, props: ManifestFromPrefixProps) {
    super(scope, id);
    this._wireListing('manifest-from-prefix', props, checkPrefixManifestIdentity, HANDLER_ENTRY_FILE);
  }
}
