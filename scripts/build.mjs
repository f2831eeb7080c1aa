// Build: bundle the handler (shipped as a TerraformAsset) and the CLI with esbuild, then compile the
// library with jsii (checks the public API is jsii-compatible; output lib/ and .jsii), generate
// the API reference into dist/API.md (scripts/api-docs.mjs) and turn jsii's lib/ into the two entry
// points of the package (scripts/library-entries.mjs): lib/index.js for cdktf and lib/cdktn/ for
// CDK Terrain, both bundled from the same compiled code. `npm run docgen` copies dist/API.md to
// API.md; test/api-md.test.ts fails when the committed API.md is stale. `npm pack` runs this
// (prepack), so a fresh clone packs what it ships.
//   --bundles-only  esbuild of the handlers and CLI only (demo, bench, soak)
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { compileAndDocument } from './api-docs.mjs';
import { assertSelfContained, buildLibraryEntries, ESBUILD_COMMON } from './library-entries.mjs';

/**
 * esbuild plugin: an import of these CommonJS packages may be dropped when nothing it imports is
 * used. esbuild keeps every CommonJS import for its side effects; the S3 handler shares modules
 * with the OSS client (e.g. the report tally's file) without ever constructing one, so the OSS
 * credential chain would otherwise ride along in its bundle.
 */
function droppableWhenUnused(packages) {
  const filter = new RegExp(`^(${packages.map((p) => p.replace(/[/.@-]/g, '\\$&')).join('|')})$`);
  return {
    name: 'droppable-when-unused',
    setup(b) {
      b.onResolve({ filter }, async (args) => {
        if (args.pluginData === 'droppable') return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'droppable' });
        return r.errors.length ? { errors: r.errors } : { path: r.path, namespace: r.namespace, external: r.external, sideEffects: false };
      });
    },
  };
}

await build({ ...ESBUILD_COMMON, entryPoints: ['src/handler/main.ts'], outfile: 'dist/handler/handler.js' });
// The S3 handler carries the AWS SDK clients. Their ES module builds (`module`) let esbuild drop the
// commands and code the handler never uses, and minified the bundle loads faster: a cold start
// Terraform pays per resource (bench/cold-start.ts).
await build({
  ...ESBUILD_COMMON, entryPoints: ['src/handler/s3/main.ts'], outfile: 'dist/handler/s3-handler.js', mainFields: ['module', 'main'], minify: true,
  plugins: [droppableWhenUnused(['@alicloud/credentials'])],
});
await build({ ...ESBUILD_COMMON, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli/oss-batch.js', banner: { js: '#!/usr/bin/env node' } });
chmodSync('dist/cli/oss-batch.js', 0o755);
// The package has no runtime dependencies: the bundles must carry everything they load.
assertSelfContained('dist/handler/handler.js', []);
// The SDK's error texts quote `require("…")` of two optional signers (SigV4a, for multi-region
// access points, which the handler never uses); the bundle itself loads neither.
assertSelfContained('dist/handler/s3-handler.js', ['@aws-sdk/signature-v4-crt', '@aws-sdk/signature-v4a']);
assertSelfContained('dist/cli/oss-batch.js', []);

if (!process.argv.includes('--bundles-only')) {
  // Stale files of renamed sources would otherwise be packed.
  rmSync('lib', { recursive: true, force: true });
  rmSync('.jsii', { force: true });
  compileAndDocument(process.cwd(), 'dist/API.md');
  await buildLibraryEntries('lib');
}
