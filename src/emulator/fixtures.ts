/**
 * `--fixtures DIR`: data in from the shell. Each subfolder of DIR is a bucket, each file under it
 * an object whose key is its path below the bucket folder (`/`-separated), like s3rver's
 * configured buckets. Loaded at start through the same body path as PutObject; an object that
 * already exists in the data directory is replaced by the file.
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { MAX_OBJECT_BYTES, MAX_KEY_BYTES } from './object-rules';
import type { Store } from './store';

const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const CONTENT_TYPES: Record<string, string> = {
  '.txt': 'text/plain', '.csv': 'text/csv', '.json': 'application/json', '.xml': 'application/xml', '.html': 'text/html',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.pdf': 'application/pdf', '.log': 'text/plain',
};

export class FixturesError extends Error {}

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

/** Load DIR into the store; returns the number of buckets and objects loaded. */
export async function loadFixtures(store: Store, dir: string, clock: () => Date): Promise<{ buckets: number; objects: number }> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new FixturesError(`--fixtures ${dir}: ${(err as Error).message}`);
  }
  let buckets = 0;
  let objects = 0;
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const bucketDir = join(dir, entry.name);
    if (!entry.isDirectory()) throw new FixturesError(`--fixtures ${dir}: ${entry.name} is not a folder; put objects in a folder named after their bucket`);
    if (!BUCKET_NAME.test(entry.name)) throw new FixturesError(`--fixtures ${dir}: folder "${entry.name}" is not a bucket name (3-63 lowercase letters, digits or hyphens)`);
    const now = clock().toISOString();
    store.createBucket({ name: entry.name, created: now, storageClass: 'Standard', versioning: 'Off' });
    buckets++;
    for (const file of filesUnder(bucketDir)) {
      const key = relative(bucketDir, file).split(sep).join('/');
      if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new FixturesError(`--fixtures: ${file}: the key is longer than ${MAX_KEY_BYTES} bytes`);
      if (statSync(file).size > MAX_OBJECT_BYTES) throw new FixturesError(`--fixtures: ${file} is larger than 5 GiB`);
      const body = await store.blobs.write(createReadStream(file), MAX_OBJECT_BYTES);
      store.putObject(entry.name, key, {
        etag: body.md5, size: body.size, crc64: body.crc64, blob: body.blob, storageClass: 'Standard', acl: 'default',
        contentType: CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', lastModified: now, tags: [],
      });
      objects++;
    }
  }
  await store.durable();
  return { buckets, objects };
}
