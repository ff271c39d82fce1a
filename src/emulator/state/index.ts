/**
 * The emulator's shared state: master, market, history, accounts and order engine behind
 * the {@link EmulatorState} contract the WebSocket side reads.
 */
import { EventEmitter } from 'eventemitter3';
import type { EmulatorState, EmulatorStateEvents, Quote, StockInfo } from '../types.js';
import { loadEmulatorData } from '../data.js';
import { createRng, deriveRng } from './prng.js';
import { buildMaster } from './master.js';
import { Market } from './market.js';
import { History } from './history.js';
import { Account, demoAccount, type FeeRates } from './accounts.js';
import { OrderEngine } from './orders.js';
import { isWeekday, kstDate, kstTime } from './clock.js';

/** What the state needs from the emulator's options. */
export interface StateOptions {
  seed: number;
  mode: 'prod' | 'mock';
  marketHours: 'always-open' | 'krx';
  /** Epoch ms clock (default Date.now). */
  nowMs?: () => number;
}

const fees = loadEmulatorData<{ fees: FeeRates }>('rules').fees;

/** The state implementation; the REST handlers use its parts directly. */
export class EmulatorStateImpl extends EventEmitter<EmulatorStateEvents> implements EmulatorState {
  readonly seed: number;
  readonly mode: 'prod' | 'mock';
  readonly master: readonly StockInfo[];
  readonly market: Market;
  readonly history: History;
  readonly orders: OrderEngine;
  readonly accounts = new Map<string, Account>();
  readonly nowMs: () => number;
  private readonly byCode: Map<string, StockInfo>;

  constructor(options: StateOptions) {
    super();
    this.seed = options.seed;
    this.mode = options.mode;
    this.nowMs = options.nowMs ?? Date.now;
    this.master = buildMaster();
    this.byCode = new Map(this.master.map((s) => [s.code, s]));
    this.market = new Market(this.master, createRng(options.seed), () => this.now());
    this.history = new History(options.seed, { stock: (c) => this.stock(c), quote: (c) => this.quote(c), master: () => this.master, nowMs: this.nowMs });
    const acct = demoAccount(fees, (code) => this.byCode.get(code)?.name ?? code);
    this.accounts.set(acct.number, acct);
    this.orders = new OrderEngine({
      events: this,
      market: this.market,
      stock: (c) => this.stock(c),
      account: (n) => this.account(n),
      now: () => this.now(),
      tradingDay: () => isWeekday(kstDate(this.nowMs())),
      marketHours: options.marketHours,
      firstFillNo: deriveRng(options.seed, 'fill numbers').int(100_000, 899_999),
    });
  }

  /** The demo account number every issued token is bound to. */
  get defaultAccount(): string {
    return this.accounts.keys().next().value as string;
  }

  stock(code: string): StockInfo | undefined {
    return this.byCode.get(code);
  }

  quote(code: string): Quote | undefined {
    return this.market.quote(code);
  }

  tick(code: string): Quote {
    const q = this.market.step(code);
    this.emit('trade', q);
    this.orders.matchResting(code);
    return q;
  }

  now(): string {
    return kstTime(this.nowMs());
  }

  /** The account with this number; throws for an unknown one (tokens only name real accounts). */
  account(number: string): Account {
    const a = this.accounts.get(number);
    if (!a) throw new RangeError(`unknown account ${number}`);
    return a;
  }
}

/** Builds the state for one emulator. */
export function createEmulatorState(options: StateOptions): EmulatorStateImpl {
  return new EmulatorStateImpl(options);
}
