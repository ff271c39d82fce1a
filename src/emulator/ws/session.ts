/**
 * One WebSocket connection on the server side of Kiwoom's protocol: LOGIN first, the PING
 * cadence, the single send path where the stall and garble faults apply, and requests handed
 * in order to a {@link SessionService}. This is the protocol layer shared by the emulator
 * (whose service is the simulated market) and the gateway (whose service is the upstream).
 */
import type { Duplex } from 'node:stream';
import type { WebSocket, RawData } from 'ws';
import { LIVE_WS } from '../../compat/live.js';
import type { TokenVerifier, WsFaultSwitches } from '../context.js';
import { LOGIN_FAILED, LOGIN_OK, PING, refusal, reply, SYSTEM, systemFrame, type SystemNotice } from './protocol.js';
import { Subscriptions } from './subscriptions.js';

/** A request's JSON object. */
export type Message = Record<string, unknown>;

/** The reply frame to a request, now or once the service has it. */
export type Reply = string | Promise<string>;

/** What answers a logged-in session's requests. Replies leave in the order the requests came. */
export interface SessionService {
  /** REG (`isRemove` false) or REMOVE; on success the service has applied it to `session.subs`. */
  registration(session: Session, msg: Message, isRemove: boolean): Reply;
  /** CNSRLST. */
  conditionList(session: Session): Reply;
  /** CNSRREQ. */
  conditionRequest(session: Session, msg: Message): Reply;
  /** CNSRCLR. */
  conditionClear(session: Session, msg: Message): Reply;
}

/** How the server treats each connection. */
export interface SessionSettings {
  /** Interval between the server's PINGs. */
  pingIntervalMs: number;
  /** Unanswered PINGs after which the session is closed with R10002. */
  maxMissedPings: number;
  /** A socket that has not logged in after this many ms gets R10004. */
  loginTimeoutMs: number;
  /** The LOGIN answer leaves this long after the LOGIN (live: about 20 ms); 0 (default) answers at once. */
  loginDelayMs?: number;
  /** REAL pushes skip a socket whose send buffer holds more than this. */
  highWaterBytes: number;
}

/** What a session needs from the server that owns it. */
export interface SessionHost {
  readonly tokens: TokenVerifier;
  readonly faults: WsFaultSwitches;
  readonly settings: SessionSettings;
  readonly service: SessionService;
  /** A LOGIN succeeded: the host ends any other session of the same app key. */
  loggedIn(session: Session): void;
  closed(session: Session): void;
  /** The protocol layer refused a request with this return_code (100013 before LOGIN, 1 malformed). */
  refused(rc: number): void;
}

type Frame = string | Buffer;

/** Garbled frames alternate between cut short and not JSON at all. */
function garble(frame: Frame, n: number): string {
  const text = frame.toString();
  return n % 2 === 0 ? text.slice(0, Math.max(1, Math.floor(text.length / 2))) : `{trnm:${text.slice(1, 24)}`;
}

export class Session {
  appkey = '';
  account = '';
  isLoggedIn = false;
  readonly subs = new Subscriptions();
  /** Condition seqs running in real time → the codes currently matching. */
  readonly realtime = new Map<string, Set<string>>();
  /** CNSRLST was called (the doc requires it before real-time CNSRREQ). */
  listedConditions = false;
  private unanswered = 0;
  private closedAlready = false;
  private readonly held: Frame[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private readonly loginTimer: NodeJS.Timeout;
  private loginAnswer: NodeJS.Timeout | undefined;
  private dropTimer: NodeJS.Timeout | undefined;
  /** Dropped at once after the LOGIN answer (the dropAfterLogin(0) fault): nothing more is answered. */
  private doomed = false;
  /** Requests whose replies are still owed; a later request waits behind them. */
  private owed = 0;
  private tail: Promise<void> = Promise.resolve();

  private readonly handlers: Readonly<Record<string, (m: Message) => Reply | undefined>> = {
    LOGIN: (m) => {
      this.onLogin(m);
      return undefined;
    },
    PING: () => {
      this.unanswered = 0;
      return undefined;
    },
    REG: (m) => this.host.service.registration(this, m, false),
    REMOVE: (m) => {
      const answer = this.host.service.registration(this, m, true);
      return this.withholdRemoveAck() ? undefined : answer;
    },
    CNSRLST: () => {
      this.listedConditions = true;
      return this.host.service.conditionList(this);
    },
    CNSRREQ: (m) => this.host.service.conditionRequest(this, m),
    CNSRCLR: (m) => this.host.service.conditionClear(this, m),
  };

  constructor(
    readonly ws: WebSocket,
    /** The upgraded TCP socket under `ws`, corked around batches of pushes. */
    private readonly socket: Duplex,
    private readonly host: SessionHost,
  ) {
    ws.on('message', (data) => this.onMessage(data));
    ws.on('close', () => this.onClose());
    ws.on('error', () => ws.terminate());
    this.loginTimer = setTimeout(() => {
      if (!this.isLoggedIn) this.end(SYSTEM.noLogin);
    }, host.settings.loginTimeoutMs);
    this.loginTimer.unref();
  }

  /** True when the client is not reading fast enough: REAL pushes should wait. */
  get congested(): boolean {
    return this.ws.bufferedAmount > this.host.settings.highWaterBytes;
  }

  /**
   * Holds writes until {@link uncork}: a batch of frames then leaves in one write instead of a
   * system call per frame, which is what limits the push rate otherwise.
   */
  cork(): void {
    this.socket.cork();
  }

  uncork(): void {
    this.socket.uncork();
  }

  /**
   * Sends a frame through the fault switches. During a stall, replies are held and sent when it
   * ends while REAL and PING frames are dropped (as a dead link would lose them).
   * @returns whether the frame went out.
   */
  send(frame: Frame, droppable = false): boolean {
    if (this.ws.readyState !== this.ws.OPEN) return false;
    const faults = this.host.faults;
    const wait = faults.stallUntil - Date.now();
    if (wait > 0) {
      if (droppable) return false;
      this.held.push(frame);
      this.flushTimer ??= setTimeout(() => this.flush(), wait);
      return false;
    }
    if (faults.garbleFrames > 0) {
      faults.garbleFrames--;
      this.ws.send(garble(frame, faults.garbleFrames), { binary: false });
      return true;
    }
    // Kiwoom sends text frames; cached frames are Buffers, so say text explicitly.
    this.ws.send(frame, { binary: false });
    return true;
  }

  private flush(): void {
    this.flushTimer = undefined;
    const wait = this.host.faults.stallUntil - Date.now();
    if (wait > 0) {
      this.flushTimer = setTimeout(() => this.flush(), wait);
      return;
    }
    for (const f of this.held.splice(0)) this.send(f);
  }

  /** Sends a SYSTEM notice, then closes. */
  end(notice: SystemNotice): void {
    this.send(systemFrame(notice));
    this.ws.close(1000);
  }

  private onMessage(data: RawData): void {
    if (this.doomed) return;
    let msg: Message;
    try {
      const parsed: unknown = JSON.parse(data.toString());
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not an object');
      msg = parsed as Message;
    } catch {
      if (!this.isLoggedIn) this.end(SYSTEM.noLogin);
      else this.refuse(reply('ERROR', 'JSON 형식이 올바르지 않습니다'), 1);
      return;
    }
    const trnm = typeof msg['trnm'] === 'string' ? msg['trnm'] : '';
    if (!this.isLoggedIn && trnm !== 'LOGIN') {
      // Live: refused with 100013 and dropped while the socket stays open; a
      // socket that never logs in still meets the R10004 timer.
      this.refuse(refusal(trnm || 'ERROR', LIVE_WS.codes.loginFirst), LIVE_WS.codes.loginFirst.rc);
      return;
    }
    const handler = Object.hasOwn(this.handlers, trnm) ? this.handlers[trnm] : undefined;
    if (handler) this.serve(trnm, () => handler(msg));
    else this.refuse(reply(trnm || 'ERROR', `지원하지 않는 trnm입니다 (trnm=${trnm})`), 1);
  }

  /** The withholdRemoveAcks fault: this REMOVE was applied and gets no answer. */
  private withholdRemoveAck(): boolean {
    const faults = this.host.faults;
    if ((faults.withholdRemoveAcks ?? 0) <= 0) return false;
    faults.withholdRemoveAcks = (faults.withholdRemoveAcks ?? 0) - 1;
    return true;
  }

  private refuse(frame: string, rc: number): void {
    this.host.refused(rc);
    this.serve('ERROR', () => frame);
  }

  /**
   * Runs a request now when no reply is owed (the emulator's synchronous replies leave at once),
   * else behind the owed ones, so that replies keep the order of the requests: Kiwoom's replies
   * carry no request id, and clients pair them by trnm in order.
   */
  private serve(trnm: string, handle: () => Reply | undefined): void {
    if (this.owed === 0) {
      const r = handle();
      if (r === undefined) return;
      if (typeof r === 'string') {
        this.send(r);
        return;
      }
      this.queue(trnm, () => r);
      return;
    }
    this.queue(trnm, handle);
  }

  private queue(trnm: string, handle: () => Reply | undefined): void {
    this.owed++;
    this.tail = this.tail.then(async () => {
      try {
        const r = await handle();
        if (r !== undefined) this.send(r);
      } catch (err) {
        // A service that fails answers the request rather than leaving the client waiting.
        this.send(reply(trnm, err instanceof Error ? err.message : String(err)));
      } finally {
        this.owed--;
      }
    });
  }

  /** The answer leaves `loginDelayMs` later, as live: a client that does not wait for it is refused. */
  private onLogin(msg: Message): void {
    const delay = this.host.settings.loginDelayMs ?? 0;
    if (delay <= 0) return this.answerLogin(msg);
    clearTimeout(this.loginAnswer);
    this.loginAnswer = setTimeout(() => this.answerLogin(msg), delay);
  }

  private answerLogin(msg: Message): void {
    this.loginAnswer = undefined;
    if (this.closedAlready) return;
    const faults = this.host.faults;
    const token = msg['token'];
    let ok = false;
    if (faults.rejectLogins > 0) {
      faults.rejectLogins--;
    } else if (typeof token === 'string' && token !== '') {
      const check = this.host.tokens.verify(token);
      if (check.ok) {
        ok = true;
        this.appkey = check.appkey;
        this.account = check.account;
      }
    }
    if (!ok) {
      this.send(LOGIN_FAILED);
      this.ws.close(1000);
      return;
    }
    const first = !this.isLoggedIn;
    this.isLoggedIn = true;
    clearTimeout(this.loginTimer);
    this.host.loggedIn(this);
    this.send(LOGIN_OK);
    if (first) this.startPings();
    const drop = faults.dropAfterLogin;
    if (drop !== undefined) {
      // A request that reached the socket before the timer fired must not be answered either.
      this.doomed = drop.ms === 0;
      this.dropTimer = setTimeout(() => (drop.with === 'R10002' ? this.end(SYSTEM.heartbeatMissing) : this.terminate()), drop.ms);
    }
  }

  private startPings(): void {
    this.pingTimer = setInterval(() => {
      if (this.unanswered >= this.host.settings.maxMissedPings) {
        this.end(SYSTEM.heartbeatMissing);
        return;
      }
      if (this.send(PING, true)) this.unanswered++;
    }, this.host.settings.pingIntervalMs);
    this.pingTimer.unref();
  }

  private onClose(): void {
    if (this.closedAlready) return;
    this.closedAlready = true;
    clearTimeout(this.loginTimer);
    clearTimeout(this.loginAnswer);
    clearTimeout(this.dropTimer);
    clearInterval(this.pingTimer);
    clearTimeout(this.flushTimer);
    this.host.closed(this);
  }

  /** Stops timers and drops the socket without a closing handshake. */
  terminate(): void {
    this.ws.terminate();
    this.onClose();
  }
}
