/** A job as the emulator keeps it (persisted in state.json). */
import type { CreateJobInput, JobFailure, JobStatus } from '../../oss/model';

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
  /** Epoch ms when Active started, and seconds spent Active so far. */
  activeSinceMs?: number;
  elapsedActiveSeconds: number;
}
