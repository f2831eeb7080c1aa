/**
 * Batch Operations endpoints (service-level, no bucket). Validation follows the CreateJob docs
 * with OSS-style error codes; semantic checks live here, schema checks in the shared decoder.
 */
import { createHash, randomInt } from 'node:crypto';
import { canonicalJson } from '../shared/token';
import { parseManifestFields } from '../oss/csv';
import {
  CreateJobInput, JOB_STATUSES, JobDescriptor, JobListEntry, MANIFEST_FORMAT_CSV, MANIFEST_FORMAT_INVENTORY, OBJECT_ACLS, REPORT_SCOPES, RESTORE_TIERS,
} from '../oss/model';
import {
  decodeCreateJobRequest, encodeCreateJobResult, encodeDescribeJobResult, encodeListJobsResult, encodeUpdateJobPriorityResult, encodeUpdateJobStatusResult,
} from '../oss/xml/batch';
import { unquoteEtag } from '../oss/xml/objects';
import type { JobEngine } from './engine/engine';
import { isOssJob, JobRecord, OssJobRecord } from './engine/job-record';
import { InvalidTransitionError } from './engine/state-machine';
import { decodeXml } from './body';
import { EmulatorError, invalidArgument } from './errors';
import { ApiResponse, EmulatorRequest, xmlResponse } from './request';
import type { Store } from './store';

export const MAX_PRIORITY = 2147483647;
/** `acs:ram::<account id digits>:role/<name>`; the `arn:` prefix of the CreateJob doc sample is tolerated. */
const ROLE_ARN = /^(arn:)?acs:ram::\d+:role\/[A-Za-z0-9.@_+=,-]{1,64}$/;
const JOB_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Real ids look like base64 and may end in '='; ours are 44 letters and digits,
 * which the docs' own description allows. Clients percent-encode either way.
 */
export function newJobId(): string {
  let id = '';
  for (let i = 0; i < 44; i++) id += JOB_ID_ALPHABET[randomInt(JOB_ID_ALPHABET.length)];
  return id;
}

/** Batch Operations APIs (named apart from the client's `BatchApi` in src/oss/api.ts). */
export class BatchController {
  constructor(private readonly store: Store, private readonly engine: JobEngine, private readonly clock: () => Date) {}

  createJob(req: EmulatorRequest): ApiResponse {
    const input = decodeXml(req.body, decodeCreateJobRequest);
    this.validate(input);
    const { clientRequestToken, ...rest } = input;
    const bodyHash = createHash('sha256').update(canonicalJson(rest)).digest('hex');
    for (const job of this.store.jobs()) {
      // S3 Control jobs (job.s3) are another service's: invisible to the OSS APIs.
      if (job.s3 || job.clientRequestToken !== clientRequestToken) continue;
      if (job.bodyHash === bodyHash) return xmlResponse(encodeCreateJobResult(job.jobId)); // idempotent retry
      throw new EmulatorError('ClientTokenConflict', `ClientRequestToken ${clientRequestToken} was already used for job ${job.jobId} with a different request body`);
    }
    const job: JobRecord = {
      jobId: newJobId(), clientRequestToken, bodyHash, input, status: 'New', creationTime: Math.floor(this.clock().getTime() / 1000),
      failureReasons: [], totalTasks: 0, succeededTasks: 0, failedTasks: 0, elapsedActiveSeconds: 0,
    };
    this.store.saveJob(job);
    this.engine.kick();
    return xmlResponse(encodeCreateJobResult(job.jobId));
  }

  private validate(input: CreateJobInput): void {
    const token = input.clientRequestToken;
    if (token.length < 1 || token.length > 64) throw invalidArgument(`ClientRequestToken must be 1-64 characters, got ${token.length}`);
    if (!!input.manifest === !!input.keyPrefixManifestGenerator) throw invalidArgument('specify exactly one of Manifest or KeyPrefixManifestGenerator');
    if (input.priority < 0 || input.priority > MAX_PRIORITY) throw invalidArgument(`Priority must be 0-${MAX_PRIORITY}, got ${input.priority}`);
    if (!ROLE_ARN.test(input.roleArn)) throw invalidArgument(`RoleArn must look like acs:ram::<account id>:role/<role name>, got "${input.roleArn}"`);
    if ((input.description ?? '').length > 256) throw invalidArgument('Description must be at most 256 characters');
    const op = input.operation;
    if (op.type === 'PutObjectTagging' || op.type === 'AddObjectTagging') {
      if (op.tags.length < 1 || op.tags.length > 10) throw invalidArgument(`${op.type} needs 1-10 tags, got ${op.tags.length}`);
      for (const tag of op.tags) {
        if (tag.key.length < 1 || tag.key.length > 128) throw invalidArgument(`tag key "${tag.key}" must be 1-128 characters`);
        if (tag.value.length > 256) throw invalidArgument(`tag value for "${tag.key}" must be at most 256 characters`);
      }
      if (new Set(op.tags.map((t) => t.key)).size !== op.tags.length) throw invalidArgument('tag keys must be unique');
    }
    if (op.type === 'PutObjectAcl' && !(OBJECT_ACLS as readonly string[]).includes(op.acl)) {
      throw invalidArgument(`ObjectAcl must be one of ${OBJECT_ACLS.join(', ')}, got "${op.acl}"`);
    }
    if (op.type === 'RestoreObject') {
      if (op.days !== undefined && (op.days < 1 || op.days > 365)) throw invalidArgument(`RestoreObject Days must be 1-365 (1-7 for Archive objects), got ${op.days}`);
      if (op.tier !== undefined && !(RESTORE_TIERS as readonly string[]).includes(op.tier)) throw invalidArgument(`RestoreObject Tier must be one of ${RESTORE_TIERS.join(', ')}, got "${op.tier}"`);
    }
    const report = input.report;
    if (report.reportScope !== undefined && !(REPORT_SCOPES as readonly string[]).includes(report.reportScope)) {
      throw invalidArgument(`ReportScope must be one of ${REPORT_SCOPES.join(', ')}, got "${report.reportScope}"`);
    }
    this.store.bucket(report.bucket);
    if (input.keyPrefixManifestGenerator) this.store.bucket(input.keyPrefixManifestGenerator.sourceBucket);
    if (input.manifest) {
      const { location, spec } = input.manifest;
      if (spec.format !== MANIFEST_FORMAT_CSV && spec.format !== MANIFEST_FORMAT_INVENTORY) {
        throw invalidArgument(`Manifest Spec Format must be ${MANIFEST_FORMAT_CSV} or ${MANIFEST_FORMAT_INVENTORY}, got "${spec.format}"`);
      }
      try {
        parseManifestFields(spec.fields);
      } catch (err) {
        throw invalidArgument((err as Error).message);
      }
      const version = this.store.version(location.bucket, location.object, location.versionId);
      if (location.etag && unquoteEtag(location.etag).toLowerCase() !== version.etag.toLowerCase()) {
        throw invalidArgument(`Manifest ETag ${location.etag} does not match oss://${location.bucket}/${location.object} (ETag ${version.etag})`);
      }
    }
  }

  private job(jobId: string | undefined): OssJobRecord {
    if (!jobId) throw invalidArgument('batchJobId is required');
    const job = this.store.job(jobId);
    if (!job || !isOssJob(job)) throw new EmulatorError('NoSuchJob', `The specified job does not exist: ${jobId}`);
    return job;
  }

  describeJob(req: EmulatorRequest): ApiResponse {
    return xmlResponse(encodeDescribeJobResult(describe(this.job(req.query.batchJobId))));
  }

  listJobs(req: EmulatorRequest): ApiResponse {
    const { batchJobStatuses: statuses, 'max-keys': maxKeys, 'continuation-token': continuationToken } = req.query;
    const filter = statuses ? statuses.split('|').map((s) => s.trim()).filter(Boolean) : [];
    for (const s of filter) {
      if (!(JOB_STATUSES as readonly string[]).includes(s)) throw invalidArgument(`batchJobStatuses has unknown status "${s}" (valid: ${JOB_STATUSES.join(', ')})`);
    }
    const limit = maxKeys === undefined ? 100 : Number(maxKeys);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalidArgument(`max-keys must be an integer 1-1000, got "${maxKeys}"`);
    let offset = 0;
    if (continuationToken !== undefined) {
      const decoded = /^o:(\d+)$/.exec(Buffer.from(continuationToken, 'base64').toString('utf8'));
      if (!decoded) throw invalidArgument('continuation-token is not valid');
      offset = Number(decoded[1]);
    }
    const all = [...this.store.jobs()].filter(isOssJob).filter((j) => !filter.length || filter.includes(j.status));
    const page = all.slice(offset, offset + limit);
    const nextToken = offset + limit < all.length ? Buffer.from(`o:${offset + limit}`).toString('base64') : undefined;
    return xmlResponse(encodeListJobsResult({ nextToken, jobs: page.map(listEntry) }));
  }

  updateJobStatus(req: EmulatorRequest): ApiResponse {
    const { requestedJobStatus: requested, statusUpdateReason: reason } = req.query;
    const job = this.job(req.query.batchJobId);
    if (requested !== 'Ready' && requested !== 'Cancelled') throw invalidArgument(`requestedJobStatus must be Ready or Cancelled, got "${requested ?? ''}"`);
    if (reason !== undefined && (reason.length < 1 || reason.length > 256)) throw invalidArgument('statusUpdateReason must be 1-256 characters');
    try {
      this.engine.transition(job, requested === 'Ready' ? 'confirm' : 'cancel', reason);
    } catch (err) {
      if (err instanceof InvalidTransitionError) throw new EmulatorError('InvalidJobStatus', err.message);
      throw err;
    }
    return xmlResponse(encodeUpdateJobStatusResult({ jobId: job.jobId, status: job.status, statusUpdateReason: job.statusUpdateReason }));
  }

  updateJobPriority(req: EmulatorRequest): ApiResponse {
    const target = req.query.targetPriority;
    const job = this.job(req.query.batchJobId);
    const priority = Number(target);
    if (target === undefined || !/^\d+$/.test(target) || priority > MAX_PRIORITY) throw invalidArgument(`targetPriority must be an integer 0-${MAX_PRIORITY}, got "${target ?? ''}"`);
    job.input = { ...job.input, priority };
    this.store.saveJob(job);
    return xmlResponse(encodeUpdateJobPriorityResult({ jobId: job.jobId, priority }));
  }
}

function progress(job: JobRecord) {
  return {
    numberOfTasksFailed: job.failedTasks, numberOfTasksSucceeded: job.succeededTasks, totalNumberOfTasks: job.totalTasks,
    elapsedTimeInActiveSeconds: job.elapsedActiveSeconds,
  };
}

function describe(job: OssJobRecord): JobDescriptor {
  const { input } = job;
  return {
    jobId: job.jobId, status: job.status, confirmationRequired: input.confirmationRequired ?? false, creationTime: job.creationTime,
    terminationDate: job.terminationDate, description: input.description, priority: input.priority, roleArn: input.roleArn,
    statusUpdateReason: job.statusUpdateReason, failureReasons: job.failureReasons, operation: input.operation, report: input.report,
    manifest: input.manifest, keyPrefixManifestGenerator: input.keyPrefixManifestGenerator, progressSummary: progress(job),
  };
}

function listEntry(job: OssJobRecord): JobListEntry {
  return {
    jobId: job.jobId, status: job.status, operation: job.input.operation.type, description: job.input.description, priority: job.input.priority,
    creationTime: job.creationTime, terminationDate: job.terminationDate, progressSummary: progress(job),
  };
}
