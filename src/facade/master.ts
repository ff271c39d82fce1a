/**
 * GetCodeListByMarket / GetMasterCodeName from the REST stock list (ka10099), cached for the
 * Korea-time day: the OCX read its master file once a day, and so do we. compat/markets.json
 * says which `mrkt_tp` lists (and which row filter) answer each legacy market code.
 */
import { getMarket } from '../compat/markets.js';
import type { RestPort } from './ports.js';
import { refuse, type Refusal } from './refusal.js';

/** One listed code as ka10099 reports it. */
export interface MasterEntry {
  code: string;
  name: string;
  /** The ka10099 `mrkt_tp` it was listed under (`0`, `10`, `8`, ...). */
  market: string;
  /** The raw ka10099 row, for market filters (`nxtEnable`). */
  row: Readonly<Record<string, unknown>>;
}

/** Korea-time calendar day, `YYYYMMDD`. */
export function kstDay(nowMs: number): string {
  return new Date(nowMs + 9 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

/** Pages of ka10099 gathered per market: the whole master of a market is a few thousand rows. */
const MAX_MASTER_PAGES = 200;

/** The stock master of one APIServer. */
export class Master {
  private day = '';
  private readonly byMrktTp = new Map<string, MasterEntry[]>();
  private readonly byCode = new Map<string, MasterEntry>();

  constructor(
    private readonly rest: RestPort,
    private readonly now: () => number = Date.now,
  ) {}

  /** GetCodeListByMarket: `"005930;000660;"`; a refusal for a market code ka10099 cannot list. */
  async codeList(market: string): Promise<string | Refusal> {
    const spec = getMarket(market);
    if (spec === undefined) return refuse('OP_ERR_INPUT', `market "${market}" is not a GetCodeListByMarket code ("0" KOSPI, "10" KOSDAQ, "8" ETF, ...)`);
    const codes = new Set<string>();
    for (const tp of spec.mrktTp) {
      for (const e of await this.list(tp)) {
        if (spec.filter === undefined || Object.entries(spec.filter).every(([k, v]) => String(e.row[k] ?? '') === v)) codes.add(e.code);
      }
    }
    return [...codes].map((c) => `${c};`).join('');
  }

  /** The entry of a code, loading the markets of GetCodeListByMarket("") in order until found. */
  async entry(code: string): Promise<MasterEntry | undefined> {
    this.rollDay();
    const plain = code.trim().replace(/^A/, '');
    for (const tp of getMarket('')?.mrktTp ?? []) {
      const hit = this.byCode.get(plain);
      if (hit !== undefined) return hit;
      await this.list(tp);
    }
    return this.byCode.get(plain);
  }

  /** GetMasterCodeName: the name, "" for an unknown code (as the OCX). */
  async name(code: string): Promise<string> {
    return (await this.entry(code))?.name ?? '';
  }

  private rollDay(): void {
    const today = kstDay(this.now());
    if (today === this.day) return;
    this.day = today;
    this.byMrktTp.clear();
    this.byCode.clear();
  }

  private async list(mrktTp: string): Promise<MasterEntry[]> {
    this.rollDay();
    const cached = this.byMrktTp.get(mrktTp);
    if (cached !== undefined) return cached;
    const { body } = await this.rest.collect('ka10099', { mrkt_tp: mrktTp }, { maxPages: MAX_MASTER_PAGES });
    const rows = Array.isArray(body['list']) ? (body['list'] as Record<string, unknown>[]) : [];
    const entries = rows.map((row) => ({ code: String(row['code'] ?? ''), name: String(row['name'] ?? ''), market: mrktTp, row }));
    this.byMrktTp.set(mrktTp, entries);
    for (const e of entries) if (!this.byCode.has(e.code)) this.byCode.set(e.code, e);
    return entries;
  }
}
