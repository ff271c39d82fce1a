/**
 * An order whose answer never came (a timeout, a lost connection, a 5xx) is never resent: it is
 * settled by evidence, and until there is evidence its fate stays unknown.
 *
 * Evidence is an order that did not exist before the send: not known to the chejan book when the
 * request went out (the book learns every order of the day at login and from the 00 stream and
 * reconciliations after), not claimed by another answer, placed no earlier than the send (less
 * the clock tolerance). It comes from the 00 stream as it happens and from kt00007/ka10075
 * queries at checkpoints spread over the settle window.
 *
 * - placed: exactly one such order with the same code, side, quantity, price and trde_tp (for a
 *   modify or cancel: of the same original order);
 * - ambiguous: two or more; reported with their numbers, none claimed;
 * - not placed: the window passed, a query that started after it succeeded, and neither it nor
 *   the stream showed a new order of that code, side and quantity (or original order) at all;
 * - unknown: the window passed without either (the queries kept failing, or only orders that
 *   match loosely were found: a price or trade-type text read differently, a clock far off).
 *
 * The window: the request may still be on its way to Kiwoom's order server when the client gives
 * up (a gateway queue, a proxy, a retransmitting network path), and the order is placed when it
 * arrives. The default 60 s is the common upper bound on how long a reverse proxy holds a request
 * it is still forwarding (nginx's and most load balancers' default read timeout); an order that
 * appears later than that is not expected, and is reported on the stream as any foreign order.
 */
import { ORDERS } from '../compat/orders.js';
import type { ChejanBook, OrderDesc } from './chejan.js';

/** How an order of unknown fate is looked for (api_init's `orders`). */
export interface SettleOptions {
  /** How long after the request gave up an order may still appear, ms (default 60,000). */
  settleWindowMs?: number;
  /** How far the server's clock may lag this machine's, ms (default 5,000). */
  clockToleranceMs?: number;
}

const DEFAULTS: Required<SettleOptions> = { settleWindowMs: 60_000, clockToleranceMs: 5_000 };

/**
 * When the queries run, as fractions of the window after the give-up: the early ones find a
 * lost answer fast, the last starts after the window has passed. Over 60 s that is at most 7
 * passes of kt00007 + ka10075 (plus the 00 stream, which costs nothing).
 */
const CHECKPOINTS = [0, 1 / 32, 1 / 16, 1 / 8, 1 / 4, 1 / 2, 1];
/** Further tries of the last query when it fails, one every eighth of the window. */
const FINAL_RETRIES = 3;

/** What the lost request asked for. */
export interface OrderIntent {
  action: 'new' | 'modify' | 'cancel';
  /** Plain 6-character code. */
  code: string;
  /** FID 907: '1' sell, '2' buy. */
  side: '1' | '2';
  qty: number;
  /** The limit price sent (0 for a market-type order); a modify's new price. */
  price: number;
  /** `trde_tp` as sent (new orders only). */
  trdeTp: string | undefined;
  /** The order a modify or cancel amends, without leading zeros. */
  origOrdNo: string;
}

/** What became of an order whose answer was lost. */
export type Verdict =
  | { state: 'placed'; orderNo: string }
  | { state: 'not-placed' }
  | { state: 'ambiguous'; candidates: string[] }
  | { state: 'unknown'; candidates: string[]; reason: string };

/** Taken just before the request goes out. */
export interface SendMark {
  /** The chejan book's serial then: orders it knew are not candidates. */
  serial: number;
  /** Epoch ms of the send. */
  at: number;
}

/**
 * Runs one reconciliation; `decide` is called with the orders the queries found before any
 * chejan event for them is delivered. Resolves false when the queries failed.
 */
export type ReconcilePass = (decide: (orders: readonly OrderDesc[]) => void) => Promise<boolean>;

interface Watch {
  intent: OrderIntent;
  sent: SendMark;
  announce: (v: Verdict) => void;
  verdict: Verdict | undefined;
  /** Chejan holds taken for 00 frames of candidates, released once a pass has judged them. */
  holds: number;
  /** A candidate was sighted: the next pass runs at once. */
  woken: boolean;
  wake: () => void;
}

const zeroless = (n: string): string => n.replace(/^0+/, '');

/** Seconds since Korea-time midnight of an instant. */
function kstSeconds(ms: number): number {
  return Math.floor((ms / 1000 + 9 * 3600) % 86_400);
}

/** Seconds since midnight of an `HHMMSS` or `HH:MM:SS` text; undefined when it is neither. */
function secondsOf(hhmmss: string): number | undefined {
  const m = /^(\d{2}):?(\d{2}):?(\d{2})$/.exec(hhmmss.trim());
  return m === null ? undefined : Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/**
 * The numbers the request fixed: stock, side, quantity and price (new), or the original order
 * (modify, cancel). An order that differs here is not this one, whatever else is read.
 */
function looseMatch(i: OrderIntent, d: OrderDesc): boolean {
  if (d.code !== i.code) return false;
  if (i.action === 'new') return d.origOrdNo === '' && d.side === i.side && d.orderQty === i.qty && d.price === i.price;
  return zeroless(d.origOrdNo) === i.origOrdNo;
}

/** Everything the request fixed, texts included: the trade type (new), the new price (modify). */
function strictMatch(i: OrderIntent, d: OrderDesc): boolean {
  if (!looseMatch(i, d)) return false;
  if (i.action === 'cancel') return true;
  if (i.action === 'modify') return d.price === i.price;
  return d.tradeText === (ORDERS.tradeTypes[i.trdeTp ?? ''] ?? '');
}

/** The settlements of one APIServer. */
export class Settler {
  private readonly options: Required<SettleOptions>;
  private readonly watches = new Set<Watch>();
  /** Candidate orders first seen on the 00 stream while any watch is open. */
  private readonly sightings = new Map<string, OrderDesc>();
  /** Sends of this process still waiting for their answer, by intent. */
  private readonly inFlight = new Map<string, number>();
  /** The book learnt the day's orders at login: an order without a recent time is then no candidate. */
  private baselined = false;
  private dayLearnt: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly closers = new Set<() => void>();

  constructor(
    private readonly chejan: ChejanBook,
    private readonly pass: ReconcilePass,
    options: SettleOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
    chejan.onFirstSight = (d) => this.sighted(d);
  }

  /** The settle window in ms. */
  get windowMs(): number {
    return this.options.settleWindowMs;
  }

  /** The reading of the day's orders at login; a send waits for it, so its mark covers them. */
  learnDay(done: Promise<boolean>): void {
    this.dayLearnt = done.then((ok) => {
      this.baselined = ok;
    }, () => undefined);
  }

  /** Call just before a request goes out; `done` when its answer (or its failure) is in. */
  async sending(intent: OrderIntent): Promise<{ mark: SendMark; done: () => void }> {
    await this.dayLearnt;
    const key = keyOf(intent);
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    let open = true;
    return {
      mark: { serial: this.chejan.serial(), at: this.now() },
      done: () => {
        if (!open) return;
        open = false;
        const left = (this.inFlight.get(key) ?? 1) - 1;
        if (left > 0) this.inFlight.set(key, left);
        else this.inFlight.delete(key);
      },
    };
  }

  /**
   * Looks for the order until there is evidence or the window has passed. `announce` is called
   * once with the verdict, before any chejan event of the order it names.
   */
  async settle(intent: OrderIntent, sent: SendMark, announce: (v: Verdict) => void): Promise<Verdict> {
    const watch: Watch = { intent, sent, announce, verdict: undefined, holds: 0, woken: false, wake: () => undefined };
    this.watches.add(watch);
    try {
      const start = this.now();
      for (const [n, at] of CHECKPOINTS.entries()) {
        const last = n === CHECKPOINTS.length - 1;
        const when = start + at * this.options.settleWindowMs;
        // A checkpoint the previous pass ran past is skipped: passes never queue up.
        if (!last && !watch.woken && when < this.now()) continue;
        if (!(await this.waitUntil(when, watch))) break;
        if (await this.check(watch, last)) break;
      }
      for (let retry = 0; watch.verdict === undefined && retry < FINAL_RETRIES; retry++) {
        if (!(await this.waitUntil(this.now() + this.options.settleWindowMs / 8, watch))) break;
        await this.check(watch, true);
      }
      if (watch.verdict === undefined) {
        const reason = this.closed ? '확인 전에 세션이 끝났습니다' : '주문 조회가 계속 실패했습니다';
        this.decide(watch, { state: 'unknown', candidates: [], reason });
      }
    } finally {
      this.release(watch);
      this.watches.delete(watch);
      if (this.watches.size === 0) this.sightings.clear();
    }
    return watch.verdict!;
  }

  /** Ends every settlement: their verdict is unknown. */
  close(): void {
    this.closed = true;
    for (const wake of this.closers) wake();
  }

  /**
   * One query pass, and the verdict it allows. The verdict is given inside the pass, before the
   * reconciliation delivers the order's chejan events; a failed query falls back on what the
   * stream showed and never gives "not placed".
   */
  private async check(watch: Watch, last: boolean): Promise<boolean> {
    const queried = await this.pass((orders) => {
      const v = this.judge(watch, orders, last);
      if (v !== undefined) this.decide(watch, v);
      this.release(watch);
    }).catch(() => false);
    if (!queried) {
      const v = this.judge(watch, [], false);
      if (v !== undefined) this.decide(watch, v);
      this.release(watch);
    }
    return watch.verdict !== undefined;
  }

  private decide(watch: Watch, v: Verdict): void {
    if (watch.verdict !== undefined) return;
    watch.verdict = v;
    if (v.state === 'placed') this.chejan.expect(v.orderNo);
    watch.announce(v);
  }

  private judge(watch: Watch, found: readonly OrderDesc[], last: boolean): Verdict | undefined {
    const { intent, sent } = watch;
    // What the stream showed (frames still waiting behind the gate included), then the queries.
    const byNo = new Map(this.sightings);
    for (const d of [...this.chejan.waitingOrders(), ...found]) byNo.set(d.ordNo, d);
    const minSecond = kstSeconds(sent.at - this.options.clockToleranceMs);
    const afterSend = (d: OrderDesc): boolean => {
      const s = secondsOf(d.time);
      return s === undefined || s >= minSecond;
    };
    const fresh = [...byNo.values()].filter((d) => d.ordNo !== '' && !this.chejan.knownBefore(d.ordNo, sent.serial) && !this.chejan.isClaimed(d.ordNo));
    const loose = fresh.filter((d) => looseMatch(intent, d) && (this.baselined || afterSend(d)));
    const strict = loose.filter((d) => strictMatch(intent, d) && afterSend(d));
    const numbers = (list: OrderDesc[]): string[] => list.map((d) => d.ordNo).sort();
    // Another send of the same order still awaits its answer, which will claim its own number.
    if (!last && (this.inFlight.get(keyOf(intent)) ?? 0) > 0) return undefined;
    if (strict.length > 1) return { state: 'ambiguous', candidates: numbers(strict) };
    if (strict.length === 1) return { state: 'placed', orderNo: strict[0]!.ordNo };
    if (!last) return undefined;
    if (loose.length === 0) return { state: 'not-placed' };
    return { state: 'unknown', candidates: numbers(loose), reason: '일부만 일치하는 주문만 있습니다' };
  }

  /** A 00 frame of an order the book never saw: a candidate holds the chejan gate and wakes its watch. */
  private sighted(d: OrderDesc): boolean {
    if (this.sightings.has(d.ordNo)) return false;
    for (const w of this.watches) {
      if (w.verdict !== undefined || !strictMatch(w.intent, d)) continue;
      this.sightings.set(d.ordNo, d);
      w.holds += 1;
      w.woken = true;
      w.wake();
      return true;
    }
    return false;
  }

  private release(watch: Watch): void {
    for (; watch.holds > 0; watch.holds--) this.chejan.release();
  }

  /** Resolves true at `at`, or earlier when a candidate is sighted; false when closed. */
  private waitUntil(at: number, watch: Watch): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (watch.woken) {
      watch.woken = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const finish = (ok: boolean): void => {
        clearTimeout(timer);
        watch.wake = () => undefined;
        this.closers.delete(onClose);
        resolve(ok);
      };
      const onClose = (): void => finish(false);
      const timer = setTimeout(() => finish(true), Math.max(0, at - this.now()));
      watch.wake = () => {
        watch.woken = false;
        finish(true);
      };
      this.closers.add(onClose);
    });
  }
}

function keyOf(i: OrderIntent): string {
  return [i.action, i.code, i.side, i.qty, i.price, i.trdeTp ?? '', i.origOrdNo].join('|');
}
