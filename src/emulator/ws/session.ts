/**
 * One WebSocket connection: LOGIN first, PING cadence, REG/REMOVE and condition-search
 * requests, and the single send path where the stall and garble faults apply.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket, RawData } from 'ws';
import type { EmulatorContext } from '../context.js';
import type { ConditionEngine } from './conditions.js';
import { LOGIN_FAILED, LOGIN_OK, PING, reply, SYSTEM, systemFrame, type SystemNotice } from './protocol.js';
import { parseRegistration, Subscriptions } from './subscriptions.js';
import type { WsSideOptions } from './options.js';

/** What a session needs from the WebSocket side that owns it. */
export interface SessionHost {
  readonly ctx: EmulatorContext;
  readonly options: Required<WsSideOptions>;
  readonly conditions: ConditionEngine;
  /** A LOGIN succeeded: the host ends any other session of the same app key. */
  loggedIn(session: Session): void;
  closed(session: Session): void;
  subscriptionsChanged(): void;
}

type Frame = string | Buffer;
type Message = Record<string, unknown>;

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

  private readonly handlers: Readonly<Record<string, (m: Message) => void>> = {
    LOGIN: (m) => this.onLogin(m),
    PING: () => {
      this.unanswered = 0;
    },
    REG: (m) => this.onRegistration(m, false),
    REMOVE: (m) => this.onRegistration(m, true),
    CNSRLST: () => {
      this.listedConditions = true;
      this.send(this.host.conditions.listReply());
    },
    CNSRREQ: (m) => this.send(this.host.conditions.request(this, m)),
    CNSRCLR: (m) => this.send(this.host.conditions.clear(this, m)),
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
    }, host.options.loginTimeoutMs);
    this.loginTimer.unref();
  }

  /** True when REAL pushes should wait: the client is not reading fast enough. */
  get congested(): boolean {
    return this.ws.bufferedAmount > this.host.options.highWaterBytes;
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
    const faults = this.host.ctx.wsFaults;
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
    const wait = this.host.ctx.wsFaults.stallUntil - Date.now();
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
    let msg: Message;
    try {
      const parsed: unknown = JSON.parse(data.toString());
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not an object');
      msg = parsed as Message;
    } catch {
      if (!this.isLoggedIn) this.end(SYSTEM.noLogin);
      else this.send(reply('ERROR', 'JSON 형식이 올바르지 않습니다'));
      return;
    }
    const trnm = typeof msg['trnm'] === 'string' ? msg['trnm'] : '';
    if (!this.isLoggedIn && trnm !== 'LOGIN') {
      this.end(SYSTEM.noLogin);
      return;
    }
    const handler = Object.hasOwn(this.handlers, trnm) ? this.handlers[trnm] : undefined;
    if (handler) handler(msg);
    else this.send(reply(trnm || 'ERROR', `지원하지 않는 trnm입니다 (trnm=${trnm})`));
  }

  private onLogin(msg: Message): void {
    const faults = this.host.ctx.wsFaults;
    const token = msg['token'];
    let ok = false;
    if (faults.rejectLogins > 0) {
      faults.rejectLogins--;
    } else if (typeof token === 'string' && token !== '') {
      const check = this.host.ctx.tokens.verify(token);
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
  }

  private startPings(): void {
    this.pingTimer = setInterval(() => {
      if (this.unanswered >= this.host.options.maxMissedPings) {
        this.end(SYSTEM.heartbeatMissing);
        return;
      }
      if (this.send(PING, true)) this.unanswered++;
    }, this.host.ctx.options.pingIntervalMs);
    this.pingTimer.unref();
  }

  private onRegistration(msg: Message, isRemove: boolean): void {
    const trnm = isRemove ? 'REMOVE' : 'REG';
    const parsed = parseRegistration(msg, this.host.ctx.state, this.host.options.maxItemsPerReg, isRemove);
    if (!parsed.ok) {
      this.send(reply(trnm, parsed.error));
      return;
    }
    if (isRemove) this.subs.remove(parsed.grp, parsed.pairs);
    else this.subs.register(parsed.grp, parsed.refresh, parsed.pairs);
    this.host.subscriptionsChanged();
    this.send(reply(trnm, undefined));
  }

  private onClose(): void {
    if (this.closedAlready) return;
    this.closedAlready = true;
    clearTimeout(this.loginTimer);
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
