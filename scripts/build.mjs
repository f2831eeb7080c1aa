// Build: bundle the handler (shipped as a TerraformAsset) and the CLI with esbuild, then compile the
// library with jsii (checks the public API is jsii-compatible; output lib/ and .jsii), generate
// the API reference into dist/API.md (scripts/api-docs.mjs) and turn jsii's lib/ into the two entry
// points of the package (scripts/library-entries.mjs): lib/index.js for cdktf and lib/cdktn/ for
// CDK Terrain, both bundled from the same compiled code. `npm run docgen` copies dist/API.md to
// API.md; test/api-md.test.ts fails when the committed API.md is stale. `npm pack` runs this
// (prepack), so a fresh clone packs what it ships.
//   --bundles-only  esbuild of the handlers and CLI only (demo, bench, soak)
//   --s3-handler-to FILE  the S3 handler bundle only, into FILE (tests)
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { compileAndDocument } from './api-docs.mjs';
import { assertSelfContained, buildLibraryEntries, ESBUILD_COMMON } from './library-entries.mjs';

/**
 * esbuild plugin: the AWS SDK's operation schemas (`dist-es/schemas/schemas_0.js` of each client:
 * one `export var X$ = [ … ]` per operation and shape, ~480 in S3) are array literals with computed
 * keys, which esbuild cannot prove free of side effects, so it keeps all of them although the handler
 * sends 13 commands. They are plain data: evaluating one has no effect but building the array. Each
 * is wrapped in a `/* @__PURE__ *\/` call so the unused ones are dropped (bundle 704 → ~613 KB, cold
 * start ~2.0× → ~1.8× `node -e 0`, BENCHMARKS.md). A declaration that is not an array literal
 * fails the build: an SDK update that changes the layout must be looked at, not silently bundled.
 */
const SDK_SCHEMAS = /[\\/]@aws-sdk[\\/]client-s3(-control)?[\\/]dist-es[\\/]schemas[\\/]schemas_0\.js$/;

/** The index just past the `]` that closes the `[` at `open` (strings skipped). */
function closingBracket(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'" || ch === '`') {
      for (i++; i < text.length && text[i] !== ch; i++) if (text[i] === '\\') i++;
    } else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return i + 1;
  }
  throw new Error(`unbalanced [ at ${open}`);
}

function markSchemasPure(text, file) {
  let out = '';
  let at = 0;
  let wrapped = 0;
  const declarations = [...text.matchAll(/^export var (\w+\$?) = /gm)];
  for (const m of declarations) {
    const start = m.index + m[0].length;
    if (text[start] !== '[') throw new Error(`${file}: ${m[1]} is not an array literal; review markSchemasPure in scripts/build.mjs for this SDK version`);
    const end = closingBracket(text, start);
    out += `${text.slice(at, start)}/* @__PURE__ */ (() => ${text.slice(start, end)})()`;
    at = end;
    wrapped++;
  }
  if (wrapped === 0) throw new Error(`${file}: no schema declarations found; review markSchemasPure in scripts/build.mjs for this SDK version`);
  return out + text.slice(at);
}

const pureSdkSchemas = {
  name: 'pure-sdk-schemas',
  setup(b) {
    b.onLoad({ filter: SDK_SCHEMAS }, async (args) => ({ contents: markSchemasPure(await readFile(args.path, 'utf8'), args.path), loader: 'js' }));
  },
};

// The S3 handler carries the AWS SDK clients. Their ES module builds (`module`) let esbuild drop the
// commands and code the handler never uses, and minified the bundle loads faster: a cold start
// Terraform pays per resource (bench/cold-start.ts).
const buildS3Handler = (outfile) => build({
  ...ESBUILD_COMMON, entryPoints: ['src/handler/s3/main.ts'], outfile, mainFields: ['module', 'main'], minify: true, metafile: true,
  plugins: [pureSdkSchemas],
});

// `--s3-handler-to FILE`: only the S3 handler, with exactly these options, into FILE (its tests run
// the bundle as shipped without racing a build of dist/); prints esbuild's list of inputs as JSON.
const s3Only = process.argv.indexOf('--s3-handler-to');
if (s3Only > 0) {
  const built = await buildS3Handler(process.argv[s3Only + 1]);
  process.stdout.write(JSON.stringify(Object.keys(built.metafile.inputs)));
  process.exit(0);
}

await build({ ...ESBUILD_COMMON, entryPoints: ['src/handler/main.ts'], outfile: 'dist/handler/handler.js' });
await buildS3Handler('dist/handler/s3-handler.js');
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
