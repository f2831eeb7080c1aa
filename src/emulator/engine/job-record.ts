/** A job as the emulator keeps it (persisted in state.json). */
import type { CreateJobInput, JobFailure, JobOperation, JobStatus } from '../../oss/model';
import type { S3JobExtras } from '../s3control/model';

/**
 * S3 Batch's S3PutObjectCopy as the engine runs it. OSS has no copy operation, so this type lives
 * with the engine and not beside src/oss/model.ts's operations: OSS CreateJob's decoder cannot
 * produce it, only the S3 Control API does.
 */
export interface CopyObjectOperation {
  type: 'CopyObject';
  targetBucket: string;
  /** Put in front of each source key; '' when not given. */
  targetKeyPrefix: string;
  /** The store's storage class of the copies; undefined when not asked (S3 copies are STANDARD then). */
  storageClass?: string;
  /** The store's ACL of the copies ('default': the bucket's). */
  acl: string;
  /** NewObjectTagging; undefined copies the source's tags (S3's default). */
  tags?: { key: string; value: string }[];
}

/** What a task can do: the OSS operations and the engine's own. */
export type EngineOperation = JobOperation | CopyObjectOperation;

export interface JobInput extends Omit<CreateJobInput, 'operation'> {
  operation: EngineOperation;
}

export interface JobRecord<Op extends EngineOperation = EngineOperation> {
  jobId: string;
  clientRequestToken: string;
  /** Canonical JSON hash of the CreateJob body without the token: the idempotency check. */
  bodyHash: string;
  input: JobInput & { operation: Op };
  status: JobStatus;
  statusUpdateReason?: string;
  /** Epoch seconds. */
  creationTime: number;
  terminationDate?: number;
  /** Epoch ms when the job entered Suspended (14-day rule). */
  suspendedAtMs?: number;
  failureReasons: JobFailure[];
  totalTasks: number;
  succeededTasks: number;
  failedTasks: number;
  /** Epoch ms when the current Active span started (unset while not Active). */
  activeSinceMs?: number;
  /** Milliseconds spent Active in earlier spans (before a pause or a restart). */
  activeMsBefore?: number;
  /** Seconds spent Active so far, all spans together. */
  elapsedActiveSeconds: number;
  /** Set for jobs created over S3 Control (src/emulator/s3control): their account, S3 view and report layout. */
  s3?: S3JobExtras;
}

/** A job of the OSS API: created by OSS CreateJob, so its operation is one of OSS's. */
export type OssJobRecord = JobRecord<JobOperation>;

/** OSS jobs are the ones without an S3 part; only S3 Control creates jobs with engine-only operations. */
export function isOssJob(job: JobRecord): job is OssJobRecord {
  return job.s3 === undefined;
}
