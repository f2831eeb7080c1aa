// The package's two library entry points, made from jsii's output in lib/ (scripts/build.mjs):
//
//   lib/index.js        ('cdktf-oss-batch')        jsii's JS bundled into one file, imports cdktf
//   lib/cdktn/index.js  ('cdktf-oss-batch/cdktn')  the same JS with every import of cdktf bound to cdktn
//   lib/cdktn/**/*.d.ts                            jsii's declarations with 'cdktf' rewritten to 'cdktn'
//
// Bundling inlines the library's own dependency (json-stable-stringify): jsii rejects a non-jsii
// package under `dependencies` unless it is bundled, and bundledDependencies would ship its whole
// dependency tree. cdktf, cdktn and constructs stay external: the app's own copies must be used,
// or its constructs would not be recognized as one tree.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';

export const ESBUILD_COMMON = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'none' };

const FRAMEWORK_SPECIFIER = /^cdktf(\/.*)?$/;

/** esbuild plugin: `cdktf` (and `cdktf/...`) resolve to the external `cdktn` module. */
const cdktfToCdktn = {
  name: 'cdktf-to-cdktn',
  setup(b) {
    b.onResolve({ filter: FRAMEWORK_SPECIFIER }, (args) => ({ path: args.path.replace(/^cdktf/, 'cdktn'), external: true }));
  },
};

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Module specifiers in `from '…'`, `import('…')` and `require('…')`. */
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)(['"])([^'"]+)\2/g;

/** Non-relative, non-builtin modules a built file loads at run time. */
export function externalRequires(file) {
  const found = new Set();
  for (const m of readFileSync(file, 'utf8').matchAll(/\brequire\(\s*(['"])([^'"]+)\1\s*\)/g)) {
    const name = m[2];
    if (name.startsWith('.') || name.startsWith('node:') || builtinModules.includes(name.split('/')[0])) continue;
    found.add(name);
  }
  return [...found].sort();
}

/** Fails the build when a bundle loads anything but `allowed` (and Node's builtins). */
export function assertSelfContained(file, allowed) {
  const extra = externalRequires(file).filter((n) => !allowed.includes(n));
  if (extra.length) throw new Error(`${file} requires ${extra.join(', ')} at run time; only ${allowed.join(', ') || 'Node builtins'} may stay external`);
}

/**
 * First lines of an entry point: without its framework installed, one sentence naming the other
 * entry point, instead of Node's "Cannot find module" (a cdktn app importing the main entry).
 */
function requireFramework(entryPoint, own, otherEntryPoint, other) {
  const message = `${entryPoint} is built for ${own}, which is not installed: a ${other} app imports from '${otherEntryPoint}', a ${own} app needs \`npm i ${own} constructs\`.`;
  // The directive first again: the bundle's own "use strict" no longer is.
  return `"use strict";\ntry { require.resolve(${JSON.stringify(own)}); } catch { throw new Error(${JSON.stringify(message)}); }`;
}

export async function buildLibraryEntries(libDir) {
  const entry = join(libDir, 'index.js');
  const cdktnDir = join(libDir, 'cdktn');
  // keepNames: construct errors name the class (constructor.name), which bundling could rename.
  const lib = { ...ESBUILD_COMMON, entryPoints: [entry], keepNames: true };
  await build({
    ...lib, outfile: join(cdktnDir, 'index.js'), external: ['cdktn', 'constructs'], plugins: [cdktfToCdktn],
    banner: { js: requireFramework('cdktf-oss-batch/cdktn', 'cdktn', 'cdktf-oss-batch', 'cdktf') },
  });
  await build({
    ...lib, outfile: entry, allowOverwrite: true, external: ['cdktf', 'constructs'],
    banner: { js: requireFramework('cdktf-oss-batch', 'cdktf', 'cdktf-oss-batch/cdktn', 'cdktn') },
  });

  for (const file of walk(libDir)) {
    const rel = relative(libDir, file);
    if (rel.startsWith(`cdktn/`)) continue;
    if (file.endsWith('.js') && file !== entry) rmSync(file);
    else if (file.endsWith('.d.ts')) {
      const out = join(cdktnDir, rel);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, readFileSync(file, 'utf8').replace(SPECIFIER, (all, head, q, name) => (FRAMEWORK_SPECIFIER.test(name) ? `${head}${q}${name.replace(/^cdktf/, 'cdktn')}${q}` : all)));
    }
  }

  assertSelfContained(entry, ['cdktf', 'constructs']);
  assertSelfContained(join(cdktnDir, 'index.js'), ['cdktn', 'constructs']);
  for (const file of walk(cdktnDir).filter((f) => f.endsWith('.d.ts'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      if (FRAMEWORK_SPECIFIER.test(m[3])) throw new Error(`${file} still refers to ${m[3]}`);
    }
  }
}
