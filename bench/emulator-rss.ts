/**
 * Emulator memory under a large unsigned upload: the RSS growth of the emulator process while a
 * 64 MB PUT without a signature is refused (it must not be read into memory), against a signed
 * 64 MB PUT that is accepted (streamed to disk).
 */
import http from 'node:http';
import { EMULATOR_REGION } from '../src/emulator';
import { signRequest } from '../src/oss/signer';
import { rssMiB, startChildEmulator } from './emulator-common';
import { BenchResult } from './lib/report';

const SIZE = 64 * 1024 * 1024;
const CHUNK = Buffer.alloc(1024 * 1024, 'u');

/** Send a 64 MB PUT in 1 MiB chunks while sampling the emulator's RSS; resolves with the peak growth (MiB) and the status. */
function upload(endpoint: string, pid: number, headers: Record<string, string>): Promise<{ growth: number; status: number }> {
  const url = new URL(endpoint);
  const before = rssMiB(pid);
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, rssMiB(pid)); }, 5);
  return new Promise((resolve) => {
    const req = http.request({ hostname: url.hostname, port: url.port, method: 'PUT', path: '/bench/big.bin', agent: false, headers: { 'content-length': String(SIZE), ...headers } });
    let status = 0;
    const done = () => {
      clearInterval(sampler);
      peak = Math.max(peak, rssMiB(pid));
      resolve({ growth: peak - before, status });
    };
    req.on('response', (res) => { status = res.statusCode ?? 0; res.resume(); res.on('end', done); });
    req.on('error', () => done()); // the emulator may close the connection before the body is sent
    let sent = 0;
    const pump = () => {
      while (sent < SIZE) {
        sent += CHUNK.length;
        if (!req.write(CHUNK)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

export async function runEmulatorRssBench(): Promise<BenchResult> {
  const emulator = await startChildEmulator({});
  try {
    const credentials = { accessKeyId: 'LTAIemulatorAccessKey1', accessKeySecret: 'emulator-access-key-secret' };
    const bucket = signRequest({ method: 'PUT', bucket: 'bench', query: {}, headers: {} }, credentials, { region: EMULATOR_REGION });
    await new Promise<void>((resolve, reject) => {
      const url = new URL(emulator.endpoint);
      http.request({ hostname: url.hostname, port: url.port, method: 'PUT', path: '/bench/', headers: bucket }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject).end();
    });
    const signed = signRequest({ method: 'PUT', bucket: 'bench', key: 'big.bin', query: {}, headers: {} }, credentials, { region: EMULATOR_REGION });
    const accepted = await upload(emulator.endpoint, emulator.child.pid!, signed);
    const refused = await upload(emulator.endpoint, emulator.child.pid!, {});
    return {
      name: 'Emulator RSS growth during a 64 MB PUT: unsigned (refused) vs signed (stored)',
      baseline: { label: `signed 64 MB PUT, streamed to disk (HTTP ${accepted.status})`, value: accepted.growth, unit: 'MiB' },
      ours: { label: `unsigned 64 MB PUT (HTTP ${refused.status || 'connection closed'})`, value: refused.growth, unit: 'MiB' },
      ratio: refused.growth > 0 ? accepted.growth / refused.growth : Infinity, ratioLabel: 'signed / unsigned growth',
      goal: 'unsigned < 32 MB growth', met: refused.growth < 32 && refused.status === 403 && accepted.status === 200,
    };
  } finally {
    await emulator.stop();
  }
}
