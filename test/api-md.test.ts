/** CI staleness check: the committed API.md must equal the one `npm run build` generates from the source. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

test('API.md is up to date (run `npm run docgen` after changing the public API)', () => {
  const generated = resolve(__dirname, '../dist/API.md');
  if (!existsSync(generated)) throw new Error('dist/API.md is missing: run npm run build (npm test does)');
  expect(readFileSync(resolve(__dirname, '../API.md'), 'utf8')).toBe(readFileSync(generated, 'utf8'));
});
