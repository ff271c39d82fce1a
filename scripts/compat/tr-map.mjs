/**
 * compat/tr-map.json: legacy TR code (lower case, as OCX code passes it) -> REST api-id, with
 * SetInputValue names -> request keys and GetCommData names -> response keys.
 *
 * Korean names are matched between the OCX TR catalog and the REST field tables after
 * normalisation (spaces, brackets, punctuation), then with bracketed qualifiers dropped
 * (`현재가(종가)` = `현재가`) and with `A/B` REST names split. Names that still do not match are
 * listed under `unmapped` rather than dropped, so the facade can say what it cannot answer.
 */
import { buildRegistry } from '../gen-registry.mjs';
import { byNumberThenText } from './sources.mjs';

/** Spaces and punctuation carry no meaning between the two catalogues. */
export function normName(name) {
  return name.replace(/[\s()[\]%_/·.,\-+]/g, '').toLowerCase();
}

const stripQualifier = (name) => name.replace(/\([^)]*\)/g, '');

/** A name index over a set of REST fields: exact tier, then loose tier (qualifiers, A/B parts). */
function indexFields(fields) {
  const exact = new Map();
  const loose = new Map();
  const ambiguous = new Set();
  const addLoose = (n, key) => {
    if (!n || exact.has(n)) return;
    if (loose.has(n) && loose.get(n) !== key) ambiguous.add(n);
    else loose.set(n, key);
  };
  for (const f of fields) if (!exact.has(normName(f.name))) exact.set(normName(f.name), f.key);
  for (const f of fields) {
    addLoose(normName(stripQualifier(f.name)), f.key);
    if (f.name.includes('/')) for (const part of f.name.split('/')) addLoose(normName(part), f.key);
  }
  for (const n of ambiguous) loose.delete(n);
  return (name) => {
    const n = normName(name);
    const bare = normName(stripQualifier(name));
    return exact.get(n) ?? loose.get(n) ?? exact.get(bare) ?? loose.get(bare);
  };
}

function fieldsByScope(response) {
  const scopes = new Map([[null, []]]);
  for (const f of response) {
    if (f.type === 'LIST') continue;
    const scope = f.list ?? null;
    if (!scopes.has(scope)) scopes.set(scope, []);
    scopes.get(scope).push(f);
  }
  return new Map([...scopes].map(([scope, fields]) => [scope, indexFields(fields)]));
}

/** The REST scope (null = top level, else a list key) that answers most of these names. */
function bestScope(names, scopes, resolveAlias) {
  let best = null;
  let bestHits = -1;
  for (const [scope, lookup] of scopes) {
    const hits = names.filter((n) => lookup(resolveAlias(n)) !== undefined).length;
    if (hits > bestHits || (hits === bestHits && scope === null)) {
      best = scope;
      bestHits = hits;
    }
  }
  return bestHits > 0 ? best : null;
}

function mapRecord(record, scopes, resolveAlias, unmapped, skip) {
  const names = record.fields.filter((n) => !skip.has(n));
  const list = bestScope(names, scopes, resolveAlias);
  const own = scopes.get(list);
  const top = scopes.get(null);
  const fields = {};
  const shared = {};
  for (const name of names) {
    if (Object.hasOwn(fields, name) || Object.hasOwn(shared, name)) continue;
    const alias = resolveAlias(name);
    const key = own(alias);
    if (key !== undefined) fields[name] = key;
    else if (list !== null && top(alias) !== undefined) shared[name] = top(alias);
    else if (!unmapped.includes(name)) unmapped.push(name);
  }
  return { record: record.record, list, fields, ...(Object.keys(shared).length ? { shared } : {}), outputs: record.fields };
}

function mapTr(code, api, def, basis, aliases) {
  const perTr = aliases.perTr[code] ?? {};
  const resolveAlias = (name) => perTr[name] ?? aliases.aliases[name] ?? name;
  const requestTop = indexFields(api.request.filter((f) => f.list === undefined && f.type !== 'LIST'));
  const inputs = {};
  const implicitInputs = [];
  const unmappedInputs = [];
  for (const name of def.inputs) {
    if (Object.hasOwn(aliases.implicitInputs, name)) implicitInputs.push(name);
    else {
      const key = requestTop(resolveAlias(name));
      if (key === undefined) unmappedInputs.push(name);
      else inputs[name] = key;
    }
  }
  const covered = new Set(Object.values(inputs));
  const restOnlyInputs = {};
  for (const f of api.request) if (f.list === undefined && !covered.has(f.key)) restOnlyInputs[f.key] = f.required;

  const scopes = fieldsByScope(api.response);
  const rowCountField = def.multi && def.multi.row_count_source !== '*' ? def.multi.row_count_source : undefined;
  const skip = new Set(rowCountField ? [rowCountField] : []);
  const unmappedOutputs = [];
  const out = { apiId: api.id, name: def.name, basis, inputs };
  if (implicitInputs.length) out.implicitInputs = implicitInputs;
  if (Object.keys(restOnlyInputs).length) out.restOnlyInputs = restOnlyInputs;
  if (def.single) out.single = mapRecord(def.single, scopes, resolveAlias, unmappedOutputs, skip);
  if (def.multi) {
    const multi = mapRecord(def.multi, scopes, resolveAlias, unmappedOutputs, skip);
    const page = Number(def.multi.max_rows_per_page);
    out.multi = { ...multi, ...(Number.isInteger(page) && page > 0 ? { pageSize: page } : {}) };
  }
  if (rowCountField) out.rowCountField = rowCountField;
  out.unmapped = { inputs: unmappedInputs, outputs: unmappedOutputs };
  return out;
}

/** [legacy code (upper), api-id, basis] for every pair a source states, plus inferred ones. */
function pairsOf(spec, aliases) {
  const pairs = [];
  for (const api of Object.values(spec.apis)) {
    const legacy = api.legacy_openapi_plus;
    if (!legacy) continue;
    if (legacy.tr) pairs.push([legacy.tr, api.id, 'stated']);
    // A trailing '?' marks a guess the source itself doubts (OPT40008? for ka40009): not a pair.
    for (const c of legacy.tr_candidates ?? []) if (!c.endsWith('?')) pairs.push([c, api.id, 'candidate']);
  }
  for (const [code, p] of Object.entries(aliases.inferredPairs)) pairs.push([code, p.apiId, 'inferred']);
  return pairs;
}

/**
 * Pairs no source states but the naming pattern gives (OPT10004 <-> ka10004, OPW00005 <-> kt00005)
 * when both sides carry the same Korean name, the REST api is current and has no stated twin,
 * and the legacy TR is not one the source calls legacy-only.
 */
function patternPairs(spec, trCatalog, taken) {
  const legacyOnly = spec.meta.legacy_openapi_plus.legacy_only_trs;
  const pairs = [];
  for (const [code, def] of Object.entries(trCatalog.trs)) {
    const m = /^OP([TW])(\d+)$/.exec(code);
    if (!m || taken.has(code) || Object.hasOwn(legacyOnly, code)) continue;
    const api = spec.apis[`${m[1] === 'T' ? 'ka' : 'kt'}${m[2]}`];
    if (!api || api.legacy_openapi_plus?.tr || api.legacy_openapi_plus?.tr_candidates) continue;
    if (api.doc_status !== 'current' || normName(api.name_ko) !== normName(def.name)) continue;
    pairs.push([code, api.id, 'inferred']);
  }
  return pairs;
}

export function buildTrMap({ spec, trCatalog, trAliases }) {
  const registry = buildRegistry(spec).apis;
  const trs = {};
  const stated = pairsOf(spec, trAliases);
  const pairs = [...stated, ...patternPairs(spec, trCatalog, new Set(stated.map((p) => p[0])))];
  pairs.sort((a, b) => byNumberThenText(a[0], b[0]));
  for (const [code, apiId, basis] of pairs) {
    const def = trCatalog.trs[code];
    if (!def) throw new Error(`tr-map: ${code} (paired with ${apiId}) is not in the OCX TR catalog`);
    trs[code.toLowerCase()] = mapTr(code, registry[apiId], def, basis, trAliases);
  }
  const statedOnly = spec.meta.legacy_openapi_plus.legacy_only_trs;
  const legacyOnly = {};
  for (const code of Object.keys(trCatalog.trs).sort(byNumberThenText)) {
    if (Object.hasOwn(trs, code.toLowerCase())) continue;
    legacyOnly[code.toLowerCase()] = { name: trCatalog.trs[code].name, basis: Object.hasOwn(statedOnly, code) ? 'stated' : 'catalog' };
  }
  for (const code of Object.keys(statedOnly)) {
    if (!Object.hasOwn(legacyOnly, code.toLowerCase())) legacyOnly[code.toLowerCase()] = { name: statedOnly[code].split(' (')[0], basis: 'stated' };
  }
  return {
    generatedFrom: 'fixtures/kiwoom-rest/spec.json legacy_openapi_plus + fixtures/ocx/tr_catalog.json + scripts/data/tr-aliases.json',
    basis: {
      stated: spec.meta.legacy_openapi_plus.source,
      candidate: 'the same source lists several legacy TRs for one REST api-id',
      inferred: 'no source states it: same code digits and the same Korean name (OPT10004 <-> ka10004), or identical field lists (scripts/data/tr-aliases.json inferredPairs)',
    },
    notes: [
      'inputs: SetInputValue name -> request key. implicitInputs: accepted and ignored. restOnlyInputs: request keys no legacy input fills (true = required), for the facade to default.',
      'single/multi: GetCommData name -> response key. list = the REST list holding the rows (null: the values are top-level, one row); shared = top-level values repeated on every row.',
      'rowCountField: a single-record output that holds the row count (조회건수); the facade answers it from the list length.',
    ],
    implicitInputs: trAliases.implicitInputs,
    trs,
    legacyOnly,
  };
}
