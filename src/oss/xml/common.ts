/**
 * fast-xml-parser setup shared by every codec: values stay strings (we convert types
 * ourselves, so "007" or "1e3" never turn into surprising numbers), repeated elements are
 * declared per codec so a one-element list still parses as an array, and entities are
 * escaped/unescaped by the library.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export class XmlDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlDecodeError';
  }
}

export type XmlNode = Record<string, unknown>;

/** Parse `text`, check the root element and return its content. `arrays` are element names that repeat. */
export function parseXml(text: string, root: string, arrays: readonly string[] = []): XmlNode {
  const trimmed = text.trim();
  if (!trimmed.startsWith('<')) throw new XmlDecodeError(`expected an XML <${root}> document, got ${describeText(trimmed)}`);
  const valid = XMLValidator.validate(trimmed);
  if (valid !== true) throw new XmlDecodeError(`malformed XML (${valid.err.msg} at line ${valid.err.line})`);
  const arraySet = new Set(arrays);
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: false,
    ignoreDeclaration: true,
    removeNSPrefix: true,
    // Decodes character references such as &#xD; (how a carriage return survives XML's line-end normalization).
    htmlEntities: true,
    isArray: (name) => arraySet.has(name),
  });
  const doc = parser.parse(trimmed) as XmlNode;
  if (!(root in doc)) {
    throw new XmlDecodeError(`expected root element <${root}>, found <${Object.keys(doc).join('>, <') || 'nothing'}>`);
  }
  const content = doc[root];
  return content === '' || content === undefined ? {} : asNode(content, root);
}

/**
 * Text is escaped by hand rather than by the library so that `\r` becomes `&#xD;`: a literal carriage
 * return would be read back as `\n` (XML normalizes line ends), changing a description or tag value.
 */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    .replace(/\r/g, '&#xD;');
}

const builder = new XMLBuilder({
  format: false, suppressEmptyNode: false, suppressBooleanAttributes: false, processEntities: false,
  tagValueProcessor: (_name: string, value: unknown) => (typeof value === 'string' ? escapeText(value) : value) as string,
});

export function buildXml(root: string, content: XmlNode): string {
  return XML_DECLARATION + builder.build({ [root]: content });
}

function describeText(text: string): string {
  if (!text) return 'an empty body';
  return `"${text.slice(0, 60)}${text.length > 60 ? '…' : ''}"`;
}

export function asNode(value: unknown, path: string): XmlNode {
    if (typeof value === 'string' && value.trim() === '') return {}; // pretty-printed empty element
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new XmlDecodeError(`<${path}> must contain child elements`);
  }
  // Values are not trimmed (tag values may carry spaces), so indentation between child
  // elements shows up as '#text': drop it when it is only whitespace.
  const node = value as XmlNode;
  const text = node['#text'];
  if (text !== undefined) {
    if (typeof text === 'string' && text.trim() !== '') throw new XmlDecodeError(`<${path}> mixes text and child elements`);
    const { ['#text']: _ignored, ...rest } = node;
    return rest;
  }
  return node;
}

/** Child nodes of a repeated element (declared in `arrays`); absent → []. */
export function children(node: XmlNode, name: string, path: string): XmlNode[] {
  const value = node[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => asNode(v, `${path}/${name}`));
}

export function optString(node: XmlNode, name: string, path: string): string | undefined {
  const value = node[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new XmlDecodeError(`<${path}/${name}> must be text`);
  return value;
}

export function reqString(node: XmlNode, name: string, path: string): string {
  const value = optString(node, name, path);
  if (value === undefined) throw new XmlDecodeError(`<${path}/${name}> is required`);
  return value;
}

export function optInt(node: XmlNode, name: string, path: string): number | undefined {
  const text = optString(node, name, path);
  if (text === undefined || text.trim() === '') return undefined;
  if (!/^-?\d+$/.test(text.trim())) throw new XmlDecodeError(`<${path}/${name}> must be an integer, got "${text}"`);
  const n = Number(text.trim());
  if (!Number.isSafeInteger(n)) throw new XmlDecodeError(`<${path}/${name}> is out of range: ${text}`);
  return n;
}

export function reqInt(node: XmlNode, name: string, path: string): number {
  const n = optInt(node, name, path);
  if (n === undefined) throw new XmlDecodeError(`<${path}/${name}> is required`);
  return n;
}

export function optBool(node: XmlNode, name: string, path: string): boolean | undefined {
  const text = optString(node, name, path);
  if (text === undefined || text.trim() === '') return undefined;
  const lower = text.trim().toLowerCase();
  if (lower !== 'true' && lower !== 'false') throw new XmlDecodeError(`<${path}/${name}> must be true or false, got "${text}"`);
  return lower === 'true';
}

export function reqBool(node: XmlNode, name: string, path: string): boolean {
  const b = optBool(node, name, path);
  if (b === undefined) throw new XmlDecodeError(`<${path}/${name}> is required`);
  return b;
}

export function optNode(node: XmlNode, name: string, path: string): XmlNode | undefined {
  const value = node[name];
  return value === undefined ? undefined : asNode(value, `${path}/${name}`);
}

export function reqNode(node: XmlNode, name: string, path: string): XmlNode {
  const value = optNode(node, name, path);
  if (value === undefined) throw new XmlDecodeError(`<${path}/${name}> is required`);
  return value;
}

/** Drop undefined members so the builder does not emit empty elements for absent optionals. */
export function compact(node: Record<string, unknown>): XmlNode {
  return Object.fromEntries(Object.entries(node).filter(([, v]) => v !== undefined));
}
