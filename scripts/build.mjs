// Build: bundle the handler (shipped as a TerraformAsset) and the CLI with esbuild, then compile the
// library with jsii (checks the public API is jsii-compatible; output lib/ and .jsii) and generate
// the API reference into dist/API.md (scripts/api-docs.mjs). `npm run docgen` copies it to API.md;
// test/api-md.test.ts fails when the committed API.md is stale.
//   --bundles-only  esbuild only (demo, bench, soak)
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { compileAndDocument } from './api-docs.mjs';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'none' };

await build({ ...common, entryPoints: ['src/handler/main.ts'], outfile: 'dist/handler/handler.js' });
await build({ ...common, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli/oss-batch.js', banner: { js: '#!/usr/bin/env node' } });
chmodSync('dist/cli/oss-batch.js', 0o755);

if (!process.argv.includes('--bundles-only')) compileAndDocument(process.cwd(), 'dist/API.md');
