/**
 * Batch Operations documents (docs/oss-api.md §1–§5): encoders and decoders in both directions,
 * because the client encodes requests and decodes responses while the emulator does the reverse.
 */
import {
  CreateJobInput, CsvManifest, JobDescriptor, JobFailure, JobListEntry, JobOperation, JobReportConfig,
  KeyPrefixManifestGenerator, ListJobsResult, OPERATION_TYPES, ProgressSummary, Tag, UpdateJobPriorityResult,
  UpdateJobStatusResult,
} from '../model';
import {
  buildXml, children, compact, optBool, optInt, optNode, optString, parseXml, reqBool, reqInt, reqNode, reqString,
  XmlDecodeError, XmlNode,
} from './common';

const ARRAYS = ['Tag', 'JobListDescriptor', 'JobFailure'];

// ---- shared pieces ----------------------------------------------------------

export function encodeTagSet(tags: Tag[]): XmlNode {
  return { Tag: tags.map((t) => ({ Key: t.key, Value: t.value })) };
}

export function decodeTagSet(node: XmlNode | undefined, path: string): Tag[] {
  if (!node) return [];
  return children(node, 'Tag', path).map((t) => ({ key: reqString(t, 'Key', `${path}/Tag`), value: optString(t, 'Value', `${path}/Tag`) ?? '' }));
}

function encodeOperation(op: JobOperation): XmlNode {
  switch (op.type) {
    case 'PutObjectTagging':
    case 'AddObjectTagging':
      return { [op.type]: { TagSet: encodeTagSet(op.tags) } };
    case 'DeleteObjectTagging':
      return { DeleteObjectTagging: '' };
    case 'PutObjectAcl':
      return { PutObjectAcl: { ObjectAcl: op.acl } };
    case 'RestoreObject':
      return { RestoreObject: compact({ Days: op.days, Tier: op.tier }) };
  }
}

function decodeOperation(node: XmlNode, path: string): JobOperation {
  const names = Object.keys(node);
  const known = names.filter((n) => (OPERATION_TYPES as readonly string[]).includes(n));
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) throw new XmlDecodeError(`<${path}> has unknown operation <${unknown.join('>, <')}> (supported: ${OPERATION_TYPES.join(', ')})`);
  if (known.length !== 1) throw new XmlDecodeError(`<${path}> must contain exactly one operation, found ${known.length}`);
  const type = known[0] as JobOperation['type'];
  const inner = optNode(node, type, path) ?? {};
  const innerPath = `${path}/${type}`;
  switch (type) {
    case 'PutObjectTagging':
    case 'AddObjectTagging':
      return { type, tags: decodeTagSet(reqNode(inner, 'TagSet', innerPath), `${innerPath}/TagSet`) };
    case 'DeleteObjectTagging':
      return { type };
    case 'PutObjectAcl':
      return { type, acl: reqString(inner, 'ObjectAcl', innerPath) };
    case 'RestoreObject':
      return compactOp({ type, days: optInt(inner, 'Days', innerPath), tier: optString(inner, 'Tier', innerPath) });
  }
}

function compactOp<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function encodeReport(report: JobReportConfig): XmlNode {
  return compact({ Bucket: report.bucket, Enabled: report.enabled, Prefix: report.prefix, ReportScope: report.reportScope });
}

function decodeReport(node: XmlNode, path: string): JobReportConfig {
  return compactOp({
    bucket: reqString(node, 'Bucket', path),
    enabled: reqBool(node, 'Enabled', path),
    prefix: optString(node, 'Prefix', path),
    reportScope: optString(node, 'ReportScope', path),
  });
}

function encodeManifest(m: CsvManifest): XmlNode {
  return {
    Location: compact({ ETag: m.location.etag, Bucket: m.location.bucket, Object: m.location.object, VersionId: m.location.versionId }),
    Spec: compact({ Fields: m.spec.fields, Format: m.spec.format }),
  };
}

function decodeManifest(node: XmlNode, path: string): CsvManifest {
  const location = reqNode(node, 'Location', path);
  const spec = reqNode(node, 'Spec', path);
  const lp = `${path}/Location`;
  const sp = `${path}/Spec`;
  return {
    location: compactOp({
      bucket: reqString(location, 'Bucket', lp),
      object: reqString(location, 'Object', lp),
      etag: optString(location, 'ETag', lp),
      versionId: optString(location, 'VersionId', lp),
    }),
    spec: compactOp({ format: reqString(spec, 'Format', sp), fields: optString(spec, 'Fields', sp) }),
  };
}

function decodeGenerator(node: XmlNode, path: string): KeyPrefixManifestGenerator {
  return compactOp({ sourceBucket: reqString(node, 'SourceBucket', path), prefix: optString(node, 'Prefix', path) });
}

function encodeProgress(p: ProgressSummary): XmlNode {
  return compact({
    NumberOfTasksFailed: p.numberOfTasksFailed,
    NumberOfTasksSucceeded: p.numberOfTasksSucceeded,
    Timers: p.elapsedTimeInActiveSeconds === undefined ? undefined : { ElapsedTimeInActiveSeconds: p.elapsedTimeInActiveSeconds },
    TotalNumberOfTasks: p.totalNumberOfTasks,
  });
}

function decodeProgress(node: XmlNode | undefined, path: string): ProgressSummary {
  const n = node ?? {};
  const timers = optNode(n, 'Timers', path);
  return compactOp({
    numberOfTasksFailed: optInt(n, 'NumberOfTasksFailed', path) ?? 0,
    numberOfTasksSucceeded: optInt(n, 'NumberOfTasksSucceeded', path) ?? 0,
    totalNumberOfTasks: optInt(n, 'TotalNumberOfTasks', path) ?? 0,
    elapsedTimeInActiveSeconds: timers ? optInt(timers, 'ElapsedTimeInActiveSeconds', `${path}/Timers`) : undefined,
  });
}

// ---- CreateJob ----------------------------------------------------------------

export function encodeCreateJobRequest(input: CreateJobInput): string {
  return buildXml('CreateJobRequest', compact({
    ConfirmationRequired: input.confirmationRequired,
    Operation: encodeOperation(input.operation),
    Report: encodeReport(input.report),
    ClientRequestToken: input.clientRequestToken,
    Manifest: input.manifest ? encodeManifest(input.manifest) : undefined,
    KeyPrefixManifestGenerator: input.keyPrefixManifestGenerator
      ? compact({ SourceBucket: input.keyPrefixManifestGenerator.sourceBucket, Prefix: input.keyPrefixManifestGenerator.prefix })
      : undefined,
    Description: input.description,
    Priority: input.priority,
    RoleArn: input.roleArn,
  }));
}

export function decodeCreateJobRequest(xml: string): CreateJobInput {
  const p = 'CreateJobRequest';
  const root = parseXml(xml, p, ARRAYS);
  const manifest = optNode(root, 'Manifest', p);
  const generator = optNode(root, 'KeyPrefixManifestGenerator', p);
  return compactOp({
    confirmationRequired: optBool(root, 'ConfirmationRequired', p),
    operation: decodeOperation(reqNode(root, 'Operation', p), `${p}/Operation`),
    report: decodeReport(reqNode(root, 'Report', p), `${p}/Report`),
    clientRequestToken: reqString(root, 'ClientRequestToken', p),
    manifest: manifest ? decodeManifest(manifest, `${p}/Manifest`) : undefined,
    keyPrefixManifestGenerator: generator ? decodeGenerator(generator, `${p}/KeyPrefixManifestGenerator`) : undefined,
    description: optString(root, 'Description', p),
    priority: reqInt(root, 'Priority', p),
    roleArn: reqString(root, 'RoleArn', p),
  });
}

export function encodeCreateJobResult(jobId: string): string {
  return buildXml('CreateJobResult', { JobId: jobId });
}

export function decodeCreateJobResult(xml: string): { jobId: string } {
  return { jobId: reqString(parseXml(xml, 'CreateJobResult'), 'JobId', 'CreateJobResult') };
}

// ---- DescribeJob ----------------------------------------------------------------

export function encodeDescribeJobResult(job: JobDescriptor): string {
  const failures = job.failureReasons.length
    ? { JobFailure: job.failureReasons.map((f) => ({ FailureCode: f.failureCode, FailureReason: f.failureReason })) }
    : { JobFailure: '' }; // always present; empty when the job has not failed (docs/oss-api.md §3)
  return buildXml('DescribeJobResult', {
    Job: compact({
      ConfirmationRequired: job.confirmationRequired,
      CreationTime: job.creationTime,
      Description: job.description,
      FailureReasons: failures,
      JobId: job.jobId,
      Operation: job.operation ? encodeOperation(job.operation) : undefined,
      Report: job.report ? encodeReport(job.report) : undefined,
      Priority: job.priority,
      RoleArn: job.roleArn,
      Manifest: job.manifest ? encodeManifest(job.manifest) : undefined,
      KeyPrefixManifestGenerator: job.keyPrefixManifestGenerator
        ? compact({ SourceBucket: job.keyPrefixManifestGenerator.sourceBucket, Prefix: job.keyPrefixManifestGenerator.prefix })
        : undefined,
      ProgressSummary: encodeProgress(job.progressSummary),
      Status: job.status,
      StatusUpdateReason: job.statusUpdateReason,
      TerminationDate: job.terminationDate,
    }),
  });
}

function decodeFailures(node: XmlNode | undefined, path: string): JobFailure[] {
  if (!node) return [];
  return children(node, 'JobFailure', path)
    .map((f) => ({ failureCode: optString(f, 'FailureCode', `${path}/JobFailure`) ?? '', failureReason: optString(f, 'FailureReason', `${path}/JobFailure`) ?? '' }))
    .filter((f) => f.failureCode !== '' || f.failureReason !== '');
}

export function decodeDescribeJobResult(xml: string): JobDescriptor {
  const p = 'DescribeJobResult/Job';
  const job = reqNode(parseXml(xml, 'DescribeJobResult', ARRAYS), 'Job', 'DescribeJobResult');
  const operation = optNode(job, 'Operation', p);
  const report = optNode(job, 'Report', p);
  const manifest = optNode(job, 'Manifest', p);
  const generator = optNode(job, 'KeyPrefixManifestGenerator', p);
  return compactOp({
    jobId: reqString(job, 'JobId', p),
    status: reqString(job, 'Status', p),
    confirmationRequired: optBool(job, 'ConfirmationRequired', p),
    creationTime: optInt(job, 'CreationTime', p),
    terminationDate: optInt(job, 'TerminationDate', p),
    description: optString(job, 'Description', p),
    priority: optInt(job, 'Priority', p),
    roleArn: optString(job, 'RoleArn', p),
    statusUpdateReason: optString(job, 'StatusUpdateReason', p),
    failureReasons: decodeFailures(optNode(job, 'FailureReasons', p), `${p}/FailureReasons`),
    operation: operation ? decodeOperation(operation, `${p}/Operation`) : undefined,
    report: report ? decodeReport(report, `${p}/Report`) : undefined,
    manifest: manifest ? decodeManifest(manifest, `${p}/Manifest`) : undefined,
    keyPrefixManifestGenerator: generator ? decodeGenerator(generator, `${p}/KeyPrefixManifestGenerator`) : undefined,
    progressSummary: decodeProgress(optNode(job, 'ProgressSummary', p), `${p}/ProgressSummary`),
  });
}

// ---- ListJobs ----------------------------------------------------------------

export function encodeListJobsResult(result: ListJobsResult): string {
  return buildXml('ListJobsResult', compact({
    NextToken: result.nextToken,
    Jobs: result.jobs.length ? {
      JobListDescriptor: result.jobs.map((j) => compact({
        CreationTime: j.creationTime,
        Description: j.description,
        JobId: j.jobId,
        Operation: j.operation,
        Priority: j.priority,
        ProgressSummary: encodeProgress(j.progressSummary),
        Status: j.status,
        TerminationDate: j.terminationDate,
      })),
    } : '',
  }));
}

export function decodeListJobsResult(xml: string): ListJobsResult {
  const p = 'ListJobsResult';
  const root = parseXml(xml, p, ARRAYS);
  const jobs = optNode(root, 'Jobs', p);
  const entries: JobListEntry[] = jobs ? children(jobs, 'JobListDescriptor', `${p}/Jobs`).map((j) => {
    const jp = `${p}/Jobs/JobListDescriptor`;
    return compactOp({
      jobId: reqString(j, 'JobId', jp),
      status: reqString(j, 'Status', jp),
      operation: optString(j, 'Operation', jp),
      description: optString(j, 'Description', jp),
      priority: optInt(j, 'Priority', jp),
      creationTime: optInt(j, 'CreationTime', jp),
      terminationDate: optInt(j, 'TerminationDate', jp),
      progressSummary: decodeProgress(optNode(j, 'ProgressSummary', jp), `${jp}/ProgressSummary`),
    });
  }) : [];
  return compactOp({ nextToken: optString(root, 'NextToken', p) || undefined, jobs: entries });
}

// ---- UpdateJobStatus / UpdateJobPriority ----------------------------------------

export function encodeUpdateJobStatusResult(r: UpdateJobStatusResult): string {
  return buildXml('UpdateJobStatusResult', compact({ JobId: r.jobId, Status: r.status, StatusUpdateReason: r.statusUpdateReason }));
}

export function decodeUpdateJobStatusResult(xml: string): UpdateJobStatusResult {
  const p = 'UpdateJobStatusResult';
  const root = parseXml(xml, p);
  return compactOp({ jobId: reqString(root, 'JobId', p), status: reqString(root, 'Status', p), statusUpdateReason: optString(root, 'StatusUpdateReason', p) });
}

export function encodeUpdateJobPriorityResult(r: UpdateJobPriorityResult): string {
  return buildXml('UpdateJobPriorityResult', { JobId: r.jobId, Priority: r.priority });
}

export function decodeUpdateJobPriorityResult(xml: string): UpdateJobPriorityResult {
  const p = 'UpdateJobPriorityResult';
  const root = parseXml(xml, p);
  return { jobId: reqString(root, 'JobId', p), priority: reqInt(root, 'Priority', p) };
}
