// The public API (jsii): constructs, their props, the operation/manifest factories and the enums.
export { BatchJob, BatchJobProps, JobReportProps } from './batch-job';
export { DeletionBehavior, ObjectAcl, ReportScope, RestoreTier } from './enums';
export { CsvManifestProps, InventoryReportManifestProps, JobManifest, KeyPrefixManifestProps } from './manifest';
export { ManifestFilter } from './manifest-filter';
export { ManifestFromPrefix, ManifestFromPrefixProps } from './manifest-from-prefix';
export { BatchOperation, RestoreObjectOptions } from './operation';
