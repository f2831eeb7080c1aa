/** The OSS error document (docs/oss-api.md §9). */
import { OssErrorBody } from '../model';
import { buildXml, optString, parseXml, XmlDecodeError } from './common';

export function encodeErrorXml(body: OssErrorBody): string {
  const content: Record<string, string> = { Code: body.code, Message: body.message };
  if (body.requestId) content.RequestId = body.requestId;
  if (body.hostId) content.HostId = body.hostId;
  if (body.ec) content.EC = body.ec;
  if (body.recommendDoc) content.RecommendDoc = body.recommendDoc;
  return buildXml('Error', content);
}

/** The error document, or undefined when the body is not one (empty, HTML from a proxy, other XML). */
export function decodeErrorXml(text: string): OssErrorBody | undefined {
  try {
    const root = parseXml(text, 'Error');
    const code = optString(root, 'Code', 'Error');
    if (!code) return undefined;
    const body: OssErrorBody = { code, message: optString(root, 'Message', 'Error') ?? '' };
    const optional: [keyof OssErrorBody, string][] = [['requestId', 'RequestId'], ['hostId', 'HostId'], ['ec', 'EC'], ['recommendDoc', 'RecommendDoc']];
    for (const [field, element] of optional) {
      const value = optString(root, element, 'Error');
      if (value) body[field] = value;
    }
    return body;
  } catch (err) {
    if (err instanceof XmlDecodeError) return undefined;
    throw err;
  }
}
