/**
 * The built package (dist/, what `npm pack` ships with README.md and MIGRATION.md) cites no
 * document a user of the package cannot open: DESIGN.md, the reference copies and fixtures stay
 * in the repository.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { files: string[] };
const shipped = new Set(pkg.files.filter((f) => f.endsWith('.md')));

function* builtFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* builtFiles(path);
    else if (/\.(d\.ts|js)$/.test(entry.name)) yield path;
  }
}

test('dist/*.js and *.d.ts cite only the documents the package ships (README.md, MIGRATION.md, the Python side\'s README)', () => {
  // compat/python/README.md is the pip package's own description (pyproject.toml's readme).
  expect(shipped).toEqual(new Set(['README.md', 'MIGRATION.md', 'compat/python/README.md']));
  const foreign: string[] = [];
  let scanned = 0;
  for (const file of builtFiles(new URL('dist', root).pathname)) {
    scanned++;
    for (const [cited] of readFileSync(file, 'utf8').matchAll(/[\w./-]+\.md\b/g)) {
      if (!shipped.has(cited)) foreign.push(`${file.slice(file.indexOf('dist'))}: ${cited}`);
    }
  }
  expect(scanned).toBeGreaterThan(100);
  expect(foreign).toEqual([]);
});
