/**
 * CI staleness check: the committed API.md must equal one generated now from the current source.
 * `scripts/api-docs.mjs --isolated` runs the build's own jsii + jsii-docgen steps on a temporary
 * copy of the package, so lib/ and dist/ of the checkout are neither read nor written, and a stale
 * dist/API.md from an earlier build cannot make the test pass.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

test('API.md is up to date (run `npm run docgen` after changing the public API)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'api-md-test-'));
  try {
    const out = join(dir, 'API.md');
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'api-docs.mjs'), '--isolated', out], { cwd: ROOT, stdio: 'pipe' });
    const generated = readFileSync(out, 'utf8');
    expect(generated).toMatch(/^# API Reference/);
    expect(generated).toContain('cdktf-oss-batch.BatchJob');
    expect(readFileSync(join(ROOT, 'API.md'), 'utf8')).toBe(generated);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 180_000);
