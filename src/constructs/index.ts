// The public API (jsii): constructs, their props, the operation/manifest factories and the enums.
export { BatchJob, BatchJobProps, JobReportProps } from './batch-job';
export { DeletionBehavior, ObjectAcl, ReportScope, RestoreTier } from './enums';
export { CsvManifestProps, InventoryReportManifestProps, JobManifest, KeyPrefixManifestProps } from './manifest';
export { ManifestFilter } from './manifest-filter';
export { ManifestFromPrefix, ManifestFromPrefixProps } from './manifest-from-prefix';
export { BatchOperation, RestoreObjectOptions } from './operation';
// AWS S3 Batch Operations: the same model over S3 Control, run by the S3 handler bundle.
export { S3BatchJob, S3BatchJobProps, S3JobReportProps } from './s3-batch-job';
export { S3CannedAcl, S3RestoreTier, S3StorageClass } from './s3-enums';
export { S3CsvManifestProps, S3GeneratorManifestProps, S3InventoryReportManifestProps, S3JobManifest } from './s3-manifest';
export { S3ManifestFromPrefix, S3ManifestFromPrefixProps } from './s3-manifest-from-prefix';
export { S3BatchOperation, S3CopyOptions, S3RestoreOptions } from './s3-operation';
