/** A job as the emulator keeps it (persisted in state.json). */
import type { CreateJobInput, JobFailure, JobStatus } from '../../oss/model';
import type { S3JobExtras } from '../s3control/model';

export interface JobRecord {
  jobId: string;
  clientRequestToken: string;
  /** Canonical JSON hash of the CreateJob body without the token: the idempotency check. */
  bodyHash: string;
  input: CreateJobInput;
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
