/**
 * One Kiwoom WebSocket session: LOGIN, PING echo, REG/REMOVE, real-time data, condition
 * search, and a reconnect that restores every subscription and real-time condition.
 */
import { EventEmitter } from 'eventemitter3';
import { pino, type Logger } from 'pino';
import WebSocket, { type RawData } from 'ws';
import { LIVE_WS } from '../compat/live.js';
import { AuthError, CapacityError, KiwoomError, NetworkError, SessionError, ValidationError } from '../errors.js';
import { backoffDelay, DEFAULT_BACKOFF, type ResolvedBackoff } from './backoff.js';
import { codesOf, conditionEventOf, ConditionBook, parseConditionList } from './conditions.js';
import { Dispatcher } from './dispatcher.js';
import { scanRealBytes, utf8Name, type ScannedEntry } from './real-text.js';
import { GATEWAY_GAP_CLOSE_CODE, GATEWAY_NOTICE } from './gateway-notices.js';
import { resolveWsUrl } from './endpoint.js';
import { BadFrames, CONDITION_API_ID, CONTROL_TRNM, replyError, returnCodeOf } from './frames.js';
import { checkGroup, checkItems, checkSeq, checkTypes, expand } from './input.js';
import { ReplyQueue, type ControlReply } from './replies.js';
import { SendPacer } from './pacer.js';
import { circuitError, closedError, errorSummary, kickedError, notOpenError } from './session-errors.js';
import { closeSocket, openSocket } from './socket.js';
import { SubscriptionBook, type RegBlock } from './subscriptions.js';
import type {
  ConditionInfo,
  RealEvent,
  RealtimeEvents,
  RealtimeSessionOptions,
  RealtimeStats,
  TokenSource,
} from './types.js';

/** Where the session is in its life. */
export type SessionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

const DEFAULTS = {
  chunkSize: 100,
  requestTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  pingIntervalMs: 10_000,
  heartbeatMisses: 5,
  authFailureLimit: 3,
  maxRealtimeConditions: 10,
  conditionWindowMs: 60_000,
  openTimeoutMs: 30_000,
  healthyAfterMs: 30_000,
  maxPayloadBytes: 1 << 20,
} as const;

/**
 * The REG rate is counted over a window this much longer than a second: the server counts
 * arrivals, and a message delayed on the way arrives closer to the next one than it was sent.
 */
const REG_WINDOW_MS = 1_100;
/** A REG or REMOVE refused for the rate (105110) is sent again at most this many times. */
const MAX_RATE_RETRIES = 3;

/** A control request is retried after this many lost connections at most. */
const MAX_CONTROL_ATTEMPTS = 5;
/** One-shot condition results longer than this many pages are cut (a server looping on cont_yn). */
const MAX_CONDITION_PAGES = 1_000;

/**
 * Takes one REAL entry of `text` as text (its values are `text.slice(entry.start, entry.end)`,
 * a JSON object of ASCII strings free of escapes); false declines it, and it is parsed and
 * dispatched to 'real' listeners as usual. `text` is the frame's bytes read as Latin-1
 * (scanRealBytes): the entry's type, item and values read as sent, its `name` does not.
 */
export type RealTextTap = (entry: ScannedEntry, text: string) => boolean;

/**
 * A reader of the session's socket on another thread (the Python bridge's stream worker,
 * src/bridge/stream-relay.ts): it opens the sockets, takes the quote frames itself and hands
 * the session every other frame as a 'message'. See {@link RealtimeSession.relayStream}.
 */
export interface StreamRelay {
  /** Opens a socket as openSocket does (./socket.ts), on the relay's side. */
  open(url: string, handshakeTimeoutMs: number, maxPayload: number): Promise<WebSocket>;
  /** The (type, items) the session wants now, whenever that changes: REAL entries for anything else are the session's to drop. */
  wanted(pairs: [string, string[]][]): void;
}

/**
 * The Kiwoom WebSocket (`/api/dostk/websocket`) as a long-lived session.
 *
 * - Logs in with the REST client's token; a rejected token is re-issued once per attempt.
 * - Echoes every PING unchanged; never echoes SYSTEM. R10001 (another login took the
 *   session) stops it for good; R10002/R10004 and any drop or silence reconnect it with
 *   exponential backoff, jitter and a cap, then restore subscriptions and real-time conditions.
 * - Subscriptions are desired state: `register`/`remove` change what is wanted, and only the
 *   difference from what the server acknowledged is sent.
 * - After `authFailureLimit` consecutive login rejections the session stops with a
 *   {@link SessionError} (`code: 'auth-circuit-open'`) that says what to check.
 * - Listeners run synchronously on the frame; an exception in one is caught and counted, and
 *   the other listeners still get the event.
 *
 * ```ts
 * const rt = new RealtimeSession({ rest });
 * rt.on('real', ({ type, item, values }) => console.log(type, item, values['10']));
 * await rt.connect();
 * await rt.register('1', ['005930', '000660'], ['0B']);
 * ```
 */
export class RealtimeSession extends EventEmitter<RealtimeEvents> {
  /** The WebSocket URL, path included. */
  readonly url: string;

  readonly #rest: TokenSource;
  readonly #log: Logger;
  readonly #opts: {
    requestTimeoutMs: number;
    connectTimeoutMs: number;
    pingIntervalMs: number;
    heartbeatMisses: number;
    authFailureLimit: number;
    openTimeoutMs: number;
    healthyAfterMs: number;
    maxPayloadBytes: number;
    itemsPerConnection: number;
    itemsPerGroup: number;
  };
  readonly #backoff: ResolvedBackoff | false;
  readonly #replies: ReplyQueue;
  readonly #subs: SubscriptionBook;
  readonly #conds: ConditionBook;
  readonly #dispatcher: Dispatcher;
  readonly #bad: BadFrames;
  readonly #pacer: SendPacer;

  #state: SessionState = 'idle';
  #ws: WebSocket | undefined;
  #connecting: Promise<void> | undefined;
  #openWaiters: { resolve(): void; reject(e: Error): void }[] = [];
  #lane: Promise<unknown> = Promise.resolve();
  #authFailures = 0;
  #framesIn = 0;
  #reconnects = 0;
  #listenerErrors = 0;
  #heartbeat: NodeJS.Timeout | undefined;
  #sleeping: { timer: NodeJS.Timeout; wake(): void } | undefined;
  /** Reconnect attempts since the session was last healthy: the backoff's exponent. */
  #streak = 0;
  #healthy: NodeJS.Timeout | undefined;
  #unregistered = 0;
  #tap: RealTextTap | undefined;
  #relay: StreamRelay | undefined;
  /** REAL entries the tap (or the relay) took. */
  #tapped = 0;
  #rateRefusals = 0;

  constructor(options: RealtimeSessionOptions) {
    super();
    if (options?.rest === undefined || typeof options.rest.token !== 'function') {
      throw new ValidationError('RealtimeSession needs `rest`: an object with token() and invalidateToken()', {
        field: 'rest',
      });
    }
    this.#rest = options.rest;
    this.url = resolveWsUrl(options.rest, options.wsUrl);
    this.#log = (options.logger ?? pino({ level: 'silent' })).child({ component: 'realtime' });
    this.#opts = {
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      pingIntervalMs: options.pingIntervalMs ?? DEFAULTS.pingIntervalMs,
      heartbeatMisses: options.heartbeatMisses ?? DEFAULTS.heartbeatMisses,
      authFailureLimit: options.authFailureLimit ?? DEFAULTS.authFailureLimit,
      openTimeoutMs: options.openTimeoutMs ?? DEFAULTS.openTimeoutMs,
      healthyAfterMs: options.healthyAfterMs ?? DEFAULTS.healthyAfterMs,
      maxPayloadBytes: options.maxPayloadBytes ?? DEFAULTS.maxPayloadBytes,
      itemsPerConnection: options.itemCaps?.perConnection ?? LIVE_WS.itemsPerConnection,
      itemsPerGroup: options.itemCaps?.perGroup ?? LIVE_WS.itemsPerGroup,
    };
    this.#backoff = options.reconnect === false ? false : { ...DEFAULT_BACKOFF, ...options.reconnect };
    const limiter = options.conditionRateLimit;
    const windowMs = limiter === true ? DEFAULTS.conditionWindowMs : limiter ? limiter.windowMs : 0;
    this.#replies = new ReplyQueue(this.#opts.requestTimeoutMs);
    this.#subs = new SubscriptionBook(options.chunkSize ?? DEFAULTS.chunkSize);
    this.#conds = new ConditionBook(options.maxRealtimeConditions ?? DEFAULTS.maxRealtimeConditions, windowMs);
    this.#dispatcher = new Dispatcher(this.#deliver, options.buffer, () =>
      this.#log.warn('slow consumer: real-time frames dropped beyond the buffer cap (see stats().dropped)'),
    );
    this.#bad = new BadFrames(this.#log);
    this.#pacer = new SendPacer(options.regPerSecond ?? LIVE_WS.regPerSecond, REG_WINDOW_MS);
  }

  /** `idle` before connect, `open` when logged in and restored, `reconnecting` in a gap, `closed` for good. */
  get state(): SessionState {
    return this.#state;
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Open the socket, LOGIN and send every subscription registered so far. Rejects with an
   * AuthError when the token is refused twice (a fresh one is issued in between), a
   * NetworkError/HttpError when the server cannot be reached, or a SessionError when closed.
   * Automatic reconnects only start after a first successful connect. Calls made while it is
   * under way wait for it, and reject with its error when it fails.
   */
  async connect(): Promise<void> {
    if (this.#state === 'closed') throw closedError();
    if (this.#state === 'open') return;
    if (this.#connecting) return this.#connecting;
    if (this.#state === 'reconnecting') return this.#whenOpen();
    this.#state = 'connecting';
    this.#connecting = this.#establish(false).then(
      () => {
        this.#connecting = undefined;
        this.#becomeOpen();
      },
      (error: unknown) => {
        this.#connecting = undefined;
        if (this.#state === 'connecting') {
          this.#state = 'idle';
          // Calls made meanwhile waited for this connect: they fail with it, not openTimeoutMs later.
          this.#rejectOpenWaiters(error as Error);
        }
        throw error;
      },
    );
    return this.#connecting;
  }

  /** Close the socket and stop for good; pending requests reject with a SessionError. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#halt();
    this.#rejectOpenWaiters(closedError());
    const ws = this.#ws;
    this.#ws = undefined;
    if (ws) await closeSocket(ws);
  }

  /** Counters since construction. */
  stats(): RealtimeStats {
    const d = this.#dispatcher;
    return {
      framesIn: this.#framesIn,
      dispatched: d.dispatched + this.#tapped,
      coalesced: d.coalesced,
      dropped: d.dropped,
      buffered: d.buffered,
      badFrames: { ...this.#bad.counts },
      listenerErrors: this.#listenerErrors,
      reconnects: this.#reconnects,
      unregistered: this.#unregistered,
      rateRefusals: this.#rateRefusals,
    };
  }

  /** Hold real-time delivery; frames wait in the bounded buffer (see {@link BufferOptions}). */
  pause(): void {
    this.#dispatcher.pause();
  }

  /** Deliver what waited, then go on live. */
  resume(): void {
    this.#dispatcher.resume();
  }

  // ------------------------------------------------------------------ subscriptions

  /**
   * Want real-time `types` for `items` in group `grpNo`. With `refresh` true (Kiwoom's
   * default) the group's other registrations stay; false replaces them. Account-level types
   * (00 주문체결, 04 잔고) are registered with item `""` whatever `items` says. Resolves when
   * the server acknowledged (at once before connect: the registration is sent on connect);
   * rejects with Kiwoom's message when refused, and the refused pairs are no longer wanted.
   * A registration that would pass the live caps (200 distinct items per connection whatever
   * the types, 200 per group; item "" holds no slot) is refused before sending with a
   * {@link CapacityError}, and nothing changes.
   */
  async register(
    grpNo: string | number,
    items: readonly string[],
    types: readonly string[],
    refresh: boolean | '0' | '1' = true,
  ): Promise<void> {
    const grp = checkGroup(grpNo);
    const typeList = checkTypes(types);
    const itemList = checkItems(items);
    let replace = refresh === false || refresh === '0';
    const blocks = expand(itemList, typeList, 'REG');
    this.#checkCaps(grp, blocks.flatMap(([its]) => its), replace);
    for (const [its, tys] of blocks) {
      this.#subs.want(grp, its, tys, replace);
      replace = false;
    }
    this.#relay?.wanted(this.#subs.wanted());
    await this.#syncSoon(grp);
  }

  #checkCaps(grp: string, items: readonly string[], replace: boolean): void {
    const { group, connection } = this.#subs.countsWith(grp, items, replace);
    const { itemsPerGroup, itemsPerConnection } = this.#opts;
    if (group > itemsPerGroup) {
      throw new CapacityError(
        `register: group ${grp} would hold ${group} items; Kiwoom's live servers allow ${itemsPerGroup} per group ` +
          `(rc ${LIVE_WS.codes.groupCap.rc}). Nothing was sent; remove items first`,
        { code: LIVE_WS.codes.groupCap.rc, limit: itemsPerGroup, field: 'items' },
      );
    }
    if (connection > itemsPerConnection) {
      throw new CapacityError(
        `register: this connection would hold ${connection} items; Kiwoom's live servers allow ${itemsPerConnection} ` +
          `per WebSocket connection, whatever the types (rc ${LIVE_WS.codes.connectionCap.rc}). Nothing was sent; remove items first`,
        { code: LIVE_WS.codes.connectionCap.rc, limit: itemsPerConnection, field: 'items' },
      );
    }
  }

  /**
   * Stop wanting `types` for `items` in group `grpNo`; leave `items` or `types` out for all of
   * them (`remove('1')` ends the group). Resolves when the server acknowledged.
   */
  async remove(grpNo: string | number, items?: readonly string[], types?: readonly string[]): Promise<void> {
    const grp = checkGroup(grpNo);
    const typeList = types === undefined ? undefined : checkTypes(types);
    const itemList = items === undefined ? undefined : checkItems(items);
    if (itemList === undefined || itemList.length === 0) this.#subs.unwant(grp, undefined, typeList);
    else if (typeList === undefined) this.#subs.unwant(grp, itemList);
    else for (const [its, tys] of expand(itemList, typeList, 'REMOVE')) this.#subs.unwant(grp, its, tys);
    this.#relay?.wanted(this.#subs.wanted());
    await this.#syncSoon(grp);
  }

  /** Desired subscriptions: group → item → types. */
  subscriptions(): Record<string, Record<string, string[]>> {
    return this.#subs.snapshot();
  }

  // ------------------------------------------------------------------ conditions

  /** The saved conditions (CNSRLST, ka10171). */
  async conditions(): Promise<ConditionInfo[]> {
    return this.#control(async () => parseConditionList((await this.#listConditions()).data));
  }

  /**
   * Run condition `seq`. One-shot (default) gathers every page and returns the codes;
   * `realtime: true` also keeps it running: entries and exits arrive as 'condition' events
   * and it is restored after a reconnect. Codes are plain 6-digit codes (Kiwoom's `A`
   * prefix removed), as the OCX gave them. At most `maxRealtimeConditions` (10) run at once:
   * one more is refused before anything is sent. Before connect() a real-time search is only
   * recorded (resolving to []) and starts on connect; a one-shot search needs a connection.
   */
  async search(seq: string | number, options: { realtime?: boolean } = {}): Promise<string[]> {
    const s = checkSeq(seq);
    const realtime = options.realtime === true;
    if (realtime) this.#conds.want(s);
    const wait = this.#conds.claimSlot(s, Date.now());
    if (wait > 0) await this.#sleepFor(wait);
    if (this.#state === 'idle') {
      if (!realtime) throw new SessionError('Not connected: call connect() before a one-shot search', { code: 'not-connected' });
      return [];
    }
    return this.#control(() => (realtime ? this.#startRealtime(s, false) : this.#searchOnce(s)));
  }

  /**
   * One page of a one-shot search (CNSRREQ search_type 0) as the server answered it: its FID
   * rows, `cont_yn` and `next_key`, for a program that passes pages on (the gateway). Rejects
   * with Kiwoom's refusal as an ApiError.
   */
  async searchPage(seq: string | number, page: { contYn?: 'Y' | 'N'; nextKey?: string } = {}): Promise<ControlReply> {
    const s = checkSeq(seq);
    if (this.#state === 'idle') throw new SessionError('Not connected: call connect() before a one-shot search', { code: 'not-connected' });
    return this.#control(async () => {
      const reply = await this.#request({ trnm: 'CNSRREQ', seq: s, search_type: '0', stex_tp: 'K', cont_yn: page.contYn ?? 'N', next_key: page.nextKey ?? '' });
      if (returnCodeOf(reply) !== 0) throw replyError(reply, CONDITION_API_ID.oneShot);
      return reply;
    });
  }

  /** Stop real-time condition `seq` (CNSRCLR, ka10174). */
  async stopSearch(seq: string | number): Promise<void> {
    const s = checkSeq(seq);
    this.#conds.unwant(s);
    if (this.#state === 'idle') return;
    await this.#control(async () => {
      if (!this.#conds.isRunning(s)) return;
      const reply = await this.#request({ trnm: 'CNSRCLR', seq: s });
      if (returnCodeOf(reply) !== 0) throw replyError(reply, CONDITION_API_ID.CNSRCLR);
      this.#conds.running(s, false);
    });
  }

  /** Real-time conditions wanted now. */
  realtimeConditions(): string[] {
    return this.#conds.wanted();
  }

  // ------------------------------------------------------------------ hot path

  /** Kiwoom sends text frames; a binary frame is read as UTF-8 text too (some servers and proxies send those). */
  #onMessage(ws: WebSocket, data: RawData): void {
    if (ws !== this.#ws) return;
    this.#framesIn++;
    if (this.#tap !== undefined && Buffer.isBuffer(data) && this.#tapFrame(this.#tap, data)) return;
    const text = data.toString();
    let msg: { trnm?: unknown; data?: unknown; code?: unknown; message?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      return this.#bad.count(text.startsWith('{') ? 'truncated' : 'non-json', text);
    }
    if (msg === null || typeof msg !== 'object') return this.#bad.count('not-object', text);
    const trnm = msg.trnm;
    if (trnm === 'REAL') {
      const entries = msg.data;
      if (!Array.isArray(entries)) return this.#bad.count('bad-real', text);
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i] as RealEvent | null;
        if (e !== null && typeof e === 'object' && typeof e.type === 'string' && typeof e.item === 'string' && typeof e.values === 'object' && e.values !== null) {
          if (e.type === '02' || this.#subs.accepts(e.type, e.item)) this.#dispatcher.push(e);
          else this.#notWanted(e);
        } else {
          this.#bad.count('bad-real', text);
        }
      }
      return;
    }
    if (trnm === 'PING') {
      // The server wants its own frame back, byte for byte.
      ws.send(text);
      return;
    }
    if (trnm === 'SYSTEM') return this.#onSystem(ws, String(msg.code ?? ''), String(msg.message ?? ''), (msg as { gap_ms?: unknown }).gap_ms);
    if (typeof trnm !== 'string') return this.#bad.count('no-trnm', text);
    if (CONTROL_TRNM.has(trnm)) {
      if (!this.#replies.settle(msg as ControlReply)) this.#bad.count('unexpected-reply', text);
      return;
    }
    this.#bad.count('unknown-trnm', text);
  }

  /**
   * A plain REAL frame for a text reader: its quotes go to the tap as text, in frame order, while
   * nothing waits in the buffer (else behind what waits); conditions and what the tap declines
   * are parsed and dispatched as usual. False when the frame is not plain REAL with ASCII entries (not handled).
   */
  #tapFrame(tap: RealTextTap, data: Buffer): boolean {
    const frame = scanRealBytes(data);
    if (frame === undefined) return false;
    const { text, entries } = frame;
    for (const e of entries) {
      if (e.type !== '02' && !this.#subs.accepts(e.type, e.item)) this.#notWanted(e);
      else if (e.type !== '02' && this.#dispatcher.idle && tap(e, text)) this.#tapped++;
      else this.#dispatcher.push({ type: e.type, name: utf8Name(e.name), item: e.item, values: JSON.parse(text.slice(e.start, e.end)) as Record<string, string> });
    }
    return true;
  }

  /**
   * Hands plain REAL frames' entries to `tap` as text (see {@link RealTextTap}) instead of parsing
   * them for 'real' listeners; undefined restores the ordinary path. For a reader that forwards
   * values as text (the Python bridge); the entries it takes are counted in stats().dispatched.
   */
  tapRealText(tap: RealTextTap | undefined): void {
    this.#tap = tap;
  }

  /**
   * Lets `relay` own the session's sockets from the next one opened: it reads them on its own
   * thread, takes quote frames itself (counted with {@link countRelayed}) and hands the session
   * every other frame. Told of the wanted pairs now and whenever they change.
   */
  relayStream(relay: StreamRelay): void {
    this.#relay = relay;
    relay.wanted(this.#subs.wanted());
  }

  /** Counts frames and REAL entries the relay took (so that the heartbeat and stats() see them). */
  countRelayed(frames: number, entries: number): void {
    this.#framesIn += frames;
    this.#tapped += entries;
  }

  /** Whether a REAL entry would be delivered at once (nothing buffered, not paused). */
  get realIdle(): boolean {
    return this.#dispatcher.idle;
  }

  /** A REAL entry for nothing wanted (never registered, or removed): dropped and counted, so that no store grows with it. */
  #notWanted(e: { type: string; item: string }): void {
    if (this.#unregistered++ === 0) {
      this.#log.warn({ type: e.type, item: e.item }, 'REAL data for an item that is not registered dropped (logged once; see stats().unregistered)');
    }
  }

  readonly #deliver = (entry: RealEvent): void => {
    if (entry.type === '02') this.#deliverCondition(entry);
    else this.#emitSafe('real', entry);
  };

  #deliverCondition(entry: RealEvent): void {
    const event = conditionEventOf(entry);
    if (!event) return this.#bad.count('bad-condition', JSON.stringify(entry.values));
    this.#conds.track(event);
    this.#emitSafe('condition', event, entry);
  }

  #listenerFailed(error: unknown): void {
    if (this.#listenerErrors++ === 0) {
      this.#log.error({ err: error }, 'a RealtimeSession listener threw; the session goes on (logged once; see stats().listenerErrors)');
    }
  }

  /**
   * Emit without letting a listener's exception escape. With several listeners each runs in
   * its own try, so one that throws does not starve the others; a single listener takes the
   * plain emit (the hot path allocates nothing).
   */
  #emitSafe<K extends keyof RealtimeEvents>(event: K, ...args: RealtimeEvents[K]): void {
    if (this.listenerCount(event) <= 1) {
      try {
        (this.emit as (e: K, ...a: RealtimeEvents[K]) => boolean)(event, ...args);
      } catch (error) {
        this.#listenerFailed(error);
      }
      return;
    }
    for (const listener of this.listeners(event)) {
      try {
        (listener as (...a: RealtimeEvents[K]) => void).apply(this, args);
      } catch (error) {
        this.#listenerFailed(error);
      }
    }
  }

  // ------------------------------------------------------------------ SYSTEM, drops, reconnects

  #onSystem(ws: WebSocket, code: string, message: string, gapMs: unknown): void {
    this.#emitSafe('system', { code, message });
    if (code === GATEWAY_NOTICE.upstreamDown.code) {
      this.#log.warn({ code }, 'the gateway lost its upstream session; waiting for it');
      this.#emitSafe('disconnected', { code: GATEWAY_GAP_CLOSE_CODE, reason: code, willReconnect: true });
      return;
    }
    if (code === GATEWAY_NOTICE.upstreamBack.code) {
      const gap = Number(gapMs);
      this.#emitSafe('reconnected', Number.isFinite(gap) && gap >= 0 ? gap : 0);
      return;
    }
    if (code === 'R10001') {
      this.#log.error({ code }, 'session taken over by another login with the same app key; not reconnecting');
      this.#stop(kickedError(message));
      return;
    }
    if (code === 'R10002' || code === 'R10004') {
      this.#log.warn({ code, message }, 'server is closing the session; reconnecting');
      ws.terminate();
      return;
    }
    this.#log.info({ code, message }, 'SYSTEM message');
  }

  #onClose(ws: WebSocket, code: number, reason: string): void {
    if (ws !== this.#ws) return;
    this.#ws = undefined;
    this.#stopHeartbeat();
    this.#notHealthy();
    const closed = new NetworkError(`WebSocket closed (code ${code}${reason ? `: ${reason}` : ''})`);
    this.#replies.failAll(closed);
    this.#pacer.reset(closed);
    if (this.#state !== 'open') return; // connect/establish sees the failure itself
    const willReconnect = this.#backoff !== false;
    this.#log.warn({ code, reason }, willReconnect ? 'WebSocket dropped; reconnecting' : 'WebSocket dropped');
    this.#state = willReconnect ? 'reconnecting' : 'idle';
    this.#emitSafe('disconnected', { code, reason, willReconnect });
    if (willReconnect) void this.#reconnect(Date.now());
    else this.#rejectOpenWaiters(new SessionError('WebSocket dropped and reconnect is off: call connect()', { code: 'disconnected' }));
  }

  async #reconnect(droppedAt: number): Promise<void> {
    const backoff = this.#backoff;
    if (backoff === false) return;
    for (let attempt = 1; ; attempt++) {
      // The exponent keeps growing over gaps until a session stays up for healthyAfterMs: a
      // server that drops every session right after LOGIN meets a growing backoff, not a fixed one.
      const delay = backoffDelay(backoff, ++this.#streak);
      this.#emitSafe('reconnecting', attempt, delay);
      await this.#sleepFor(delay);
      if (this.#state !== 'reconnecting') return;
      try {
        await this.#establish(true);
      } catch (error) {
        if (this.#state !== 'reconnecting') return;
        if (error instanceof SessionError) return this.#stop(error);
        this.#log.warn({ attempt, err: errorSummary(error) }, 'reconnect attempt failed');
        continue;
      }
      if (this.#state !== 'reconnecting') return;
      this.#reconnects++;
      this.#becomeOpen();
      const gapMs = Date.now() - droppedAt;
      this.#log.info({ attempt, gapMs }, 'reconnected and restored');
      this.#emitSafe('reconnected', gapMs);
      return;
    }
  }

  /** Stop for good because of `error` (R10001, circuit breaker): no reconnect. */
  #stop(error: SessionError): void {
    const wasOpen = this.#state === 'open';
    const ws = this.#ws;
    this.#ws = undefined;
    this.#halt();
    this.#rejectOpenWaiters(error);
    ws?.terminate();
    if (wasOpen) this.#emitSafe('disconnected', { code: 1000, reason: error.code, willReconnect: false });
    this.#emitSafe('error', error);
  }

  #halt(): void {
    this.#state = 'closed';
    this.#stopHeartbeat();
    this.#notHealthy();
    this.#sleeping?.wake();
    this.#dispatcher.clear();
    this.#replies.failAll(closedError());
    this.#pacer.reset(closedError());
  }

  #becomeOpen(): void {
    this.#state = 'open';
    for (const w of this.#openWaiters.splice(0)) w.resolve();
    this.#notHealthy();
    this.#healthy = setTimeout(() => {
      this.#healthy = undefined;
      this.#streak = 0;
    }, this.#opts.healthyAfterMs);
    this.#healthy.unref();
  }

  #notHealthy(): void {
    clearTimeout(this.#healthy);
    this.#healthy = undefined;
  }

  #rejectOpenWaiters(error: Error): void {
    for (const w of this.#openWaiters.splice(0)) w.reject(error);
  }

  /**
   * Resolves when logged in on a socket that is still open (a socket being torn down counts as
   * a gap); rejects with a SessionError (`not-open`) when that has not happened by `deadline`.
   */
  #whenOpen(deadline = Date.now() + this.#opts.openTimeoutMs): Promise<void> {
    if (this.#state === 'open' && this.#ws?.readyState === WebSocket.OPEN) return Promise.resolve();
    if (this.#state === 'closed') return Promise.reject(closedError());
    if (this.#state === 'idle') {
      return Promise.reject(new SessionError('Not connected: call connect() first', { code: 'not-connected' }));
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (): void => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error: Error): void => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        const i = this.#openWaiters.indexOf(waiter);
        if (i >= 0) this.#openWaiters.splice(i, 1);
        reject(notOpenError(this.#opts.openTimeoutMs, this.#reconnects));
      }, Math.max(0, deadline - Date.now()));
      this.#openWaiters.push(waiter);
    });
  }

  /** Sleep that close() cuts short. */
  #sleepFor(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        if (this.#sleeping?.timer === timer) this.#sleeping = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      if (this.#state !== 'closed') this.#sleeping = { timer, wake };
      else wake();
    });
  }

  #startHeartbeat(): void {
    this.#stopHeartbeat();
    let seen = this.#framesIn;
    let misses = 0;
    this.#heartbeat = setInterval(() => {
      if (this.#framesIn !== seen) {
        seen = this.#framesIn;
        misses = 0;
        return;
      }
      if (++misses < this.#opts.heartbeatMisses) return;
      this.#log.warn({ silentMs: misses * this.#opts.pingIntervalMs }, 'no frame from the server; reconnecting');
      this.#ws?.terminate();
    }, this.#opts.pingIntervalMs);
    this.#heartbeat.unref();
  }

  #stopHeartbeat(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  // ------------------------------------------------------------------ establishing a session

  /** Socket, LOGIN (re-issuing a refused token once), restore. Throws SessionError when the circuit opens. */
  async #establish(restoring: boolean): Promise<void> {
    let reissued = false;
    for (;;) {
      const ws = await this.#open();
      let token: string | undefined;
      try {
        const login = await this.#login();
        if (login) {
          token = login.token;
          throw login.refused;
        }
        this.#authFailures = 0;
        this.#startHeartbeat();
        await this.#restore(restoring);
        return;
      } catch (error) {
        if (this.#ws === ws) this.#ws = undefined;
        this.#stopHeartbeat();
        ws.terminate();
        if (!(error instanceof AuthError)) throw error;
        this.#authFailures++;
        if (this.#authFailures >= this.#opts.authFailureLimit) throw circuitError(this.#authFailures, error);
        if (reissued) throw error;
        reissued = true;
        this.#log.warn({ code: error.code }, 'WebSocket LOGIN refused; issuing a fresh token');
        this.#rest.invalidateToken(token);
      }
    }
  }

  async #open(): Promise<WebSocket> {
    const { url } = this;
    const { connectTimeoutMs, maxPayloadBytes } = this.#opts;
    const ws = await (this.#relay ? this.#relay.open(url, connectTimeoutMs, maxPayloadBytes) : openSocket(url, connectTimeoutMs, maxPayloadBytes));
    if (this.#state === 'closed') {
      ws.terminate();
      throw closedError();
    }
    this.#ws = ws;
    this.#subs.resetAcknowledged();
    this.#conds.resetSocket();
    this.#pacer.reset(new NetworkError('WebSocket replaced before the REG/REMOVE went out'));
    ws.on('message', (data) => this.#onMessage(ws, data));
    ws.on('close', (code, reason) => this.#onClose(ws, code, reason.toString()));
    ws.on('error', (error) => {
      // ws closes the socket itself (1009) after a frame past maxPayloadBytes.
      if ((error as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.#bad.count('too-large', error.message);
      else this.#log.warn({ err: errorSummary(error) }, 'WebSocket error');
    });
    return ws;
  }

  /** LOGIN; on refusal the AuthError is returned with the refused token, for a targeted invalidation. */
  async #login(): Promise<{ refused: AuthError; token: string } | undefined> {
    const token = await this.#rest.token();
    const reply = await this.#request({ trnm: 'LOGIN', token });
    if (returnCodeOf(reply) === 0) return undefined;
    return { refused: replyError(reply) as AuthError, token };
  }

  /** Bring the new socket to the desired state: every group, then every real-time condition. */
  async #restore(restoring: boolean): Promise<void> {
    const results = await Promise.allSettled(this.#subs.groups().map((grp) => this.#syncGroup(grp)));
    for (const r of results) if (r.status === 'rejected') this.#restoreFailed(r.reason);
    for (const seq of this.#conds.wanted()) {
      try {
        await this.#startRealtime(seq, restoring);
      } catch (error) {
        this.#restoreFailed(error);
      }
    }
  }

  /** A refusal during restore is reported, not fatal; a lost socket is fatal (the attempt failed). */
  #restoreFailed(error: unknown): void {
    if (error instanceof NetworkError || error instanceof SessionError) throw error;
    this.#log.error({ err: errorSummary(error) }, 'a subscription could not be restored');
    this.#emitSafe('error', error instanceof Error ? error : new KiwoomError(String(error)));
  }

  // ------------------------------------------------------------------ requests

  /** Send a control message and wait for its reply; a timeout kills the socket (replies would pair wrongly). */
  async #request(msg: { trnm: string; [key: string]: unknown }): Promise<ControlReply> {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) throw new NetworkError(`WebSocket not open for ${msg.trnm}`);
    const reply = this.#replies.expect(msg.trnm);
    ws.send(JSON.stringify(msg));
    try {
      return await reply;
    } catch (error) {
      if (this.#ws === ws && error instanceof NetworkError) ws.terminate();
      throw error;
    }
  }

  /**
   * Run a control operation when the session is open, one at a time; if the socket is lost
   * meanwhile, run it again after the reconnect (operations are diffs or searches: safe to repeat).
   */
  #control<T>(fn: () => Promise<T>): Promise<T> {
    // The wait for an open session is bounded from the call, not from its turn in the lane.
    const deadline = Date.now() + this.#opts.openTimeoutMs;
    const run = this.#lane.then(async () => {
      for (let attempt = 1; ; attempt++) {
        await this.#whenOpen(deadline);
        try {
          return await fn();
        } catch (error) {
          const lost = error instanceof NetworkError && (this.#state === 'reconnecting' || this.#state === 'open');
          if (!lost || attempt >= MAX_CONTROL_ATTEMPTS) throw error;
        }
      }
    });
    this.#lane = run.catch(() => undefined);
    return run;
  }

  /** Send a group's difference now, or nothing before connect (connect sends everything). */
  async #syncSoon(grp: string): Promise<void> {
    if (this.#state === 'idle') return;
    await this.#control(() => this.#syncGroup(grp));
  }

  /**
   * REMOVE what is no longer wanted, REG what is missing, each paced to the live REG rate;
   * refused REG pairs stop being wanted. A refusal for the rate itself (105110: the pacing
   * fell short, e.g. the server counts differently) is sent again after a window.
   */
  async #syncGroup(grp: string): Promise<void> {
    const { add, remove } = this.#subs.diff(grp);
    const send = async (trnm: 'REG' | 'REMOVE', block: RegBlock): Promise<void> => {
      const msg = trnm === 'REG' ? { trnm, grp_no: grp, refresh: '1', data: [block] } : { trnm, grp_no: grp, data: [block] };
      for (let attempt = 1; ; attempt++) {
        const answered = await this.#pacer.slot();
        const reply = await this.#request(msg).finally(answered);
        const rc = returnCodeOf(reply);
        if (rc === 0) return this.#subs.acknowledge(grp, block, trnm === 'REG');
        if (rc === LIVE_WS.codes.regRate.rc && attempt <= MAX_RATE_RETRIES) {
          if (this.#rateRefusals++ === 0) this.#log.warn({ trnm }, `${trnm} refused for the rate (rc ${rc}); sent again after a pause (logged once; see stats().rateRefusals)`);
          await new Promise((resolve) => setTimeout(resolve, REG_WINDOW_MS));
          continue;
        }
        if (trnm === 'REG') {
          this.#subs.unwant(grp, block.item, block.type);
          this.#relay?.wanted(this.#subs.wanted());
        }
        throw replyError(reply);
      }
    };
    const results = await Promise.allSettled([...remove.map((b) => send('REMOVE', b)), ...add.map((b) => send('REG', b))]);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
    const lost = failures.find((e) => e instanceof NetworkError);
    if (lost !== undefined) throw lost;
    if (failures.length > 0) throw failures[0];
  }

  async #listConditions(): Promise<ControlReply> {
    const reply = await this.#request({ trnm: 'CNSRLST' });
    if (returnCodeOf(reply) !== 0) throw replyError(reply, CONDITION_API_ID.CNSRLST);
    this.#conds.listed = true;
    return reply;
  }

  async #searchOnce(seq: string): Promise<string[]> {
    const codes: string[] = [];
    let cont = 'N';
    let nextKey = '';
    for (let page = 0; page < MAX_CONDITION_PAGES; page++) {
      const reply = await this.#request({ trnm: 'CNSRREQ', seq, search_type: '0', stex_tp: 'K', cont_yn: cont, next_key: nextKey });
      if (returnCodeOf(reply) !== 0) throw replyError(reply, CONDITION_API_ID.oneShot);
      codes.push(...codesOf(reply.data));
      if (reply['cont_yn'] !== 'Y') return codes;
      cont = 'Y';
      nextKey = String(reply['next_key'] ?? '');
    }
    this.#log.warn({ seq }, `condition search cut after ${MAX_CONDITION_PAGES} pages`);
    return codes;
  }

  /** CNSRREQ search_type 1; after a reconnect, entries and exits missed in the gap become 'condition' events. */
  async #startRealtime(seq: string, compare: boolean): Promise<string[]> {
    if (!this.#conds.isWanted(seq)) return [];
    if (!this.#conds.listed) await this.#listConditions();
    const reply = await this.#request({ trnm: 'CNSRREQ', seq, search_type: '1', stex_tp: 'K' });
    if (returnCodeOf(reply) !== 0) {
      this.#conds.unwant(seq);
      throw replyError(reply, CONDITION_API_ID.realtime);
    }
    this.#conds.running(seq, true);
    const codes = codesOf(reply.data);
    for (const event of this.#conds.reset(seq, codes, compare)) this.#emitSafe('condition', event);
    return codes;
  }
}

