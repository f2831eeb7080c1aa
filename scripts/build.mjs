// Build: bundle the handler (shipped as a TerraformAsset) and the CLI with esbuild.
// Library compilation (jsii -> lib/) and API.md generation are added as separate steps below.
import { build } from 'esbuild';
import { chmodSync, mkdirSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'none' };

await build({ ...common, entryPoints: ['src/handler/main.ts'], outfile: 'dist/handler/handler.js' });
await build({ ...common, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli/oss-batch.js', banner: { js: '#!/usr/bin/env node' } });
mkdirSync('dist', { recursive: true });
chmodSync('dist/cli/oss-batch.js', 0o755);
