/** Enums of the public API; their values are the wire values of the OSS Batch Operations API. */

/** Object ACL set by `BatchOperation.putObjectAcl` (CreateJob doc: ObjectAcl). */
export enum ObjectAcl {
  /** Inherit the bucket's ACL. */
  DEFAULT = 'default',
  /** Only the owner and authorized users may read or write the object. */
  PRIVATE = 'private',
  /** Anyone may read the object; only the owner and authorized users may write it. */
  PUBLIC_READ = 'public-read',
  /** Anyone may read and write the object: rarely what you want. */
  PUBLIC_READ_WRITE = 'public-read-write',
}

/** Restore priority for `BatchOperation.restoreObject`. */
export enum RestoreTier {
  /** Fastest, most expensive. */
  EXPEDITED = 'Expedited',
  /** The service default. */
  STANDARD = 'Standard',
  /** Slowest, cheapest. */
  BULK = 'Bulk',
}

/** Which tasks the completion report lists. */
export enum ReportScope {
  /** Every task, succeeded or failed. */
  ALL_TASKS = 'AllTasks',
  /** Only failed tasks. */
  FAILED_TASKS_ONLY = 'FailedTasksOnly',
}

/** What `terraform destroy` (or a replacement after a spec change) does with the job. Jobs cannot be deleted in OSS. */
export enum DeletionBehavior {
  /** Leave the job as it is: a finished job is history, a running one keeps running. */
  RETAIN = 'retain',
  /** Cancel the job if it is still running, and wait until it is Cancelled. */
  CANCEL = 'cancel',
}
