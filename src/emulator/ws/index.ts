/**
 * The emulator's WebSocket side: the protocol's {@link SessionServer} on the emulator's HTTP
 * server, with the simulated market as its service: REG/REMOVE under the live rate and caps
 * (compat/live.json), rate-driven REAL pushes of every documented type in frames of 1 to 3
 * entries, VI (1h) as occasional events, 00/04 on order events, condition search.
 */
import type { Server } from 'node:http';
import { LIVE_WS, type LiveCode } from '../../compat/live.js';
import type { EmulatorContext } from '../context.js';
import { loadEmulatorData } from '../data.js';
import type { OrderEvent, PositionSnapshot, WsSessionHeld } from '../types.js';
import { ConditionEngine } from './conditions.js';
import { RealFrames } from './frames.js';
import { MarketView } from './market-view.js';
import { resolveWsOptions, type WsSideOptions } from './options.js';
import { countFrame, refusal, reply } from './protocol.js';
import { PushScheduler } from './scheduler.js';
import type { Message, Session, SessionService } from './session.js';
import { SessionServer } from './sessions.js';
import { asSent, parseRegistration } from './subscriptions.js';
import { ViEngine } from './vi.js';

export type { WsSideOptions } from './options.js';

/** KRX's regular session (compat/emulator/rules.json), for what changes after its close. */
const KRX_HOURS = loadEmulatorData<{ marketHours: { open: string; close: string } }>('rules').marketHours;

/** Controls the HTTP side calls into. */
export interface WsSide {
  /** Close every socket abruptly (network drop). */
  dropAll(): void;
  /** SYSTEM R10001 to every session, then close. */
  kickAll(): void;
  /** REAL entries per second over all subscriptions. */
  setRate(entriesPerSecond: number): void;
  /** What each logged-in session holds now. */
  held(): WsSessionHeld[];
  close(): Promise<void>;
}

class WsHub implements SessionService, WsSide {
  readonly options: Required<WsSideOptions>;
  readonly conditions: ConditionEngine;
  private readonly server: SessionServer;
  private readonly view: MarketView;
  private readonly frames: RealFrames;
  private readonly scheduler: PushScheduler;
  private readonly vi: ViEngine;
  /** Arrival times (ms) of each session's REG/REMOVE accepted in the last second, for the live rate. */
  private readonly regTimes = new WeakMap<Session, number[]>();
  /** Accumulated fill amount per order number (FID 903). */
  private readonly filled = new Map<string, number>();
  private readonly onOrder = (ev: OrderEvent): void => this.pushOrder(ev);
  private readonly onPosition = (p: PositionSnapshot): void => this.pushPosition(p);

  constructor(
    http: Server,
    readonly ctx: EmulatorContext,
    options: WsSideOptions,
  ) {
    this.options = resolveWsOptions(options, ctx.options.pingIntervalMs);
    this.view = new MarketView(ctx.state, ctx.options.seed);
    this.frames = new RealFrames(ctx.state, this.view, () => ctx.options.marketHours === 'krx' && ctx.state.now() >= KRX_HOURS.close);
    this.conditions = new ConditionEngine(ctx.state, this.frames, ctx.stats, this.options);
    this.server = new SessionServer(http, {
      tokens: ctx.tokens,
      faults: ctx.wsFaults,
      settings: { ...this.options, pingIntervalMs: ctx.options.pingIntervalMs },
      service: this,
      onOpen: () => {
        ctx.stats.wsSessions = this.server.sessions.size;
      },
      onLogin: () => {
        ctx.stats.wsLogins++;
        this.scheduler.invalidate();
      },
      onClose: (session) => {
        ctx.stats.wsSessions = this.server.sessions.size;
        this.conditions.forget(session);
        this.scheduler.invalidate();
      },
      onRefused: (rc) => this.countRefusal(rc),
    });
    this.scheduler = new PushScheduler(ctx, this.frames, () => this.server.sessions, ctx.options.realRate, this.options.orderBookPerSecond);
    this.vi = new ViEngine(ctx.state, this.frames, () => this.server.loggedInSessions(), ctx.stats, this.options.viIntervalMs, this.options.viDurationMs);
    ctx.state.on('order', this.onOrder);
    ctx.state.on('position', this.onPosition);
  }

  /** REG/REMOVE under the live rate and caps, refused with their 6-digit codes. */
  registration(session: Session, msg: Message, isRemove: boolean): string {
    const trnm = isRemove ? 'REMOVE' : 'REG';
    const { options } = this;
    if (!this.withinRate(session)) return this.refuse(trnm, LIVE_WS.codes.regRate);
    const parsed = parseRegistration(msg, asSent, isRemove);
    if (!parsed.ok) {
      this.countRefusal(1);
      return reply(trnm, parsed.error);
    }
    if (!isRemove) {
      const held = session.subs.itemsAfter(parsed.grp, parsed.refresh, parsed.pairs);
      if (held.group > options.itemsPerGroup) return this.refuse(trnm, LIVE_WS.codes.groupCap);
      if (held.connection > options.itemsPerConnection) return this.refuse(trnm, LIVE_WS.codes.connectionCap);
    }
    this.regTimes.get(session)?.push(Date.now());
    if (isRemove) session.subs.remove(parsed.grp, parsed.pairs);
    else session.subs.register(parsed.grp, parsed.refresh, parsed.pairs);
    this.scheduler.invalidate();
    return reply(trnm, undefined);
  }

  /** Whether one more REG/REMOVE fits in the session's last second. */
  private withinRate(session: Session): boolean {
    let times = this.regTimes.get(session);
    if (!times) this.regTimes.set(session, (times = []));
    const since = Date.now() - 1000;
    while (times.length > 0 && times[0]! <= since) times.shift();
    return times.length < this.options.regPerSecond;
  }

  private refuse(trnm: string, code: LiveCode): string {
    this.countRefusal(code.rc);
    return refusal(trnm, code);
  }

  private countRefusal(rc: number): void {
    const counts = this.ctx.stats.wsRefusals;
    counts[rc] = (counts[rc] ?? 0) + 1;
  }

  conditionList(): string {
    return this.conditions.listReply();
  }

  conditionRequest(session: Session, msg: Message): string {
    return this.conditions.request(session, msg);
  }

  conditionClear(session: Session, msg: Message): string {
    return this.conditions.clear(session, msg);
  }

  /** Sessions of `account` that registered `type`. */
  private *subscribers(account: string, type: string): Generator<Session> {
    for (const s of this.server.loggedInSessions()) if (s.account === account && s.subs.hasType(type)) yield s;
  }

  private pushOrder(ev: OrderEvent): void {
    if (ev.fill) this.filled.set(ev.order.ordNo, (this.filled.get(ev.order.ordNo) ?? 0) + ev.fill.price * ev.fill.qty);
    let frame: string | undefined;
    for (const s of this.subscribers(ev.account, '00')) {
      frame ??= this.frames.order(ev, this.filled.get(ev.order.ordNo) ?? 0, this.ctx.state.now());
      if (s.send(frame)) countFrame(this.ctx.stats);
    }
  }

  private pushPosition(p: PositionSnapshot): void {
    let frame: string | undefined;
    for (const s of this.subscribers(p.account, '04')) {
      frame ??= this.frames.position(p, this.ctx.state.now());
      if (s.send(frame)) countFrame(this.ctx.stats);
    }
  }

  dropAll(): void {
    this.server.dropAll();
  }

  kickAll(): void {
    this.server.kickAll();
  }

  setRate(entriesPerSecond: number): void {
    this.scheduler.setRate(entriesPerSecond);
  }

  held(): WsSessionHeld[] {
    return [...this.server.loggedInSessions()].map((s) => ({
      account: s.account,
      groups: s.subs.snapshot(),
      realtimeConditions: [...s.realtime.keys()].sort(),
    }));
  }

  async close(): Promise<void> {
    this.ctx.state.off('order', this.onOrder);
    this.ctx.state.off('position', this.onPosition);
    this.scheduler.stop();
    this.vi.stop();
    this.conditions.stop();
    this.view.detach();
    await this.server.close();
  }
}

/**
 * Attaches the WebSocket side to the emulator's HTTP server (upgrades on other paths get 404).
 * @param options tunables beyond {@link EmulatorContext.options} (the live REG rate and caps, condition limit, ...).
 */
export function attachWebSocket(server: Server, ctx: EmulatorContext, options: WsSideOptions = {}): WsSide {
  return new WsHub(server, ctx, options);
}
