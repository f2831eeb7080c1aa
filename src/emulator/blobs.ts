/**
 * Object bodies: one file per non-empty body under `<dataDir>/blobs/`, written while the request
 * streams in (never held whole in memory), hashed on the way (MD5 for the ETag, CRC-64 for
 * `x-oss-hash-crc64ecma`, SHA-256 when the request signed its payload) and fsync'd before the
 * store refers to it. In memory when the store does not persist.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, read, readdirSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Crc64 } from './crc64';
import { syncDirectory } from './disk';
import { EmulatorError } from './errors';

export interface BlobInfo {
  /** Undefined for an empty body (nothing is stored). */
  blob?: string;
  size: number;
  /** Uppercase hex, as the emulator's ETags. */
  md5: string;
  crc64: string;
  /** Lowercase hex; only when asked for. */
  sha256?: string;
}

export const entityTooLarge = (limit: number) => new EmulatorError('EntityTooLarge', `Your proposed upload exceeds the maximum allowed size of ${limit} bytes.`, 400);

export class Blobs {
  private readonly memory = new Map<string, Buffer>();
  /** New files since the last directory fsync (their names must be durable too). */
  private dirDirty = false;

  /** @param dir where body files live; undefined keeps them in memory. */
  constructor(private readonly dir: string | undefined) {
    if (dir) mkdirSync(dir, { recursive: true });
  }

  /** Stream `source` into a new body, at most `limit` bytes. On any failure nothing is left behind. */
  async write(source: AsyncIterable<Buffer> | Iterable<Buffer>, limit: number, withSha256 = false): Promise<BlobInfo> {
    const md5 = createHash('md5');
    const crc = new Crc64();
    const sha = withSha256 ? createHash('sha256') : undefined;
    const id = randomBytes(12).toString('hex');
    const chunks: Buffer[] = [];
    const file = this.dir ? await open(join(this.dir, id), 'w') : undefined;
    let size = 0;
    try {
      for await (const chunk of source) {
        size += chunk.length;
        if (size > limit) throw entityTooLarge(limit);
        md5.update(chunk);
        crc.update(chunk);
        sha?.update(chunk);
        if (file) await file.write(chunk);
        else chunks.push(chunk);
      }
      if (file && size > 0) await file.sync();
    } catch (err) {
      await file?.close();
      if (file) rmSync(join(this.dir!, id), { force: true });
      throw err;
    }
    await file?.close();
    if (size === 0) {
      if (file) rmSync(join(this.dir!, id), { force: true });
    } else if (!file) {
      this.memory.set(id, Buffer.concat(chunks));
    } else {
      this.dirDirty = true;
    }
    return { blob: size > 0 ? id : undefined, size, md5: md5.digest('hex').toUpperCase(), crc64: crc.digest(), sha256: sha?.digest('hex') };
  }

  /** A body already in memory (reports, fixtures). */
  writeBuffer(data: Buffer): BlobInfo {
    const info: BlobInfo = { size: data.length, md5: createHash('md5').update(data).digest('hex').toUpperCase(), crc64: new Crc64().update(data).digest() };
    if (data.length === 0) return info;
    const id = randomBytes(12).toString('hex');
    if (!this.dir) {
      this.memory.set(id, Buffer.from(data));
    } else {
      const fd = openSync(join(this.dir, id), 'w');
      try {
        writeSync(fd, data);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      this.dirDirty = true;
    }
    return { ...info, blob: id };
  }

  /**
   * A new body with the bytes of `id` (a job's copy task, which runs synchronously between
   * requests), copied 1 MiB at a time and hashed on the way; fsync'd like any body.
   */
  copy(id: string | undefined): BlobInfo {
    if (!id || !this.dir) return this.writeBuffer(this.read(id));
    const md5 = createHash('md5');
    const crc = new Crc64();
    const copyId = randomBytes(12).toString('hex');
    const from = openSync(join(this.dir, id), 'r');
    let size = 0;
    try {
      const to = openSync(join(this.dir, copyId), 'w');
      try {
        const buffer = Buffer.allocUnsafe(1024 * 1024);
        for (let n; (n = readSync(from, buffer, 0, buffer.length, size)) > 0; size += n) {
          md5.update(buffer.subarray(0, n));
          crc.update(buffer.subarray(0, n));
          writeSync(to, buffer, 0, n);
        }
        fsyncSync(to);
      } finally {
        closeSync(to);
      }
    } catch (err) {
      rmSync(join(this.dir, copyId), { force: true });
      throw err;
    } finally {
      closeSync(from);
    }
    this.dirDirty = true;
    return { blob: copyId, size, md5: md5.digest('hex').toUpperCase(), crc64: crc.digest() };
  }

  read(id: string | undefined): Buffer {
    if (!id) return Buffer.alloc(0);
    if (!this.dir) return this.memory.get(id) ?? Buffer.alloc(0);
    return readFileSync(join(this.dir, id));
  }

  /**
   * A stream of the body. The file is opened now, so a body replaced (and deleted) while the
   * answer is being sent is still read whole.
   */
  stream(id: string | undefined, range?: { start: number; end: number }): Readable {
    if (!id) return Readable.from([]);
    if (!this.dir) {
      const data = this.memory.get(id) ?? Buffer.alloc(0);
      return Readable.from([range ? data.subarray(range.start, range.end + 1) : data]);
    }
    const fd = openSync(join(this.dir, id), 'r');
    return Readable.from(readChunks(fd, range?.start ?? 0, range ? range.end + 1 : Infinity));
  }

  /** Concatenate bodies into a new one (multipart complete). */
  async concat(ids: (string | undefined)[]): Promise<BlobInfo> {
    const self = this;
    async function* all() {
      for (const id of ids) yield* self.stream(id);
    }
    return this.write(all(), Number.MAX_SAFE_INTEGER);
  }

  delete(id: string | undefined): void {
    if (!id) return;
    if (!this.dir) this.memory.delete(id);
    else rmSync(join(this.dir, id), { force: true });
  }

  /** fsync the directory if it gained files (called before the journal commits records naming them). */
  syncDirectory(): void {
    if (!this.dir || !this.dirDirty) return;
    this.dirDirty = false;
    syncDirectory(this.dir);
  }

  /** Delete body files nothing refers to (left by a kill between a commit and a delete, or mid-upload). */
  sweep(referenced: ReadonlySet<string>): number {
    if (!this.dir) return 0;
    let removed = 0;
    for (const name of readdirSync(this.dir)) {
      if (referenced.has(name)) continue;
      rmSync(join(this.dir, name), { force: true });
      removed++;
    }
    return removed;
  }

  reset(): void {
    this.memory.clear();
    if (!this.dir) return;
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }
}

/** Bytes [position, end) of the file, 256 KiB at a time. */
async function* readChunks(fd: number, position: number, end: number): AsyncGenerator<Buffer> {
  try {
    while (position < end) {
      const buffer = Buffer.allocUnsafe(Math.min(256 * 1024, end - position));
      const at = position;
      const n = await new Promise<number>((resolve, reject) => read(fd, buffer, 0, buffer.length, at, (err, bytes) => (err ? reject(err) : resolve(bytes))));
      if (n === 0) return;
      position += n;
      yield buffer.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}
