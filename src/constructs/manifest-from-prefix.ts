/**
 * ManifestFromPrefix: lists a bucket prefix at apply time and writes the CSV manifest a BatchJob
 * reads (`JobManifest.fromManifestFromPrefix`).
 */
import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import type { ManifestFromPrefixEvent } from '../shared/contract';
import { tokenForSpec } from '../shared/token';
import { identityConnection, normalizeConnection } from './batch-job-spec';
import { ManifestFilter, normalizeFilter } from './manifest-filter';
import { eventInput } from './private/event-json';
import { synthIdentity } from './private/identity';
import { TerraformData } from './private/terraform-data';
import { lookupNumber, lookupString, wireHandler } from './result-wiring';
import { checkBucket, checkLength, checkObjectKey, checkPrintable, requireLiteral } from './validation';


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
  readonly endpoint?: string;
  /**
   * Put the bucket in the URL path instead of the host name.
   *
   * A transport detail: not part of the manifest identity.
   * @default - decided by the client: true for IP and localhost endpoints, false otherwise
   */
  readonly pathStyle?: boolean;
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
  readonly prefix?: string;
  /**
   * Bucket the CSV manifest is written to.
   *
   * Must be in the job's region. May be a reference to a bucket created in the same stack.
   */
  readonly manifestBucket: string;
  /**
   * Object key of the CSV manifest.
   *
   * 1-1023 bytes, not starting with "/". The default is stable for this construct, so re-creating
   * the manifest overwrites the same object.
   * @default `oss-batch-manifests/<stack name>/<construct address>.csv`
   */
  readonly manifestKey?: string;
  /**
   * Which listed objects to keep.
   *
   * All given conditions must hold.
   * @default - every object under the prefix
   */
  readonly filter?: ManifestFilter;
  /**
   * Write the current version id of every object into the manifest.
   *
   * For versioned buckets: lines become `bucket,key,versionId`, so the job acts on exactly the
   * listed versions even if objects are overwritten before it runs.
   * @default false
   */
  readonly includeVersionIds?: boolean;
  /**
   * List the prefix again on purpose.
   *
   * 1-64 printable ASCII characters. Changing it re-creates the manifest, and so makes a new job
   * for every BatchJob built on it.
   * @default - none: the listing runs once per set of inputs
   */
  readonly rerunToken?: string;
}

/**
 * A CSV manifest built at apply time from a bucket listing (prefix plus filter).
 *
 * The listing runs once per set of inputs: later applies keep the manifest, and so its jobs, as
 * they are. Objects added under the prefix later are picked up only when the manifest is
 * re-created (a changed input or `rerunToken`). A job built on it is identified by this
 * construct's inputs at synth and by the manifest's content hash at apply time, so a re-created
 * manifest with other content makes a new job, and one with the same content does not.
 */
export class ManifestFromPrefix extends Construct {
  /** Bucket of the manifest object (the `manifestBucket` prop). */
  public readonly bucket: string;
  /** Key of the manifest object (the `manifestKey` prop or its default), known at synth. */
  public readonly key: string;
  /** Whether the manifest lines carry version ids. */
  public readonly includeVersionIds: boolean;
  /** Hash of this construct's normalized inputs (its identity at synth). */
  public readonly manifestToken: string;
  private readonly result: TerraformData;
  private readonly references: string[];

  constructor(scope: Construct, id: string, props: ManifestFromPrefixProps) {
    super(scope, id);
    const path = this.node.path;
    const connection = normalizeConnection(path, props);
    checkBucket(path, 'sourceBucket', props.sourceBucket, true);
    checkBucket(path, 'manifestBucket', props.manifestBucket, true);
    checkObjectKey(path, 'prefix', props.prefix, true);
    checkObjectKey(path, 'manifestKey', props.manifestKey);
    checkLength(path, 'rerunToken', props.rerunToken, 1, 64);
    checkPrintable(path, 'rerunToken', props.rerunToken);
    requireLiteral(path, 'includeVersionIds', props.includeVersionIds);
    const filter = normalizeFilter(path, props.filter ?? {});

    this.bucket = props.manifestBucket;
    this.key = props.manifestKey ?? `oss-batch-manifests/${TerraformStack.of(this).node.id}/${this.node.addr}.csv`;
    this.includeVersionIds = props.includeVersionIds ?? false;
    const inputs = {
      sourceBucket: props.sourceBucket, prefix: props.prefix ?? '', manifestBucket: this.bucket, manifestKey: this.key,
      filter, includeVersionIds: this.includeVersionIds,
    };
    const identity = synthIdentity(this, { ...inputs, connection: identityConnection(connection), rerunToken: props.rerunToken });
    this.manifestToken = tokenForSpec(identity.value);
    this.references = identity.references;
    const event: ManifestFromPrefixEvent = { kind: 'manifest-from-prefix', name: path, token: this.manifestToken, connection, ...inputs };
    this.result = wireHandler(this, {
      input: eventInput(event, this.references),
      triggersReplace: [this.manifestToken, ...this.references],
      // Destroying a manifest keeps the object (a job may still read it): nothing to run.
      withDeleteStep: false,
    }).result;
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

  /** References among the inputs (e.g. a bucket from another resource). @internal */
  public get _references(): string[] {
    return [...this.references];
  }
}
