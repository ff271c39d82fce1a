/**
 * Generates compat/registry.json, the api-id registry read by src/registry/index.ts, from the
 * copy of the official spec in fixtures/kiwoom-rest/spec.json.
 *
 *   node scripts/gen-registry.mjs          write the file
 *   node scripts/gen-registry.mjs --check  exit 1 when the committed file is stale
 *
 * The registry ships in the npm package, so it keeps only what the library acts on: no
 * descriptions, examples or document history.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stableJson } from './lib/stable-json.mjs';

const ROOT = new URL('../', import.meta.url);
const SPEC = 'fixtures/kiwoom-rest/spec.json';
/** Where the registry is written, relative to the package root. */
export const REGISTRY_PATH = 'compat/registry.json';

/** Paths whose api-ids spend the order budget (cash, credit and gold orders). */
const ORDER_PATHS = new Set(['/api/dostk/ordr', '/api/dostk/crdordr']);

/** @param {string} rel */
export function readRepoJson(rel) {
  return JSON.parse(readFileSync(new URL(rel, ROOT), 'utf8'));
}

function categoryOf(api) {
  if (api.transport === 'websocket') return 'websocket';
  if (api.path.startsWith('/oauth2/')) return 'auth';
  return ORDER_PATHS.has(api.path) ? 'order' : 'query';
}

/** Legacy TR codes a source names; candidates marked uncertain ('OPT40008?') are left out. */
function legacyOf(api) {
  const legacy = api.legacy_openapi_plus;
  if (!legacy) return [];
  const codes = legacy.tr ? [legacy.tr] : (legacy.tr_candidates ?? []);
  return codes.filter((c) => /^[A-Z]+\d+$/.test(c));
}

/**
 * Spec fields to registry fields. The spec repeats some keys per section (ka10173 documents the
 * one-shot reply and the real-time push separately); the first occurrence of a key in a given
 * list wins so that lookups by key stay unambiguous.
 */
function fieldsOf(specFields) {
  const seen = new Set();
  const out = [];
  for (const f of specFields) {
    const id = `${f.list ?? ''}.${f.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const field = { key: f.key, name: f.name_ko, type: f.type, required: f.required === 'Y' };
    if (typeof f.length === 'string' && /^\d+$/.test(f.length)) field.length = Number(f.length);
    if (f.list) field.list = f.list;
    out.push(field);
  }
  return out;
}

function apiOf(api) {
  return {
    id: api.id,
    name: api.name_ko,
    path: api.path,
    category: categoryOf(api),
    transport: api.transport,
    mock: api.mock_supported,
    legacy: legacyOf(api),
    status: String(api.doc_status).startsWith('removed') ? 'removed' : 'current',
    request: fieldsOf(api.request_fields),
    response: fieldsOf(api.response_fields),
  };
}

/** Builds the registry object from a parsed spec.json. */
export function buildRegistry(spec) {
  const ids = Object.keys(spec.apis).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const apis = {};
  for (const id of ids) apis[id] = apiOf(spec.apis[id]);
  return { generatedFrom: `${SPEC} (spec generated ${spec.meta.generated}, workbook ${spec.meta.primary_source.doc_date})`, apis };
}

/** The registry file text as the generator would write it now. */
export function renderRegistry() {
  return stableJson(buildRegistry(readRepoJson(SPEC)), 4);
}

/**
 * Writes (or with `check`, compares) generated files. Returns the paths that were stale.
 * @param {Record<string, string>} files repo-relative path -> text
 * @param {boolean} check
 */
export function writeOrCheck(files, check) {
  const stale = [];
  for (const [rel, text] of Object.entries(files)) {
    let current = null;
    try {
      current = readFileSync(new URL(rel, ROOT), 'utf8');
    } catch {
      current = null;
    }
    if (current === text) continue;
    stale.push(rel);
    if (!check) writeFileSync(new URL(rel, ROOT), text);
  }
  return stale;
}

/** Runs a generator as a CLI: prints what changed, exits 1 on `--check` when stale. */
export function runCli(files) {
  const check = process.argv.includes('--check');
  const stale = writeOrCheck(files, check);
  for (const rel of stale) console.log(`${check ? 'stale' : 'wrote'} ${rel}`);
  if (check && stale.length > 0) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runCli({ [REGISTRY_PATH]: renderRegistry() });
}
