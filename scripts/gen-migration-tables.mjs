/**
 * Generates MIGRATION.md's reference tables from the compat tables, between the markers
 * `<!-- generated:tables:begin -->` and `<!-- generated:tables:end -->`. Everything outside the
 * markers is hand-written and left alone.
 *
 *   node scripts/gen-migration-tables.mjs          rewrite the tables in MIGRATION.md
 *   node scripts/gen-migration-tables.mjs --check  exit 1 when MIGRATION.md is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('../', import.meta.url);
const BEGIN = '<!-- generated:tables:begin (scripts/gen-migration-tables.mjs; do not edit by hand) -->';
const END = '<!-- generated:tables:end -->';

const load = (path) => JSON.parse(readFileSync(new URL(path, ROOT), 'utf8'));
const cell = (v) => String(v ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (v) => (v === '' || v === undefined || v === null ? '' : `\`${v}\``);
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
const fidList = (fids) => fids.join(' ');
const byCode = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** The generated Markdown block (markers included). */
export function renderTables() {
  const surface = load('compat/migrate/ocx-surface.json');
  const trMap = load('compat/tr-map.json');
  const orders = load('compat/orders.json');
  const realTypes = load('compat/real-types.json');
  const chejan = load('compat/chejan.json');
  const opErrors = load('compat/op-errors.json');
  const kiwoomErrors = load('compat/kiwoom-errors.json');
  const registry = load('compat/registry.json').apis;
  const opName = (n) => (n === undefined ? '' : `${n} ${opErrors.codes[String(n)]?.name ?? ''}`.trim());

  const methods = Object.entries(surface.methods).map(([name, m]) => [code(name), m.facade === null ? 'not provided' : code(m.facade), m.wire, m.change]);
  const koa = Object.entries(surface.koaFunctions).map(([name, k]) => [code(name), k.severity === 'ok' ? 'replaced' : 'not provided', k.change]);
  const events = Object.entries(surface.events).map(([name, e]) => [code(name), e.source, e.change]);

  const trs = Object.entries(trMap.trs)
    .sort(([a], [b]) => byCode(a, b))
    .map(([tr, m]) => {
      const rec = m.multi ?? m.single;
      const shape = m.multi ? `repeated (\`${m.multi.list}\`)` : 'single';
      const unmapped = m.unmapped.inputs.length + m.unmapped.outputs.length;
      return [code(tr), m.name, code(m.apiId), registry[m.apiId]?.name ?? '', m.basis, rec ? shape : '', unmapped === 0 ? '' : String(unmapped)];
    });
  const stated = Object.values(trMap.trs).filter((m) => m.basis === 'stated').length;
  const legacyOnly = Object.entries(trMap.legacyOnly)
    .sort(([a], [b]) => byCode(a, b))
    .map(([tr, l]) => `\`${tr}\` ${l.name}`)
    .join(', ');

  const orderTypes = Object.entries(orders.orderTypes).map(([n, o]) => [code(n), o.name, code(o.apiId), code(orders.creditOrderTypes[n]?.apiId)]);
  for (const [n, why] of Object.entries(orders.unsupportedOrderTypes)) orderTypes.push([code(n), why, 'not provided', '']);
  const hoga = Object.entries(orders.hoga)
    .sort(([a], [b]) => byCode(a, b))
    .map(([h, s]) => [code(h), s.name, s.en, code(s.trdeTp), s.needsPrice ? 'price required' : 'price 0 (sent empty)', s.mock ? 'yes' : 'no']);
  const restOnly = Object.entries(orders.restOnlyTradeTypes).map(([t, n]) => `\`${t}\` ${n}`).join(', ');

  const real = Object.values(realTypes.types)
    .sort((a, b) => byCode(a.code, b.code))
    .map((t) => [code(t.code), t.ocxName === t.restName ? t.ocxName : `${t.ocxName} (REST: ${t.restName})`, t.event, fidList(t.fids), fidList(t.notDelivered), fidList(t.restOnly)]);
  const chejanRows = Object.entries(chejan.gubun).map(([g, s]) => [code(g), s.name, code(s.realType ?? 'none'), fidList(s.restFids), fidList(s.notDelivered)]);

  const contexts = opErrors.contexts;
  const categories = Object.entries(opErrors.byCategory).map(([cat, byCtx]) => [code(cat), ...contexts.map((c) => opName(byCtx[c]))]);
  const classes = Object.entries(opErrors.errorClasses).map(([cls, byCtx]) => [code(cls), ...contexts.map((c) => opName(byCtx[c]))]);
  const kiwoom = Object.entries(kiwoomErrors.codes)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([k, e]) => {
      const over = opErrors.codeOverrides[k] ?? {};
      const of = (ctx) => opName(over[ctx] ?? opErrors.byCategory[e.category]?.[ctx]);
      return [code(k), e.message, e.category, of('query'), of('order'), of('login')];
    });
  const opCodes = Object.entries(opErrors.codes)
    .sort(([a], [b]) => Number(b) - Number(a))
    .map(([n, c]) => [code(n), code(c.name), c.message, c.en]);

  return [
    BEGIN,
    '',
    '## Reference tables',
    '',
    'Generated from `compat/*.json` by `scripts/gen-migration-tables.mjs`; a test fails when they are stale.',
    '',
    '### OCX method → APIServer → REST / WebSocket',
    '',
    table(['OCX method', 'APIServer', 'REST / WebSocket', 'what to change'], methods),
    '',
    '### KOA_Functions sub-commands',
    '',
    table(['sub-command', 'status', 'what to do'], koa),
    '',
    '### OCX event → where it comes from now',
    '',
    table(['event', 'source', 'what to change'], events),
    '',
    `### Legacy TR → REST api-id (${trs.length} mapped; ${stated} stated by the mapping source)`,
    '',
    '`basis`: *stated* by Kiwoom\'s mapping, *candidate* (one of several TRs the mapping lists for the api-id), *inferred* (same Korean name). `unmapped`: legacy input/output names with no REST key (GetCommData returns "" for them).',
    '',
    table(['legacy TR', 'name', 'api-id', 'REST name', 'basis', 'record', 'unmapped'], trs),
    '',
    `Legacy TRs with no REST twin (CommRqData returns an error naming them): ${legacyOnly}.`,
    '',
    '### SendOrder nOrderType → order api-id',
    '',
    table(['nOrderType', 'meaning', 'SendOrder', 'SendOrderCredit'], orderTypes),
    '',
    '### sHogaGb → trde_tp',
    '',
    table(['sHogaGb', 'name', 'meaning', 'trde_tp', 'price', 'mock domain'], hoga),
    '',
    `REST-only trde_tp values (no sHogaGb): ${restOnly}.`,
    '',
    '### Real types: the FIDs REST delivers and those it does not',
    '',
    'FIDs in *not delivered* were in the OCX\'s list for the type; `GetCommRealData` returns "" for them and SetRealReg warns once per FID.',
    '',
    table(['REST type', 'OCX sRealType', 'raised as', 'FIDs REST delivers', 'not delivered', 'REST only'], real),
    '',
    '### Chejan (OnReceiveChejanData) FIDs',
    '',
    table(['gubun', 'name', 'REST type', 'FIDs REST delivers', 'not delivered'], chejanRows),
    '',
    '### Kiwoom failures → OCX return codes',
    '',
    'A REST failure becomes the OCX code of its category in the call it happened in.',
    '',
    table(['category', ...contexts], categories),
    '',
    'Failures with no Kiwoom answer:',
    '',
    table(['error', ...contexts], classes),
    '',
    'Every documented Kiwoom code:',
    '',
    table(['Kiwoom code', 'message', 'category', 'CommRqData', 'SendOrder', 'CommConnect'], kiwoom),
    '',
    'The OCX codes:',
    '',
    table(['code', 'name', 'message', 'meaning'], opCodes),
    '',
    END,
  ].join('\n');
}

/** MIGRATION.md with its generated block replaced (or appended when it has none yet). */
export function renderMigration(current = readFileSync(new URL('MIGRATION.md', ROOT), 'utf8')) {
  const block = renderTables();
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (start < 0 || end < 0) return `${current.trimEnd()}\n\n${block}\n`;
  return `${current.slice(0, start)}${block}${current.slice(end + END.length)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = new URL('MIGRATION.md', ROOT);
  const current = readFileSync(path, 'utf8');
  const next = renderMigration(current);
  if (process.argv.includes('--check')) {
    if (next !== current) {
      console.error('MIGRATION.md tables are stale: run `node scripts/gen-migration-tables.mjs`');
      process.exit(1);
    }
    console.log('MIGRATION.md tables are up to date');
  } else {
    writeFileSync(path, next);
    console.log('MIGRATION.md tables written');
  }
}
