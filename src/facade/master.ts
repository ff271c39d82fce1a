/**
 * The master data the OCX held after login, answered synchronously: listings per market
 * (ka10099), themes (ka90001 / ka90002) and member firms (ka10102). It is loaded during
 * CommConnect (./master-load.ts); every getter here is a lookup. compat/markets.json says which
 * ka10099 `mrkt_tp` lists (and which row filter) answer each legacy market code.
 */
import { getMarket, MARKETS } from '../compat/markets.js';
import { refuse, type Refusal } from './refusal.js';
import { plainNumber } from '../numbers.js';

/** One ka10099 row, by its REST keys (`code`, `name`, `listCount`, `lastPrice`, `state`, ...). */
export type MasterRow = Readonly<Record<string, string>>;

/** One listed code: its ka10099 row and the `mrkt_tp` list it came from. */
export interface MasterEntry {
  code: string;
  name: string;
  /** The ka10099 `mrkt_tp` it was listed under (`0`, `10`, `8`, `3`, `60`, ...). */
  market: string;
  row: MasterRow;
}

/** What CommConnect loads, as kept in memory and in the day cache file. */
export interface MasterSnapshot {
  /** Korea-time day it was loaded, `YYYYMMDD`. */
  day: string;
  /** ka10099 rows per `mrkt_tp`. */
  lists: Record<string, MasterRow[]>;
  /** ka90001 theme groups: code and name. */
  themes: { code: string; name: string }[];
  /** ka90002 member codes per theme code (absent when theme members were not loaded). */
  themeMembers?: Record<string, string[]>;
  /** ka10102 member firms: code and name. */
  branches: { code: string; name: string }[];
}

/** Korea-time calendar day, `YYYYMMDD`. */
export function kstDay(nowMs: number): string {
  return new Date(nowMs + 9 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

/** A code as programs pass it: `A`-prefixed chejan codes and blanks accepted. */
export function plainCode(code: string): string {
  return code.trim().replace(/^A(?=[0-9A-Z]{6}$)/, '');
}


/** The master of one login; empty (every getter "") until CommConnect loaded it. */
export class Master {
  private snapshot: MasterSnapshot | undefined;
  private readonly byCode = new Map<string, MasterEntry>();
  /** Answers built once per login: the master does not change until the next CommConnect. */
  private readonly memo = new Map<string, string>();

  /** Installs what CommConnect loaded. */
  use(snapshot: MasterSnapshot): void {
    this.snapshot = snapshot;
    this.byCode.clear();
    this.memo.clear();
    for (const tp of getMarket('')?.mrktTp ?? Object.keys(snapshot.lists)) {
      for (const row of snapshot.lists[tp] ?? []) {
        const code = row['code'] ?? '';
        if (code !== '' && !this.byCode.has(code)) this.byCode.set(code, { code, name: row['name'] ?? '', market: tp, row });
      }
    }
  }

  /** Whether CommConnect loaded the master. */
  get loaded(): boolean {
    return this.snapshot !== undefined;
  }

  /** Whether theme members were loaded (api_init `master.themeMembers`). */
  get hasThemeMembers(): boolean {
    return this.snapshot?.themeMembers !== undefined;
  }

  /** The entry of a code, undefined when it is not listed. */
  entry(code: string): MasterEntry | undefined {
    return this.byCode.get(plainCode(code));
  }

  /** GetCodeListByMarket: `"005930;000660;"`; a refusal for a market code ka10099 cannot list. */
  codeList(market: string): string | Refusal {
    const spec = getMarket(market);
    if (spec === undefined) return refuse('OP_ERR_INPUT', `market "${market}" is not a GetCodeListByMarket code ("0" KOSPI, "10" KOSDAQ, "8" ETF, ...)`);
    return this.remember(`codes|${market.trim()}`, () => this.joinCodes(spec));
  }

  private joinCodes(spec: NonNullable<ReturnType<typeof getMarket>>): string {
    const codes = new Set<string>();
    for (const tp of spec.mrktTp) {
      for (const row of this.snapshot?.lists[tp] ?? []) {
        if (spec.filter === undefined || Object.entries(spec.filter).every(([k, v]) => (row[k] ?? '') === v)) codes.add(row['code'] ?? '');
      }
    }
    codes.delete('');
    return [...codes].map((c) => `${c};`).join('');
  }

  /** A ka10099 field of a code, "" when the code is unknown. */
  field(code: string, key: string): string {
    return this.entry(code)?.row[key] ?? '';
  }

  /** GetMasterListedStockCnt / GetMasterListedStockCntEx: listed shares without padding. */
  listedCount(code: string): string {
    return plainNumber(this.entry(code)?.row['listCount']);
  }

  /** GetMasterLastPrice: the base price as the OCX gave it (zero-padded, as ka10099 sends it). */
  lastPrice(code: string): string {
    return this.field(code, 'lastPrice');
  }

  /** GetMarketType / GetStockMarketKind: the market code, "" for an unknown code. */
  marketKind(code: string): string {
    const e = this.entry(code);
    return e === undefined ? '' : (e.row['marketCode'] || e.market);
  }

  /** GetThemeGroupList(0 | 1): `"code|name;..."`, sorted by code (0) or by name (1). */
  themeGroupList(sortBy: number): string {
    return this.remember(`themes|${sortBy}`, () => this.joinThemes(sortBy));
  }

  private joinThemes(sortBy: number): string {
    const themes = [...(this.snapshot?.themes ?? [])];
    if (sortBy === 1) themes.sort((a, b) => a.name.localeCompare(b.name, 'ko'));
    else themes.sort((a, b) => a.code.localeCompare(b.code, undefined, { numeric: true }));
    return themes.map((t) => `${t.code}|${t.name};`).join('');
  }

  private remember(key: string, build: () => string): string {
    if (this.snapshot === undefined) return '';
    let v = this.memo.get(key);
    if (v === undefined) {
      v = build();
      this.memo.set(key, v);
    }
    return v;
  }

  /** GetThemeGroupCode(theme): member codes, `A`-prefixed as the OCX wrote them, `;`-joined. */
  themeGroupCode(theme: string): string {
    const members = this.snapshot?.themeMembers?.[theme.trim()] ?? [];
    return members.map((c) => `A${c}`).join(';');
  }

  /** GetBranchCodeName: `"001|교  보;002|신한금융투자;..."`. */
  branchCodeName(): string {
    return (this.snapshot?.branches ?? []).map((b) => `${b.code}|${b.name};`).join('');
  }

  /** KOA GetMasterStockInfo: `"시장구분0|거래소;시장구분1|중형주;업종구분|금융업;"`, "" for an unknown code. */
  stockInfo(code: string): string {
    const e = this.entry(code);
    if (e === undefined) return '';
    const market = e.row['marketName'] || (MARKETS.mrktTp[e.market] ?? '');
    return `시장구분0|${market};시장구분1|${e.row['upSizeName'] ?? ''};업종구분|${e.row['upName'] ?? ''};`;
  }
}
