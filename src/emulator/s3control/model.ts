/**
 * S3 Control jobs mapped onto the OSS job engine: the S3 CreateJob document is translated into the
 * engine's CreateJobInput, and what only S3 needs (account, the S3 view of the request, the report
 * layout) travels with the job record as `s3`.
 */
import type { JobStatus } from '../../oss/model';
import { MANIFEST_FORMAT_CSV, MANIFEST_FORMAT_INVENTORY } from '../../oss/model';
import { children, optBool, optInt, optNode, optString, parseXml, reqNode, reqString, XmlDecodeError, XmlNode } from '../../oss/xml/common';
import type { CopyObjectOperation, EngineOperation, JobInput } from '../engine/job-record';
import {
  isIamRoleArn, S3_CANNED_ACLS, S3_MANIFEST_FORMAT_CSV, S3_MANIFEST_FORMAT_INVENTORY, S3_REPORT_FORMAT,
  S3_STORAGE_CLASSES,
} from '../../shared/s3-identity';
import { EmulatorError } from '../errors';
import { S3_CLASS_TO_STORE, STORE_CANNED_ACLS } from '../s3/controller';

export const S3CONTROL_NAMESPACE = 'http://awss3control.amazonaws.com/doc/2018-08-20/';

/** What an S3 job keeps beside the engine's input (persisted with the job record). */
export interface S3JobExtras {
  accountId: string;
  /** The S3 operation name as asked (DescribeJob answers with it). */
  operation: string;
  operationXml: XmlNode;
  manifestXml?: XmlNode;
  generatorXml?: XmlNode;
  reportXml: XmlNode;
}

export const controlError = (code: string, message: string, status: number) => new EmulatorError(code, message, status);
export const invalidRequest = (message: string) => controlError('InvalidRequest', message, 400);
const notImplemented = (what: string) => controlError('NotImplemented', `${what} is not implemented by the emulator's S3 Control API`, 501);

/** `arn:aws:s3:::bucket` (bucket ARN) or `arn:aws:s3:::bucket/key` (object ARN). */
function parseS3Arn(arn: string, what: string, withKey: boolean): { bucket: string; key: string } {
  const m = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.+))?$/.exec(arn);
  if (!m || (withKey ? !m[2] : m[2] !== undefined)) throw invalidRequest(`${what} must be an S3 ${withKey ? 'object' : 'bucket'} ARN (arn:aws:s3:::bucket${withKey ? '/key' : ''}), got "${arn}"`);
  return { bucket: m[1], key: m[2] ?? '' };
}

const S3_TIER: Record<string, string> = { BULK: 'Bulk', STANDARD: 'Standard' };
// S3 Control's S3CannedAccessControlList and S3StorageClass values are S3_CANNED_ACLS and
// S3_STORAGE_CLASSES; the ones the store cannot hold are NotImplemented.
const S3_CANNED: readonly string[] = S3_CANNED_ACLS;
const S3_CLASSES: readonly string[] = S3_STORAGE_CLASSES;
/** S3PutObjectCopy elements the emulator honours; any other one is NotImplemented (never silently dropped). */
const COPY_FIELDS = ['TargetResource', 'TargetKeyPrefix', 'StorageClass', 'CannedAccessControlList', 'MetadataDirective', 'NewObjectTagging'];
/** Elements whose `false` asks for nothing. */
const COPY_FALSE_FIELDS = ['RequesterPays', 'BucketKeyEnabled'];

function cannedAcl(value: string | undefined, what: string): string {
  if (value === undefined || !S3_CANNED.includes(value)) throw invalidRequest(`${what} must be one of ${S3_CANNED.join(', ')}, got ${value ?? 'nothing'}`);
  if (!STORE_CANNED_ACLS.includes(value)) throw notImplemented(`The canned ACL ${value}`);
  return value;
}

/** An S3 Control tag list (`<member><Key/><Value/></member>…`): ≤ 10 tags, unique keys. */
function tagList(list: XmlNode, path: string): { key: string; value: string }[] {
  const tags = children(list, 'member', path).map((t) => ({ key: reqString(t, 'Key', 'S3Tag'), value: optString(t, 'Value', 'S3Tag') ?? '' }));
  if (tags.length > 10) throw invalidRequest(`${path} has more than 10 tags`);
  if (new Set(tags.map((t) => t.key)).size !== tags.length) throw invalidRequest(`${path} has duplicate keys`);
  if (tags.some((t) => t.key.length < 1 || t.key.length > 128 || t.value.length > 256)) throw invalidRequest('tag keys must be 1-128 and values at most 256 characters');
  return tags;
}

function copyOperation(body: XmlNode, path: string): CopyObjectOperation {
  for (const name of Object.keys(body)) {
    if (COPY_FIELDS.includes(name)) continue;
    if (COPY_FALSE_FIELDS.includes(name) && optBool(body, name, path) === false) continue;
    throw notImplemented(`S3PutObjectCopy with ${name}`);
  }
  const { bucket } = parseS3Arn(reqString(body, 'TargetResource', path), 'TargetResource', false);
  const targetKeyPrefix = optString(body, 'TargetKeyPrefix', path) ?? '';
  if (targetKeyPrefix.length > 1024) throw invalidRequest('TargetKeyPrefix is at most 1024 characters');
  const s3Class = optString(body, 'StorageClass', path);
  if (s3Class !== undefined && !S3_CLASSES.includes(s3Class)) throw invalidRequest(`StorageClass must be one of ${S3_CLASSES.join(', ')}, got "${s3Class}"`);
  if (s3Class !== undefined && !S3_CLASS_TO_STORE[s3Class]) throw notImplemented(`Storage class ${s3Class}`);
  const canned = optString(body, 'CannedAccessControlList', path);
  const directive = optString(body, 'MetadataDirective', path) ?? 'COPY';
  if (directive !== 'COPY' && directive !== 'REPLACE') throw invalidRequest(`MetadataDirective must be COPY or REPLACE, got "${directive}"`);
  // REPLACE takes NewObjectMetadata, mostly user metadata, which the store cannot keep.
  if (directive === 'REPLACE') throw notImplemented('S3PutObjectCopy with MetadataDirective REPLACE');
  const tagging = optNode(body, 'NewObjectTagging', path);
  return {
    type: 'CopyObject', targetBucket: bucket, targetKeyPrefix, storageClass: s3Class === undefined ? undefined : S3_CLASS_TO_STORE[s3Class],
    acl: canned === undefined ? 'default' : cannedAcl(canned, 'CannedAccessControlList'), tags: tagging ? tagList(tagging, `${path}/NewObjectTagging`) : undefined,
  };
}

function mapOperation(op: XmlNode): { name: string; xml: XmlNode; operation: EngineOperation } {
  const names = Object.keys(op);
  if (names.length !== 1) throw invalidRequest(`Operation must name exactly one operation, got ${names.length ? names.join(', ') : 'none'}`);
  const name = names[0];
  const body = (op[name] === '' ? {} : op[name]) as XmlNode;
  const path = `Operation/${name}`;
  switch (name) {
    case 'S3PutObjectTagging': {
      const set = optNode(body, 'TagSet', path);
      return { name, xml: body, operation: { type: 'PutObjectTagging', tags: set ? tagList(set, 'TagSet') : [] } };
    }
    case 'S3DeleteObjectTagging':
      return { name, xml: body, operation: { type: 'DeleteObjectTagging' } };
    case 'S3PutObjectAcl': {
      const policy = optNode(body, 'AccessControlPolicy', path);
      const canned = policy ? optString(policy, 'CannedAccessControlList', `${path}/AccessControlPolicy`) : undefined;
      if (policy && optNode(policy, 'AccessControlList', `${path}/AccessControlPolicy`)) throw notImplemented('S3PutObjectAcl with an AccessControlList (grants)');
      return { name, xml: body, operation: { type: 'PutObjectAcl', acl: cannedAcl(canned, 'S3PutObjectAcl AccessControlPolicy/CannedAccessControlList') } };
    }
    case 'S3InitiateRestoreObject': {
      const days = optInt(body, 'ExpirationInDays', path);
      const tier = optString(body, 'GlacierJobTier', path);
      if (days === undefined || days < 1) throw invalidRequest('S3InitiateRestoreObject needs ExpirationInDays of at least 1');
      if (tier !== undefined && !S3_TIER[tier]) throw invalidRequest(`GlacierJobTier must be BULK or STANDARD, got "${tier}"`);
      return { name, xml: body, operation: { type: 'RestoreObject', days, tier: S3_TIER[tier ?? 'STANDARD'] } };
    }
    case 'S3PutObjectCopy':
      return { name, xml: body, operation: copyOperation(body, path) };
    default:
      throw notImplemented(`The operation ${name}`);
  }
}

/** The text items of an S3 Control list (`<member>` elements). */
function members(node: XmlNode): string[] {
  const value = node.member;
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);
}

export interface S3CreateJob {
  input: JobInput;
  extras: Omit<S3JobExtras, 'accountId'>;
  /** Bucket/key/etag of a CSV manifest, to check it exists before the job is made. */
  manifestObject?: { bucket: string; key: string; etag: string; versionId?: string };
  sourceBucket?: string;
}

/** The CreateJob document as the engine's input; schema errors are InvalidRequest. */
export function decodeS3CreateJob(xml: string): S3CreateJob {
  let root: XmlNode;
  try {
    root = parseXml(xml, 'CreateJobRequest', ['member']);
  } catch (err) {
    if (err instanceof XmlDecodeError) throw controlError('MalformedXML', err.message, 400);
    throw err;
  }
  const p = 'CreateJobRequest';
  const token = reqString(root, 'ClientRequestToken', p);
  if (token.length < 1 || token.length > 64) throw invalidRequest('ClientRequestToken must be 1-64 characters');
  const priority = optInt(root, 'Priority', p);
  if (priority === undefined || priority < 0 || priority > 2147483647) throw invalidRequest('Priority must be an integer 0-2147483647');
  const roleArn = reqString(root, 'RoleArn', p);
  if (!isIamRoleArn(roleArn)) throw invalidRequest(`RoleArn is not an IAM role ARN: "${roleArn}"`);
  const description = optString(root, 'Description', p);
  if (description !== undefined && description.length > 256) throw invalidRequest('Description is at most 256 characters');
  if (optNode(root, 'Tags', p)) throw notImplemented('Job tags');
  const op = mapOperation(reqNode(root, 'Operation', p));

  const reportXml = reqNode(root, 'Report', p);
  const enabled = optBool(reportXml, 'Enabled', 'Report') ?? false;
  const reportBucketArn = optString(reportXml, 'Bucket', 'Report');
  const scope = optString(reportXml, 'ReportScope', 'Report') ?? 'AllTasks';
  if (enabled) {
    if (!reportBucketArn) throw invalidRequest('an enabled Report needs a Bucket');
    if (optString(reportXml, 'Format', 'Report') !== S3_REPORT_FORMAT) throw invalidRequest(`Report Format must be ${S3_REPORT_FORMAT}`);
    if (scope !== 'AllTasks' && scope !== 'FailedTasksOnly') throw invalidRequest(`ReportScope must be AllTasks or FailedTasksOnly, got "${scope}"`);
  }
  const reportBucket = reportBucketArn ? parseS3Arn(reportBucketArn, 'Report Bucket', false).bucket : '';
  const prefix = optString(reportXml, 'Prefix', 'Report');

  const manifestXml = optNode(root, 'Manifest', p);
  const generatorXml = optNode(root, 'ManifestGenerator', p);
  if (!manifestXml === !generatorXml) throw invalidRequest('exactly one of Manifest and ManifestGenerator is required');
  const input: JobInput = {
    confirmationRequired: optBool(root, 'ConfirmationRequired', p) ?? false, operation: op.operation, clientRequestToken: token,
    description, priority, roleArn, report: { bucket: reportBucket, enabled, prefix, reportScope: scope },
  };
  const result: S3CreateJob = { input, extras: { operation: op.name, operationXml: op.xml, manifestXml, generatorXml, reportXml } };
  if (manifestXml) {
    const spec = reqNode(manifestXml, 'Spec', 'Manifest');
    const format = reqString(spec, 'Format', 'Manifest/Spec');
    if (format !== S3_MANIFEST_FORMAT_CSV && format !== S3_MANIFEST_FORMAT_INVENTORY) throw invalidRequest(`Manifest Format must be ${S3_MANIFEST_FORMAT_CSV} or ${S3_MANIFEST_FORMAT_INVENTORY}, got "${format}"`);
    const fieldsNode = optNode(spec, 'Fields', 'Manifest/Spec');
    // An inventory's manifest.json names its own columns (fileSchema); the engine reads S3's layout of it as is.
    if (format === S3_MANIFEST_FORMAT_INVENTORY && fieldsNode) throw invalidRequest(`Fields are not allowed with ${S3_MANIFEST_FORMAT_INVENTORY}`);
    const fields = fieldsNode ? members(fieldsNode) : ['Bucket', 'Key'];
    const location = reqNode(manifestXml, 'Location', 'Manifest');
    const { bucket, key } = parseS3Arn(reqString(location, 'ObjectArn', 'Manifest/Location'), 'Manifest ObjectArn', true);
    const etag = optString(location, 'ETag', 'Manifest/Location');
    if (!etag) throw invalidRequest('Manifest Location needs an ETag');
    const versionId = optString(location, 'ObjectVersionId', 'Manifest/Location');
    input.manifest = { location: { bucket, object: key, etag: etag.replace(/"/g, ''), versionId }, spec: format === S3_MANIFEST_FORMAT_CSV ? { format: MANIFEST_FORMAT_CSV, fields: fields.join(',') } : { format: MANIFEST_FORMAT_INVENTORY } };
    result.manifestObject = { bucket, key, etag: etag.replace(/"/g, ''), versionId };
  } else {
    const gen = reqNode(generatorXml!, 'S3JobManifestGenerator', 'ManifestGenerator');
    const gp = 'ManifestGenerator/S3JobManifestGenerator';
    const { bucket } = parseS3Arn(reqString(gen, 'SourceBucket', gp), 'SourceBucket', false);
    if (optBool(gen, 'EnableManifestOutput', gp) !== false) throw notImplemented('EnableManifestOutput true');
    const filter = optNode(gen, 'Filter', gp) ?? {};
    const known = ['KeyNameConstraint'];
    const other = Object.keys(filter).find((k) => !known.includes(k));
    if (other) throw notImplemented(`The generator filter ${other}`);
    const constraint = optNode(filter, 'KeyNameConstraint', `${gp}/Filter`) ?? {};
    const otherConstraint = Object.keys(constraint).find((k) => k !== 'MatchAnyPrefix');
    if (otherConstraint) throw notImplemented(`KeyNameConstraint ${otherConstraint}`);
    const anyPrefix = optNode(constraint, 'MatchAnyPrefix', `${gp}/Filter/KeyNameConstraint`);
    const prefixes = anyPrefix ? members(anyPrefix) : [];
    if (prefixes.length > 1) throw notImplemented('MatchAnyPrefix with more than one prefix');
    input.keyPrefixManifestGenerator = { sourceBucket: bucket, prefix: prefixes[0] };
    result.sourceBucket = bucket;
  }
  return result;
}

/** The S3 status of an engine status: Completing (the report is being written) is still Active to S3 clients. */
export function s3Status(status: JobStatus): string {
  return status === 'Completing' ? 'Active' : status;
}
