/**
 * The order engine: validates orders against KRX rules and the account, matches them
 * against the simulated book level by level, rests the remainder and fills it on later
 * ticks. Every accept, fill, modify, cancel and reject is emitted as an `order` event,
 * and every holding change as a `position` event, for the WebSocket side's 00/04 frames.
 */
import type { EventEmitter } from 'eventemitter3';
import type {
  EmulatorStateEvents, FillRecord, OrderRecord, OrderSide, StockInfo,
} from '../types.js';
import type { Account } from './accounts.js';
import type { Market } from './market.js';
import { BusinessReject } from './reject.js';
import { onTick } from './pricing.js';
import { loadEmulatorData } from '../data.js';

interface OrderRules {
  tradeTypes: Record<string, 'limit' | 'market'>;
  /** IOC: what does not fill at once is cancelled; FOK: all at once or nothing. */
  timeInForce: Record<string, 'IOC' | 'FOK'>;
  marketHours: { open: string; close: string };
}
const rules = loadEmulatorData<OrderRules>('rules');

/** How `trde_tp` behaves: limit-like or market-like; undefined for a code Kiwoom does not document. */
export function orderKind(trdeTp: string): 'limit' | 'market' | undefined {
  return rules.tradeTypes[trdeTp];
}

/** A new order as the REST side parsed it. */
export interface NewOrder {
  apiId: string;
  side: OrderSide;
  code: string;
  qty: number;
  /** Limit price; ignored for market-like trde_tp. */
  price: number;
  trdeTp: string;
  exchange: OrderRecord['exchange'];
}

/** A modify (정정) or cancel (취소) request. `qty` 0 means the whole open quantity. */
export interface AmendOrder {
  apiId: string;
  origOrdNo: string;
  code: string;
  qty: number;
  /** New price, for a modify. */
  price?: number;
}

interface EngineDeps {
  events: EventEmitter<EmulatorStateEvents>;
  market: Market;
  stock: (code: string) => StockInfo | undefined;
  account: (number: string) => Account;
  /** Korea-time HHMMSS. */
  now: () => string;
  /** False on weekends (holidays are not modelled). */
  tradingDay: () => boolean;
  marketHours: 'always-open' | 'krx';
  /** The day's first fill number: live's are 6-digit counters well into the day (`"847463"`). */
  firstFillNo: number;
}

export class OrderEngine {
  readonly ledger: OrderRecord[] = [];
  readonly fills: FillRecord[] = [];
  private readonly fillsByOrder = new Map<string, FillRecord[]>();
  /**
   * The working orders (open quantity > 0), oldest first, and the same by code: a tick matches
   * its code's working orders only, not the whole ledger (every order ever placed), and the
   * reservations read them. An order enters when booked and leaves when its open quantity
   * reaches 0 (filled, cancelled, moved by a 정정); open quantities only go down.
   */
  private readonly working = new Set<OrderRecord>();
  private readonly workingByCode = new Map<string, Set<OrderRecord>>();
  /** Every order by number, for the original a 정정/취소 names. */
  private readonly byOrdNo = new Map<string, OrderRecord>();
  private lastOrdNo = 0;
  private lastFillNo: number;

  constructor(private readonly deps: EngineDeps) {
    this.lastFillNo = deps.firstFillNo - 1;
  }

  /** The fills of one order, oldest first. */
  fillsOf(ordNo: string): readonly FillRecord[] {
    return this.fillsByOrder.get(ordNo) ?? [];
  }

  /** Orders still working (open quantity > 0), oldest first. */
  openOrders(account?: string): OrderRecord[] {
    const open = [...this.working];
    return account === undefined ? open : open.filter((o) => o.account === account);
  }

  /** Shares of `code` reserved by open sell orders. */
  reservedQty(account: string, code: string): number {
    let n = 0;
    for (const o of this.workingByCode.get(code) ?? []) if (o.side === 'sell' && o.account === account) n += o.openQty;
    return n;
  }

  /** Cash reserved by open buy orders (price × open quantity plus commission). */
  reservedCash(account: string): number {
    const acct = this.deps.account(account);
    return this.openOrders(account)
      .filter((o) => o.side === 'buy')
      .reduce((n, o) => n + o.price * o.openQty + acct.commission(o.price * o.openQty), 0);
  }

  /** Cash an order may still use: 주문가능금액. */
  orderableCash(account: string): number {
    return this.deps.account(account).cash - this.reservedCash(account);
  }

  /** Validates, books and matches a new order; throws BusinessReject (and emits 'rejected'). */
  place(account: string, req: NewOrder): OrderRecord {
    const stock = this.mustStock(req.code);
    const quote = this.deps.market.quote(req.code);
    const market = orderKind(req.trdeTp) === 'market';
    const draft: OrderRecord = {
      ordNo: '', origOrdNo: '', account, apiId: req.apiId, code: req.code, name: stock.name, side: req.side,
      trdeTp: req.trdeTp, qty: req.qty, price: market ? 0 : req.price, filledQty: 0, openQty: req.qty,
      status: '접수', time: this.deps.now(), exchange: req.exchange,
    };
    this.check(draft, () => {
      this.checkHours();
      if (!quote) throw new BusinessReject('tick');
      if (!market) this.checkPrice(req.price, stock.market, quote.upperLimit, quote.lowerLimit);
      if (req.side === 'buy') {
        const unit = market ? quote.upperLimit : req.price;
        const acct = this.deps.account(account);
        if (unit * req.qty + acct.commission(unit * req.qty) > this.orderableCash(account)) throw new BusinessReject('cash');
      } else {
        const held = this.deps.account(account).positions.get(req.code)?.qty ?? 0;
        if (req.qty > held - this.reservedQty(account, req.code)) throw new BusinessReject('sellQty');
      }
    });
    const order = this.record(draft);
    this.emitOrder('accepted', order);
    const tif = rules.timeInForce[req.trdeTp];
    if (tif !== 'FOK' || this.fillable(order) >= order.qty) this.match(order);
    if (tif !== undefined && order.openQty > 0) {
      this.reduceOpen(order, order.openQty);
      if (order.filledQty === 0) order.status = '취소';
      this.emitOrder('cancelled', order);
    }
    return order;
  }

  /** 정정: moves part or all of an open order to a new price under a new order number. */
  modify(account: string, req: AmendOrder): OrderRecord {
    const price = req.price ?? 0;
    const { orig, draft } = this.amendDraft(account, req, price);
    draft.openQty = draft.qty;
    this.check(draft, () => {
      const target = this.checkAmend(orig, draft.qty);
      const quote = this.deps.market.quote(req.code);
      if (quote) this.checkPrice(price, this.mustStock(req.code).market, quote.upperLimit, quote.lowerLimit);
      const extra = (price - target.price) * draft.qty;
      if (target.side === 'buy' && extra > 0 && extra > this.orderableCash(account)) throw new BusinessReject('cash');
    });
    const target = orig as OrderRecord;
    this.reduceOpen(target, draft.qty);
    if (target.openQty === 0 && target.filledQty === 0) target.status = '확인';
    const order = this.record(draft);
    this.emitOrder('modified', order);
    this.match(order);
    return order;
  }

  /** 취소: takes part or all of an open order off the book. */
  cancel(account: string, req: AmendOrder): OrderRecord {
    const { orig, draft } = this.amendDraft(account, req, undefined);
    this.check(draft, () => this.checkAmend(orig, draft.qty));
    const target = orig as OrderRecord;
    this.reduceOpen(target, draft.qty);
    if (target.openQty === 0) target.status = '취소';
    const order = this.record(draft);
    this.emitOrder('cancelled', order);
    return order;
  }

  /** The original order a 정정/취소 names, and the draft of the new record (quantity 0 = all that is open). */
  private amendDraft(account: string, req: AmendOrder, price: number | undefined): { orig: OrderRecord | undefined; draft: OrderRecord } {
    const named = this.byOrdNo.get(req.origOrdNo);
    const orig = named !== undefined && named.account === account && named.code === req.code ? named : undefined;
    const stock = this.mustStock(req.code);
    const qty = req.qty === 0 ? (orig?.openQty ?? 0) : req.qty;
    const draft: OrderRecord = {
      ordNo: '', origOrdNo: req.origOrdNo, account, apiId: req.apiId, code: req.code, name: stock.name,
      side: orig?.side ?? 'buy', trdeTp: orig?.trdeTp ?? '0', qty, price: price ?? orig?.price ?? 0, filledQty: 0, openQty: 0,
      status: '확인', time: this.deps.now(), exchange: orig?.exchange ?? 'KRX',
    };
    return { orig, draft };
  }

  /** Hours, an original still open, and no more than its open quantity. */
  private checkAmend(orig: OrderRecord | undefined, qty: number): OrderRecord {
    this.checkHours();
    if (!orig || orig.openQty === 0) throw new BusinessReject('noOrder');
    if (qty > orig.openQty) throw new BusinessReject('qty');
    return orig;
  }

  /** Matches every working order on `code` against the current book (after a market tick). */
  matchResting(code: string): void {
    // In booking order; an order a fill ends leaves the set as it is visited (a Set's iteration allows it).
    for (const o of this.workingByCode.get(code) ?? []) this.match(o);
  }

  /** Shares the visible book could fill for `order` right now. */
  private fillable(order: OrderRecord): number {
    const quote = this.deps.market.quote(order.code);
    if (!quote) return 0;
    const buy = order.side === 'buy';
    const prices = buy ? quote.askPrices : quote.bidPrices;
    const qtys = buy ? quote.askQtys : quote.bidQtys;
    let n = 0;
    for (let k = 0; k < prices.length; k++) {
      const p = prices[k] ?? 0;
      if (p === 0 || (order.price !== 0 && (buy ? p > order.price : p < order.price))) break;
      n += qtys[k] ?? 0;
    }
    return n;
  }

  private match(order: OrderRecord): void {
    const quote = this.deps.market.quote(order.code);
    if (!quote || order.openQty === 0) return;
    const market = order.price === 0;
    const buy = order.side === 'buy';
    const prices = buy ? quote.askPrices : quote.bidPrices;
    const qtys = buy ? quote.askQtys : quote.bidQtys;
    let last = 0;
    for (let k = 0; k < prices.length && order.openQty > 0; k++) {
      const p = prices[k] ?? 0;
      if (p === 0) break;
      if (!market && (buy ? p > order.price : p < order.price)) break;
      last = p;
      const q = Math.min(qtys[k] ?? 0, order.openQty);
      if (q > 0) this.fill(order, p, q);
    }
    // A market order never rests: what the visible book cannot fill prints at the last level.
    if (market && order.openQty > 0) this.fill(order, last || quote.price, order.openQty);
  }

  private fill(order: OrderRecord, price: number, qty: number): void {
    const acct = this.deps.account(order.account);
    order.filledQty += qty;
    this.reduceOpen(order, qty);
    order.status = '체결';
    const fill: FillRecord = {
      ordNo: order.ordNo, fillNo: String(++this.lastFillNo), account: order.account,
      code: order.code, side: order.side, price, qty, time: this.deps.now(),
    };
    this.fills.push(fill);
    const own = this.fillsByOrder.get(order.ordNo) ?? [];
    own.push(fill);
    this.fillsByOrder.set(order.ordNo, own);
    const position = order.side === 'buy'
      ? acct.bookBuy(order.code, order.name, price, qty)
      : acct.bookSell(order.code, price, qty);
    const quote = this.deps.market.applyFill(order.code, order.side, price, qty);
    this.deps.events.emit('trade', quote);
    this.emitOrder('fill', order, fill);
    this.deps.events.emit('position', acct.snapshot(position, quote.price, this.reservedQty(order.account, order.code)));
  }

  private check(draft: OrderRecord, validate: () => void): void {
    try {
      validate();
    } catch (err) {
      if (err instanceof BusinessReject) {
        this.deps.events.emit('order', {
          kind: 'rejected', account: draft.account, order: { ...draft, status: '거부', openQty: 0 }, reason: err.rule.text,
        });
      }
      throw err;
    }
  }

  private checkHours(): void {
    if (this.deps.marketHours !== 'krx') return;
    if (!this.deps.tradingDay()) throw new BusinessReject('afterClose');
    const now = this.deps.now();
    if (now < rules.marketHours.open) throw new BusinessReject('beforeOpen');
    if (now >= rules.marketHours.close) throw new BusinessReject('afterClose');
  }

  private checkPrice(price: number, market: string, upper: number, lower: number): void {
    if (!onTick(price, market)) throw new BusinessReject('tick');
    if (price > upper || price < lower) throw new BusinessReject('priceLimit');
  }

  private record(draft: OrderRecord): OrderRecord {
    const order = { ...draft, ordNo: String(++this.lastOrdNo).padStart(7, '0') };
    this.ledger.push(order);
    this.byOrdNo.set(order.ordNo, order);
    if (order.openQty > 0) {
      this.working.add(order);
      let byCode = this.workingByCode.get(order.code);
      if (byCode === undefined) this.workingByCode.set(order.code, (byCode = new Set()));
      byCode.add(order);
    }
    return order;
  }

  /** Takes `qty` off an order's open quantity; at 0 it is no longer working. */
  private reduceOpen(order: OrderRecord, qty: number): void {
    order.openQty -= qty;
    if (order.openQty > 0) return;
    this.working.delete(order);
    const byCode = this.workingByCode.get(order.code);
    byCode?.delete(order);
    if (byCode?.size === 0) this.workingByCode.delete(order.code);
  }

  private emitOrder(kind: 'accepted' | 'fill' | 'modified' | 'cancelled', order: OrderRecord, fill?: FillRecord): void {
    this.deps.events.emit('order', { kind, account: order.account, order: { ...order }, ...(fill ? { fill } : {}) });
  }

  private mustStock(code: string): StockInfo {
    const s = this.deps.stock(code);
    if (!s) throw new RangeError(`unknown stock code ${code}`);
    return s;
  }
}
