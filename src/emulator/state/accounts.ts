/**
 * Demo accounts: cash (예수금) and holdings. Orders reserve cash and shares through the
 * order engine, which computes reservations from its open orders; this module only books
 * executed fills.
 */
import type { PositionSnapshot } from '../types.js';
import { loadEmulatorData } from '../data.js';

/** One holding. `prevQty` is what the day started with (전일 보유), for the balance TRs. */
export interface Position {
  code: string;
  name: string;
  qty: number;
  avgPrice: number;
  /** Cost of the shares still held (qty × avgPrice, in won). */
  buyAmount: number;
  prevQty: number;
  todayBuyQty: number;
  todaySellQty: number;
  /** Today's traded amounts, realised profit (sells against the average cost, net of fees) and fees, in won. */
  todayBuyAmount: number;
  todaySellAmount: number;
  realizedPl: number;
  todayFee: number;
  todayTax: number;
}

function emptyPosition(code: string, name: string): Position {
  return {
    code, name, qty: 0, avgPrice: 0, buyAmount: 0, prevQty: 0, todayBuyQty: 0, todaySellQty: 0,
    todayBuyAmount: 0, todaySellAmount: 0, realizedPl: 0, todayFee: 0, todayTax: 0,
  };
}

/** One sell fill's realised result, for the realised-profit TRs. */
export interface RealizedSell {
  code: string;
  name: string;
  price: number;
  qty: number;
  /** Average cost per share at the time of the sell. */
  avgCost: number;
  fee: number;
  tax: number;
  /** (price − avgCost) × qty − fee − tax */
  pl: number;
}

/** Fee rates applied to fills. */
export interface FeeRates {
  commissionRate: number;
  sellTaxRate: number;
}

/** One account's money and holdings. */
export class Account {
  /** Cash in won (예수금), fees and taxes already deducted. */
  cash: number;
  /** Cash the day started with. */
  readonly startCash: number;
  readonly positions = new Map<string, Position>();
  /** Today's sells, oldest first. */
  readonly realized: RealizedSell[] = [];
  /** Commission and tax paid today, in won. */
  commissionPaid = 0;
  taxPaid = 0;

  constructor(
    readonly number: string,
    cash: number,
    readonly fees: FeeRates,
  ) {
    this.cash = cash;
    this.startCash = cash;
  }

  /** Commission on a trade amount (won, truncated as brokers do). */
  commission(amount: number): number {
    return Math.floor(amount * this.fees.commissionRate);
  }

  /** Transaction tax on a sell amount. */
  sellTax(amount: number): number {
    return Math.floor(amount * this.fees.sellTaxRate);
  }

  /** Seeds a holding the account starts the day with. */
  hold(code: string, name: string, qty: number, avgPrice: number): void {
    this.positions.set(code, { ...emptyPosition(code, name), qty, avgPrice, buyAmount: qty * avgPrice, prevQty: qty });
  }

  /** Books a buy fill: cash out (with commission), shares in at a new average price. */
  bookBuy(code: string, name: string, price: number, qty: number): Position {
    const amount = price * qty;
    const fee = this.commission(amount);
    this.cash -= amount + fee;
    this.commissionPaid += fee;
    const p = this.positions.get(code) ?? emptyPosition(code, name);
    p.qty += qty;
    p.buyAmount += amount;
    p.avgPrice = Math.round(p.buyAmount / p.qty);
    p.todayBuyQty += qty;
    p.todayBuyAmount += amount;
    p.todayFee += fee;
    this.positions.set(code, p);
    return p;
  }

  /** Books a sell fill: shares out at the average cost, cash in net of commission and tax. */
  bookSell(code: string, price: number, qty: number): Position {
    const p = this.positions.get(code);
    if (!p || p.qty < qty) throw new RangeError(`account ${this.number} holds fewer than ${qty} of ${code}`);
    const amount = price * qty;
    const fee = this.commission(amount);
    const tax = this.sellTax(amount);
    this.cash += amount - fee - tax;
    this.commissionPaid += fee;
    this.taxPaid += tax;
    const pl = amount - p.avgPrice * qty - fee - tax;
    p.realizedPl += pl;
    this.realized.push({ code, name: p.name, price, qty, avgCost: p.avgPrice, fee, tax, pl });
    p.buyAmount = p.qty === qty ? 0 : p.buyAmount - p.avgPrice * qty;
    p.qty -= qty;
    p.todaySellQty += qty;
    p.todaySellAmount += amount;
    p.todayFee += fee;
    p.todayTax += tax;
    return p;
  }

  /** The snapshot a `04` 잔고 frame is made from. */
  snapshot(p: Position, price: number, reservedQty: number): PositionSnapshot {
    return {
      account: this.number,
      code: p.code,
      name: p.name,
      qty: p.qty,
      orderableQty: Math.max(0, p.qty - reservedQty),
      avgPrice: p.avgPrice,
      price,
      buyAmount: p.buyAmount,
      deposit: this.cash,
    };
  }
}

interface AccountsFile {
  account: string;
  cash: number;
  holdings: Array<{ code: string; qty: number; avgPrice: number }>;
}

/** The demo account as compat/emulator/account.json describes it. */
export function demoAccount(fees: FeeRates, nameOf: (code: string) => string): Account {
  const file = loadEmulatorData<AccountsFile>('account');
  const acct = new Account(file.account, file.cash, fees);
  for (const h of file.holdings) acct.hold(h.code, nameOf(h.code), h.qty, h.avgPrice);
  return acct;
}
