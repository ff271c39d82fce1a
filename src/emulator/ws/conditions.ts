/**
 * Condition search (ka10171..ka10174): the named formulas of compat/emulator/conditions.json
 * evaluated on the simulated market, one-shot with paging, and in real time with 02 pushes as
 * stocks enter (I) and leave (D).
 */
import type { EmulatorState, Quote, StockInfo } from '../types.js';
import { CONDITIONS, TABLES, type ConditionField, type ConditionSpec } from './data.js';
import { pad9, signCode } from './format.js';
import type { RealFrames } from './frames.js';
import { countFrame, reply } from './protocol.js';

/** The part of a session the engine reads and pushes to. */
export interface ConditionClient {
  readonly realtime: Map<string, Set<string>>;
  readonly listedConditions: boolean;
  send(frame: string, droppable?: boolean): boolean;
}

type Row = { stock: StockInfo; quote: Quote };

const FIELDS: Readonly<Record<ConditionField, (r: Row) => number | string>> = {
  price: (r) => r.quote.price,
  changeRate: (r) => ((r.quote.price - r.quote.prevClose) / r.quote.prevClose) * 100,
  volume: (r) => r.quote.volume,
  value: (r) => r.quote.value,
  market: (r) => r.stock.market,
};

/** `A005930` for stocks, `J…` for ELW. */
function prefixed(stock: StockInfo): string {
  const p = TABLES.conditionCodePrefixes;
  return (p[stock.market] ?? p['default'] ?? 'A') + stock.code;
}

export class ConditionEngine {
  private readonly clients = new Set<ConditionClient>();
  private timer: NodeJS.Timeout | undefined;
  private tickCursor = 0;

  constructor(
    private readonly state: EmulatorState,
    private readonly frames: RealFrames,
    private readonly stats: { realFrames: number; realEntries: number },
    private readonly options: {
      maxRealtimeConditions: number;
      conditionIntervalMs: number;
      conditionMarketTicks: number;
      conditionPageSize: number;
    },
  ) {}

  /** Codes matching a condition now, in result order. */
  evaluate(spec: ConditionSpec): Row[] {
    const rows: Row[] = [];
    for (const stock of this.state.master) {
      const quote = this.state.quote(stock.code);
      if (!quote) continue;
      const row = { stock, quote };
      const ok = (spec.rule.all ?? []).every((p) => {
        const v = FIELDS[p.field](row);
        if (p.equals !== undefined) return String(v) === p.equals;
        return typeof v === 'number' && (p.min === undefined || v >= p.min) && (p.max === undefined || v <= p.max);
      });
      if (ok) rows.push(row);
    }
    const top = spec.rule.top;
    if (!top) return rows;
    const get = FIELDS[top.field];
    return rows.sort((a, b) => Number(get(b)) - Number(get(a))).slice(0, top.n);
  }

  listReply(): string {
    return JSON.stringify({ trnm: 'CNSRLST', return_code: 0, return_msg: '', data: CONDITIONS.map((c) => [c.seq, c.name]) });
  }

  /** CNSRREQ: search_type "0" one-shot (paged by body cont_yn/next_key) or "1" real-time. */
  request(client: ConditionClient, msg: Record<string, unknown>): string {
    const seq = msg['seq'];
    const fail = (error: string): string => reply('CNSRREQ', error, { seq: typeof seq === 'string' ? seq : '' });
    if (typeof seq !== 'string' || seq.trim() === '') return fail('seq(조건검색식 일련번호)가 없습니다');
    const spec = CONDITIONS.find((c) => c.seq === seq.trim());
    if (!spec) return fail(`조건검색식이 없습니다 (seq=${seq})`);
    if (msg['stex_tp'] !== 'K') return fail(`stex_tp(거래소구분)는 K만 지원합니다 (stex_tp=${String(msg['stex_tp'])})`);
    const type = msg['search_type'];
    if (type === '0') return this.oneShot(spec, seq, msg);
    if (type !== '1') return fail(`search_type(조회타입)는 "0" 또는 "1"이어야 합니다 (search_type=${String(type)})`);
    if (!client.listedConditions) return fail('조건검색 목록조회(CNSRLST)를 먼저 요청해야 합니다');
    if (!client.realtime.has(spec.seq) && client.realtime.size >= this.options.maxRealtimeConditions) {
      return fail(`실시간 조건검색은 로그인 1개당 최대 ${this.options.maxRealtimeConditions}건까지 가능합니다`);
    }
    const rows = this.evaluate(spec);
    client.realtime.set(spec.seq, new Set(rows.map((r) => r.stock.code)));
    this.clients.add(client);
    this.ensureTimer();
    return JSON.stringify({
      trnm: 'CNSRREQ',
      seq,
      return_code: 0,
      return_msg: '',
      data: rows.map((r) => ({ jmcode: prefixed(r.stock) })),
    });
  }

  private oneShot(spec: ConditionSpec, seq: string, msg: Record<string, unknown>): string {
    const rows = this.evaluate(spec);
    const nextKey = msg['cont_yn'] === 'Y' ? Number(msg['next_key'] ?? 0) : 0;
    const start = Number.isInteger(nextKey) && nextKey > 0 ? nextKey : 0;
    const size = this.options.conditionPageSize;
    const page = rows.slice(start, start + size);
    const more = start + size < rows.length;
    return JSON.stringify({
      trnm: 'CNSRREQ',
      seq,
      cont_yn: more ? 'Y' : 'N',
      next_key: more ? String(start + size) : '',
      return_code: 0,
      return_msg: '',
      data: page.map(({ stock, quote: q }) => ({
        '9001': prefixed(stock),
        '302': stock.name,
        '10': pad9(q.price),
        '25': signCode(q.price, q.prevClose, q.upperLimit, q.lowerLimit),
        '11': pad9(q.price - q.prevClose),
        '12': pad9(Math.round(((q.price - q.prevClose) / q.prevClose) * 10_000) * 10),
        '13': pad9(q.volume),
        '16': pad9(q.open),
        '17': pad9(q.high),
        '18': pad9(q.low),
      })),
    });
  }

  /** CNSRCLR: stops a real-time condition (a seq that is not running is not an error). */
  clear(client: ConditionClient, msg: Record<string, unknown>): string {
    const seq = msg['seq'];
    if (typeof seq !== 'string' || seq.trim() === '') return reply('CNSRCLR', 'seq(조건검색식 일련번호)가 없습니다', { seq: '' });
    client.realtime.delete(seq.trim());
    if (client.realtime.size === 0) this.forget(client);
    return reply('CNSRCLR', undefined, { seq });
  }

  forget(client: ConditionClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0) this.stop();
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.round(), this.options.conditionIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private push(client: ConditionClient, frame: string): void {
    if (client.send(frame, true)) countFrame(this.stats);
  }

  /** One evaluation round: the market trades a little, then every running condition is diffed. */
  round(): void {
    const master = this.state.master;
    for (let i = 0; i < this.options.conditionMarketTicks && master.length > 0; i++) {
      const s = master[this.tickCursor++ % master.length];
      if (s) this.state.tick(s.code);
    }
    const now = this.state.now();
    const results = new Map<string, Set<string>>();
    for (const client of this.clients) {
      for (const [seq, had] of client.realtime) {
        let matching = results.get(seq);
        if (!matching) {
          const spec = CONDITIONS.find((c) => c.seq === seq);
          matching = new Set(spec ? this.evaluate(spec).map((r) => r.stock.code) : []);
          results.set(seq, matching);
        }
        for (const code of matching) if (!had.has(code)) this.push(client, this.frames.condition(seq, code, 'I', now));
        for (const code of had) if (!matching.has(code)) this.push(client, this.frames.condition(seq, code, 'D', now));
        client.realtime.set(seq, new Set(matching));
      }
    }
  }
}
