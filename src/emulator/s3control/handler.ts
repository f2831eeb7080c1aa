/**
 * S3 Control's job API (`/v20180820/jobs…`) on the emulator's port, on the OSS job engine: SigV4
 * (service s3, the emulator's region) checked before the body is read, `x-amz-account-id`
 * required (12 digits; an account-prefixed Host must agree), S3 Control XML in and out, S3 error
 * XML. Jobs are the engine's records with UUID ids and an `s3` part (model.ts); an account sees
 * only its own S3 jobs.
 */
import { createHash, randomUUID } from 'node:crypto';
import type http from 'node:http';
import { canonicalJson } from '../../shared/token';
import { buildXml, XmlDecodeError, XmlNode } from '../../oss/xml/common';
import { unquoteEtag } from '../../oss/xml/objects';
import { entityTooLarge } from '../blobs';
import type { JobEngine } from '../engine/engine';
import type { JobRecord } from '../engine/job-record';
import { InvalidTransitionError } from '../engine/state-machine';
import { EmulatorError } from '../errors';
import { faultAfter, faultBefore } from '../faults';
import { MAX_XML_BODY_BYTES } from '../object-rules';
import type { ServerContext } from '../server';
import { flatHeaders, readAll } from '../request';
import type { Store } from '../store';
import { queryOf, repeatedNames, verifyS3Signature } from '../s3/auth';
import { checkS3Digests, digesting } from '../s3/body';
import { asS3Error } from '../s3/errors';
import { logQuery, newRequestId, sendS3Error } from '../s3/handler';
import { controlError, decodeS3CreateJob, invalidRequest, S3CONTROL_NAMESPACE, s3Status } from './model';

export const S3CONTROL_PATH = /^\/v20180820\/jobs(?:\/([^/]+)(?:\/(status|priority))?)?$/;
/**
 * The request target without an absolute-form prefix (`http://<account>.localhost:9000/v20180820/…`,
 * what a client sends to an HTTP proxy): pointing a client's HTTP proxy at the emulator is how a
 * client that cannot resolve `<account>.<host>` itself (the AWS CLI) reaches it.
 */
export const originForm = (target: string) => target.replace(/^https?:\/\/[^/?#]*/i, '') || '/';
export const isS3ControlPath = (target: string) => originForm(target).startsWith('/v20180820/');
const S3_JOB_STATUSES = ['New', 'Preparing', 'Suspended', 'Ready', 'Active', 'Pausing', 'Paused', 'Complete', 'Cancelling', 'Cancelled', 'Failing', 'Failed'];

const noSuchJob = (id: string) => controlError('NoSuchJob', `The specified job does not exist: ${id}`, 404);

function answerXml(root: string, content: XmlNode): string {
  return buildXml(root, content).replace(`<${root}>`, `<${root} xmlns="${S3CONTROL_NAMESPACE}">`);
}
const isoTime = (epochSeconds: number | undefined) => (epochSeconds === undefined ? undefined : new Date(epochSeconds * 1000).toISOString());

function progress(job: JobRecord): XmlNode {
  return {
    TotalNumberOfTasks: job.totalTasks, NumberOfTasksSucceeded: job.succeededTasks, NumberOfTasksFailed: job.failedTasks,
    Timers: { ElapsedTimeInActiveSeconds: job.elapsedActiveSeconds },
  };
}

function describe(job: JobRecord, region: string): XmlNode {
  const s3 = job.s3!;
  const { input } = job;
  return {
    JobId: job.jobId, ConfirmationRequired: input.confirmationRequired ?? false, Description: input.description,
    JobArn: `arn:aws:s3:${region}:${s3.accountId}:job/${job.jobId}`, Status: s3Status(job.status),
    Manifest: s3.manifestXml, ManifestGenerator: s3.generatorXml, Operation: { [s3.operation]: s3.operationXml }, Priority: input.priority,
    ProgressSummary: progress(job),
    StatusUpdateReason: job.statusUpdateReason,
    FailureReasons: job.failureReasons.length ? { member: job.failureReasons.map((f) => ({ FailureCode: f.failureCode, FailureReason: f.failureReason })) } : undefined,
    Report: s3.reportXml, CreationTime: isoTime(job.creationTime), TerminationDate: isoTime(job.terminationDate), RoleArn: input.roleArn,
  };
}

export class S3ControlController {
  constructor(private readonly store: Store, private readonly engine: JobEngine, private readonly clock: () => Date, private readonly region: string) {}

  private jobsOf(accountId: string): JobRecord[] {
    return [...this.store.jobs()].filter((j) => j.s3?.accountId === accountId);
  }

  private job(accountId: string, id: string): JobRecord {
    const job = this.store.job(id);
    if (!job || job.s3?.accountId !== accountId) throw noSuchJob(id);
    return job;
  }

  createJob(accountId: string, body: Buffer): string {
    const decoded = decodeS3CreateJob(body.toString('utf8'));
    const { input, extras } = decoded;
    const { clientRequestToken, ...rest } = input;
    const bodyHash = createHash('sha256').update(canonicalJson({ rest, extras })).digest('hex');
    for (const job of this.jobsOf(accountId)) {
      if (job.clientRequestToken !== clientRequestToken) continue;
      if (job.bodyHash === bodyHash) return answerXml('CreateJobResult', { JobId: job.jobId });
      throw controlError('IdempotencyException', `ClientRequestToken ${clientRequestToken} was already used for job ${job.jobId} with a different request`, 409);
    }
    if (input.report.enabled && !this.store.hasBucket(input.report.bucket)) throw invalidRequest(`The report bucket ${input.report.bucket} does not exist`);
    if (decoded.sourceBucket && !this.store.hasBucket(decoded.sourceBucket)) throw invalidRequest(`The source bucket ${decoded.sourceBucket} does not exist`);
    const m = decoded.manifestObject;
    if (m) {
      if (!this.store.hasBucket(m.bucket)) throw invalidRequest(`The manifest bucket ${m.bucket} does not exist`);
      let etag: string;
      try {
        etag = this.store.version(m.bucket, m.key, m.versionId).etag;
      } catch {
        throw invalidRequest(`The manifest object arn:aws:s3:::${m.bucket}/${m.key} does not exist`);
      }
      if (unquoteEtag(m.etag).toLowerCase() !== etag.toLowerCase()) throw invalidRequest(`The manifest ETag ${m.etag} does not match the object's ETag ${etag}`);
    }
    const job: JobRecord = {
      jobId: randomUUID(), clientRequestToken, bodyHash, input, status: 'New', creationTime: Math.floor(this.clock().getTime() / 1000),
      failureReasons: [], totalTasks: 0, succeededTasks: 0, failedTasks: 0, elapsedActiveSeconds: 0, s3: { accountId, ...extras },
    };
    this.store.saveJob(job);
    this.engine.kick();
    return answerXml('CreateJobResult', { JobId: job.jobId });
  }

  describeJob(accountId: string, id: string): string {
    return answerXml('DescribeJobResult', { Job: describe(this.job(accountId, id), this.region) });
  }

  listJobs(accountId: string, params: URLSearchParams): string {
    const statuses = params.getAll('jobStatuses');
    for (const s of statuses) if (!S3_JOB_STATUSES.includes(s)) throw invalidRequest(`jobStatuses has an unknown status "${s}"`);
    const max = params.get('maxResults');
    const limit = max === null ? 1000 : Number(max);
    if (!/^\d+$/.test(max ?? '0') || limit < 1 || limit > 1000) throw invalidRequest(`maxResults must be 1-1000, got "${max}"`);
    let offset = 0;
    const token = params.get('nextToken');
    if (token !== null) {
      const m = /^s3o:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
      if (!m) throw invalidRequest('nextToken is not valid');
      offset = Number(m[1]);
    }
    const all = this.jobsOf(accountId).filter((j) => !statuses.length || statuses.includes(s3Status(j.status)));
    const page = all.slice(offset, offset + limit);
    const next = offset + limit < all.length ? Buffer.from(`s3o:${offset + limit}`).toString('base64') : undefined;
    return answerXml('ListJobsResult', {
      NextToken: next,
      Jobs: page.length ? {
        member: page.map((j) => ({
          JobId: j.jobId, Description: j.input.description, Operation: j.s3!.operation, Priority: j.input.priority, Status: s3Status(j.status),
          CreationTime: isoTime(j.creationTime), TerminationDate: isoTime(j.terminationDate), ProgressSummary: progress(j),
        })),
      } : undefined,
    });
  }

  updateJobStatus(accountId: string, id: string, params: URLSearchParams): string {
    const requested = params.get('requestedJobStatus');
    const reason = params.get('statusUpdateReason') ?? undefined;
    const job = this.job(accountId, id);
    if (requested !== 'Ready' && requested !== 'Cancelled') throw invalidRequest(`requestedJobStatus must be Ready or Cancelled, got "${requested ?? ''}"`);
    if (reason !== undefined && reason.length > 256) throw invalidRequest('statusUpdateReason is at most 256 characters');
    // S3 confirms only a Suspended job (the engine's table also lets a Preparing job be confirmed early).
    if (requested === 'Ready' && job.status !== 'Suspended') throw controlError('JobStatusException', `a job in status ${s3Status(job.status)} cannot be set to Ready (only Suspended)`, 409);
    try {
      this.engine.transition(job, requested === 'Ready' ? 'confirm' : 'cancel', reason);
    } catch (err) {
      if (err instanceof InvalidTransitionError) throw controlError('JobStatusException', err.message, 409);
      throw err;
    }
    return answerXml('UpdateJobStatusResult', { JobId: job.jobId, Status: s3Status(job.status), StatusUpdateReason: job.statusUpdateReason });
  }

  updateJobPriority(accountId: string, id: string, params: URLSearchParams): string {
    const text = params.get('priority');
    const job = this.job(accountId, id);
    if (text === null || !/^\d{1,10}$/.test(text) || Number(text) > 2147483647) throw invalidRequest(`priority must be an integer 0-2147483647, got "${text ?? ''}"`);
    job.input = { ...job.input, priority: Number(text) };
    this.store.saveJob(job);
    return answerXml('UpdateJobPriorityResult', { JobId: job.jobId, Priority: Number(text) });
  }
}

export async function handleS3Control(ctx: ServerContext, control: S3ControlController, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const started = Date.now();
  const [requestId, rawUrl, method] = [newRequestId(), originForm(req.url ?? '/'), (req.method ?? 'GET').toUpperCase()];
  const url = new URL(rawUrl, 'http://emulator');
  let [status, api] = [500, 'S3Control:NotImplemented'];
  const finish = (note = '') => ctx.log(`${method} ${url.pathname}${logQuery(url)} ${api} ${status} ${Date.now() - started}ms ${requestId}${note}`);
  try {
    const headers = flatHeaders(req);
    const query = queryOf(url.searchParams);
    const route = S3CONTROL_PATH.exec(url.pathname);
    const sub = route?.[2];
    api = !route ? api : route[1] === undefined ? (method === 'POST' ? 'S3Control:CreateJob' : method === 'GET' ? 'S3Control:ListJobs' : api)
      : sub === 'status' ? 'S3Control:UpdateJobStatus' : sub === 'priority' ? 'S3Control:UpdateJobPriority' : method === 'GET' ? 'S3Control:DescribeJob' : api;
    // Faults come first, as on the OSS side: selected by the S3 Control API name (`S3Control:CreateJob`).
    const fault = ctx.faults.decide(api);
    if (await faultBefore(ctx.faults, fault, req)) {
      status = 0;
      return finish(` fault=${fault.action}`);
    }
    const payload = await verifyS3Signature(
      { method, rawPath: rawUrl.split('?', 1)[0], query, headers },
      { secrets: ctx.secrets, regions: ctx.s3Regions, now: ctx.clock(), allowedSkewSeconds: ctx.allowedSkewSeconds },
    );
    // jobStatuses is ListJobs' list; any other parameter given twice would have one of its values ignored.
    const repeated = repeatedNames(query).find((name) => name !== 'jobStatuses');
    if (repeated) throw invalidRequest(`The query parameter ${repeated} may be given only once`);
    const id = route?.[1] === undefined ? undefined : decodeURIComponent(route[1]);
    const accountId = headers['x-amz-account-id'];
    if (!accountId || !/^\d{12}$/.test(accountId)) throw invalidRequest('The x-amz-account-id header is required and must be 12 digits');
    const hostLabel = /^(\d{12})\./.exec(headers.host ?? '')?.[1];
    if (hostLabel !== undefined && hostLabel !== accountId) throw invalidRequest(`The account id in the host (${hostLabel}) does not match x-amz-account-id (${accountId})`);
    if (Number(headers['content-length'] ?? 0) > MAX_XML_BODY_BYTES) throw entityTooLarge(MAX_XML_BODY_BYTES);
    const digest = digesting(req as AsyncIterable<Buffer>, payload.kind === 'sha256');
    const body = await readAll(digest.stream, MAX_XML_BODY_BYTES);
    checkS3Digests(headers, {}, payload.kind === 'sha256' ? payload.hash : undefined, digest.digests());
    let xml: string;
    switch (api) {
      case 'S3Control:CreateJob': xml = control.createJob(accountId, body); break;
      case 'S3Control:ListJobs': xml = control.listJobs(accountId, url.searchParams); break;
      case 'S3Control:DescribeJob': xml = control.describeJob(accountId, id!); break;
      case 'S3Control:UpdateJobStatus': if (method !== 'POST') throw invalidRequest('UpdateJobStatus is a POST'); xml = control.updateJobStatus(accountId, id!, url.searchParams); break;
      case 'S3Control:UpdateJobPriority': if (method !== 'POST') throw invalidRequest('UpdateJobPriority is a POST'); xml = control.updateJobPriority(accountId, id!, url.searchParams); break;
      default: throw controlError('NotImplemented', `${method} ${url.pathname} is not implemented by the emulator's S3 Control API`, 501);
    }
    if (method !== 'GET') await ctx.store.durable();
    if (faultAfter(fault, req)) {
      status = 0;
      return finish(' fault=reset-after');
    }
    status = 200;
    res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'x-amz-id-2': requestId, 'content-length': String(Buffer.byteLength(xml)) });
    res.end(xml);
  } catch (err) {
    const e = err instanceof EmulatorError ? (['NoSuchJob', 'IdempotencyException', 'JobStatusException'].includes(err.code) || err.status === 501 ? err : asS3Error(err))
      : err instanceof XmlDecodeError ? controlError('MalformedXML', err.message, 400)
        : err instanceof URIError ? invalidRequest('the request path is not valid URL encoding')
          : (ctx.log(`unexpected error: ${(err as Error).stack ?? err}`), controlError('InternalError', 'We encountered an internal error. Please try again.', 500));
    status = e.status;
    sendS3Error(req, res, e, url.pathname, requestId);
    return finish(` ${e.code}`);
  }
  finish();
}
