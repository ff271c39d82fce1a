#!/usr/bin/env node
/**
 * Builds compat/emulator/samples.json: for every REST TR, sample values for its documented
 * response keys, taken from the official examples (fixtures/kiwoom-rest/examples). The emulator
 * ships this file instead of the fixtures, and answers the TRs it does not simulate from it.
 *
 * Usage: node scripts/gen-emulator-samples.mjs [--check]
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const registry = JSON.parse(readFileSync(new URL('compat/registry.json', root), 'utf8'));
const outUrl = new URL('compat/emulator/samples.json', root);

/** Lists keep at most this many example records: enough to vary values, small enough to ship. */
const MAX_RECORDS = 3;

const isSample = (v) => typeof v === 'string' || typeof v === 'number';

const apis = {};
const byKey = {};
for (const api of Object.values(registry.apis).sort((a, b) => a.id.localeCompare(b.id))) {
  if (api.transport !== 'rest' || api.category === 'auth') continue;
  const file = new URL(`fixtures/kiwoom-rest/examples/${api.id}.json`, root);
  const response = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).response ?? {} : {};
  const scalars = {};
  const lists = {};
  for (const field of api.response) {
    if (field.type === 'LIST' || field.list) continue;
    if (isSample(response[field.key])) scalars[field.key] = String(response[field.key]);
  }
  for (const field of api.response) {
    if (field.type !== 'LIST') continue;
    const rows = Array.isArray(response[field.key]) ? response[field.key].slice(0, MAX_RECORDS) : [];
    const keys = api.response.filter((f) => f.list === field.key).map((f) => f.key);
    lists[field.key] = rows
      .filter((row) => row && typeof row === 'object')
      .map((row) => Object.fromEntries(keys.filter((k) => isSample(row[k])).map((k) => [k, String(row[k])])));
  }
  apis[api.id] = { scalars, lists };
  const all = [scalars, ...Object.values(lists).flat()];
  for (const rec of all) {
    for (const [k, v] of Object.entries(rec)) if (v !== '' && !(k in byKey)) byKey[k] = v;
  }
}

const text = `${JSON.stringify({ generatedFrom: 'fixtures/kiwoom-rest/examples', apis, byKey }, null, 1)}\n`;
if (process.argv.includes('--check')) {
  const current = existsSync(outUrl) ? readFileSync(outUrl, 'utf8') : '';
  if (current !== text) {
    console.error('compat/emulator/samples.json is stale: run node scripts/gen-emulator-samples.mjs');
    process.exit(1);
  }
  console.log('compat/emulator/samples.json is up to date');
} else {
  writeFileSync(outUrl, text);
  console.log(`wrote compat/emulator/samples.json (${Object.keys(apis).length} APIs, ${Object.keys(byKey).length} keys)`);
}
