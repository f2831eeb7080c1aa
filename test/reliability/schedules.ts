/**
 * Seeded fault schedules for the reliability suite: which faults the emulator injects and at which
 * step the handler process is killed, for the OSS handler or the S3 handler. Pure, so a failing
 * seed replays exactly.
 */
import { seededRandom } from '../../src/emulator/faults';

export type KillPoint = 'none' | 'at-start' | 'after-create' | 'mid-poll' | 'mid-list' | 'mid-upload';
export type Backend = 'oss' | 's3';

export interface Schedule {
  seed: number;
  backend: Backend;
  /** A batch job or a prefix manifest (of the schedule's backend). */
  kind: 'job' | 'manifest';
  faults: string;
  kill: KillPoint;
  objects: number;
  tasksPerSecond: number;
}

/** The emulator's names of the APIs each handler calls (S3 names as the emulator logs and selects them). */
const HANDLER_APIS: Record<Backend, string[]> = {
  oss: ['CreateJob', 'DescribeJob', 'UpdateJobStatus', 'ListObjectsV2', 'PutObject', 'InitiateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload', 'GetObject'],
  s3: [
    'S3Control:CreateJob', 'S3Control:DescribeJob', 'S3Control:UpdateJobStatus', 'S3:ListObjectsV2', 'S3:PutObject', 'S3:CreateMultipartUpload',
    'S3:UploadPart', 'S3:CompleteMultipartUpload', 'S3:GetObject', 'S3:HeadObject',
  ],
};

export function makeSchedule(seed: number, backend: Backend = 'oss'): Schedule {
  const random = seededRandom(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const kind = random() < 0.7 ? 'job' : 'manifest';
  const rate = (max: number) => (random() * max).toFixed(3);
  const apis = HANDLER_APIS[backend].filter(() => random() < 0.7);
  const faults = [
    `500:${rate(0.1)}`, `503:${rate(0.1)}`, `slowdown:${rate(0.1)}`, `reset:${rate(0.1)}`, `reset-after:${rate(0.1)}`,
    `timeout:${rate(0.03)}`, 'timeoutMs:1500', `latency:0-${Math.floor(random() * 30)}ms`,
    ...(apis.length ? [`apis:${apis.join('|')}`] : []),
  ].join(',');
  const kill = kind === 'job'
    ? pick<KillPoint>(['none', 'at-start', 'after-create', 'mid-poll'])
    : pick<KillPoint>(['none', 'at-start', 'mid-list', 'mid-upload']);
  return {
    seed, backend, kind, faults, kill,
    objects: kind === 'job' ? 10 + Math.floor(random() * 30) : 3000,
    // Slow jobs only where a kill mid-poll needs a second DescribeJob.
    tasksPerSecond: kill === 'mid-poll' ? 20 : 0,
  };
}

/** The emulator request that triggers the kill: API name (as logged) and how many of them to wait for. */
export function killTrigger(kill: KillPoint, backend: Backend = 'oss'): { api: string; count: number } | undefined {
  const control = backend === 's3' ? 'S3Control:' : '';
  const objects = backend === 's3' ? 'S3:' : '';
  switch (kill) {
    case 'after-create': return { api: `${control}CreateJob`, count: 1 };
    case 'mid-poll': return { api: `${control}DescribeJob`, count: 2 };
    case 'mid-list': return { api: `${objects}ListObjectsV2`, count: 2 };
    case 'mid-upload': return { api: `${objects}UploadPart`, count: 1 };
    default: return undefined;
  }
}
