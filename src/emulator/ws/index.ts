/**
 * The emulator's WebSocket side: the protocol's {@link SessionServer} on the emulator's HTTP
 * server, with the simulated market as its service: REG/REMOVE checked against the market,
 * rate-driven REAL pushes of every documented type, 00/04 on order events, condition search.
 */
import type { Server } from 'node:http';
import type { EmulatorContext } from '../context.js';
import type { OrderEvent, PositionSnapshot, WsSessionHeld } from '../types.js';
import { ConditionEngine } from './conditions.js';
import { RealFrames } from './frames.js';
import { MarketView } from './market-view.js';
import { resolveWsOptions, type WsSideOptions } from './options.js';
import { reply } from './protocol.js';
import { PushScheduler } from './scheduler.js';
import type { Message, Session, SessionService } from './session.js';
import { SessionServer } from './sessions.js';
import { marketItemCheck, parseRegistration, type ItemCheck } from './subscriptions.js';

export type { WsSideOptions } from './options.js';

/** Controls the HTTP side calls into. */
export interface WsSide {
  /** Close every socket abruptly (network drop). */
  dropAll(): void;
  /** SYSTEM R10001 to every session, then close. */
  kickAll(): void;
  /** REAL frames per second over all subscriptions. */
  setRate(framesPerSecond: number): void;
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
  private readonly checkItem: ItemCheck;
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
    this.frames = new RealFrames(ctx.state, this.view);
    this.conditions = new ConditionEngine(ctx.state, this.frames, ctx.stats, this.options);
    this.checkItem = marketItemCheck(ctx.state);
    this.server = new SessionServer(http, {
      tokens: ctx.tokens,
      faults: ctx.wsFaults,
      settings: { ...this.options, pingIntervalMs: ctx.options.pingIntervalMs },
      service: this,
      onOpen: () => {
        ctx.stats.wsSessions = this.server.sessions.size;
      },
      onLogin: () => this.scheduler.invalidate(),
      onClose: (session) => {
        ctx.stats.wsSessions = this.server.sessions.size;
        this.conditions.forget(session);
        this.scheduler.invalidate();
      },
    });
    this.scheduler = new PushScheduler(ctx, this.frames, () => this.server.sessions, ctx.options.realRate);
    ctx.state.on('order', this.onOrder);
    ctx.state.on('position', this.onPosition);
  }

  registration(session: Session, msg: Message, isRemove: boolean): string {
    const trnm = isRemove ? 'REMOVE' : 'REG';
    const parsed = parseRegistration(msg, this.checkItem, this.options.maxItemsPerReg, isRemove);
    if (!parsed.ok) return reply(trnm, parsed.error);
    if (isRemove) session.subs.remove(parsed.grp, parsed.pairs);
    else session.subs.register(parsed.grp, parsed.refresh, parsed.pairs);
    this.scheduler.invalidate();
    return reply(trnm, undefined);
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
      if (s.send(frame)) this.ctx.stats.realFrames++;
    }
  }

  private pushPosition(p: PositionSnapshot): void {
    let frame: string | undefined;
    for (const s of this.subscribers(p.account, '04')) {
      frame ??= this.frames.position(p, this.ctx.state.now());
      if (s.send(frame)) this.ctx.stats.realFrames++;
    }
  }

  dropAll(): void {
    this.server.dropAll();
  }

  kickAll(): void {
    this.server.kickAll();
  }

  setRate(framesPerSecond: number): void {
    this.scheduler.setRate(framesPerSecond);
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
    this.conditions.stop();
    this.view.detach();
    await this.server.close();
  }
}

/**
 * Attaches the WebSocket side to the emulator's HTTP server (upgrades on other paths get 404).
 * @param options tunables beyond {@link EmulatorContext.options} (REG item cap, condition limit, ...).
 */
export function attachWebSocket(server: Server, ctx: EmulatorContext, options: WsSideOptions = {}): WsSide {
  return new WsHub(server, ctx, options);
}
