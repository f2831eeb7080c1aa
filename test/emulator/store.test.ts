/**
 * The store on disk: a change is in the journal once `durable()` resolves (not before), the
 * journal is folded into a snapshot when it outgrows it, and what is read back after a restart
 * (or a crash in the middle of a compaction) is exactly what was written.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/emulator/store';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'oss-emu-store-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const now = '2026-03-01T00:00:00.000Z';
const object = (etag: string) => ({ etag, size: 0, storageClass: 'Standard', acl: 'default', contentType: 'text/plain', lastModified: now, tags: [] });
const files = () => readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();

test('a change reaches the journal file when durable() resolves, not before', async () => {
  const store = new Store(dir);
  store.createBucket({ name: 'b1', created: now, storageClass: 'Standard', versioning: 'Off' });
  store.putObject('b1', 'key-1', object('E1'));
  expect(readFileSync(join(dir, 'journal-0.jsonl'), 'utf8')).toBe('');
  await store.durable();
  expect(readFileSync(join(dir, 'journal-0.jsonl'), 'utf8')).toContain('"k":"key-1"');
  store.close();
});

test('the journal is compacted into a snapshot as it grows; a reopened store has every change in order', async () => {
  let store = new Store(dir, true, 2048);
  store.createBucket({ name: 'b1', created: now, storageClass: 'Standard', versioning: 'Off' });
  for (let i = 0; i < 300; i++) {
    store.putObject('b1', `k/${String(i % 100).padStart(3, '0')}`, object(`E${i}`)); // each key three times
    if (i % 10 === 9) await store.durable();
  }
  store.updateVersion('b1', 'k/007', undefined, { tags: [{ key: 't', value: 'v' }] });
  store.deleteKey('b1', 'k/099');
  store.createUpload({ uploadId: 'U1', bucket: 'b1', key: 'mp', options: { contentType: 'x', storageClass: 'Standard', acl: 'default', tags: [] }, parts: {} });
  await store.durable();
  const generations = files();
  expect(generations).toContain('snapshot.jsonl');
  expect(generations.find((f) => f.startsWith('journal-'))).not.toBe('journal-0.jsonl');
  expect(generations.filter((f) => f.startsWith('journal-'))).toHaveLength(1);
  store.close();

  store = new Store(dir, true, 2048);
  const keys = [...store.liveObjects('b1', 'k/')].map(([k, v]) => [k, v.etag]);
  expect(keys).toHaveLength(99);
  expect(keys[0]).toEqual(['k/000', 'E200']);
  expect(keys[98]).toEqual(['k/098', 'E298']);
  expect(store.version('b1', 'k/007').tags).toEqual([{ key: 't', value: 'v' }]);
  expect(store.upload('U1')?.key).toBe('mp');
  store.close();
});

test('a crash after the snapshot was renamed but before the old journal was removed: the old journal is ignored and removed', async () => {
  let store = new Store(dir, true, 1024);
  store.createBucket({ name: 'b1', created: now, storageClass: 'Standard', versioning: 'Off' });
  for (let i = 0; i < 50; i++) {
    store.putObject('b1', `k${i}`, object('NEW'));
    await store.durable();
  }
  store.close();
  const stale = 'journal-0.jsonl';
  expect(files()).not.toContain(stale);
  writeFileSync(join(dir, stale), `${JSON.stringify({ t: 'o', b: 'b1', k: 'k1', v: [{ ...object('OLD'), versionId: 'null', isDeleteMarker: false }] })}\n`);
  store = new Store(dir, true, 1024);
  expect(store.version('b1', 'k1').etag).toBe('NEW');
  expect(existsSync(join(dir, stale))).toBe(false);
  store.close();
});

test('reset is durable: a reopened store is empty', async () => {
  let store = new Store(dir);
  store.createBucket({ name: 'b1', created: now, storageClass: 'Standard', versioning: 'Off' });
  await store.durable();
  store.reset();
  store.close();
  store = new Store(dir);
  expect(store.hasBucket('b1')).toBe(false);
  store.close();
});

test('a kill while a background compaction wrote its snapshot: both journals are replayed, in order, and the partial snapshot is dropped', async () => {
  const bucket = { t: 'b', name: 'b1', created: now, storageClass: 'Standard', versioning: 'Off' };
  const version = (etag: string) => [{ ...object(etag), versionId: 'null', isDeleteMarker: false }];
  writeFileSync(join(dir, 'journal-0.jsonl'), [bucket, { t: 'o', b: 'b1', k: 'a', v: version('OLD') }, { t: 'o', b: 'b1', k: 'gone', v: version('X') }].map((r) => `${JSON.stringify(r)}\n`).join(''));
  writeFileSync(join(dir, 'journal-1.jsonl'), [{ t: 'o', b: 'b1', k: 'a', v: version('NEW') }, { t: 'o', b: 'b1', k: 'gone', v: [] }].map((r) => `${JSON.stringify(r)}\n`).join(''));
  writeFileSync(join(dir, `snapshot.jsonl.${process.pid}.tmp`), '{"t":"snapshot","format":2,"generation":1}\n{"t":"b","na');
  const store = new Store(dir);
  expect([...store.liveObjects('b1', '')].map(([k, v]) => [k, v.etag])).toEqual([['a', 'NEW']]);
  store.putObject('b1', 'c', object('C'));
  await store.durable();
  expect(readFileSync(join(dir, 'journal-1.jsonl'), 'utf8')).toContain('"k":"c"'); // appends go on in the newest journal
  expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  store.close();
});

test('a background compaction lets writes go on; what it leaves reopens exactly', async () => {
  let store = new Store(dir, true, 4096);
  store.createBucket({ name: 'b1', created: now, storageClass: 'Standard', versioning: 'Off' });
  for (let i = 0; i < 2000; i++) {
    store.putObject('b1', `k/${String(i % 500).padStart(4, '0')}`, object(`E${i}`));
    if (i % 50 === 49) await store.durable();
  }
  await store.durable();
  store.close(); // possibly in the middle of a compaction
  store = new Store(dir, true, 4096);
  const keys = [...store.liveObjects('b1', 'k/')];
  expect(keys).toHaveLength(500);
  expect(keys.map(([, v]) => v.etag)).toEqual(Array.from({ length: 500 }, (_, i) => `E${1500 + i}`));
  store.close();
});
