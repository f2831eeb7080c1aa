/** The handler bundle carries the lifecycle core but never the simulation or benchmark harness. */
import { resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(__dirname, '../..');

test('the handler import graph has src/jobs and nothing from bench/ or test/', async () => {
  const result = await build({
    entryPoints: [resolve(root, 'src/handler/main.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', write: false, metafile: true, logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs).toEqual(expect.arrayContaining(['src/jobs/wait.ts', 'src/jobs/poller.ts', 'src/jobs/verdict.ts', 'src/jobs/report.ts']));
  expect(inputs.filter((f) => f.startsWith('bench/') || f.startsWith('test/'))).toEqual([]);
  const text = result.outputFiles[0].text;
  for (const name of ['simulatePolling', 'shapeJobs', 'observeAt']) expect(text).not.toContain(name);
});
