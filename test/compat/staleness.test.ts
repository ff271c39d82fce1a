import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCompat } from '../../scripts/gen-compat.mjs';

describe('compat/ tables', () => {
  const fresh = renderCompat();

  it.each(Object.keys(fresh))('%s is what the generator produces now (run `npm run generate` when this fails)', (path) => {
    const committed = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
    expect(committed === fresh[path]).toBe(true);
  });
});
