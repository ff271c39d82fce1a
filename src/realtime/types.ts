/**
 * Public shapes of the real-time session: what it needs from the REST client, its options,
 * its events and its counters.
 */
import type { Logger } from 'pino';

/**
 * What the session needs from the REST client. `KiwoomRest` satisfies it; tests may pass a fake.
 */
export interface TokenSource {
  /** The raw access token (no `Bearer ` prefix), issuing one when needed. */
  token(): Promise<string>;
  /** Forget `token` (the one LOGIN refused), if still held, so that the next `token()` issues a fresh one. */
  invalidateToken(token?: string): void;
  /** 0 production, 1..3 paper trading (mock domain). */
  readonly simNo: number;
  /** The REST base URL; a non-Kiwoom host (the emulator, a proxy) also serves the WebSocket. */
  readonly baseUrl?: string | undefined;
}

/** Backoff of automatic reconnects: `min(maxDelayMs, initialDelayMs × factor^(attempt-1))`, less up to `jitter` of it. */
export interface ReconnectOptions {
  /** Delay before the first attempt (default 500 ms). */
  initialDelayMs?: number;
  /** Cap of the delay (default 30 000 ms). */
  maxDelayMs?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Fraction of the delay removed at random, 0..1 (default 0.5): spreads reconnect storms. */
  jitter?: number;
}

/**
 * Slow-consumer buffer. When listeners keep up, frames are dispatched the moment they are
 * parsed and nothing is buffered. The buffer only fills while dispatch is paused
 * ({@link RealtimeSession.pause}) or after listeners have spent `dispatchBudgetMs` of their
 * own time (parsing does not count) in one event-loop turn; it drains on the next turns, so
 * PING echoes and control replies never wait behind a slow listener.
 *
 * Policy, in this order, for each frame entering a non-empty buffer:
 * 1. Coalesce: once more than `coalesceAbove` entries wait, an entry of a snapshot type
 *    (`coalesce: true` in compat/realtime.json: quotes, trades, indices) replaces the
 *    waiting entry of the same item and type in place; counted as `coalesced`. Orders (00),
 *    balances (04), condition hits (02), market phase (0s) and VI (1h) are never coalesced.
 * 2. Drop: beyond `maxBuffered` entries the oldest waiting entry is discarded, whatever its
 *    type; counted as `dropped` and logged once. A consumer that sees `dropped` grow should
 *    reconcile orders by query.
 */
export interface BufferOptions {
  /** Backlog above which snapshot types are coalesced (default 1 000). */
  coalesceAbove?: number;
  /** Hard cap of waiting entries (default 20 000). */
  maxBuffered?: number;
  /** Listener time in one event-loop turn after which dispatch is deferred (default 50 ms). */
  dispatchBudgetMs?: number;
}

/** Options of {@link RealtimeSession}. */
export interface RealtimeSessionOptions {
  /** Token source: a `KiwoomRest` or anything with the same four members. */
  rest: TokenSource;
  /**
   * WebSocket base URL (`ws://127.0.0.1:7000`); `/api/dostk/websocket` is appended. Default:
   * derived from `rest.baseUrl` when it is not a Kiwoom host, else `wss://api.kiwoom.com:10000`
   * for simNo 0 and `wss://mockapi.kiwoom.com:10000` for 1..3.
   */
  wsUrl?: string;
  /** pino logger; the session logs through a child `{ component: 'realtime' }`. Default: silent. */
  logger?: Logger;
  /** Items per REG/REMOVE message (default 100). */
  chunkSize?: number;
  /**
   * REG and REMOVE messages per second on one connection (default: the live servers' 5,
   * compat/live.json). Every message, the restore after a reconnect included, waits its turn;
   * the rate is counted over a slightly longer window than a second, as the server counts arrivals.
   */
  regPerSecond?: number;
  /**
   * Registrations past these caps are refused before sending with a CapacityError (default:
   * the live servers' 200 distinct items per connection, whatever the types, and 200 per group;
   * item "" of account-level and market-wide types holds no slot).
   */
  itemCaps?: { perConnection?: number; perGroup?: number };
  /** Wait for a reply to LOGIN, REG, REMOVE or a condition request (default 10 000 ms). */
  requestTimeoutMs?: number;
  /** Wait for the TCP/TLS/upgrade handshake (default 10 000 ms). */
  connectTimeoutMs?: number;
  /** The server's PING interval, as far as we know it (default 10 000 ms). */
  pingIntervalMs?: number;
  /** Reconnect after this many PING intervals without any frame (default 5). */
  heartbeatMisses?: number;
  /**
   * How long a request (register, remove, search, and the connect() of a session that is
   * reconnecting) waits for an open session before it fails with a SessionError `not-open`,
   * counted from the call (default 30 000 ms, the backoff's cap). The session goes on
   * reconnecting in the background.
   */
  openTimeoutMs?: number;
  /**
   * A session counts as healthy once it has stayed open this long (default 30 000 ms: three of
   * the server's PING intervals, so a server that drops each session right after LOGIN or at
   * its first heartbeat check never counts as recovered). Until then the reconnect backoff
   * keeps growing from one drop to the next instead of starting over.
   */
  healthyAfterMs?: number;
  /** Longest frame accepted, in bytes (default 1 MiB); a longer one closes the socket, which then reconnects. */
  maxPayloadBytes?: number;
  /** Automatic reconnects; `false` turns them off. */
  reconnect?: ReconnectOptions | false;
  /** Consecutive login rejections after which the session stops with a SessionError (default 3). */
  authFailureLimit?: number;
  buffer?: BufferOptions;
  /** Real-time conditions per login (Kiwoom's terms: 10). */
  maxRealtimeConditions?: number;
  /**
   * The legacy OCX rule "one search per condition per 60 s": when on, a search waits until
   * the window since the previous search of the same condition has passed (it never fails).
   * `true` means a 60 000 ms window.
   */
  conditionRateLimit?: boolean | { windowMs: number };
}

/**
 * One real-time data item: the very object parsed from the frame (not a copy), so treat it
 * as read-only. `values` is keyed by FID strings (`'10'` current price, ...).
 */
export interface RealEvent {
  readonly type: string;
  readonly name: string;
  readonly item: string;
  readonly values: Readonly<Record<string, string>>;
}

/** A stock entering (`I`) or leaving (`D`) a real-time condition. */
export interface ConditionEvent {
  /** Condition sequence number as CNSRLST lists it. */
  seq: string;
  /** Plain 6-digit code, without Kiwoom's `A` prefix. */
  code: string;
  kind: 'I' | 'D';
  /** HHMMSS (FID 20); empty for differences found after a reconnect. */
  time: string;
  /** True when the event was derived after a reconnect by comparing the condition's list before and after the gap. */
  restored: boolean;
}

/** One saved condition. */
export interface ConditionInfo {
  seq: string;
  name: string;
}

/** A SYSTEM frame from the server. */
export interface SystemEvent {
  code: string;
  message: string;
}

/** Why the socket went away. */
export interface DisconnectInfo {
  /**
   * WebSocket close code (1006 for an abrupt drop), when there was a socket; 4000 when a
   * kiwoom-compat gateway in between lost its own upstream session (this socket stays open,
   * and 'reconnected' follows when the gateway is back).
   */
  code: number;
  reason: string;
  willReconnect: boolean;
}

/** Counters of {@link RealtimeSession.stats}. */
export interface RealtimeStats {
  /** Text frames received. */
  framesIn: number;
  /** Data items delivered to listeners ('real' and 'condition'). */
  dispatched: number;
  /** Waiting items replaced by a newer one of the same item and type. */
  coalesced: number;
  /** Waiting items discarded beyond the hard cap. */
  dropped: number;
  /** Items waiting now. */
  buffered: number;
  /** Malformed frames by kind (`non-json`, `truncated`, `not-object`, `no-trnm`, `unknown-trnm`, `bad-real`, `bad-condition`, `unexpected-reply`, `too-large`). */
  badFrames: Record<string, number>;
  /** Listener exceptions caught. */
  listenerErrors: number;
  /** Successful reconnects. */
  reconnects: number;
  /** REAL entries dropped because nothing wanted their type and item (never registered, or removed). */
  unregistered: number;
  /** REG/REMOVE messages the server refused for the rate (105110) and that were sent again. */
  rateRefusals: number;
}

/** Events of {@link RealtimeSession}. */
export interface RealtimeEvents {
  real: [event: RealEvent];
  /** `entry` is the 02 push it came from; absent for differences found after a reconnect. */
  condition: [event: ConditionEvent, entry?: RealEvent];
  disconnected: [info: DisconnectInfo];
  reconnecting: [attempt: number, delayMs: number];
  reconnected: [gapMs: number];
  error: [error: Error];
  system: [event: SystemEvent];
}
