/** Everything the lifecycle touches outside itself, so tests can drive it with fakes and a fake clock. */
import type { BatchApi, ObjectApi } from '../oss/api';

export interface HandlerDeps {
  batch: BatchApi;
  objects: ObjectApi;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  /** Progress for Terraform's live output (stdout). */
  log: (line: string) => void;
}
