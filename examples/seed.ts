/**
 * Sample data for the examples, used by `npm run demo` and the end-to-end tests: two buckets
 * and a few objects under the prefixes the examples target.
 */
import { OssClient } from '../src/oss/client';
import { encodeManifestLine } from '../src/oss/csv';

export const SOURCE_BUCKET = 'demo-photos';
export const OPS_BUCKET = 'demo-ops';

export interface SeedCounts {
  raw: number;
  archive: number;
  logs: number;
  docs: number;
}

export const DEFAULT_SEED: SeedCounts = { raw: 25, archive: 4, logs: 12, docs: 6 };

export async function seedExampleData(client: OssClient, counts: SeedCounts = DEFAULT_SEED): Promise<void> {
  await client.createBucket(SOURCE_BUCKET);
  await client.createBucket(OPS_BUCKET);
  const put = (key: string, body: string, storageClass?: string) => client.putObject(SOURCE_BUCKET, key, body, { storageClass });
  const jobs: Promise<unknown>[] = [];
  for (let i = 0; i < counts.raw; i++) jobs.push(put(`raw/IMG_${String(i).padStart(4, '0')}.jpg`, `jpeg bytes ${i}`));
  for (let i = 0; i < counts.archive; i++) jobs.push(put(`archive/2019/scan-${i}.tif`, `tiff ${i}`, i % 2 ? 'ColdArchive' : 'Archive'));
  for (let i = 0; i < counts.logs; i++) jobs.push(put(`logs/app-${i}.log`, `log line ${i}\n`));
  const docs = Array.from({ length: counts.docs }, (_, i) => `docs/shared report ${i}, v2.pdf`);
  for (const key of docs) jobs.push(put(key, `pdf ${key}`));
  await Promise.all(jobs);
  await client.putObject(OPS_BUCKET, 'manifests/shared-docs.csv', docs.map((k) => encodeManifestLine(SOURCE_BUCKET, k)).join(''), { contentType: 'text/csv' });
}
