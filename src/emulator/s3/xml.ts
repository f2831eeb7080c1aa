/**
 * S3 XML documents: the same fast-xml-parser setup as the OSS codecs (src/oss/xml/common.ts), with
 * S3's namespace on the answers. Tagging and CompleteMultipartUpload bodies have the same shape on
 * both services, so their OSS decoders are reused.
 */
import { buildXml, optNode, optString, parseXml, XmlDecodeError, XmlNode } from '../../oss/xml/common';

import { decodeVersioningConfiguration } from '../../oss/xml/objects';
import { notImplemented } from './errors';

export { decodeCompleteMultipartUpload, decodeTagging } from '../../oss/xml/objects';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** A document with S3's namespace on its root element (the SDK and botocore parse either way; S3 sends it). */
export function s3Xml(root: string, content: XmlNode): string {
  return buildXml(root, content).replace(`<${root}>`, `<${root} xmlns="${S3_NAMESPACE}">`);
}

export function decodeCreateBucketConfiguration(xml: string): { locationConstraint?: string } {
  const root = parseXml(xml, 'CreateBucketConfiguration');
  const location = optString(root, 'LocationConstraint', 'CreateBucketConfiguration');
  return location ? { locationConstraint: location } : {};
}

export function decodeS3RestoreRequest(xml: string): { days: number; tier?: string } {
  const root = parseXml(xml, 'RestoreRequest');
  const daysText = optString(root, 'Days', 'RestoreRequest');
  if (daysText === undefined || !/^\d{1,6}$/.test(daysText) || Number(daysText) < 1) {
    throw new XmlDecodeError(`<RestoreRequest/Days> must be a positive integer, got ${daysText === undefined ? 'nothing' : `"${daysText}"`}`);
  }
  if (optNode(root, 'OutputLocation', 'RestoreRequest') || optString(root, 'Type', 'RestoreRequest') !== undefined) {
    throw new XmlDecodeError('select restores (Type, OutputLocation) are not supported');
  }
  const job = optNode(root, 'GlacierJobParameters', 'RestoreRequest');
  const tier = job ? optString(job, 'Tier', 'RestoreRequest/GlacierJobParameters') : undefined;
  if (tier !== undefined && !['Standard', 'Bulk', 'Expedited'].includes(tier)) throw new XmlDecodeError(`<Tier> must be Standard, Bulk or Expedited, got "${tier}"`);
  return { days: Number(daysText), tier };
}

/** Status Enabled or Suspended (nothing: no change), as on OSS; MFA delete is not something the store can enforce. */
export function decodeS3VersioningConfiguration(xml: string): 'Enabled' | 'Suspended' | undefined {
  const mfa = optString(parseXml(xml, 'VersioningConfiguration'), 'MfaDelete', 'VersioningConfiguration');
  if (mfa !== undefined && mfa !== 'Disabled') throw notImplemented('MfaDelete');
  return decodeVersioningConfiguration(xml);
}
