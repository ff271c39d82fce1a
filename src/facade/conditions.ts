/**
 * Condition search in the OCX shape: GetConditionLoad, GetConditionNameList, SendCondition,
 * SendConditionStop and the real-time I/D events, on the session's CNSRLST / CNSRREQ / CNSRCLR.
 *
 * The OCX rules hold here, before anything is sent: a condition runs at most once per minute
 * (SendCondition returns 0, as the OCX does), and at most 10 conditions run in real time.
 * Every page of a search is gathered at once, so OnReceiveTrCondition's nNext is 0 and a
 * continuation (nSearch 2) answers an empty page. With KOA_Functions("SetConditionSearchFlag",
 * "AddPrice") the codes come as `code^price`, the prices from one ka10095 query per 100 codes.
 */
import type { APIServerEvents } from './events.js';
import type { ConditionEvent, ConditionInfo, RealtimePort, RestPort } from './ports.js';
import { failed, isRefusal, refuse, type Refusal } from './refusal.js';
import { plainNumber } from '../numbers.js';

/** The OCX's condition rules. */
export const CONDITION_RULES = { windowMs: 60_000, maxRealtime: 10 } as const;

/** Current prices of codes, unsigned and unpadded (for AddPrice). */
export type PriceLookup = (codes: readonly string[]) => Promise<ReadonlyMap<string, string>>;

type Emit = <K extends 'OnReceiveConditionVer' | 'OnReceiveTrCondition' | 'OnReceiveRealCondition'>(event: K, ...args: APIServerEvents[K]) => void;

interface Running {
  screen: string;
  name: string;
  index: number;
}

/** Current prices of codes from ka10095 (100 codes a query), unsigned and unpadded: AddPrice's `code^price`. */
export async function quotePrices(rest: RestPort, codes: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < codes.length; i += 100) {
    const { body } = await rest.call('ka10095', { stk_cd: codes.slice(i, i + 100).join('|') });
    for (const row of (Array.isArray(body['atn_stk_infr']) ? body['atn_stk_infr'] : []) as Record<string, unknown>[]) {
      out.set(String(row['stk_cd'] ?? '').replace(/_(NX|AL)$/, ''), plainNumber(row['cur_prc']).replace(/^-/, ''));
    }
  }
  return out;
}

/** Condition search state of one APIServer. */
export class Conditions {
  private list: ConditionInfo[] = [];
  private loaded = false;
  private readonly lastRun = new Map<string, number>();
  private readonly running = new Map<string, Running>();
  /** KOA_Functions("SetConditionSearchFlag", "AddPrice"): OnReceiveTrCondition lists `code^price`. */
  private withPrices = false;

  constructor(
    private readonly rt: RealtimePort,
    private readonly emit: Emit,
    private readonly prices: PriceLookup = () => Promise.resolve(new Map()),
    private readonly now: () => number = Date.now,
  ) {}

  /** GetConditionLoad: 1 after OnReceiveConditionVer(1, msg); 0 (and the event with 0) on failure. */
  async load(): Promise<number> {
    try {
      this.list = await this.rt.conditions();
      this.loaded = true;
      this.emit('OnReceiveConditionVer', 1, `조건검색식 ${this.list.length}건을 불러왔습니다`);
      return 1;
    } catch (err) {
      this.emit('OnReceiveConditionVer', 0, `조건검색식을 불러오지 못했습니다: ${err instanceof Error ? err.message : String(err)}`);
      return 0;
    }
  }

  /** SetConditionSearchFlag: AddPrice (true) or DelPrice (false). */
  setPrices(on: boolean): void {
    this.withPrices = on;
  }

  /** GetConditionNameList: `"000^name;001^name;"`, empty before GetConditionLoad. */
  nameList(): string {
    return this.list.map((c) => `${c.seq.padStart(3, '0')}^${c.name};`).join('');
  }

  /** SendCondition(screen, name, index, search): 1 when sent; a refusal when the OCX would return 0. */
  async send(screen: string, name: string, index: number, search: number): Promise<Refusal | undefined> {
    const found = this.find(name, index);
    if (isRefusal(found)) return found;
    if (search !== 0 && search !== 1 && search !== 2) return refuse('OP_ERR_INPUT', `search must be 0 (once), 1 (real-time) or 2 (continuation), got ${String(search)}`);
    const last = this.lastRun.get(found.seq);
    if (search === 2) {
      // The search before this one was delivered whole (nNext 0): nothing is left to continue.
      if (last === undefined) return refuse('OP_ERR_COND_NOTFOUND', `condition ${index} "${name}" has no search to continue: send it with 0 or 1 first`);
      this.emit('OnReceiveTrCondition', screen, '', name, index, 0);
      return undefined;
    }
    if (last !== undefined && this.now() - last < CONDITION_RULES.windowMs) {
      const waitS = Math.ceil((CONDITION_RULES.windowMs - (this.now() - last)) / 1000);
      return refuse('OP_ERR_COND_OVERFLOW', `condition ${index} "${name}" ran less than a minute ago: the OCX allows one request per condition per minute (retry in ${waitS} s)`);
    }
    const realtime = search === 1;
    if (realtime && !this.running.has(found.seq) && this.running.size >= CONDITION_RULES.maxRealtime) {
      return refuse('OP_ERR_COND_OVERFLOW', `at most ${CONDITION_RULES.maxRealtime} conditions run in real time: stop one with SendConditionStop first`);
    }
    this.lastRun.set(found.seq, this.now());
    if (realtime) this.running.set(found.seq, { screen, name, index });
    try {
      const codes = await this.rt.search(found.seq, { realtime });
      const prices = this.withPrices ? await this.prices(codes) : undefined;
      const list = codes.map((c) => (prices === undefined ? `${c};` : `${c}^${prices.get(c) ?? ''};`)).join('');
      this.emit('OnReceiveTrCondition', screen, list, name, index, 0);
      return undefined;
    } catch (err) {
      if (realtime) this.running.delete(found.seq);
      return failed(err, 'condition');
    }
  }

  /** SendConditionStop(screen, name, index). */
  async stop(_screen: string, name: string, index: number): Promise<Refusal | undefined> {
    const found = this.find(name, index);
    if (isRefusal(found)) return found;
    if (!this.running.delete(found.seq)) return undefined;
    await this.rt.stopSearch(found.seq);
    return undefined;
  }

  /** A real-time hit from the session → OnReceiveRealCondition. */
  onCondition(ev: ConditionEvent): void {
    const run = this.running.get(ev.seq);
    if (run === undefined) return;
    this.emit('OnReceiveRealCondition', ev.code, ev.kind, run.name, String(run.index));
  }

  /** Stops every real-time condition (cleanup). */
  async clear(): Promise<void> {
    const seqs = [...this.running.keys()];
    this.running.clear();
    for (const seq of seqs) await this.rt.stopSearch(seq);
  }

  /** How many conditions run in real time. */
  realtimeCount(): number {
    return this.running.size;
  }

  private find(name: string, index: number): ConditionInfo | Refusal {
    if (!this.loaded) return refuse('OP_ERR_COND_NOTFOUND', 'conditions are not loaded: call GetConditionLoad first');
    if (!Number.isInteger(index) || index < 0) return refuse('OP_ERR_COND_NOTFOUND', `index must be a condition number ≥ 0, got ${String(index)}`);
    const byIndex = this.list.find((c) => Number(c.seq) === index);
    if (byIndex === undefined) return refuse('OP_ERR_COND_NOTFOUND', `no condition with index ${index} (GetConditionNameList lists them)`);
    if (byIndex.name !== name) return refuse('OP_ERR_COND_MISMATCH', `condition ${index} is "${byIndex.name}", not "${name}"`);
    return byIndex;
  }
}
