/**
 * The emulator's WebSocket side, attached to the emulator's HTTP server at
 * `/api/dostk/websocket`: LOGIN, PING, one session per app key, REG/REMOVE, rate-driven REAL
 * pushes of every documented type, 00/04 on order events, condition search, fault hooks.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { EmulatorContext } from '../context.js';
import type { OrderEvent, PositionSnapshot, WsSessionHeld } from '../types.js';
import { ConditionEngine } from './conditions.js';
import { RealFrames } from './frames.js';
import { MarketView } from './market-view.js';
import { resolveWsOptions, type WsSideOptions } from './options.js';
import { SYSTEM, WS_PATH } from './protocol.js';
import { PushScheduler } from './scheduler.js';
import { Session, type SessionHost } from './session.js';

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

class WsHub implements SessionHost, WsSide {
  readonly options: Required<WsSideOptions>;
  readonly conditions: ConditionEngine;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 20 });
  private readonly sessions = new Set<Session>();
  private readonly byAppkey = new Map<string, Session>();
  private readonly view: MarketView;
  private readonly frames: RealFrames;
  private readonly scheduler: PushScheduler;
  /** Accumulated fill amount per order number (FID 903). */
  private readonly filled = new Map<string, number>();
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => this.upgrade(req, socket, head);
  private readonly onOrder = (ev: OrderEvent): void => this.pushOrder(ev);
  private readonly onPosition = (p: PositionSnapshot): void => this.pushPosition(p);

  constructor(
    private readonly server: Server,
    readonly ctx: EmulatorContext,
    options: WsSideOptions,
  ) {
    this.options = resolveWsOptions(options, ctx.options.pingIntervalMs);
    this.view = new MarketView(ctx.state, ctx.options.seed);
    this.frames = new RealFrames(ctx.state, this.view);
    this.conditions = new ConditionEngine(ctx.state, this.frames, ctx.stats, this.options);
    this.scheduler = new PushScheduler(ctx, this.frames, () => this.sessions, ctx.options.realRate);
    server.on('upgrade', this.onUpgrade);
    ctx.state.on('order', this.onOrder);
    ctx.state.on('position', this.onPosition);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '').split('?')[0];
    if (path !== WS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.sessions.add(new Session(ws, socket, this));
      this.ctx.stats.wsSessions = this.sessions.size;
    });
  }

  loggedIn(session: Session): void {
    // A socket that logs in again under another app key leaves its old slot.
    for (const [appkey, s] of this.byAppkey) if (s === session && appkey !== session.appkey) this.byAppkey.delete(appkey);
    const previous = this.byAppkey.get(session.appkey);
    if (previous && previous !== session) previous.end(SYSTEM.duplicateSession);
    this.byAppkey.set(session.appkey, session);
    this.scheduler.invalidate();
  }

  closed(session: Session): void {
    this.sessions.delete(session);
    if (this.byAppkey.get(session.appkey) === session) this.byAppkey.delete(session.appkey);
    this.conditions.forget(session);
    this.ctx.stats.wsSessions = this.sessions.size;
    this.scheduler.invalidate();
  }

  subscriptionsChanged(): void {
    this.scheduler.invalidate();
  }

  /** Sessions of `account` that registered `type`. */
  private *subscribers(account: string, type: string): Generator<Session> {
    for (const s of this.sessions) if (s.isLoggedIn && s.account === account && s.subs.hasType(type)) yield s;
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
    for (const s of [...this.sessions]) s.terminate();
  }

  kickAll(): void {
    for (const s of [...this.sessions]) s.end(SYSTEM.duplicateSession);
  }

  setRate(framesPerSecond: number): void {
    this.scheduler.setRate(framesPerSecond);
  }

  held(): WsSessionHeld[] {
    return [...this.sessions]
      .filter((s) => s.isLoggedIn)
      .map((s) => ({ account: s.account, groups: s.subs.snapshot(), realtimeConditions: [...s.realtime.keys()].sort() }));
  }

  async close(): Promise<void> {
    this.server.off('upgrade', this.onUpgrade);
    this.ctx.state.off('order', this.onOrder);
    this.ctx.state.off('position', this.onPosition);
    this.scheduler.stop();
    this.conditions.stop();
    this.view.detach();
    this.dropAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/**
 * Attaches the WebSocket side to the emulator's HTTP server (upgrades on other paths get 404).
 * @param options tunables beyond {@link EmulatorContext.options} (REG item cap, condition limit, ...).
 */
export function attachWebSocket(server: Server, ctx: EmulatorContext, options: WsSideOptions = {}): WsSide {
  return new WsHub(server, ctx, options);
}
