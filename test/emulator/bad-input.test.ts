/**
 * Bad input is the client's fault (4xx, never a 5xx a client would retry), bodies are read only
 * after the signature check and within limits, no body file outlives its object, and a corrupt
 * store stops the start with one error naming the file.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '../../src/emulator';
import { StoreCorruptError } from '../../src/emulator';
import { lockToken } from '../../src/emulator/disk';
import type { OssClient } from '../../src/oss/client';
import { encodeTagging } from '../../src/oss/xml/objects';
import { decodeErrorXml } from '../../src/oss/xml/error';
import { clientFor, ossError, RawResponse, rejection, signedRaw, start, stopAndClean } from './helpers';

const code = (res: RawResponse) => [res.status, decodeErrorXml(res.body)?.code];

describe('bad documents and limits', () => {
  let emulator: RunningEmulator;
  let client: OssClient;
  beforeAll(async () => {
    emulator = await start();
    client = clientFor(emulator);
    for (const b of ['bad', 'reports']) await client.createBucket(b);
    await client.putObject('bad', 'k', 'v');
  });
  afterAll(() => stopAndClean(emulator));

  test.each([
    ['an external entity', '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><Tagging><TagSet><Tag><Key>&x;</Key><Value>v</Value></Tag></TagSet></Tagging>'],
    ['more than 100 levels', `<Tagging>${'<a>'.repeat(150)}${'</a>'.repeat(150)}</Tagging>`],
    ['a <__proto__> element', '<Tagging><__proto__><polluted>1</polluted></__proto__><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>'],
    ['not XML at all', 'hello'],
  ])('PutObjectTagging with %s is 400 MalformedXML', async (_, body) => {
    expect(code(await signedRaw(emulator, { method: 'PUT', bucket: 'bad', key: 'k', query: { tagging: null }, body }))).toEqual([400, 'MalformedXML']);
  });

  test('CreateJob with a <__proto__> element or an entity is 400 MalformedXML', async () => {
    for (const body of ['<CreateJobRequest><__proto__/></CreateJobRequest>', '<!DOCTYPE d [<!ENTITY e "x">]><CreateJobRequest>&e;</CreateJobRequest>']) {
      expect(code(await signedRaw(emulator, { method: 'POST', query: { batchJob: null }, body }))).toEqual([400, 'MalformedXML']);
    }
  });

  test('a bad versioning status is 400 MalformedXML (not 500)', async () => {
    const body = '<VersioningConfiguration><Status>On</Status></VersioningConfiguration>';
    expect(code(await signedRaw(emulator, { method: 'PUT', bucket: 'bad', query: { versioning: null }, body }))).toEqual([400, 'MalformedXML']);
  });

  test('keys are at most 1,023 bytes of UTF-8', async () => {
    await client.putObject('bad', 'k'.repeat(1023), 'ok');
    const tooLong = await ossError(client.putObject('bad', 'k'.repeat(1024), 'no'));
    expect([tooLong.status, tooLong.code]).toEqual([400, 'InvalidObjectName']);
    const multibyte = await ossError(client.putObject('bad', 'é'.repeat(512), 'no')); // 1,024 bytes
    expect(multibyte.code).toBe('InvalidObjectName');
  });

  test('at most 10 tags, on PutObjectTagging and in x-oss-tagging', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect((await ossError(client.putObjectTagging('bad', 'k', eleven))).code).toBe('InvalidTag');
    await client.putObjectTagging('bad', 'k', eleven.slice(0, 10));
    const header = eleven.map((t) => `${t.key}=${t.value}`).join('&');
    const res = await signedRaw(emulator, { method: 'PUT', bucket: 'bad', key: 'tagged', headers: { 'x-oss-tagging': header }, body: 'x' });
    expect(code(res)).toEqual([400, 'InvalidTag']);
    expect((await ossError(client.getObject('bad', 'tagged'))).code).toBe('NoSuchKey');
  });

  test.each(['abc', '0', '1001', '-1', '1.5', ''])('max-keys=%s is 400 InvalidArgument', async (maxKeys) => {
    const res = await signedRaw(emulator, { method: 'GET', bucket: 'bad', query: { 'list-type': '2', 'max-keys': maxKeys } });
    expect(code(res)).toEqual([400, 'InvalidArgument']);
  });

  test('max-keys 1 and 1000 are fine', async () => {
    expect((await client.listObjectsV2('bad', { maxKeys: 1 })).contents).toHaveLength(1);
    expect((await client.listObjectsV2('bad', { maxKeys: 1000 })).isTruncated).toBe(false);
  });

  test('an XML body over 1 MiB is refused (400 EntityTooLarge), declared or not', async () => {
    const big = `<Tagging><TagSet>${' '.repeat(1024 * 1024)}</TagSet></Tagging>`;
    expect(code(await signedRaw(emulator, { method: 'PUT', bucket: 'bad', key: 'k', query: { tagging: null }, body: big }))).toEqual([400, 'EntityTooLarge']);
  });

  test('a PutObject declaring more than 5 GiB is refused before a byte is read', async () => {
    const res = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(emulator.port, emulator.host, () => {
        socket.write(`PUT /bad/huge HTTP/1.1\r\nHost: ${emulator.host}:${emulator.port}\r\nContent-Length: ${5 * 1024 ** 3 + 1}\r\n\r\n`);
      });
      let data = '';
      socket.on('data', (d) => { data += d; });
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    // unsigned: the signature check comes first and answers without reading the body
    expect(res).toMatch(/^HTTP\/1\.1 403 /);
    expect(res).toContain('<Code>AccessDenied</Code>');
    expect(res.toLowerCase()).toContain('connection: close');
  });

  test('a signed PutObject declaring more than 5 GiB is 400 EntityTooLarge', async () => {
    const res = await signedRaw(emulator, { method: 'PUT', bucket: 'bad', key: 'huge', headers: { 'content-length': String(5 * 1024 ** 3 + 1) } })
      .catch((err: Error) => err);
    // node sends the declared length but no body; the emulator answers at once and closes
    if (res instanceof Error) throw res;
    expect(code(res)).toEqual([400, 'EntityTooLarge']);
  });
});

describe('digests the client sent', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await start();
    await clientFor(emulator).createBucket('dig');
  });
  afterAll(() => stopAndClean(emulator));

  const md5 = (s: string) => createHash('md5').update(s).digest('base64');
  const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

  test('a wrong Content-MD5 is 400 InvalidDigest and stores nothing; the right one is accepted', async () => {
    const bad = await signedRaw(emulator, { method: 'PUT', bucket: 'dig', key: 'a', headers: { 'content-md5': md5('other') }, body: 'body' });
    expect(code(bad)).toEqual([400, 'InvalidDigest']);
    expect((await ossError(clientFor(emulator).getObject('dig', 'a'))).code).toBe('NoSuchKey');
    const notBase64 = await signedRaw(emulator, { method: 'PUT', bucket: 'dig', key: 'a', headers: { 'content-md5': 'nope' }, body: 'body' });
    expect(code(notBase64)).toEqual([400, 'InvalidDigest']);
    const good = await signedRaw(emulator, { method: 'PUT', bucket: 'dig', key: 'a', headers: { 'content-md5': md5('body') }, body: 'body' });
    expect(good.status).toBe(200);
  });

  test('Content-MD5 on an XML body is checked too', async () => {
    const body = encodeTagging([{ key: 'a', value: 'b' }]);
    const bad = await signedRaw(emulator, { method: 'PUT', bucket: 'dig', key: 'a', query: { tagging: null }, headers: { 'content-md5': md5('x') }, body });
    expect(code(bad)).toEqual([400, 'InvalidDigest']);
    const good = await signedRaw(emulator, { method: 'PUT', bucket: 'dig', key: 'a', query: { tagging: null }, headers: { 'content-md5': md5(body) }, body });
    expect(good.status).toBe(200);
  });

  test('a signed x-oss-content-sha256 must match the body: a replay with another body is refused', async () => {
    const signedFor = sha256('original');
    const replay = await signedRaw(emulator, { method: 'PUT', bucket: 'dig', key: 's', headers: { 'x-oss-content-sha256': signedFor }, body: 'tampered' });
    expect(code(replay)).toEqual([400, 'InvalidDigest']);
    const honest = await signedRaw(emulator, { method: 'PUT', bucket: 'dig', key: 's', headers: { 'x-oss-content-sha256': signedFor }, body: 'original' });
    expect(honest.status).toBe(200);
    const xml = encodeTagging([{ key: 'a', value: 'b' }]);
    const xmlReplay = await signedRaw(emulator, { method: 'PUT', bucket: 'dig', key: 's', query: { tagging: null }, headers: { 'x-oss-content-sha256': sha256('x') }, body: xml });
    expect(code(xmlReplay)).toEqual([400, 'InvalidDigest']);
  });
});

describe('no orphan body files', () => {
  let dataDir: string;
  let emulator: RunningEmulator | undefined;
  beforeEach(() => { dataDir = mkdtempSync(join(tmpdir(), 'oss-emu-orphans-')); });
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });
  const blobs = () => readdirSync(join(dataDir, 'blobs'));

  test('failed, overwritten and deleted PUTs, parts of aborted and completed uploads leave exactly one file per live body', async () => {
    emulator = await start({ dataDir });
    const client = clientFor(emulator);
    await client.createBucket('orph');
    for (let i = 0; i < 5; i++) await client.putObject('orph', 'same', `version ${i}`);
    await client.putObject('orph', 'gone', 'bye');
    await client.deleteObject('orph', 'gone');
    await signedRaw(emulator, { method: 'PUT', bucket: 'orph', key: 'bad', headers: { 'content-md5': 'AAAAAAAAAAAAAAAAAAAAAA==' }, body: 'x' });
    await client.putObject('orph', 'empty', '');
    const aborted = await client.initiateMultipartUpload('orph', 'mp-aborted');
    await client.uploadPart('orph', 'mp-aborted', aborted.uploadId, 1, Buffer.from('p1'));
    await client.abortMultipartUpload('orph', 'mp-aborted', aborted.uploadId);
    const done = await client.initiateMultipartUpload('orph', 'mp');
    await client.uploadPart('orph', 'mp', done.uploadId, 1, Buffer.from('first'));
    const part1 = await client.uploadPart('orph', 'mp', done.uploadId, 1, Buffer.from('again')); // replaces part 1
    await client.completeMultipartUpload('orph', 'mp', done.uploadId, [part1]);
    await client.putBucketVersioning('orph', true);
    await client.putObject('orph', 'versioned', 'a');
    await client.putObject('orph', 'versioned', 'b'); // both versions keep their bodies
    expect(blobs()).toHaveLength(4); // same, mp, versioned ×2
    expect((await client.getObject('orph', 'mp')).body.toString()).toBe('again');
  });

  test('a body file left by a kill (referenced by nothing) is removed at the next start', async () => {
    emulator = await start({ dataDir });
    await clientFor(emulator).createBucket('orph');
    await clientFor(emulator).putObject('orph', 'kept', 'body');
    await emulator.stop();
    writeFileSync(join(dataDir, 'blobs', 'deadbeefdeadbeefdeadbeef'), 'orphan');
    emulator = await start({ dataDir });
    expect(blobs()).toHaveLength(1);
    expect((await clientFor(emulator).getObject('orph', 'kept')).body.toString()).toBe('body');
  });
});

describe('a corrupt store and the lock', () => {
  let dataDir: string;
  beforeEach(() => { dataDir = mkdtempSync(join(tmpdir(), 'oss-emu-corrupt-')); });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const seeded = async () => {
    const emulator = await start({ dataDir });
    await clientFor(emulator).createBucket('corrupt');
    await clientFor(emulator).putObject('corrupt', 'k', 'v');
    await emulator.stop();
  };

  test('a damaged journal line stops the start with one error naming the file and the line', async () => {
    await seeded();
    appendFileSync(join(dataDir, 'journal-0.jsonl'), '{"t":"o",garbage}\n{"t":"b","name":"later"}\n');
    const err = await rejection(start({ dataDir }));
    expect(err).toBeInstanceOf(StoreCorruptError);
    expect((err as StoreCorruptError).path).toBe(join(dataDir, 'journal-0.jsonl'));
    expect((err as Error).message).toMatch(new RegExp(`^the emulator store ${join(dataDir, 'journal-0.jsonl')} is corrupt \\(line 3: .*\\); move the data directory away`));
    // the failed start released the lock: a repaired directory starts
    writeFileSync(join(dataDir, 'journal-0.jsonl'), '');
    await stopAndClean(await start({ dataDir }));
  });

  test('a torn last journal line (a kill mid-append) is dropped, not an error', async () => {
    await seeded();
    appendFileSync(join(dataDir, 'journal-0.jsonl'), '{"t":"b","name":"tor');
    const emulator = await start({ dataDir });
    expect((await clientFor(emulator).getObject('corrupt', 'k')).body.toString()).toBe('v');
    await stopAndClean(emulator);
  });

  test('a corrupt state.json of an older emulator names the file', async () => {
    writeFileSync(join(dataDir, 'state.json'), '{"version":1,');
    const err = await rejection(start({ dataDir }));
    expect((err as Error).message).toMatch(new RegExp(`^the emulator store ${join(dataDir, 'state.json')} is corrupt`));
  });

  test('a state.json of an older emulator is migrated into the journal store', async () => {
    writeFileSync(join(dataDir, 'state.json'), JSON.stringify({
      version: 1, uploads: [], jobs: [],
      buckets: [{ name: 'old', created: '2026-01-01T00:00:00.000Z', storageClass: 'Standard', versioning: 'Off', objects: [['k', [{ versionId: 'null', isDeleteMarker: false, etag: 'E', size: 0, storageClass: 'Standard', acl: 'default', contentType: 'text/plain', lastModified: '2026-01-01T00:00:00.000Z', tags: [] }]]] }],
    }));
    let emulator = await start({ dataDir });
    expect((await clientFor(emulator).listObjectsV2('old')).contents.map((c) => c.key)).toEqual(['k']);
    await emulator.stop();
    expect(readdirSync(dataDir)).not.toContain('state.json');
    emulator = await start({ dataDir });
    expect((await clientFor(emulator).getObject('old', 'k')).contentType).toBe('text/plain');
    await emulator.stop();
  });

  test('a lock whose pid now belongs to another process (pid reuse after a kill) is taken over', async () => {
    // our own pid is alive, but with another start time it is not the holder that wrote the lock
    const [pid, startTime] = lockToken(process.ppid).split(' ');
    if (startTime === undefined) return; // no /proc: only the pid is recorded
    writeFileSync(join(dataDir, 'emulator.lock'), `${pid} ${Number(startTime) + 1}`);
    const emulator = await start({ dataDir });
    await emulator.stop();
    // the same pid with its real start time is a live holder
    writeFileSync(join(dataDir, 'emulator.lock'), lockToken(process.ppid));
    expect(String(await rejection(start({ dataDir })))).toContain(`is in use by process ${process.ppid}`);
  });
});

describe('connections', () => {
  test('an idle keep-alive connection is still open after 6 s (longer than clients\' usual idle reuse)', async () => {
    const emulator = await start();
    try {
      const socket = net.connect(emulator.port, emulator.host);
      const request = () => new Promise<string>((resolve) => {
        socket.once('data', (d) => resolve(String(d)));
        socket.write(`GET /?batchJob HTTP/1.1\r\nHost: ${emulator.host}:${emulator.port}\r\nConnection: keep-alive\r\n\r\n`);
      });
      expect(await request()).toMatch(/^HTTP\/1\.1 403/);
      await new Promise((r) => setTimeout(r, 6000));
      expect(socket.destroyed).toBe(false);
      expect(await request()).toMatch(/^HTTP\/1\.1 403/);
      socket.destroy();
    } finally {
      await stopAndClean(emulator);
    }
  }, 15_000);
});

