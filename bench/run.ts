/**
 * `npm run bench [-- name…]`: every benchmark prints a ratio against a baseline measured in the
 * same run. Names: polling, manifest, synth, cold-start, cold-start-s3, engine, emulator-put, emulator-restart,
 * emulator-rss. Results also go to
 * bench/results.json (machine-readable); BENCHMARKS.md records them with the machine.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { runColdStartBench, runS3ColdStartBench } from './cold-start';
import { EMULATOR_BENCHES } from './emulator-benches';
import { runEngineBench } from './engine';
import { BenchResult, printResult } from './lib/report';
import { runManifestBench } from './manifest';
import { runPollingBench } from './polling';
import { runSynthBench } from './synth';

const BENCHES: Record<string, () => BenchResult | Promise<BenchResult>> = {
  polling: () => runPollingBench(),
  manifest: () => runManifestBench(),
  synth: () => runSynthBench(),
  'cold-start': () => runColdStartBench(),
  'cold-start-s3': () => runS3ColdStartBench(),
  engine: () => runEngineBench(),
  ...EMULATOR_BENCHES,
};

(async () => {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((n) => !(n in BENCHES));
  if (unknown.length) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  console.log(`# cdktf-oss-batch benchmarks — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`);
  const results: BenchResult[] = [];
  for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
    const result = await BENCHES[name]();
    printResult(result);
    results.push(result);
  }
  writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify({ node: process.version, date: new Date().toISOString(), results }, null, 2)}\n`);
  const missed = results.filter((r) => !r.met).map((r) => r.name);
  console.log(missed.length ? `\n${missed.length} goal(s) missed: ${missed.join('; ')}` : '\nAll goals met.');
})();
