import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { renderMigration, renderTables } from '../../scripts/gen-migration-tables.mjs';
import { TR_MAP } from '../../src/compat/tr-map.js';
import { ORDERS } from '../../src/compat/orders.js';
import { REAL_TYPES } from '../../src/compat/real-types.js';
import { OCX_METHODS } from '../../src/migrate/surface.js';

const doc = readFileSync('MIGRATION.md', 'utf8');

describe('MIGRATION.md generated tables', () => {
  it('are what scripts/gen-migration-tables.mjs generates from compat/ now (run it after changing a table)', () => {
    expect(renderMigration(doc)).toBe(doc);
  });

  it('list every stated legacy TR pair (110), every sHogaGb, every OCX method and every real type', () => {
    const tables = renderTables();
    const stated = Object.entries(TR_MAP).filter(([, m]) => m.basis === 'stated');
    expect(stated).toHaveLength(110);
    for (const [tr, m] of stated) expect(tables).toContain(`| \`${tr}\` | ${m.name} | \`${m.apiId}\` |`);
    for (const [h, s] of Object.entries(ORDERS.hoga)) expect(tables).toContain(`| \`${h}\` | ${s.name} |`);
    for (const name of Object.keys(OCX_METHODS)) expect(tables).toContain(`| \`${name}\` |`);
    for (const code of Object.keys(REAL_TYPES)) expect(tables).toContain(`| \`${code}\` |`);
  });

  it('keeps the hand-written sections', () => {
    for (const heading of ['## Differences you must know', '## What works as the OCX did', '## Step by step: moving an `api_server.py`', '## The bridge: the facade for other languages']) {
      expect(doc).toContain(heading);
    }
  });
});
