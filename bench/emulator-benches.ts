/** The emulator benchmarks, registered in bench/run.ts under these names. */
import { runEmulatorPutBench, runEmulatorRestartBench } from './emulator-put';
import { runEmulatorRssBench } from './emulator-rss';
import type { BenchResult } from './lib/report';

export const EMULATOR_BENCHES: Record<string, () => Promise<BenchResult>> = {
  'emulator-put': () => runEmulatorPutBench(),
  'emulator-restart': () => runEmulatorRestartBench(),
  'emulator-rss': () => runEmulatorRssBench(),
};
