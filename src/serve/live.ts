/**
 * What the page shows, kept by the server and pushed as server-sent events (`GET /events`):
 * the watched codes' quotes (주식체결 as it arrives), the account (balance and open orders,
 * read again after each order event and periodically while a page is open), and the last
 * events (orders, fills, messages). A page that connects gets one `snapshot` of all of it,
 * then `quote`, `account`, `event` and `watch` events.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChejanData, RealData } from '../facade/index.js';
import { EventStream } from './event-stream.js';
import { isOwnQuery, OcxCallError, type ServeApi } from './ocx.js';
import { listOpenOrders, type OpenOrder } from './orders.js';
import { abs, num, readBalance, readQuote, STOCK_CODE, type Balance, type Quote } from './queries.js';
import type { Reply } from './handler.js';

/** A watched code's latest quote. */
export interface LiveQuote extends Quote {
  /** Best ask and bid; 0 until a trade has carried them. */
  ask: number;
  bid: number;
  /** The trade's time, HHMMSS in Korea time; "" for the snapshot taken when watching began. */
  time: string;
  /** When the server received it (ms since the epoch). */
  at: number;
}

/** One entry of the last events: an order event (접수, 체결, 확인) or a message. */
export type FeedEvent =
  | {
      id: number;
      at: number;
      kind: 'order' | 'fill';
      orderNo: string;
      /** The order a modify or cancel amends ("" for a new order). */
      origNo: string;
      code: string;
      name: string;
      /** 주문구분 as Kiwoom writes it (`+매수`, `-매도`, `매수취소`, ...). */
      side: string;
      /** 주문상태: 접수, 체결, 확인, 거부. */
      status: string;
      /** The original order's update that ends a modify or cancel of it (its open quantity after it). */
      afterAmendment: boolean;
      /** 거부사유 of a refused order ("" otherwise). */
      reason: string;
      qty: number;
      price: number;
      openQty: number;
      fillPrice: number;
      fillQty: number;
    }
  | { id: number; at: number; kind: 'message'; text: string; trcode: string };

/** An event before it gets its id and time. */
type Unstamped<E> = E extends unknown ? Omit<E, 'id' | 'at'> : never;

/** The account as the page shows it, or why it could not be read. */
export type AccountState = { at: number; balance: Balance; orders: OpenOrder[] } | { at: number; error: string };

/** Options of {@link LiveFeed}. */
export interface LiveFeedOptions {
  api: ServeApi;
  domain: string;
  accno: () => string;
  /** Screen of the feed's queries. */
  screen: string;
  /** Screen of its real-time registrations. */
  watchScreen: string;
  /** While a page is open, the account is read at least this often (default 5,000 ms). */
  accountRefreshMs?: number;
  /** An idle stream gets a comment line this often (default 15,000 ms). */
  heartbeatMs?: number;
  /** Last events kept for a page that connects (default 100). */
  maxEvents?: number;
  /** A stream with more than this unsent is closed (default 1 MiB). */
  maxBufferedBytes?: number;
}

/** The 주식체결 FIDs a quote reads: price, change, rate, volume, time, best ask and bid. */
const QUOTE_FIDS = '10;11;12;13;20;27;28';
/** One SetRealReg carries at most 100 codes, and the feed keeps them on one screen. */
export const MAX_WATCHED = 100;
/** Order events come in bursts (접수 then 체결, a cancel's 확인 then the original's update): one read after the burst. */
const ACCOUNT_DEBOUNCE_MS = 150;

/** The page's live state and its event streams. */
export class LiveFeed {
  private readonly quotes = new Map<string, LiveQuote>();
  private readonly events: FeedEvent[] = [];
  private readonly streams = new Set<EventStream>();
  private account: AccountState | undefined;
  private nextId = 1;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  private debounce: NodeJS.Timeout | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly opts: Required<LiveFeedOptions>;

  constructor(options: LiveFeedOptions) {
    this.opts = { accountRefreshMs: 5_000, heartbeatMs: 15_000, maxEvents: 100, maxBufferedBytes: 1 << 20, ...options };
    const { api } = this.opts;
    api.on('OnReceiveRealData', this.onReal);
    api.on('OnReceiveChejanData', this.onChejan);
    api.on('OnReceiveMsg', this.onMsg);
    this.timers.push(
      setInterval(() => this.broadcast((s) => s.heartbeat()), this.opts.heartbeatMs),
      setInterval(() => {
        if (this.streams.size > 0) void this.refreshAccount();
      }, this.opts.accountRefreshMs),
    );
    for (const t of this.timers) t.unref();
  }

  /** The watched codes, in the order they were added. */
  get watched(): string[] {
    return [...this.quotes.keys()];
  }

  /** Watches `code`: registers its trades and takes a snapshot quote. 400 for a code the OCX would refuse. */
  async watch(code: string): Promise<Reply> {
    if (!STOCK_CODE.test(code)) return [400, { error: `code must be a 6-character stock code, got "${code}"`, field: 'code' }];
    if (this.opts.api.GetMasterCodeName(code.replace(/_(NX|AL)$/, '')) === '') return [400, { error: `"${code}" is not a listed stock code (no name in the stock master)`, field: 'code' }];
    if (!this.quotes.has(code)) {
      if (this.quotes.size >= MAX_WATCHED) return [400, { error: `at most ${MAX_WATCHED} codes are watched at once`, field: 'code' }];
      const { api, watchScreen, screen } = this.opts;
      const ret = await api.SetRealReg(watchScreen, code, QUOTE_FIDS, '1');
      if (ret !== 0) throw new OcxCallError(`SetRealReg returned ${ret}: ${api.GetLastError()?.message ?? ''}`, ret);
      const snapshot = await readQuote(api, screen, code);
      this.quotes.set(code, { ...snapshot, ask: 0, bid: 0, time: '', at: Date.now() });
      this.broadcast((s) => s.send('watch', this.state()));
    }
    return [200, this.state()];
  }

  /** Stops watching `code`. */
  async unwatch(code: string): Promise<Reply> {
    if (!this.quotes.has(code)) return [404, { error: `"${code}" is not watched`, field: 'code' }];
    this.quotes.delete(code);
    await this.opts.api.SetRealRemove(this.opts.watchScreen, code);
    this.broadcast((s) => s.send('watch', this.state()));
    return [200, this.state()];
  }

  /** `GET /events`: a stream that starts with a snapshot. */
  attach(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.write('retry: 2000\n\n');
    const stream = new EventStream(res, this.opts.maxBufferedBytes, () => this.streams.delete(stream));
    req.socket.setNoDelay(true);
    this.streams.add(stream);
    stream.send('snapshot', { domain: this.opts.domain, account: this.opts.accno(), ...this.state(), events: this.events, accountState: this.account ?? null });
    const stale = this.account === undefined || Date.now() - this.account.at > this.opts.accountRefreshMs;
    if (stale) void this.refreshAccount();
  }

  /** Closes every stream and stops listening (registrations are removed). */
  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    clearTimeout(this.debounce);
    for (const s of [...this.streams]) s.close();
    const { api, watchScreen } = this.opts;
    api.off('OnReceiveRealData', this.onReal);
    api.off('OnReceiveChejanData', this.onChejan);
    api.off('OnReceiveMsg', this.onMsg);
    if (this.quotes.size > 0) await api.SetRealRemove(watchScreen, 'ALL');
    await this.refreshing;
  }

  /** The watched codes and their latest quotes. */
  state(): { codes: string[]; quotes: LiveQuote[] } {
    return { codes: this.watched, quotes: [...this.quotes.values()] };
  }

  private broadcast(each: (s: EventStream) => void): void {
    for (const s of [...this.streams]) each(s);
  }

  private readonly onReal = (code: string, realType: string, data: RealData): void => {
    const last = this.quotes.get(code);
    if (last === undefined || realType !== '주식체결') return;
    const get = (fid: string): string => data[fid] ?? '';
    const quote: LiveQuote = { code, name: last.name, price: abs(get('10')), change: num(get('11')), rate: num(get('12')), volume: abs(get('13')), ask: abs(get('27')), bid: abs(get('28')), time: get('20'), at: Date.now() };
    this.quotes.set(code, quote);
    this.broadcast((s) => s.send('quote', quote));
  };

  private readonly onChejan = (gubun: string, data: ChejanData): void => {
    if (gubun === '0') {
      const get = (fid: string): string => (data[fid] ?? '').trim();
      const status = get('913');
      this.record({
        kind: status === '체결' ? 'fill' : 'order',
        orderNo: get('9203'),
        origNo: /^0*$/.test(get('904')) ? '' : get('904'),
        code: get('9001').replace(/^A/, ''),
        name: get('302'),
        side: get('905'),
        status,
        afterAmendment: get('819') === '1',
        reason: /^0?$/.test(get('919')) ? '' : get('919'),
        qty: abs(get('900')),
        price: abs(get('901')),
        openQty: abs(get('902')),
        fillPrice: abs(get('910')),
        fillQty: abs(get('911')),
      });
    }
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.refreshAccount(), ACCOUNT_DEBOUNCE_MS);
  };

  private readonly onMsg = (_screen: string, rqname: string, trcode: string, msg: string): void => {
    // The feed's and the routes' own reads would bury the messages a person wants to see.
    if (!isOwnQuery(rqname)) this.record({ kind: 'message', text: msg, trcode });
  };

  private record(event: Unstamped<FeedEvent>): void {
    const entry: FeedEvent = { id: this.nextId++, at: Date.now(), ...event };
    this.events.push(entry);
    if (this.events.length > this.opts.maxEvents) this.events.shift();
    this.broadcast((s) => s.send('event', entry));
  }

  /** Reads the account once (a read already running is followed by one more, never more). */
  private refreshAccount(): Promise<void> {
    if (this.refreshing !== undefined) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        const { api, screen, accno } = this.opts;
        try {
          const balance = await readBalance(api, screen, accno());
          const orders = await listOpenOrders(api, screen, accno());
          this.account = { at: Date.now(), balance, orders };
        } catch (err) {
          this.account = { at: Date.now(), error: err instanceof Error ? err.message : String(err) };
        }
        const state = this.account;
        this.broadcast((s) => s.send('account', state));
      } while (this.refreshAgain);
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }
}
