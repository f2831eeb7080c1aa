// Build: bundle the handler (shipped as a TerraformAsset) and the CLI with esbuild, compile the
// library with jsii (checks the public API is jsii-compatible; output lib/ and .jsii), and
// generate the API reference into dist/API.md. `npm run docgen` copies it to API.md;
// test/api-md.test.ts fails when the committed API.md is stale.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'none' };

await build({ ...common, entryPoints: ['src/handler/main.ts'], outfile: 'dist/handler/handler.js' });
await build({ ...common, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli/oss-batch.js', banner: { js: '#!/usr/bin/env node' } });
chmodSync('dist/cli/oss-batch.js', 0o755);

if (!process.argv.includes('--bundles-only')) {
  // jsii and jsii-docgen warn loudly about Node 20 being end-of-life; the build still works on it.
  const env = { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '1', JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: '1', JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' };
  const run = (bin, args) => execFileSync(`node_modules/.bin/${bin}`, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  run('jsii', ['--silence-warnings=reserved-word']);
  mkdirSync('dist', { recursive: true });
  run('jsii-docgen', ['-o', 'dist/API.md']);
}
