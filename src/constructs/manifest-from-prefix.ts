/**
 * Lists a bucket prefix at apply time and writes the CSV manifest a BatchJob reads. The listing
 * runs once per set of inputs: later applies keep the manifest (and so the job) as it is, and a
 * changed listing makes a new job only when the manifest is re-created (new inputs or rerunToken).
 */
import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { TerraformData } from './private/terraform-data';
import type { ManifestFromPrefixEvent } from '../shared/contract';
import { tokenForSpec } from '../shared/token';
import { invalidProp } from './errors';
import { lookupNumber, lookupString, wireHandler } from './result-wiring';
import {
  checkBucket, checkEndpoint, checkLength, checkObjectKey, checkRegion, requireLiteral, STORAGE_CLASS_NAMES,
} from './validation';

/** Which listed objects go into the manifest. All conditions must hold. */
export interface ManifestFilter {
  /**
   * Keep keys ending with one of these suffixes, e.g. `['.jpg', '.png']`.
   * @default - every key
   */
  readonly suffixes?: string[];
  /**
   * Minimum object size in bytes (inclusive).
   * @default - no minimum
   */
  readonly minSizeBytes?: number;
  /**
   * Maximum object size in bytes (inclusive).
   * @default - no maximum
   */
  readonly maxSizeBytes?: number;
  /**
   * Keep objects modified after this ISO-8601 instant, e.g. `2025-01-01T00:00:00Z`.
   * @default - any time
   */
  readonly modifiedAfter?: string;
  /**
   * Keep objects of these storage classes (Standard, IA, Archive, ColdArchive, DeepColdArchive).
   * @default - every storage class
   */
  readonly storageClasses?: string[];
}

export interface ManifestFromPrefixProps {
  /** Region of the buckets, e.g. `cn-hangzhou`. */
  readonly region: string;
  /**
   * OSS endpoint URL override, e.g. the emulator's `http://127.0.0.1:9000`.
   * @default - https://oss-<region>.aliyuncs.com
   */
  readonly endpoint?: string;
  /**
   * Put the bucket in the URL path instead of the host name.
   * @default - true for IP and localhost endpoints, false otherwise
   */
  readonly pathStyle?: boolean;
  /** Bucket to list. */
  readonly sourceBucket: string;
  /**
   * List only keys under this prefix.
   * @default '' (the whole bucket)
   */
  readonly prefix?: string;
  /** Bucket the CSV manifest is written to (same region as the job). */
  readonly manifestBucket: string;
  /**
   * Object key of the CSV manifest.
   * @default `oss-batch-manifests/<stack>/<construct address>.csv` (stable for this construct)
   */
  readonly manifestKey?: string;
  /**
   * Which listed objects to keep.
   * @default - every object under the prefix
   */
  readonly filter?: ManifestFilter;
  /**
   * Write `bucket,key,versionId` lines for the current version of every object (versioned buckets).
   * @default false
   */
  readonly includeVersionIds?: boolean;
  /**
   * Change this to list the prefix again (and so run jobs built on this manifest again).
   * @default - none
   */
  readonly rerunToken?: string;
}

export class ManifestFromPrefix extends Construct {
  /** Bucket of the manifest object. */
  public readonly bucket: string;
  /** Key of the manifest object. */
  public readonly key: string;
  /** Whether the manifest lines carry version ids. */
  public readonly includeVersionIds: boolean;
  /** Hash of this construct's normalized inputs. */
  public readonly manifestToken: string;
  private readonly result: TerraformData;

  constructor(scope: Construct, id: string, props: ManifestFromPrefixProps) {
    super(scope, id);
    const path = this.node.path;
    checkRegion(path, props.region);
    checkEndpoint(path, props.endpoint);
    checkBucket(path, 'sourceBucket', props.sourceBucket);
    checkBucket(path, 'manifestBucket', props.manifestBucket);
    checkObjectKey(path, 'prefix', props.prefix, true);
    checkObjectKey(path, 'manifestKey', props.manifestKey);
    checkLength(path, 'rerunToken', props.rerunToken, 1, 64);
    requireLiteral(path, 'pathStyle', props.pathStyle);
    requireLiteral(path, 'includeVersionIds', props.includeVersionIds);
    const filter = normalizeFilter(path, props.filter ?? {});

    this.bucket = props.manifestBucket;
    this.key = props.manifestKey ?? `oss-batch-manifests/${TerraformStack.of(this).node.id}/${this.node.addr}.csv`;
    this.includeVersionIds = props.includeVersionIds ?? false;
    const connection = { region: props.region.replace(/^oss-/, ''), endpoint: props.endpoint, pathStyle: props.pathStyle };
    const identity = {
      connection, sourceBucket: props.sourceBucket, prefix: props.prefix ?? '', manifestBucket: this.bucket, manifestKey: this.key,
      filter, includeVersionIds: this.includeVersionIds, rerunToken: props.rerunToken,
    };
    this.manifestToken = tokenForSpec(identity);
    const event: ManifestFromPrefixEvent = {
      kind: 'manifest-from-prefix', name: path, token: this.manifestToken, ...identity,
    };
    delete (event as { rerunToken?: string }).rerunToken;
    // Deleting a manifest retains the object, so there is no destroy-time step.
    this.result = wireHandler(this, event, [this.manifestToken], false).result;
  }

  /** ETag of the written manifest (known after apply). */
  public get etag(): string {
    return lookupString(this.result.outputRef, 'etag');
  }

  /** Number of objects in the manifest (known after apply). */
  public get objectCount(): number {
    return lookupNumber(this.result.outputRef, 'objectCount');
  }

  /** SHA-256 (hex) of the manifest content (known after apply). */
  public get contentSha256(): string {
    return lookupString(this.result.outputRef, 'contentSha256');
  }
}

function normalizeFilter(path: string, filter: ManifestFilter): ManifestFromPrefixEvent['filter'] {
  const suffixes = [...(filter.suffixes ?? [])].sort();
  for (const s of suffixes) {
    requireLiteral(path, 'filter.suffixes', s);
    if (!s) throw invalidProp(path, 'filter.suffixes', 'must not contain an empty suffix');
  }
  for (const [prop, value] of [['filter.minSizeBytes', filter.minSizeBytes], ['filter.maxSizeBytes', filter.maxSizeBytes]] as const) {
    if (value === undefined) continue;
    requireLiteral(path, prop, value);
    if (!Number.isSafeInteger(value) || value < 0) throw invalidProp(path, prop, `must be a whole number of bytes ≥ 0 (got ${value})`);
  }
  if (filter.minSizeBytes !== undefined && filter.maxSizeBytes !== undefined && filter.minSizeBytes > filter.maxSizeBytes) {
    throw invalidProp(path, 'filter.minSizeBytes', `must not exceed filter.maxSizeBytes (${filter.minSizeBytes} > ${filter.maxSizeBytes})`);
  }
  let modifiedAfter: string | undefined;
  if (filter.modifiedAfter !== undefined) {
    requireLiteral(path, 'filter.modifiedAfter', filter.modifiedAfter);
    const ms = Date.parse(filter.modifiedAfter);
    if (!/^\d{4}-\d{2}-\d{2}/.test(filter.modifiedAfter) || Number.isNaN(ms)) {
      throw invalidProp(path, 'filter.modifiedAfter', `must be an ISO-8601 date-time such as 2025-01-01T00:00:00Z (got "${filter.modifiedAfter}")`);
    }
    modifiedAfter = new Date(ms).toISOString();
  }
  const storageClasses = [...new Set(filter.storageClasses ?? [])].sort();
  for (const c of storageClasses) {
    if (!STORAGE_CLASS_NAMES.includes(c)) throw invalidProp(path, 'filter.storageClasses', `must contain only ${STORAGE_CLASS_NAMES.join(', ')} (got "${c}")`);
  }
  return { suffixes, minSizeBytes: filter.minSizeBytes, maxSizeBytes: filter.maxSizeBytes, modifiedAfter, storageClasses };
}
