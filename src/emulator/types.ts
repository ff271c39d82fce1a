/**
 * Contracts between the emulator's parts: the public handle a test or the CLI gets from
 * `startEmulator`, and the internal state (market, accounts, orders) that both the REST side
 * and the WebSocket side read and that pushes order events to the WebSocket side.
 */
import type { EventEmitter } from 'eventemitter3';
import type { WsSideOptions } from './ws/options.js';

/** Options for {@link startEmulator}. Every field is optional. */
export interface EmulatorOptions {
  /** Loopback port; 0 (default) picks a free one. */
  port?: number;
  /** Host to bind; default 127.0.0.1. */
  host?: string;
  /** Seed of the simulated market: same seed, same run. Default 1. */
  seed?: number;
  /** `'prod'` (default) or `'mock'`: mock mode enforces the mock domain's rules (8104/RC9000, KRX only). */
  mode?: 'prod' | 'mock';
  /** Token lifetime in seconds (default 86_400). */
  tokenLifetimeSec?: number;
  /** Rate budgets enforced by the server (per api-id per second, global per second). */
  rateLimits?: { perApiId?: number; global?: number };
  /** Market hours check for orders: `'always-open'` (default) lets tests run at any time of day. */
  marketHours?: 'always-open' | 'krx';
  /** REAL push rate in entries (ticks) per second over all subscriptions, sent in frames of 1 to 3 (default 20). */
  realRate?: number;
  /** Interval between server PING frames in ms (default 10_000). */
  pingIntervalMs?: number;
  /** Demo credentials; defaults are fixed demo values. */
  appkey?: string;
  secretkey?: string;
  /** Simulated trades per second of the market clock over the most active stocks (default 4; 0 stops the clock, so only `state.tick` moves the market). */
  marketTicksPerSecond?: number;
  /** Most entries `requestLog()` keeps; the oldest go first beyond it, so a long-running emulator stays small (default 100_000). */
  requestLogLimit?: number;
  /**
   * The WebSocket side's limits and tunables. The REG rate and item caps default to the live
   * servers' (compat/live.json: 5 REG/s, 200 items per connection and per group), the LOGIN
   * answer to live's 20 ms delay; widen them only where a test does not exercise them.
   */
  websocket?: WsSideOptions;
  /** The emulator's clock in epoch ms (default Date.now): lets a test pin the Korea time of day for market hours, charts and token expiry. */
  clock?: () => number;
}

/** Counters a test can read. */
export interface EmulatorStats {
  /** REST requests served (every path, including /oauth2). */
  requests: number;
  /** REST requests answered with HTTP 429. */
  rateLimited: number;
  /** Requests per api-id. */
  byApiId: Record<string, number>;
  /** Order requests accepted (kt10000..kt10003, kt10006..kt10009), the order ledger's size. */
  orders: number;
  /** Tokens issued. */
  tokensIssued: number;
  /** REAL frames pushed over WebSocket. */
  realFrames: number;
  /** REAL entries pushed (`data[]` elements; a scheduled frame carries 1 to 3, as live). */
  realEntries: number;
  /** Currently open WebSocket sessions. */
  wsSessions: number;
  /** WebSocket LOGINs answered with success. */
  wsLogins: number;
  /**
   * WebSocket requests refused, by return_code: 100013 (sent before the LOGIN answer), 105110
   * (REG rate), 105115 / 105118 (item caps), 1 (malformed).
   */
  wsRefusals: Record<string, number>;
}

/** One REST request as the emulator saw it (for "nothing reached the wire" assertions). */
export interface RequestLogEntry {
  at: number;
  path: string;
  apiId: string | undefined;
  body: unknown;
  status: number;
  returnCode: number | undefined;
}

/** What one logged-in WebSocket session holds, for "exactly the desired subscriptions" checks (no app key). */
export interface WsSessionHeld {
  account: string;
  /** grp_no → the group's registrations as `type|item`, sorted. */
  groups: Record<string, string[]>;
  /** Condition seqs running in real time, sorted. */
  realtimeConditions: string[];
}

/** Fault injection controls. */
export interface EmulatorFaults {
  /** Every token issued so far becomes expired. */
  expireTokens(): void;
  /** Every token issued so far is revoked. */
  revokeTokens(): void;
  /** The next n REST requests (not /oauth2) get HTTP 429 with return_code 5 / 1700. */
  rateLimitNext(n: number): void;
  /** Delay every REST response by ms (0 to stop). */
  delay(ms: number): void;
  /** Destroy the socket of the next n REST requests without answering. */
  dropNextRequests(n: number): void;
  /** Close every WebSocket (abruptly, as a network drop). */
  dropWebSockets(): void;
  /** Send SYSTEM R10001 to every session and close it. */
  kickSession(): void;
  /** The next n frames sent to clients are malformed or truncated. */
  garble(n: number): void;
  /** Stop sending anything (no PING, no REAL) on the open sockets for ms. */
  stall(ms: number): void;
  /** Reject the next n WebSocket LOGINs with 805004 / CODE=8005. */
  rejectNextLogin(n?: number): void;
  /**
   * End every WebSocket session `ms` after its LOGIN answer, abruptly (`'close'`) or with SYSTEM
   * R10002 (`'R10002'`), until called with `false`: a server that will not keep a session. With
   * `ms` 0 nothing after the LOGIN answer is answered, so no session is ever usable.
   */
  dropAfterLogin(ms: number | false, how?: 'close' | 'R10002'): void;
  /**
   * The next `n` REMOVEs (default: every one until called with 0) are applied but never
   * answered, as in a live incident where REMOVE acks did not come within 10 s.
   */
  withholdRemoveAcks(n?: number): void;
  /**
   * While on, au10001 answers a key pair that holds a valid token with that same token and
   * its expiry instead of a fresh one (a live sign that re-issue does so); a revoked or expired
   * token still gets a fresh one.
   */
  reissueSameToken(on?: boolean): void;
}

/** What `startEmulator` resolves to. */
export interface Emulator {
  /** `http://127.0.0.1:<port>` */
  readonly restUrl: string;
  /** `ws://127.0.0.1:<port>` (the client appends `/api/dostk/websocket`). */
  readonly wsUrl: string;
  readonly appkey: string;
  readonly secretkey: string;
  /** The demo account number (10 digits + "10" style as Kiwoom shows, e.g. "8123456711"). */
  readonly account: string;
  readonly mode: 'prod' | 'mock';
  readonly faults: EmulatorFaults;
  /** The simulated market and order state (for tests: `state.tick(code)`, `state.quote(code)`, events). */
  readonly state: EmulatorState;
  /** Counters since start: REST requests, 429 answers, requests per api-id, orders accepted. */
  stats(): EmulatorStats;
  /** Every REST request served, oldest first. */
  requestLog(): readonly RequestLogEntry[];
  /** Every token this emulator issued: its own demo tokens, for tests that prove no token leaks into logs. */
  issuedTokens(): readonly string[];
  /** Every order request accepted by the server, oldest first: the ledger for "sent once" checks. */
  orderLedger(): readonly OrderRecord[];
  /** Every fill executed, oldest first. */
  fillLedger(): readonly FillRecord[];
  /** REAL push rate over all subscriptions, entries (ticks) per second. */
  setRate(framesPerSecond: number): void;
  /** What each logged-in WebSocket session holds now (read-only snapshot). */
  wsHeld(): WsSessionHeld[];
  /** Stops the servers and the market clock; safe to call twice. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------- internal state

/** One listed stock in the master. */
export interface StockInfo {
  code: string; // '005930'
  name: string; // '삼성전자'
  /** Legacy market code: '0' KOSPI, '10' KOSDAQ, '8' ETF, '3' ELW, ... */
  market: string;
  /** Listed shares. */
  listed: number;
  /** Face value in won. */
  faceValue: number;
  /** Previous close in won. */
  prevClose: number;
}

/** Live quote of one stock. Prices in won, plain numbers (signs are applied when formatting). */
export interface Quote {
  code: string;
  price: number;
  prevClose: number;
  open: number;
  high: number;
  low: number;
  upperLimit: number;
  lowerLimit: number;
  /** Accumulated volume and traded value (won). */
  volume: number;
  value: number;
  /** Last trade quantity; positive = buy-initiated, negative = sell-initiated (FID 15 sign). */
  lastQty: number;
  /** HHMMSS of the last trade, Korea time. */
  time: string;
  /** 10 levels each, best first. */
  askPrices: number[];
  askQtys: number[];
  bidPrices: number[];
  bidQtys: number[];
}

/** The side of an order. */
export type OrderSide = 'buy' | 'sell';
/** An order's state, in the OCX's chejan words (913 주문상태). */
export type OrderStatus = '접수' | '확인' | '체결' | '취소' | '거부';

/** An order in the emulator's ledger. */
export interface OrderRecord {
  ordNo: string; // 7 digits
  origOrdNo: string; // '' for new orders
  account: string;
  apiId: string;
  code: string;
  name: string;
  side: OrderSide;
  /** trde_tp as sent ('0' limit, '3' market, ...). */
  trdeTp: string;
  qty: number;
  price: number;
  filledQty: number;
  /** Unfilled quantity still working. */
  openQty: number;
  status: OrderStatus;
  /** HHMMSS */
  time: string;
  exchange: 'KRX' | 'NXT' | 'SOR';
}

/** One execution of an order in the emulator's ledger. */
export interface FillRecord {
  ordNo: string;
  /** 체결번호, unique per fill, as the stream's 909 writes it (live: 6 digits, no padding); REST pads it to 7. */
  fillNo: string;
  account: string;
  code: string;
  side: OrderSide;
  price: number;
  qty: number;
  time: string;
}

/**
 * What the order engine emits, for the WebSocket side to turn into `00` and `04` REAL frames.
 * `order` is a snapshot after the event; `fill` is present for kind 'fill'.
 */
export interface OrderEvent {
  kind: 'accepted' | 'fill' | 'modified' | 'cancelled' | 'rejected';
  account: string;
  order: OrderRecord;
  fill?: FillRecord;
  /** Rejection reason (FID 919) when kind is 'rejected'. */
  reason?: string;
}

/** A position after a change, for `04` 잔고 frames. */
export interface PositionSnapshot {
  account: string;
  code: string;
  name: string;
  qty: number;
  orderableQty: number;
  avgPrice: number;
  price: number;
  buyAmount: number;
  deposit: number;
}

/** Events of the emulator's internal state. */
export interface EmulatorStateEvents {
  /** A trade happened on the simulated market (driven by the market clock or by a fill). */
  trade: [quote: Quote];
  order: [event: OrderEvent];
  position: [snapshot: PositionSnapshot];
}

/**
 * The emulator's shared state, built once per emulator. The REST side answers from it, the
 * WebSocket side formats pushes from it. Implementations live under `src/emulator/state/`.
 */
export interface EmulatorState extends EventEmitter<EmulatorStateEvents> {
  readonly seed: number;
  readonly mode: 'prod' | 'mock';
  /** Every listed stock, sorted by code. */
  readonly master: readonly StockInfo[];
  /** The listed stock with this code, or undefined. */
  stock(code: string): StockInfo | undefined;
  /** The current quote of a listed stock, or undefined. */
  quote(code: string): Quote | undefined;
  /** Advance one stock by one simulated trade; returns the new quote (and emits 'trade'). */
  tick(code: string): Quote;
  /** Korea-time HHMMSS now (the emulator's clock). */
  now(): string;
}
