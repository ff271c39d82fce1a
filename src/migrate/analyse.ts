/**
 * Turns extracted call sites into findings: for each site, what it becomes on Kiwoom REST /
 * WebSocket, what cannot work there, and what to change. Every fact comes from the compat tables
 * (through {@link ScanTables}) or the OCX surface table; the rules here only say which argument
 * is looked up where.
 */
import type { Arg, Site } from './extract.js';
import type { ScanTables, TrRow } from './tables.js';
import { KOA_FUNCTIONS, OCX_EVENTS, OCX_METHODS } from './surface.js';

/** How much a site needs attention: `unsupported` cannot work as written, `check` may not. */
export type Severity = 'ok' | 'check' | 'unsupported';

/** One reported call site. */
export interface Finding {
  file: string;
  line: number;
  kind: 'call' | 'event' | 'wait';
  /** OCX method or event. */
  name: string;
  /** The APIServer method that replaces it (null: none). */
  facade: string | null;
  /** What it becomes on the wire: api-id(s), WebSocket message, real types. */
  maps: string;
  severity: Severity;
  /** What was found at this site (unknown names, undelivered FIDs, mock restrictions). */
  notes: string[];
  /** What to change here. */
  change: string;
}

/** A file's sites, with the file's text for context lookups. */
export interface FileSites {
  file: string;
  text: string;
  sites: Site[];
}

const MOCK_NOTE = 'the mock domain accepts KRX codes only';

/** What a wait idiom becomes under the drop-in. */
const WAIT_CHANGE = 'not needed: under the drop-in the call before it returns after the handlers of the events it caused have run, so there is nothing left to wait for (remove it; MIGRATION.md step 3)';

/** The screen argument of the calls that take one. */
const SCREEN_ARG: Readonly<Record<string, number>> = { CommRqData: 3, CommKwRqData: 5, SendOrder: 1, SendOrderCredit: 1, SetRealReg: 0, DisconnectRealData: 0, SendCondition: 0, SendConditionStop: 0 };
const RANK: Record<Severity, number> = { ok: 0, check: 1, unsupported: 2 };

/** Analyses every file of a project; TR context (rqname → TR) is shared across files. */
export function analyse(files: readonly FileSites[], t: ScanTables): Finding[] {
  const rqTr = requestNames(files);
  const out: Finding[] = [];
  for (const f of files) {
    let pendingInputs: { site: Site; finding: Finding }[] = [];
    for (const site of f.sites) {
      const finding = base(f.file, site);
      out.push(finding);
      if (site.kind !== 'call') continue;
      checkScreenArg(finding, site, t);
      const rule = Object.hasOwn(RULES, site.name) ? RULES[site.name] : undefined;
      if (site.name === 'SetInputValue') pendingInputs.push({ site, finding });
      if (site.name === 'CommRqData') {
        const tr = str(site.args[1]);
        for (const p of pendingInputs) checkInput(p.finding, p.site, tr, t);
        checkRequiredInputs(finding, tr, pendingInputs.map((p) => str(p.site.args[0])), t);
        pendingInputs = [];
      }
      rule?.(finding, site, { t, file: f, rqTr });
    }
    for (const p of pendingInputs) checkInput(p.finding, p.site, undefined, t);
  }
  return out;
}

interface Ctx {
  t: ScanTables;
  file: FileSites;
  rqTr: ReadonlyMap<string, string>;
}
type Rule = (f: Finding, site: Site, ctx: Ctx) => void;

/** Per-method checks: which argument is looked up in which table. */
const RULES: Readonly<Record<string, Rule>> = {
  SendOrder: (f, s, c) => checkOrder(f, s, c.t, false),
  SendOrderCredit: (f, s, c) => checkOrder(f, s, c.t, true),
  CommRqData: (f, s, { t }) => {
    const code = str(s.args[1]);
    if (code === undefined) return note(f, 'check', 'the TR code is computed at run time: check it has a REST twin');
    const tr = t.tr(code);
    if (tr !== undefined) {
      f.maps = `REST ${tr.apiId} (${tr.name})`;
      if (num(s.args[2]) === 2) f.notes.push('continuation (nPrevNext 2) becomes cont-yn/next-key paging; the facade keeps the next-key');
      return;
    }
    const only = t.legacyOnly(code);
    f.maps = 'none';
    note(f, 'unsupported', only !== undefined ? `${code.toLowerCase()} (${only}) has no REST twin` : `${code} is not a known TR`);
    f.change = 'replace this query: Kiwoom REST has no equivalent TR';
  },
  GetCommData: (f, s, c) => checkOutput(f, s, c, str(s.args[3])),
  GetRepeatCnt: (f, s, c) => checkOutput(f, s, c, undefined),
  SetRealReg: (f, s, { t }) => {
    const codes = str(s.args[1]);
    const fids = list(str(s.args[2])).map(Number).filter(Number.isInteger);
    if (str(s.args[2]) === undefined) return note(f, 'check', 'the FID list is computed at run time: check that REST delivers each FID');
    const types = t.realTypesFor(fids, codes === undefined ? undefined : list(codes));
    f.maps = `WebSocket REG ${types.map((x) => `${x.code} (${x.name})`).join(', ') || '(no REST type)'}`;
    const missing = t.undeliveredReal(fids);
    if (missing.length > 0) {
      note(f, 'check', `REST does not deliver FID ${missing.map((n) => named(n, t)).join(', ')}: those values never arrive`);
    }
    if (types.length === 0) note(f, 'unsupported', 'none of these FIDs is delivered by a REST real type');
    if (codes === '') f.notes.push('empty code list: a market-wide registration');
    if (codes !== undefined) nxtNote(f, list(codes));
    if (fids.length > 100 || list(codes).length > 100) note(f, 'check', 'at most 100 codes and 100 FIDs per call');
  },
  GetCommRealData: (f, s, { t }) => {
    const fid = num(s.args[1]);
    if (fid !== undefined && t.undeliveredReal([fid]).length > 0) note(f, 'check', `REST does not deliver FID ${named(fid, t)}: GetCommRealData returns ""`);
  },
  GetChejanData: (f, s, { t }) => {
    const fid = num(s.args[0]);
    if (fid !== undefined && t.undeliveredChejan([fid]).length > 0) note(f, 'check', `REST 00/04 do not deliver chejan FID ${named(fid, t)}: GetChejanData returns ""`);
  },
  KOA_Functions: (f, s) => {
    const sub = str(s.args[0]);
    const row = sub === undefined || !Object.hasOwn(KOA_FUNCTIONS, sub) ? undefined : KOA_FUNCTIONS[sub];
    if (row === undefined) {
      f.notes = [`KOA_Functions("${sub ?? s.args[0]?.text ?? ''}") is not a known sub-command`];
      return;
    }
    f.notes = [];
    f.maps = `KOA_Functions("${sub ?? ''}")`;
    f.severity = row.severity;
    f.change = row.change;
    if (row.severity === 'ok') f.notes.push(row.change);
  },
  SendCondition: (f, s) => {
    const search = num(s.args[3]);
    f.maps = search === 1 ? 'WebSocket CNSRREQ real time (ka10173), pushes as type 02' : search === 0 ? 'WebSocket CNSRREQ one-shot (ka10172)' : OCX_METHODS.SendCondition?.wire ?? '';
    f.notes.push('at most 10 real-time conditions per login; one request per condition per minute');
  },
};

function checkOrder(f: Finding, s: Site, t: ScanTables, credit: boolean): void {
  const orderType = num(s.args[3]);
  const code = str(s.args[4]);
  const price = num(s.args[6]);
  const hogaCode = str(s.args[7]);
  if (orderType !== undefined) {
    const api = t.orderApi(orderType, credit);
    if (api === undefined) note(f, 'unsupported', `nOrderType ${orderType} has no REST order API`);
    else f.maps = `REST ${api}`;
  }
  if (hogaCode === undefined) {
    note(f, 'check', `sHogaGb is computed at run time (${s.args[7]?.text ?? 'missing'}): check each value has a trde_tp`);
  } else {
    const hoga = t.hoga(hogaCode);
    if (hoga === undefined) {
      note(f, 'unsupported', `sHogaGb "${hogaCode}" has no REST trde_tp`);
    } else {
      f.maps += ` trde_tp ${hoga.trdeTp} (${hoga.name})`;
      if (!hoga.mock) note(f, 'check', `sHogaGb "${hogaCode}" (${hoga.name}) is refused on the mock domain (00 and 03 only)`);
      if (!hoga.needsPrice && price !== undefined && price !== 0) f.notes.push(`${hoga.name} takes no price: ${price} is dropped, as the OCX ignored it`);
      if (hoga.needsPrice && price === 0 && orderType !== undefined && orderType <= 2) note(f, 'unsupported', `${hoga.name} needs a price, got 0`);
    }
  }
  if (code !== undefined) nxtNote(f, [code]);
  if (credit) note(f, 'check', 'credit orders are not offered on the mock domain');
}

/** A literal screen the facade refuses (the OCX's: not all zeros, up to 4 letters or digits). */
function checkScreenArg(f: Finding, s: Site, t: ScanTables): void {
  const at = Object.hasOwn(SCREEN_ARG, s.name) ? SCREEN_ARG[s.name] : undefined;
  const screen = at === undefined ? undefined : str(s.args[at]);
  if (screen !== undefined && !t.isScreen(screen)) note(f, 'unsupported', `screen "${screen}" is refused (-105): a screen is 1 to 4 letters or digits, not all zeros`);
}

/** Inputs REST requires that no SetInputValue before this CommRqData sets and no OCX default fills. */
function checkRequiredInputs(f: Finding, trCode: string | undefined, set: readonly (string | undefined)[], t: ScanTables): void {
  if (trCode === undefined || set.includes(undefined)) return;
  const tr = t.tr(trCode);
  if (tr === undefined) return;
  const missing = tr.requiredInputs.filter((name) => !set.includes(name));
  const defaulted = missing.filter((name) => Object.hasOwn(tr.inputDefaults, name));
  const refused = missing.filter((name) => !Object.hasOwn(tr.inputDefaults, name));
  if (defaulted.length > 0) f.notes.push(`not set here, sent with the OCX's default: ${defaulted.map((n) => `${n} = ${tr.inputDefaults[n] ?? ''}`).join(', ')}`);
  if (refused.length > 0) note(f, 'check', `REST requires ${refused.map((n) => `"${n}"`).join(', ')}, not set before this call: CommRqData answers -202 unless another SetInputValue sets it`);
}

function checkInput(f: Finding, s: Site, trCode: string | undefined, t: ScanTables): void {
  const name = str(s.args[0]);
  const tr = trCode === undefined ? undefined : t.tr(trCode);
  if (name === undefined || tr === undefined) return;
  f.maps = `REST ${tr.apiId} request`;
  const key = tr.inputs[name];
  if (key !== undefined) {
    f.maps += ` key ${key}`;
    return;
  }
  const implicit = t.implicitInput(name) ?? (tr.implicitInputs.includes(name) ? 'REST does not need it' : undefined);
  if (implicit !== undefined) {
    f.notes.push(`${name}: not sent over REST (${implicit}); harmless`);
    return;
  }
  note(f, tr.unmappedInputs.includes(name) ? 'check' : 'unsupported', `${tr.apiId} has no request key for input "${name}"${tr.unmappedInputs.includes(name) ? ' (a legacy input REST dropped)' : ''}`);
}

function checkOutput(f: Finding, s: Site, { t, file, rqTr }: Ctx, item: string | undefined): void {
  const trCode = str(s.args[0]) ?? contextTr(file, s.offset, rqTr, t);
  const tr = trCode === undefined ? undefined : t.tr(trCode);
  if (tr === undefined) {
    if (item !== undefined) note(f, 'check', `could not tell which TR "${item}" belongs to: check it maps to a REST response key`);
    return;
  }
  f.maps = `REST ${tr.apiId} response`;
  if (item === undefined) return;
  const key = tr.outputs[item];
  if (key !== undefined) f.maps += ` key ${key}`;
  else if (tr.unmappedOutputs.includes(item)) note(f, 'unsupported', `${tr.apiId} has no response key for "${item}" (a legacy output REST does not return)`);
  else note(f, 'unsupported', `"${item}" is not an output of ${trCode?.toLowerCase()} (${tr.name}): unknown name`);
}

/** The TR a GetCommData site reads: the nearest earlier mention of a known rqname or TR code. */
function contextTr(file: FileSites, offset: number, rqTr: ReadonlyMap<string, string>, t: ScanTables): string | undefined {
  let best: { at: number; tr: string } | undefined;
  const consider = (literal: string, tr: string): void => {
    for (const q of ['"', "'"]) {
      const at = file.text.lastIndexOf(`${q}${literal}${q}`, offset);
      if (at >= 0 && (best === undefined || at > best.at)) best = { at, tr };
    }
  };
  for (const [rq, tr] of rqTr) consider(rq, tr);
  for (const tr of new Set(rqTr.values())) if (t.tr(tr) !== undefined) consider(tr, tr);
  return best?.tr;
}

/** rqname → TR code, from every CommRqData call with literal arguments. */
function requestNames(files: readonly FileSites[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) {
    for (const s of f.sites) {
      const rq = str(s.args[0]);
      const tr = str(s.args[1]);
      if (s.name === 'CommRqData' && rq !== undefined && tr !== undefined) out.set(rq, tr);
    }
  }
  return out;
}

function base(file: string, site: Site): Finding {
  if (site.kind === 'wait') {
    return { file, line: site.line, kind: 'wait', name: site.name, facade: null, maps: '', severity: 'check', notes: [`${site.name}: a wait for an OCX event`], change: WAIT_CHANGE };
  }
  if (site.kind === 'event') {
    const row = OCX_EVENTS[site.name];
    const none = row?.source === 'none' || row === undefined;
    return { file, line: site.line, kind: 'event', name: site.name, facade: none ? null : site.name, maps: row?.source ?? '', severity: none ? 'unsupported' : 'ok', notes: [], change: row?.change ?? '' };
  }
  const row = OCX_METHODS[site.name];
  const facade = row?.facade ?? null;
  const severity = row?.severity ?? (facade === null ? 'unsupported' : 'ok');
  const notes = facade === null ? [`APIServer has no ${site.name}`] : severity === 'unsupported' ? [`${site.name} has nothing behind it on Kiwoom REST`] : [];
  return { file, line: site.line, kind: 'call', name: site.name, facade, maps: row?.wire ?? '', severity, notes, change: row?.change ?? '' };
}

function note(f: Finding, severity: Severity, text: string): void {
  f.notes.push(text);
  if (RANK[severity] > RANK[f.severity]) f.severity = severity;
}

function nxtNote(f: Finding, codes: readonly string[]): void {
  const nxt = codes.filter((c) => /_(NX|AL)$/.test(c));
  if (nxt.length > 0) note(f, 'check', `${nxt.join(', ')}: NXT/SOR codes; ${MOCK_NOTE}`);
}

function named(fid: number, t: ScanTables): string {
  const name = t.fidName(fid);
  return name === undefined ? String(fid) : `${fid} (${name})`;
}

const str = (a: Arg | undefined): string | undefined => (a?.value === undefined ? undefined : String(a.value));
const num = (a: Arg | undefined): number | undefined => {
  const n = a?.value === undefined ? NaN : Number(a.value);
  return Number.isFinite(n) ? n : undefined;
};
const list = (s: string | undefined): string[] => (s ?? '').split(';').map((x) => x.trim()).filter((x) => x !== '');

export type { TrRow };
