/**
 * ManifestFilter (public props). Its normalization (sorted, de-duplicated lists, canonical
 * instants, so equivalent filters give the same manifest identity) is the shared `checkFilter`
 * (src/shared/identity.ts), which the handler runs again on referenced values at apply.
 */

/** Which listed objects go into the manifest. All given conditions must hold; every value may be a reference. */
export interface ManifestFilter {
  /**
   * Keep keys ending with one of these suffixes.
   *
   * E.g. `['.jpg', '.png']`; the comparison is case-sensitive, as OSS and S3 keys are.
   * @default - every key
   */
  readonly suffixes?: string[] | undefined;
  /**
   * Minimum object size in bytes (inclusive).
   *
   * A whole number ≥ 0, at most `maxSizeBytes`.
   * @default - no minimum
   */
  readonly minSizeBytes?: number | undefined;
  /**
   * Maximum object size in bytes (inclusive).
   *
   * A whole number ≥ 0, at least `minSizeBytes`.
   * @default - no maximum
   */
  readonly maxSizeBytes?: number | undefined;
  /**
   * Keep objects last modified after this instant.
   *
   * An ISO-8601 date (midnight UTC) or a date-time with its zone, e.g. `2025-01-01T00:00:00Z`.
   * @default - any time
   */
  readonly modifiedAfter?: string | undefined;
  /**
   * Keep objects of these storage classes.
   *
   * For a ManifestFromPrefix (OSS): any of Standard, IA, Archive, ColdArchive, DeepColdArchive. For
   * an S3ManifestFromPrefix: S3's names as ListObjectsV2 reports them, any of STANDARD, STANDARD_IA,
   * ONEZONE_IA, INTELLIGENT_TIERING, GLACIER, DEEP_ARCHIVE, GLACIER_IR, REDUCED_REDUNDANCY,
   * OUTPOSTS, SNOW, EXPRESS_ONEZONE.
   * @default - every storage class
   */
  readonly storageClasses?: string[] | undefined;
}
