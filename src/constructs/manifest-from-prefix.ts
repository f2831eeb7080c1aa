/**
 * ManifestFromPrefix: lists a bucket prefix at apply time and writes the CSV manifest a BatchJob
 * reads (`JobManifest.fromManifestFromPrefix`).
 */
import { Construct } from 'constructs';
import { EVENT_FORMAT, ManifestFromPrefixEvent } from '../shared/contract';
import { checkPrefixManifestIdentity, PrefixManifestIdentity } from '../shared/identity';
import { checkConnection } from '../shared/settings';
import { invalidProp } from './errors';
import type { ManifestFilter } from './manifest-filter';
import { terraformJson } from './private/event-json';
import { assertFramework } from './private/framework';
import { TerraformData } from './private/terraform-data';
import { lookupNumber, lookupString, wireHandler } from './result-wiring';
import { isDeferred, synthChecks } from './validation';

/** Props of a ManifestFromPrefix. */
export interface ManifestFromPrefixProps {
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
   * Put the bucket in the URL path instead of the host name.
   *
   * A transport detail: not part of the manifest identity.
   * @default - decided by the client: true for IP and localhost endpoints, false otherwise
   */
  readonly pathStyle?: boolean | undefined;
  /**
   * Bucket to list.
   *
   * May be a reference to a bucket created in the same stack.
   */
  readonly sourceBucket: string;
  /**
   * List only keys under this prefix.
   *
   * Include the trailing "/" to list a folder (`raw/`); `raw` also matches `raw-old/x`.
   * @default '' (the whole bucket)
   */
  readonly prefix?: string | undefined;
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
   * Which listed objects to keep.
   *
   * All given conditions must hold.
   * @default - every object under the prefix
   */
  readonly filter?: ManifestFilter | undefined;
  /**
   * Write the current version id of every object into the manifest.
   *
   * For versioned buckets: lines become `bucket,key,versionId`, so the job acts on exactly the
   * listed versions even if objects are overwritten before it runs.
   * @default false
   */
  readonly includeVersionIds?: boolean | undefined;
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
export class ManifestFromPrefix extends Construct {
  private readonly result: TerraformData;
  private readonly identity: PrefixManifestIdentity;

  constructor(scope: Construct, id: string, props: ManifestFromPrefixProps) {
    super(scope, id);
    assertFramework(this);
    const path = this.node.path;
    if (!props || typeof props !== 'object') throw invalidProp(path, 'props', 'are required');
    const checks = synthChecks(path);
    this.identity = checkPrefixManifestIdentity(checks, { ...props });
    const event: ManifestFromPrefixEvent = {
      kind: 'manifest-from-prefix', format: EVENT_FORMAT, name: path, identity: this.identity, connection: checkConnection(checks, { ...props }),
    };
    const identityJson = terraformJson(this.identity);
    this.result = wireHandler(this, {
      input: terraformJson({ ...event, identity: identityJson }).text,
      triggersReplace: identityJson.text,
      // Destroying a manifest keeps the object (a job may still read it): nothing to run.
      withDeleteStep: false,
    }).result;
  }

  /** Bucket of the manifest object (the `manifestBucket` prop). */
  public get bucket(): string {
    return this.identity.manifestBucket;
  }

  /** Key of the manifest object, `<manifestPrefix><content SHA-256>.csv` (Terraform reference, known after apply). */
  public get key(): string {
    return lookupString(this.result.outputRef, 'key');
  }

  /** ETag of the written manifest object (Terraform reference, known after apply). */
  public get etag(): string {
    return lookupString(this.result.outputRef, 'etag');
  }

  /** Number of objects in the manifest (Terraform reference, known after apply). */
  public get objectCount(): number {
    return lookupNumber(this.result.outputRef, 'objectCount');
  }

  /** SHA-256 (hex) of the manifest content (Terraform reference, known after apply). */
  public get contentSha256(): string {
    return lookupString(this.result.outputRef, 'contentSha256');
  }

  /** The CSV's columns, `Bucket,Key` or `Bucket,Key,VersionId` (known after apply when includeVersionIds is a reference). @internal */
  public get _csvFields(): string {
    const withVersions = this.identity.includeVersionIds;
    if (isDeferred(withVersions)) return lookupString(this.result.outputRef, 'fields');
    return withVersions ? 'Bucket,Key,VersionId' : 'Bucket,Key';
  }
}
