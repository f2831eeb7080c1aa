/**
 * Props that the OSS and S3 constructs share, with one text each. Internal: jsii erases these
 * bases and copies their members into each public props interface (BatchJobProps and
 * S3BatchJobProps, ManifestFromPrefixProps and S3ManifestFromPrefixProps).
 */
import type { ManifestFilter } from './manifest-filter';

/**
 * What every job has besides its backend's identity props: priority, description, the settings
 * of how apply runs, and the path style of the connection.
 * @internal
 */
export interface _JobCommonProps {
  /**
   * Job priority.
   *
   * An integer from 0 to 2147483647; jobs with a higher priority run first.
   */
  readonly priority: number;
  /**
   * Description shown in job listings.
   *
   * At most 256 characters.
   * @default ''
   */
  readonly description?: string | undefined;
  /**
   * Confirm the Suspended job automatically during apply.
   *
   * Only meaningful with `confirmationRequired`: without it the job never waits for confirmation,
   * so `autoConfirm` is accepted and does nothing. Not part of the job identity.
   * @default false
   */
  readonly autoConfirm?: boolean | undefined;
  /**
   * Wait until the job is finished and verified.
   *
   * When false, apply returns once the job exists, and the attributes show the status at that time.
   * @default true
   */
  readonly waitForCompletion?: boolean | undefined;
  /**
   * How long apply waits for the job, in seconds.
   *
   * 1 to 604800 (7 days). On timeout apply fails; the next apply resumes waiting for the same job.
   * @default 3600
   */
  readonly timeoutSeconds?: number | undefined;
  /**
   * Failed tasks tolerated before the deployment fails.
   *
   * An integer ≥ 0. A job with more failed tasks fails the apply and lists the first failures.
   * @default 0
   */
  readonly maxFailedTasks?: number | undefined;
  /**
   * Run the same job again on purpose.
   *
   * 1-64 printable ASCII characters that salt the ClientRequestToken; change the value to create a
   * new job with the same spec (e.g. after a verification failure you have fixed).
   * @default - none: the same spec is the same job
   */
  readonly rerunToken?: string | undefined;
  /**
   * Put the bucket in the URL path instead of the host name.
   *
   * A transport detail: not part of the job identity.
   * @default - decided by the client: true for IP and localhost endpoints, false otherwise
   */
  readonly pathStyle?: boolean | undefined;
}

/**
 * What every prefix manifest has besides its backend's region, endpoint and manifest location.
 * @internal
 */
export interface _PrefixManifestCommonProps {
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
}
