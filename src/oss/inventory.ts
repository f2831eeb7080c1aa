/**
 * Bucket inventory codec (manifest format `OSS_InventoryReport_CSV_20250611`): the `manifest.json`
 * of one inventory run and its CSV data files. The emulator reads it when a job's manifest is an
 * inventory, tests and `oss-batch emulator` fixtures write it.
 *
 * OSS documents the inventory layout — `<dest prefix>/<source bucket>/<inventory id>/
 * <YYYY-MM-DDTHH-MMZ>/manifest.json` naming gzip-compressed CSV files under `…/data/`, columns per
 * `fileSchema` ("Bucket, Key, Size, …"), keys URL-encoded — but not how a batch job consumes it. We
 * assume S3's pairing (docs/identity.md, "Manifests"): the job reads `manifest.json`, then every
 * data file in `files[]`, and processes each listed object (its version when a VersionId column is
 * present). The reader is tolerant: unknown columns and unknown manifest.json fields are ignored.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CsvFormatError, decodeManifestKey, encodeManifestKey, ManifestEntry } from './csv';

export interface InventoryManifest {
  sourceBucket: string;
  destinationBucket: string;
  fileFormat: string;
  /** Column names, comma-separated, e.g. `Bucket, Key, Size`. */
  fileSchema: string;
  files: { key: string; size: number; MD5checksum: string }[];
  creationTimestamp?: string;
  version?: string;
}

/** Parses `manifest.json`; throws CsvFormatError naming what is missing. */
export function parseInventoryManifest(text: string): InventoryManifest {
  let value: Partial<InventoryManifest>;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CsvFormatError(`inventory manifest.json is not valid JSON: ${(err as Error).message}`);
  }
  if (!value || typeof value !== 'object') throw new CsvFormatError('inventory manifest.json is not a JSON object');
  if (value.fileFormat !== undefined && String(value.fileFormat).toUpperCase() !== 'CSV') {
    throw new CsvFormatError(`inventory fileFormat is ${JSON.stringify(value.fileFormat)}; only CSV inventories can be a batch manifest`);
  }
  if (typeof value.fileSchema !== 'string') throw new CsvFormatError('inventory manifest.json has no fileSchema');
  if (!Array.isArray(value.files) || value.files.some((f) => !f || typeof f.key !== 'string')) {
    throw new CsvFormatError('inventory manifest.json has no files[] list of data file keys');
  }
  const columns = schemaColumns(value.fileSchema);
  if (!columns.includes('Bucket') || !columns.includes('Key')) {
    throw new CsvFormatError(`inventory fileSchema "${value.fileSchema}" lacks Bucket or Key`);
  }
  return value as InventoryManifest;
}

export function schemaColumns(fileSchema: string): string[] {
  return fileSchema.split(',').map((c) => c.trim());
}

/** The objects listed by one data file (gzip-compressed when its key ends in `.gz`). */
export function parseInventoryData(key: string, body: Buffer, fileSchema: string): ManifestEntry[] {
  const columns = schemaColumns(fileSchema);
  let text: string;
  try {
    text = (key.endsWith('.gz') ? gunzipSync(body) : body).toString('utf8');
  } catch (err) {
    throw new CsvFormatError(`inventory data file ${key} is not valid gzip: ${(err as Error).message}`);
  }
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true });
  } catch (err) {
    throw new CsvFormatError(`inventory data file ${key} is not valid CSV: ${(err as Error).message}`);
  }
  const at = (name: string) => columns.indexOf(name);
  return rows.map((row, index) => {
    const bucket = row[at('Bucket')];
    const encodedKey = row[at('Key')];
    if (!bucket || !encodedKey) throw new CsvFormatError(`inventory data file ${key} line ${index + 1} has no bucket or key`);
    const entry: ManifestEntry = { bucket, key: decodeManifestKey(encodedKey) };
    const versionId = at('VersionId') >= 0 ? row[at('VersionId')] : undefined;
    if (versionId) entry.versionId = versionId;
    return entry;
  });
}

export interface InventoryObject {
  key: string;
  size: number;
  versionId?: string;
}

export interface WrittenInventory {
  /** Key of manifest.json: what `JobManifest.fromInventoryReport` names. */
  manifestKey: string;
  /** Every object to write into the destination bucket (manifest.json last). */
  files: { key: string; body: Buffer }[];
}

/**
 * One inventory run in OSS's layout, split into data files of at most `linesPerFile` objects.
 * @param runTime names the run's folder (`YYYY-MM-DDTHH-MMZ`)
 */
export function encodeInventory(options: {
  sourceBucket: string; destinationBucket: string; prefix: string; inventoryId: string; runTime: Date;
  objects: InventoryObject[]; linesPerFile?: number;
}): WrittenInventory {
  const { sourceBucket, destinationBucket, prefix, inventoryId, objects } = options;
  const withVersions = objects.some((o) => o.versionId !== undefined);
  const fileSchema = withVersions ? 'Bucket, Key, VersionId, Size' : 'Bucket, Key, Size';
  const base = `${prefix}${sourceBucket}/${inventoryId}`;
  const stamp = options.runTime.toISOString().slice(0, 16).replace(':', '-') + 'Z';
  const perFile = Math.max(1, options.linesPerFile ?? 100_000);
  const files: WrittenInventory['files'] = [];
  for (let start = 0, part = 0; start < objects.length; start += perFile, part++) {
    const rows = objects.slice(start, start + perFile).map((o) =>
      withVersions ? [sourceBucket, encodeManifestKey(o.key), o.versionId ?? '', String(o.size)] : [sourceBucket, encodeManifestKey(o.key), String(o.size)]);
    files.push({ key: `${base}/data/${inventoryId}-${stamp}${part ? `-${part}` : ''}.csv.gz`, body: gzipSync(stringify(rows, { quoted: true })) });
  }
  const manifest: InventoryManifest = {
    sourceBucket, destinationBucket, fileFormat: 'CSV', fileSchema, version: '2019-09-01', creationTimestamp: String(options.runTime.getTime()),
    files: files.map((f) => ({ key: f.key, size: f.body.length, MD5checksum: createHash('md5').update(f.body).digest('hex').toUpperCase() })),
  };
  const manifestKey = `${base}/${stamp}/manifest.json`;
  return { manifestKey, files: [...files, { key: manifestKey, body: Buffer.from(JSON.stringify(manifest, null, 2)) }] };
}
