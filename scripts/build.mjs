// Build: bundle the handler (shipped as a TerraformAsset) and the CLI with esbuild, then compile the
// library with jsii (checks the public API is jsii-compatible; output lib/ and .jsii), generate
// the API reference into dist/API.md (scripts/api-docs.mjs) and turn jsii's lib/ into the two entry
// points of the package (scripts/library-entries.mjs): lib/index.js for cdktf and lib/cdktn/ for
// CDK Terrain, both bundled from the same compiled code. `npm run docgen` copies dist/API.md to
// API.md; test/api-md.test.ts fails when the committed API.md is stale. `npm pack` runs this
// (prepack), so a fresh clone packs what it ships.
//   --bundles-only  esbuild of the handler and CLI only (demo, bench, soak)
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { compileAndDocument } from './api-docs.mjs';
import { assertSelfContained, buildLibraryEntries, ESBUILD_COMMON } from './library-entries.mjs';

await build({ ...ESBUILD_COMMON, entryPoints: ['src/handler/main.ts'], outfile: 'dist/handler/handler.js' });
await build({ ...ESBUILD_COMMON, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli/oss-batch.js', banner: { js: '#!/usr/bin/env node' } });
chmodSync('dist/cli/oss-batch.js', 0o755);
// The package has no runtime dependencies: both bundles must carry everything they load.
assertSelfContained('dist/handler/handler.js', []);
assertSelfContained('dist/cli/oss-batch.js', []);

if (!process.argv.includes('--bundles-only')) {
  // Stale files of renamed sources would otherwise be packed.
  rmSync('lib', { recursive: true, force: true });
  rmSync('.jsii', { force: true });
  compileAndDocument(process.cwd(), 'dist/API.md');
  await buildLibraryEntries('lib');
}
