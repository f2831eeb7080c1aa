/**
 * Whatever a client sends as a document, the answer is never a 5xx (clients retry those):
 * random text, XML-like fragments and mutated valid documents for every API that takes a body.
 */
import fc from 'fast-check';
import type { RunningEmulator } from '../../src/emulator';
import { encodeCreateJobRequest } from '../../src/oss/xml/batch';
import { encodeCompleteMultipartUpload, encodeRestoreRequest, encodeTagging, encodeVersioningConfiguration } from '../../src/oss/xml/objects';
import { clientFor, jobInput, signedRaw, SignedRawRequest, start, stopAndClean } from './helpers';

let emulator: RunningEmulator;
let uploadId: string;
beforeAll(async () => {
  emulator = await start();
  const client = clientFor(emulator);
  for (const b of ['fuzz', 'source', 'reports']) await client.createBucket(b);
  await client.putObject('fuzz', 'k', 'v');
  await client.putObject('fuzz', 'cold', 'v', { storageClass: 'Archive' });
  ({ uploadId } = await client.initiateMultipartUpload('fuzz', 'mp'));
});
afterAll(() => stopAndClean(emulator));

const targets = (): { name: string; req: SignedRawRequest; valid: string }[] => [
  { name: 'CreateJob', req: { method: 'POST', query: { batchJob: null } }, valid: encodeCreateJobRequest(jobInput()) },
  { name: 'PutObjectTagging', req: { method: 'PUT', bucket: 'fuzz', key: 'k', query: { tagging: null } }, valid: encodeTagging([{ key: 'a', value: 'b' }]) },
  { name: 'PutBucketVersioning', req: { method: 'PUT', bucket: 'fuzz', query: { versioning: null } }, valid: encodeVersioningConfiguration(false) },
  { name: 'CompleteMultipartUpload', req: { method: 'POST', bucket: 'fuzz', key: 'mp', query: { uploadId } }, valid: encodeCompleteMultipartUpload([{ partNumber: 1, etag: 'x' }]) },
  { name: 'RestoreObject', req: { method: 'POST', bucket: 'fuzz', key: 'cold', query: { restore: null } }, valid: encodeRestoreRequest({ days: 1 }) },
  { name: 'PutBucket', req: { method: 'PUT', bucket: 'fuzz2', query: {} }, valid: '<CreateBucketConfiguration><StorageClass>Standard</StorageClass></CreateBucketConfiguration>' },
];

/** A valid document with a slice replaced by random text, or random XML-ish text. */
const bodyFor = (valid: string) => fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.tuple(fc.nat(valid.length), fc.nat(40), fc.string({ maxLength: 40 })).map(([at, cut, insert]) => valid.slice(0, at) + insert + valid.slice(at + cut)),
  fc.array(fc.constantFrom('<', '>', '</', '/>', '<!DOCTYPE x [<!ENTITY e "v">]>', '&e;', '&#0;', '<__proto__>', '<constructor>', '<Tag>', '<Key>', '<Days>', '-1', '9'.repeat(30), '<?xml version="1.0"?>', ']]>', '<![CDATA['), { maxLength: 30 }).map((parts) => parts.join('')),
);

test.each(['CreateJob', 'PutObjectTagging', 'PutBucketVersioning', 'CompleteMultipartUpload', 'RestoreObject', 'PutBucket'])('%s: random and mutated bodies are never answered with a 5xx', async (name) => {
  const target = targets().find((t) => t.name === name)!; // built now: the upload id exists only after beforeAll
  await fc.assert(fc.asyncProperty(bodyFor(target.valid), async (body) => {
    const res = await signedRaw(emulator, { ...target.req, body });
    expect(res.status).toBeLessThan(500);
  }), { numRuns: 60, seed: 11 });
});
