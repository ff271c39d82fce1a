/**
 * GetCodeListByMarket / GetMasterCodeName from the REST stock list (ka10099), cached for the
 * Korea-time day: the OCX read its master file once a day, and so do we.
 */
import type { RestPort } from './ports.js';
import { refuse, type Refusal } from './refusal.js';

/** One listed code as ka10099 reports it. */
export interface MasterEntry {
  code: string;
  name: string;
  /** The legacy market code the list was fetched for. */
  market: string;
  /** ka10099 `lastPrice` (전일종가), for tick-size checks of orders. */
  lastPrice: number;
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
  private readonly byMarket = new Map<string, MasterEntry[]>();
  private readonly byCode = new Map<string, MasterEntry>();

  /**
   * @param mrktTpOf the ka10099 `mrkt_tp` for a legacy market code, undefined when none exists.
   * @param lookupOrder legacy markets searched, in order, when a code's market is unknown.
   */
  constructor(
    private readonly rest: RestPort,
    private readonly mrktTpOf: (market: string) => string | undefined,
    private readonly lookupOrder: readonly string[],
    private readonly now: () => number = Date.now,
  ) {}

  /** GetCodeListByMarket: `"005930;000660;"`; a refusal for a market code ka10099 cannot list. */
  async codeList(market: string): Promise<string | Refusal> {
    if (market === '') {
      const all: string[] = [];
      for (const m of this.lookupOrder) all.push(...(await this.market(m)).map((e) => e.code));
      return [...new Set(all)].map((c) => `${c};`).join('');
    }
    if (this.mrktTpOf(market) === undefined) {
      return refuse('OP_ERR_INPUT', `market "${market}" has no REST stock list (known: ${this.lookupOrder.join(', ')})`);
    }
    return (await this.market(market)).map((e) => `${e.code};`).join('');
  }

  /** The entry of a code, loading markets in lookup order until it is found. */
  async entry(code: string): Promise<MasterEntry | undefined> {
    this.rollDay();
    const plain = code.replace(/^A/, '');
    for (const m of this.lookupOrder) {
      const hit = this.byCode.get(plain);
      if (hit !== undefined) return hit;
      await this.market(m);
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
    this.byMarket.clear();
    this.byCode.clear();
  }

  private async market(market: string): Promise<MasterEntry[]> {
    this.rollDay();
    const cached = this.byMarket.get(market);
    if (cached !== undefined) return cached;
    const mrktTp = this.mrktTpOf(market);
    const list = mrktTp === undefined ? [] : (await this.rest.collect('ka10099', { mrkt_tp: mrktTp }, { maxPages: MAX_MASTER_PAGES })).body['list'];
    const rows = Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
    const entries = rows.map((r) => ({
      code: String(r['code'] ?? ''),
      name: String(r['name'] ?? ''),
      market,
      lastPrice: Number.parseInt(String(r['lastPrice'] ?? '0'), 10) || 0,
    }));
    this.byMarket.set(market, entries);
    for (const e of entries) if (!this.byCode.has(e.code)) this.byCode.set(e.code, e);
    return entries;
  }
}
