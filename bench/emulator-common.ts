/**
 * Helpers of the emulator benchmarks: an emulator in a child process (bundled once with esbuild,
 * so its start is not TypeScript loading), a data directory seeded straight through the store,
 * and the RSS of a process.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { EmulatorOptions } from '../src/emulator';
import { Store } from '../src/emulator/store';

let bundled: string | undefined;

async function bundle(): Promise<string> {
  if (bundled) return bundled;
  const dir = mkdtempSync(join(tmpdir(), 'oss-bench-emu-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, `
const { startEmulator } = require(${JSON.stringify(resolve(__dirname, '../src/emulator'))});
startEmulator(JSON.parse(process.argv[2])).then((e) => process.stdout.write(e.endpoint + '\\n'), (err) => { console.error(err); process.exit(3); });
process.on('SIGTERM', () => process.exit(0));
`);
  bundled = join(dir, 'emulator.js');
  await build({ entryPoints: [entry], outfile: bundled, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
  return bundled;
}

export interface ChildEmulator {
  endpoint: string;
  child: ChildProcess;
  /** Spawn → "listening" line. */
  startSeconds: number;
  stop(): Promise<void>;
}

export async function startChildEmulator(options: EmulatorOptions): Promise<ChildEmulator> {
  const file = await bundle();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [file, JSON.stringify({ port: 0, ...options })], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.on('close', () => r()));
  const endpoint = await new Promise<string>((resolvePromise, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => { out += d; if (out.includes('\n')) resolvePromise(out.trim()); });
    exited.then(() => reject(new Error('the emulator exited before it listened')));
  });
  return {
    endpoint, child, startSeconds: Number(process.hrtime.bigint() - started) / 1e9,
    stop: async () => { child.kill('SIGTERM'); await exited; },
  };
}

/** A data directory holding `count` bodiless objects in bucket `bench` (written through the store, like PUTs without the HTTP). */
export async function seededDataDir(count: number): Promise<{ dataDir: string; seconds: number; cleanup: () => void }> {
  const dataDir = mkdtempSync(join(tmpdir(), `oss-bench-data-${count}-`));
  const started = process.hrtime.bigint();
  const store = new Store(dataDir);
  const now = new Date().toISOString();
  store.createBucket({ name: 'bench', created: now, storageClass: 'Standard', versioning: 'Off' });
  for (let i = 0; i < count; i++) {
    store.putObject('bench', `seed/${String(i).padStart(8, '0')}`, {
      etag: 'D41D8CD98F00B204E9800998ECF8427E', size: 0, crc64: '0', storageClass: 'Standard', acl: 'default', contentType: 'application/octet-stream', lastModified: now, tags: [],
    });
    if (i % 20_000 === 19_999) await store.durable(); // let the journal write as it goes
  }
  await store.durable();
  store.close();
  return { dataDir, seconds: Number(process.hrtime.bigint() - started) / 1e9, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** Resident set size of a process (Linux /proc), MiB. */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU time (user + system) a process has used so far, seconds (Linux /proc; clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
