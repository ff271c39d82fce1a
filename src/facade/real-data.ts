/**
 * SetRealReg / SetRealRemove / DisconnectRealData and the REAL hot path.
 *
 * Each screen owns one REG group (allocated on first use, at most 200 screens as in the OCX).
 * optType "0" replaces the screen's codes (REG refresh "0"), "1" adds to them (refresh "1").
 * The FID list selects the real types, as in the OCX: every registrable type that carries one
 * of the FIDs, whose item kind matches the code (stock, 업종 sector code, or market-wide for an
 * empty list) and, for a stock code, whose instrument matches the master's (ETF NAV for ETFs,
 * the ELW types for ELWs). An empty FID list registers what a quote consumer reads
 * (compat/facade.json realRegDefaults).
 */
import { instrumentKind, sectorName } from '../compat/markets.js';
import { fidName } from '../compat/fids.js';
import { realTypeByOcxName, realTypesForFids, undeliveredFids, REAL_TYPES, type RealItemKind, type RealTypeSpec } from '../compat/real-types.js';
import type { FidValues, RealData as RealDataArg } from './events.js';
import { realData } from './fid-record.js';
import type { MasterEntry } from './master.js';
import type { RealtimePort } from './ports.js';
import { refuse, type Refusal } from './refusal.js';
import { FACADE } from './tables.js';

/** The OCX limits of SetRealReg. */
export const REAL_LIMITS = { screens: 200, codesPerCall: 100, fidsPerCall: 100 } as const;

/** Group numbers: screens get 1..; the account-level chejan group sits outside that range. */
export const CHEJAN_GROUP = '0';

/**
 * The OCX asked for a 4-digit screen number other than 0000. Programs also pass shorter ones
 * ("101", or 101 as a number) and names ("SCR1"); the reference does not say the control
 * refused them, so any 1 to 4 letters or digits is a screen, except all zeros.
 */
const SCREEN = /^[0-9A-Za-z]{1,4}$/;

/** Item kind of a code as SetRealReg receives it. */
function itemKind(code: string): RealItemKind {
  if (code === '') return 'market';
  if (/^\d{3}$/.test(code)) return 'sector';
  if (/^MG[DU]$/.test(code)) return 'gold';
  return 'stock';
}

/** Validates a screen number: 1 to 4 letters or digits, not 0 or 0000. */
export function checkScreen(screen: string, field = 'screen'): Refusal | undefined {
  if (!SCREEN.test(screen) || /^0+$/.test(screen)) {
    return refuse('OP_ERR_INPUT', `${field} must be a screen number of up to 4 digits other than "0000", got "${screen}"`);
  }
  return undefined;
}

/** Splits an OCX `;`-joined list, dropping empty entries and blanks. */
export function splitList(list: string): string[] {
  return list.split(';').map((s) => s.trim()).filter((s) => s !== '');
}

interface ScreenRegs {
  grp: string;
  /** code → REST type codes registered for it on this screen. */
  codes: Map<string, Set<string>>;
}

/** The types a FID list selects for items of this kind, whatever the instrument. */
function typesFor(fids: number[], kind: RealItemKind): RealTypeSpec[] {
  const candidates = realTypesForFids(fids).filter((t) => t.items.includes(kind));
  if (kind !== 'market') return candidates;
  // Market-wide registrations name a type by its full FID list ("215;20;214" → 장시작시간);
  // prefer the types that carry every FID asked for.
  const exact = candidates.filter((t) => fids.every((f) => t.fids.includes(f)));
  return exact.length > 0 ? exact : candidates;
}

/** The FID of a real type (by OCX name) that a number or a Korean FID name names, for CommGetData. */
export function realFidByName(realType: string, field: string): string | undefined {
  if (/^\d+$/.test(field)) return field;
  const type = realTypeByOcxName(realType);
  const fid = type?.fids.find((f) => fidName(f) === field);
  return fid === undefined ? undefined : String(fid);
}

/** What SetRealReg needs of the master: is a code listed. */
export interface MasterLookup {
  entry(code: string): MasterEntry | undefined;
}

/** Whether a registration item names something that streams: a listed code, a known sector, a gold item or market-wide. */
function isKnownItem(master: MasterLookup, code: string): boolean {
  switch (itemKind(code)) {
    case 'market':
    case 'gold':
      return true;
    case 'sector':
      return sectorName(code) !== undefined;
    default:
      return master.entry(code.replace(/_(NX|AL)$/, '')) !== undefined;
  }
}

/**
 * FIDs of the OCX's 잔고 (gubun 1) that REST's 04 leaves out but REST's real-time data carries
 * for the code: 전일대비기호, 전일대비, 등락율 (주식체결) and 상한가, 하한가 (주식종목정보), taken from
 * the latest values of a code the program has registered. "" stays "" when it has not.
 */
const BALANCE_FROM_REAL = ['25', '11', '12', '305', '306'] as const;

/**
 * Values kept undecoded until read ({@link RealData.remember}): their JSON text, or a function
 * that decodes them (from the compact record the bridge wrote for them).
 */
type KeptValues = string | (() => FidValues);

/** The values kept under `key`, decoded (and kept decoded) when they were kept undecoded. */
function decoded(store: Map<string, FidValues | KeptValues>, key: string): FidValues | undefined {
  const kept = store.get(key);
  if (kept === undefined || (typeof kept !== 'string' && typeof kept !== 'function')) return kept;
  const values = typeof kept === 'string' ? (JSON.parse(kept) as FidValues) : kept();
  store.set(key, values);
  return values;
}

/** Screen → REG group bookkeeping and the latest REAL values per code. */
export class RealData {
  private readonly screens = new Map<string, ScreenRegs>();
  private nextGroup = 1;
  /** Group numbers of screens that were emptied, reused before new ones. */
  private readonly freeGroups: string[] = [];
  private readonly warned = new Set<number>();
  /** code → type → latest values (the frame's own object, or its JSON text until read: {@link remember}). */
  private readonly latest = new Map<string, Map<string, FidValues | KeptValues>>();
  /** code → the most recent values of any type. */
  private readonly last = new Map<string, FidValues | KeptValues>();
  private readonly ocxName: Record<string, string> = Object.create(null) as Record<string, string>;
  /** The item, OCX real-type name and values of the OnReceiveRealData being raised. */
  private curItem: string | undefined;
  private curName = '';
  private curValues: FidValues | undefined;

  /**
   * @param master answers whether a code is listed (codes that are not would never stream)
   * @param notify says something to the program (OnReceiveMsg on the screen)
   */
  constructor(
    private readonly rt: RealtimePort,
    private readonly warn: (message: string) => void,
    private readonly master: MasterLookup,
    private readonly notify: (screen: string, message: string) => void,
  ) {
    for (const t of Object.values(REAL_TYPES)) this.ocxName[t.code] = t.ocxName;
  }

  /** The type codes a FID list selects for one item: by item kind, then by the code's instrument. */
  private typesOf(code: string, fids: number[]): string[] {
    const kind = itemKind(code);
    if (fids.length === 0) return FACADE.realRegDefaults[kind] ?? [];
    const types = typesFor(fids, kind);
    if (kind !== 'stock') return types.map((t) => t.code);
    const instrument = instrumentKind(this.master.entry(code.replace(/_(NX|AL)$/, ''))?.market ?? '0');
    return types.filter((t) => t.instruments === undefined || t.instruments.includes(instrument)).map((t) => t.code);
  }

  /** SetRealReg. Resolves when the server acknowledged the registration. */
  async setRealReg(screen: string, codeList: string, fidList: string, optType: string): Promise<Refusal | undefined> {
    const bad = checkScreen(screen) ?? this.checkArgs(screen, codeList, fidList, optType);
    if (bad !== undefined) return bad;
    const listed = splitList(codeList);
    // Kiwoom acknowledges a REG for a code it does not know and then sends nothing, as the OCX
    // did: such codes are left out (they would only spend the 200-item cap) and named.
    const codes = listed.filter((c) => isKnownItem(this.master, c));
    if (codes.length < listed.length) {
      const unknown = listed.filter((c) => !codes.includes(c));
      this.notify(screen, `SetRealReg: ${unknown.join(';')} ${unknown.length === 1 ? 'is not a listed code' : 'are not listed codes'} (GetMasterCodeName returns ""): no real-time data will come for ${unknown.length === 1 ? 'it' : 'them'}`);
      if (codes.length === 0) {
        if (optType === '0') await this.removeFromScreen(screen, undefined);
        return undefined;
      }
    }
    const fids = splitList(fidList).map(Number);
    this.warnUndelivered(fids);
    // One REG per distinct set of types (each message is items × types on the wire).
    const byTypes = new Map<string, string[]>();
    const none: string[] = [];
    for (const code of codes.length === 0 ? [''] : codes) {
      const types = this.typesOf(code, fids);
      if (types.length === 0) none.push(code);
      else byTypes.set(types.join(','), [...(byTypes.get(types.join(',')) ?? []), code]);
    }
    if (none.length > 0) this.notify(screen, `SetRealReg: no real type carrying FIDs ${fids.join(';')} applies to ${none.join(';')} (an ETF NAV FID for a stock, say): nothing registered for ${none.length === 1 ? 'it' : 'them'}`);
    const regs = this.screenRegs(screen);
    const before = new Map([...regs.codes].map(([code, types]) => [code, new Set(types)]));
    try {
      await this.register(regs, byTypes, optType === '1');
    } catch (err) {
      // The server refused (an unknown code, too many items): the screen keeps what it had.
      regs.codes.clear();
      for (const [code, types] of before) regs.codes.set(code, types);
      if (regs.codes.size === 0) this.release(screen, regs);
      throw err;
    }
    return undefined;
  }

  private async register(regs: ScreenRegs, byTypes: Map<string, string[]>, add: boolean): Promise<void> {
    let refresh = add;
    if (!refresh) regs.codes.clear();
    for (const [key, items] of byTypes) {
      const types = key.split(',');
      for (const item of items) {
        const set = regs.codes.get(item) ?? new Set<string>();
        for (const t of types) set.add(t);
        regs.codes.set(item, set);
      }
      await this.rt.register(regs.grp, items, types, refresh);
      // A second set of types in the same call adds to what the first one just replaced.
      refresh = true;
    }
  }

  /** SetRealRemove(screen | "ALL", code | "ALL"). */
  async setRealRemove(screen: string, code: string): Promise<Refusal | undefined> {
    if (screen !== 'ALL') {
      const bad = checkScreen(screen);
      if (bad !== undefined) return bad;
    }
    if (code.trim() === '') return refuse('OP_ERR_INPUT', 'code must be a code or "ALL", got ""');
    const targets = screen === 'ALL' ? [...this.screens.keys()] : [screen];
    for (const s of targets) await this.removeFromScreen(s, code === 'ALL' ? undefined : code);
    return undefined;
  }

  /** DisconnectRealData(screen): drops every registration of that screen. */
  async disconnect(screen: string): Promise<Refusal | undefined> {
    const bad = checkScreen(screen);
    if (bad !== undefined) return bad;
    await this.removeFromScreen(screen, undefined);
    return undefined;
  }

  /** Screens currently holding registrations. */
  screenCount(): number {
    return this.screens.size;
  }

  /**
   * The hot path: remember the frame's values (no copy) and raise OnReceiveRealData through
   * `raise` when the type is one it carries; GetCommRealData reads this event meanwhile.
   */
  deliver(type: string, item: string, values: FidValues, raise: (code: string, realType: string, data: RealDataArg) => void): void {
    const name = this.store(type, item, values);
    if (name === undefined) return;
    const data = realData(type, values);
    this.curItem = item;
    this.curName = name;
    this.curValues = values;
    try {
      raise(item, name, data);
    } finally {
      this.curItem = undefined;
      this.curValues = undefined;
    }
  }

  /**
   * Keeps a quote whose values only a reader outside Node sees (the Python bridge's), as their
   * JSON text or a function that decodes them, decoded if GetCommRealData or a 잔고 event asks.
   * Answers the type's OCX name, or undefined for a type OnReceiveRealData does not carry
   * (nothing kept).
   */
  remember(type: string, item: string, values: string | (() => FidValues)): string | undefined {
    return this.store(type, item, values);
  }

  /** The OCX's name of a real type OnReceiveRealData carries, or undefined. */
  realTypeName(type: string): string | undefined {
    return this.ocxName[type];
  }

  private store(type: string, item: string, values: FidValues | KeptValues): string | undefined {
    const name = this.ocxName[type];
    if (name === undefined) return undefined;
    let perType = this.latest.get(item);
    if (perType === undefined) {
      perType = new Map();
      this.latest.set(item, perType);
    }
    perType.set(type, values);
    this.last.set(item, values);
    return name;
  }

  /** A 잔고 event with the FIDs REST's 04 leaves out filled from this code's latest real-time values (BALANCE_FROM_REAL). */
  withQuote(fids: FidValues): FidValues {
    const code = (fids['9001'] ?? '').replace(/^A/, '');
    let out: Record<string, string> | undefined;
    for (const fid of BALANCE_FROM_REAL) {
      if ((fids[fid] ?? '') !== '') continue;
      const v = this.value(code, fid);
      if (v === '') continue;
      out ??= { ...fids };
      out[fid] = v;
    }
    return out ?? fids;
  }

  /**
   * GetCommRealData(x, fid): inside OnReceiveRealData, the event's value whether `x` is its
   * code (the documented form) or its real type (what many programs pass); otherwise the
   * latest value of that FID for the code x. "" when none.
   */
  value(code: string, fid: number | string): string {
    const key = String(fid);
    if (this.curValues !== undefined && (code === this.curItem || code === this.curName)) {
      return Object.hasOwn(this.curValues, key) ? (this.curValues[key] ?? '') : '';
    }
    const recent = decoded(this.last, code);
    if (recent !== undefined && Object.hasOwn(recent, key)) return recent[key] ?? '';
    const perType = this.latest.get(code);
    for (const type of perType?.keys() ?? []) {
      const values = decoded(perType as Map<string, FidValues | KeptValues>, type) as FidValues;
      if (Object.hasOwn(values, key)) return values[key] ?? '';
    }
    return '';
  }

  private checkArgs(screen: string, codeList: string, fidList: string, optType: string): Refusal | undefined {
    if (optType !== '0' && optType !== '1') return refuse('OP_ERR_INPUT', `optType must be "0" (replace) or "1" (add), got "${optType}"`);
    const codes = splitList(codeList);
    if (codes.length > REAL_LIMITS.codesPerCall) return refuse('OP_ERR_OVER_MAX_DATA', `codeList has ${codes.length} codes; at most ${REAL_LIMITS.codesPerCall} per SetRealReg call`);
    const fids = splitList(fidList);
    if (fids.length > REAL_LIMITS.fidsPerCall) return refuse('OP_ERR_OVER_MAX_FID', `fidList has ${fids.length} FIDs; at most ${REAL_LIMITS.fidsPerCall} per SetRealReg call`);
    const notNumber = fids.find((f) => !/^\d+$/.test(f));
    if (notNumber !== undefined) return refuse('OP_ERR_INPUT', `fidList entry "${notNumber}" is not a FID number`);
    const badCode = codes.find((c) => !/^[0-9A-Z]{3,9}(_NX|_AL)?$/.test(c));
    if (badCode !== undefined) return refuse('OP_ERR_INPUT', `codeList entry "${badCode}" is not a stock or sector code`);
    if (!this.screens.has(screen) && this.screens.size >= REAL_LIMITS.screens) {
      return refuse('OP_ERR_INPUT', `screen "${screen}" would be screen ${REAL_LIMITS.screens + 1}; the OCX allows ${REAL_LIMITS.screens}: free one with DisconnectRealData`);
    }
    const kinds = new Set((codes.length === 0 ? [''] : codes).map(itemKind));
    const nums = fids.map(Number);
    if (nums.length > 0 && [...kinds].every((k) => typesFor(nums, k).length === 0)) {
      return refuse('OP_ERR_INPUT', `no real type Kiwoom REST delivers carries FIDs ${fids.join(';')} for ${codes.length === 0 ? 'a market-wide registration' : `codes ${codes.join(';')}`}`);
    }
    return undefined;
  }

  private warnUndelivered(fids: number[]): void {
    for (const fid of undeliveredFids(fids)) {
      if (this.warned.has(fid)) continue;
      this.warned.add(fid);
      this.warn(`FID ${fid} is not delivered by Kiwoom REST real-time data: GetCommRealData returns "" for it (see MIGRATION.md)`);
    }
  }

  private screenRegs(screen: string): ScreenRegs {
    let regs = this.screens.get(screen);
    if (regs === undefined) {
      regs = { grp: this.freeGroups.shift() ?? String(this.nextGroup++), codes: new Map() };
      this.screens.set(screen, regs);
    }
    return regs;
  }

  /** Forgets an empty screen; its group number is reused. */
  private release(screen: string, regs: ScreenRegs): void {
    this.screens.delete(screen);
    this.freeGroups.push(regs.grp);
  }

  private async removeFromScreen(screen: string, code: string | undefined): Promise<void> {
    const regs = this.screens.get(screen);
    if (regs === undefined) return;
    const codes = code === undefined ? [...regs.codes.keys()] : regs.codes.has(code) ? [code] : [];
    // One REMOVE per distinct type set, so that each message is item × type as the wire wants.
    const byTypes = new Map<string, string[]>();
    for (const c of codes) {
      const key = [...(regs.codes.get(c) ?? [])].sort().join(',');
      byTypes.set(key, [...(byTypes.get(key) ?? []), c]);
      regs.codes.delete(c);
    }
    if (regs.codes.size === 0) this.release(screen, regs);
    for (const [types, items] of byTypes) {
      if (types !== '') await this.rt.remove(regs.grp, items, types.split(','));
    }
  }
}
