/**
 * Acknowledged writes survive a hard kill: 4 writers PUT objects as fast as they can, the
 * emulator process gets SIGKILL at a random moment, a new process starts on the same data
 * directory (taking over the dead one's lock), and every object answered 200 must be there with
 * its body. A job killed while Active resumes and processes all its tasks. A few trials in
 * `npm test` (TRIALS=n overrides); `npm run soak` (SOAK=1) runs 100.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMULATOR_ACCESS_KEY_ID, EMULATOR_ACCESS_KEY_SECRET, EMULATOR_REGION } from '../../src/emulator';
import { seededRandom } from '../../src/emulator/faults';
import { OssClient } from '../../src/oss/client';
import { bundleChildEmulator, ChildEmulatorBundle } from '../emulator/child-emulator';

const SOAK = process.env.SOAK === '1';
const TRIALS = SOAK ? 100 : Number(process.env.TRIALS ?? 3);
const JOB_TRIALS = SOAK ? 20 : 1;
const WRITERS = 4;
const credentials = { accessKeyId: EMULATOR_ACCESS_KEY_ID, accessKeySecret: EMULATOR_ACCESS_KEY_SECRET };

jest.setTimeout(SOAK ? 1_800_000 : 60_000);

let bundle: ChildEmulatorBundle;
beforeAll(async () => { bundle = await bundleChildEmulator(); });
afterAll(() => bundle.cleanup());

// The client keeps connections alive, as a real writer does: the kill cuts requests in flight.
const clientFor = (endpoint: string) => new OssClient({ region: EMULATOR_REGION, endpoint, credentials, retry: { maxAttempts: 1 }, timeoutMs: 5000 });

/** One trial: returns how many writes were acknowledged (all of them must survive). */
async function trial(seed: number): Promise<number> {
  const random = seededRandom(seed);
  const dataDir = mkdtempSync(join(tmpdir(), `oss-emu-kill-${seed}-`));
  try {
    // Odd seeds compact the journal every 16 KiB, so kills also land in the middle of compactions.
    const compactMinBytes = seed % 2 ? 16 * 1024 : undefined;
    const first = await bundle.start({ dataDir, compactMinBytes });
    const client = clientFor(first.endpoint);
    await client.createBucket('kill');
    const acknowledged = new Map<string, string>();
    let stop = false;
    const writer = async (w: number) => {
      for (let n = 0; !stop; n++) {
        const key = `w${w}/${String(n).padStart(6, '0')}`;
        const body = `${key} seed ${seed} ${'x'.repeat(Math.floor(random() * 2000))}`;
        try {
          await client.putObject('kill', key, body);
          acknowledged.set(key, body);
        } catch {
          return; // the process is gone: no answer, no promise
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    await new Promise((r) => setTimeout(r, 30 + Math.floor(random() * 300)));
    await first.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);

    const second = await bundle.start({ dataDir, compactMinBytes });
    try {
      const after = clientFor(second.endpoint);
      const listed = new Set<string>();
      let token: string | undefined;
      do {
        const page = await after.listObjectsV2('kill', { maxKeys: 1000, continuationToken: token });
        for (const c of page.contents) listed.add(c.key);
        token = page.nextContinuationToken;
      } while (token);
      const missing = [...acknowledged.keys()].filter((k) => !listed.has(k));
      expect({ seed, missing }).toEqual({ seed, missing: [] });
      // bodies: every one for a short run, a sample otherwise
      const keys = [...acknowledged.keys()];
      for (let i = 0; i < keys.length; i += Math.max(1, Math.floor(keys.length / 50))) {
        expect((await after.getObject('kill', keys[i])).body.toString()).toBe(acknowledged.get(keys[i]));
      }
    } finally {
      await second.kill('SIGTERM');
    }
    return acknowledged.size;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test(`no acknowledged PUT is lost when the emulator is SIGKILLed (${TRIALS} trials, ${WRITERS} writers)`, async () => {
  let total = 0;
  for (let seed = 1; seed <= TRIALS; seed++) total += await trial(seed);
  expect(total).toBeGreaterThan(0);
  if (SOAK) console.log(`${TRIALS} SIGKILL trials: ${total} acknowledged PUTs, all found after the restart`);
});

test.each(Array.from({ length: JOB_TRIALS }, (_, i) => i + 1))('a job killed while Active resumes after the restart and processes every task (trial %i)', async (seed) => {
  const killAfter = 1 + Math.floor(seededRandom(seed)() * 25);
  const dataDir = mkdtempSync(join(tmpdir(), 'oss-emu-kill-job-'));
  try {
    const first = await bundle.start({ dataDir, tasksPerSecond: 40 });
    let client = clientFor(first.endpoint);
    await client.createBucket('src');
    await client.createBucket('ops');
    const keys = Array.from({ length: 30 }, (_, i) => `data/${String(i).padStart(3, '0')}`);
    for (const key of keys) await client.putObject('src', key, key);
    const { jobId } = await client.createJob({
      operation: { type: 'PutObjectTagging', tags: [{ key: 'done', value: 'yes' }] }, report: { bucket: 'ops', enabled: true, prefix: 'r/' },
      clientRequestToken: `kill-job-${seed}`, keyPrefixManifestGenerator: { sourceBucket: 'src', prefix: 'data/' }, priority: 1,
      roleArn: 'acs:ram::1234567890123456:role/BatchRole',
    });
    for (const deadline = Date.now() + 10_000; ;) {
      const job = await client.describeJob(jobId);
      if (job.status === 'Active' && job.progressSummary.numberOfTasksSucceeded >= killAfter) break;
      if (Date.now() > deadline) throw new Error(`job ${jobId} is ${job.status} with ${job.progressSummary.numberOfTasksSucceeded} tasks done`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await first.kill('SIGKILL');

    const second = await bundle.start({ dataDir });
    try {
      client = clientFor(second.endpoint);
      let job = await client.describeJob(jobId);
      for (const deadline = Date.now() + 10_000; job.status !== 'Complete' && Date.now() < deadline;) {
        await new Promise((r) => setTimeout(r, 20));
        job = await client.describeJob(jobId);
      }
      expect(job.status).toBe('Complete');
      expect(job.progressSummary).toMatchObject({ totalNumberOfTasks: 30, numberOfTasksSucceeded: 30, numberOfTasksFailed: 0 });
      for (const key of keys) expect(await client.getObjectTagging('src', key)).toEqual([{ key: 'done', value: 'yes' }]);
    } finally {
      await second.kill('SIGTERM');
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.each(Array.from({ length: SOAK ? 20 : 2 }, (_, i) => i + 1))('four emulators started at once on the directory of a killed one: exactly one gets it (trial %i)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'oss-emu-kill-lock-'));
  try {
    const first = await bundle.start({ dataDir });
    await first.kill('SIGKILL'); // leaves a stale lock
    const starts = await Promise.allSettled(Array.from({ length: 4 }, () => bundle.start({ dataDir })));
    const winners = starts.filter((s) => s.status === 'fulfilled');
    for (const w of winners) await (w as PromiseFulfilledResult<Awaited<ReturnType<ChildEmulatorBundle['start']>>>).value.kill('SIGTERM');
    expect(winners).toHaveLength(1);
    for (const s of starts) {
      if (s.status === 'rejected') expect(String(s.reason)).toMatch(/is in use by process \d+|another emulator is starting on it at the same time/);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
