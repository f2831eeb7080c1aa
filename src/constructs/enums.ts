/** Object ACL set by `BatchOperation.putObjectAcl` (CreateJob doc: ObjectAcl). */
export enum ObjectAcl {
  /** Inherit the bucket's ACL. */
  DEFAULT = 'default',
  PRIVATE = 'private',
  PUBLIC_READ = 'public-read',
  PUBLIC_READ_WRITE = 'public-read-write',
}

/** Restore priority for `BatchOperation.restoreObject`. */
export enum RestoreTier {
  EXPEDITED = 'Expedited',
  STANDARD = 'Standard',
  BULK = 'Bulk',
}

/** Which tasks the completion report lists. */
export enum ReportScope {
  ALL_TASKS = 'AllTasks',
  FAILED_TASKS_ONLY = 'FailedTasksOnly',
}

/** What `terraform destroy` (or a replacement) does with the job. Jobs cannot be deleted in OSS. */
export enum DeletionBehavior {
  /** Leave the job as it is (a finished job is history). */
  RETAIN = 'retain',
  /** Cancel the job if it is still running, and wait until it is Cancelled. */
  CANCEL = 'cancel',
}
