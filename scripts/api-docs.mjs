// jsii compile of the library (src/index.ts → lib/ and .jsii; proves the public API is
// jsii-compatible) and the API reference generated from it with jsii-docgen.
//
//   node scripts/api-docs.mjs                 compile here, write dist/API.md (npm run build does this)
//   node scripts/api-docs.mjs --isolated OUT  compile a copy of the sources in a temp dir, write OUT:
//                                             test/api-md.test.ts compares it with the committed API.md
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * jsii and jsii-docgen print a large banner on Node 20 (end-of-life for them); the build works on it.
 * The end-of-life switch takes the major version(s) to silence, the others any value.
 */
function jsiiEnv() {
  const major = process.versions.node.split('.')[0];
  return {
    ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: major,
    JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: '1', JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1',
  };
}

/** Runs jsii then jsii-docgen in `projectDir` (a package with tsconfig.jsii.json); writes `outFile`. */
export function compileAndDocument(projectDir, outFile, quiet = false) {
  const run = (bin, args) => execFileSync(join(ROOT, 'node_modules', '.bin', bin), args, {
    cwd: projectDir, env: jsiiEnv(), stdio: ['ignore', quiet ? 'pipe' : 'inherit', 'inherit'],
  });
  // missing-dev-dependency: jsii wants the devDependency pinned to the peer's lowest version; we
  // test against the newest 0.21.x on purpose.
  run('jsii', ['--silence-warnings=reserved-word', '--silence-warnings=metadata/missing-dev-dependency']);
  mkdirSync(dirname(outFile), { recursive: true });
  run('jsii-docgen', ['-o', outFile]);
}

/** Same, on a copy of the package's sources, so the check never reads or writes build outputs. */
export function documentIsolated(outFile) {
  const dir = mkdtempSync(join(tmpdir(), 'oss-batch-api-'));
  try {
    for (const entry of ['package.json', 'tsconfig.jsii.json', 'README.md', 'src']) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    compileAndDocument(dir, resolve(outFile), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const isolated = process.argv.indexOf('--isolated');
  if (isolated > 0) documentIsolated(process.argv[isolated + 1]);
  else compileAndDocument(ROOT, join(ROOT, 'dist', 'API.md'));
}
