/**
 * An emulator in a child process, for tests that kill it (SIGKILL) and start it again on the
 * same data directory. The entry below is bundled once with esbuild (plain `node` then starts
 * it in ~100 ms); the parent reads the endpoint from the first stdout line.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { EmulatorOptions } from '../../src/emulator';

const ENTRY = `
const { startEmulator } = require(${JSON.stringify(join(__dirname, '../../src/emulator'))});
const options = JSON.parse(process.argv[2]);
startEmulator(options).then(
  (e) => process.stdout.write(e.endpoint + '\\n'),
  (err) => { process.stderr.write(String(err && err.message) + '\\n'); process.exit(3); },
);
`;

export interface ChildEmulator {
  endpoint: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ChildEmulatorBundle {
  start(options: EmulatorOptions): Promise<ChildEmulator>;
  cleanup(): void;
}

export async function bundleChildEmulator(): Promise<ChildEmulatorBundle> {
  const dir = mkdtempSync(join(tmpdir(), 'oss-emu-child-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, ENTRY);
  const file = join(dir, 'emulator.js');
  await build({ entryPoints: [entry], outfile: file, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
  return {
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
    start: (options) => new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [file, JSON.stringify({ port: 0, ...options })], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const exited = new Promise<number | null>((r) => child.on('close', r));
      child.stderr!.on('data', (d) => { stderr += d; });
      child.stdout!.on('data', (d) => {
        stdout += d;
        if (!stdout.includes('\n')) return;
        resolve({
          endpoint: stdout.trim(), child, exited, stderr: () => stderr,
          kill: async (signal = 'SIGKILL') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            await exited;
          },
        });
      });
      exited.then((code) => reject(new Error(`child emulator exited ${code}: ${stderr}`)));
    }),
  };
}
