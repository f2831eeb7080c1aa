/**
 * Seeded fault schedules for the reliability suite: which faults the emulator injects and at which
 * step the handler process is killed. Pure, so a failing seed replays exactly.
 */
import { seededRandom } from '../../src/emulator/faults';

export type KillPoint = 'none' | 'at-start' | 'after-create' | 'mid-poll' | 'mid-list' | 'mid-upload';

export interface Schedule {
  seed: number;
  kind: 'batch-job' | 'manifest-from-prefix';
  faults: string;
  kill: KillPoint;
  objects: number;
  tasksPerSecond: number;
}

const HANDLER_APIS = ['CreateJob', 'DescribeJob', 'UpdateJobStatus', 'ListObjectsV2', 'PutObject', 'InitiateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload', 'GetObject'];

export function makeSchedule(seed: number): Schedule {
  const random = seededRandom(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const kind = random() < 0.7 ? 'batch-job' : 'manifest-from-prefix';
  const rate = (max: number) => (random() * max).toFixed(3);
  const apis = HANDLER_APIS.filter(() => random() < 0.7);
  const faults = [
    `500:${rate(0.1)}`, `503:${rate(0.1)}`, `slowdown:${rate(0.1)}`, `reset:${rate(0.1)}`, `reset-after:${rate(0.1)}`,
    `timeout:${rate(0.03)}`, 'timeoutMs:1500', `latency:0-${Math.floor(random() * 30)}ms`,
    ...(apis.length ? [`apis:${apis.join('|')}`] : []),
  ].join(',');
  const kill = kind === 'batch-job'
    ? pick<KillPoint>(['none', 'at-start', 'after-create', 'mid-poll'])
    : pick<KillPoint>(['none', 'at-start', 'mid-list', 'mid-upload']);
  return {
    seed, kind, faults, kill,
    objects: kind === 'batch-job' ? 10 + Math.floor(random() * 30) : 3000,
    // Slow jobs only where a kill mid-poll needs a second DescribeJob.
    tasksPerSecond: kill === 'mid-poll' ? 20 : 0,
  };
}

/** The emulator request that triggers the kill: API name and how many of them to wait for. */
export function killTrigger(kill: KillPoint): { api: string; count: number } | undefined {
  switch (kill) {
    case 'after-create': return { api: 'CreateJob', count: 1 };
    case 'mid-poll': return { api: 'DescribeJob', count: 2 };
    case 'mid-list': return { api: 'ListObjectsV2', count: 2 };
    case 'mid-upload': return { api: 'UploadPart', count: 1 };
    default: return undefined;
  }
}
