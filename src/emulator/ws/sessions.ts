/**
 * The server side of Kiwoom's WebSocket at `/api/dostk/websocket`, without the market: the
 * upgrade (404 on other paths), the set of open sessions, and one logged-in session per app
 * key (`SYSTEM R10001` to the older one). The emulator and the gateway each attach one to
 * their HTTP server and give it the {@link SessionService} that answers requests.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { TokenVerifier, WsFaultSwitches } from '../context.js';
import { SYSTEM, WS_PATH } from './protocol.js';
import { Session, type SessionHost, type SessionService, type SessionSettings } from './session.js';

/** Frames larger than this close the socket (Kiwoom's requests are a few kB). */
const MAX_PAYLOAD = 1 << 20;

/** What a {@link SessionServer} serves with. */
export interface SessionServerOptions {
  tokens: TokenVerifier;
  faults: WsFaultSwitches;
  settings: SessionSettings;
  service: SessionService;
  /**
   * Whether a second LOGIN under `appkey` ends the first session with R10001, as Kiwoom does
   * (default: always).
   */
  onePerAppkey?: (appkey: string) => boolean;
  /** A socket was upgraded (not yet logged in). */
  onOpen?: (session: Session) => void;
  /** A session logged in (after the older one of its app key was ended). */
  onLogin?: (session: Session) => void;
  /** A session closed, logged in or not. */
  onClose?: (session: Session) => void;
  /** The protocol layer refused a request (100013 before the LOGIN answer, 1 malformed). */
  onRefused?: (rc: number) => void;
}

export class SessionServer implements SessionHost {
  readonly tokens: TokenVerifier;
  readonly faults: WsFaultSwitches;
  readonly settings: SessionSettings;
  readonly service: SessionService;
  /** Every open socket, logged in or not. */
  readonly sessions = new Set<Session>();
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_PAYLOAD });
  private readonly byAppkey = new Map<string, Session>();
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => this.upgrade(req, socket, head);

  constructor(
    private readonly server: Server,
    private readonly options: SessionServerOptions,
  ) {
    this.tokens = options.tokens;
    this.faults = options.faults;
    this.settings = options.settings;
    this.service = options.service;
    server.on('upgrade', this.onUpgrade);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '').split('?')[0];
    if (path !== WS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new Session(ws, socket, this);
      this.sessions.add(session);
      this.options.onOpen?.(session);
    });
  }

  loggedIn(session: Session): void {
    // A socket that logs in again under another app key leaves its old slot.
    for (const [appkey, s] of this.byAppkey) if (s === session && appkey !== session.appkey) this.byAppkey.delete(appkey);
    if (this.options.onePerAppkey?.(session.appkey) ?? true) {
      const previous = this.byAppkey.get(session.appkey);
      if (previous && previous !== session) previous.end(SYSTEM.duplicateSession);
      this.byAppkey.set(session.appkey, session);
    }
    this.options.onLogin?.(session);
  }

  closed(session: Session): void {
    this.sessions.delete(session);
    if (this.byAppkey.get(session.appkey) === session) this.byAppkey.delete(session.appkey);
    this.options.onClose?.(session);
  }

  refused(rc: number): void {
    this.options.onRefused?.(rc);
  }

  /** Logged-in sessions. */
  *loggedInSessions(): Generator<Session> {
    for (const s of this.sessions) if (s.isLoggedIn) yield s;
  }

  /** Close every socket abruptly (network drop). */
  dropAll(): void {
    for (const s of [...this.sessions]) s.terminate();
  }

  /** SYSTEM R10001 to every session, then close. */
  kickAll(): void {
    for (const s of [...this.sessions]) s.end(SYSTEM.duplicateSession);
  }

  /** Stops accepting upgrades and drops every socket. */
  async close(): Promise<void> {
    this.server.off('upgrade', this.onUpgrade);
    this.dropAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
