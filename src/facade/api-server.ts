/**
 * `APIServer`: the OCX programming surface (method names, argument order, return codes and
 * event signatures as KHOpenAPI has them) over Kiwoom REST + WebSocket or the built-in
 * emulator. Thin on purpose: each method checks its state and hands over to one translation
 * module; refusals become the OCX return code plus an OnReceiveMsg that names the argument.
 */
import { EventEmitter } from 'eventemitter3';
import { getChejan } from '../compat/chejan.js';
import { attachEmulator } from '../emulator/attached.js';
import type { Logger } from '../log.js';
import type { RealEvent } from '../realtime/index.js';
import { num, text } from './args.js';
import { ChejanBook } from './chejan.js';
import { Conditions } from './conditions.js';
import { openConnection, type ApiInitOptions, type Connection } from './connection.js';
import type { APIServerEvents, FidValues } from './events.js';
import { Master } from './master.js';
import { Orders } from './orders.js';
import { CHEJAN_GROUP, RealData } from './real-data.js';
import { Reconciler } from './reconcile.js';
import { failed, isRefusal, refuse, type Refusal } from './refusal.js';
import { FACADE } from './tables.js';
import { TrQueries } from './tr-query.js';
import type { OrderType } from './literals.js';

/** The last refusal of any method: its OCX code and message. */
export interface LastError {
  method: string;
  code: number;
  message: string;
}

/** Everything that exists between CommConnect and cleanup. */
interface Session {
  conn: Connection;
  real: RealData;
  chejan: ChejanBook;
  conditions: Conditions;
  master: Master;
  trq: TrQueries;
  orders: Orders;
  reconciler: Reconciler;
  /** Filled in place by CommConnect (the order checks read the same array). */
  accounts: string[];
  connected: boolean;
}

const EMPTY: FidValues = Object.freeze({});

/**
 * The legacy `APIServer`, on Kiwoom REST.
 *
 * ```ts
 * const api = new APIServer();
 * await api.api_init({ sim_no: 1, use_rest: false });   // the built-in emulator
 * api.on('OnReceiveChejanData', (gubun) => console.log(gubun, api.GetChejanData(9203)));
 * await api.CommConnect();
 * const [accno] = api.GetLoginInfo('ACCNO').split(';');
 * await api.SendOrder('buy', '2000', accno, 1, '005930', 1, 0, '03', '');
 * await api.cleanup();
 * ```
 */
export class APIServer extends EventEmitter<APIServerEvents> {
  private session: Session | undefined;
  private chejanValues: FidValues = EMPTY;
  private lastErr: LastError | undefined;
  private cleaning: Promise<void> | undefined;

  /** Chooses the backend (DESIGN.md table) and builds the clients; nothing is sent yet. */
  async api_init(options: ApiInitOptions): Promise<void> {
    if (this.session !== undefined) await this.cleanup();
    this.session = undefined;
    this.cleaning = undefined;
    const conn = await openConnection(options);
    attachEmulator(this, conn.emulator);
    this.session = this.build(conn);
  }

  /** The logger in use (api_init's), for the bridge and the CLI. */
  get logger(): Logger | undefined {
    return this.session?.conn.logger;
  }

  /** `'production' | 'mock' | 'emulator'` after api_init. */
  get domain(): Connection['domain'] | undefined {
    return this.session?.conn.domain;
  }

  /** The last refusal (code and message) of any method. */
  GetLastError(): LastError | undefined {
    return this.lastErr;
  }

  // ------------------------------------------------------------------ login

  /**
   * CommConnect: token, WebSocket LOGIN, chejan registration, account list; then
   * OnEventConnect(0). With `block` (default) it resolves after the event; otherwise at once
   * with 0. Failures raise OnEventConnect with the OCX code (-100 auth, -101 connection).
   */
  async CommConnect(block = true): Promise<number> {
    const s = this.session;
    if (s === undefined) return this.fail('CommConnect', refuse('OP_ERR_CONNECT', 'call api_init before CommConnect'));
    const run = this.connect(s);
    if (!block) {
      run.catch(() => undefined);
      return 0;
    }
    return run;
  }

  /** 1 when connected, 0 otherwise. */
  GetConnectState(): number {
    const s = this.session;
    return s !== undefined && s.connected && s.conn.rt.state !== 'closed' ? 1 : 0;
  }

  /** ACCOUNT_CNT, ACCNO / ACCLIST (`;`-joined with a trailing `;`), USER_ID, USER_NAME, GetServerGubun ("1" paper trading). */
  GetLoginInfo(tag: string): string {
    tag = text(tag);
    const s = this.session;
    const accounts = s?.accounts ?? [];
    switch (tag) {
      case 'ACCOUNT_CNT':
        return String(accounts.length);
      case 'ACCNO':
      case 'ACCLIST':
        return accounts.map((a) => `${a};`).join('');
      case 'GetServerGubun':
        return s !== undefined && s.conn.domain !== 'production' ? '1' : '';
      case 'USER_ID':
      case 'USER_NAME':
        // Kiwoom REST has no user profile: the account stands in for the id.
        return accounts[0] ?? '';
      default:
        return Object.hasOwn(FACADE.loginInfo, tag) ? (FACADE.loginInfo[tag] ?? '') : '';
    }
  }

  // ------------------------------------------------------------------ orders

  /** SendOrder(rqname, screen, accno, orderType 1..6, code, qty, price, hoga, orgOrderNo): 0 or an OP_ERR code. */
  async SendOrder(rqname: string, screen: string, accno: string, orderType: OrderType, code: string, qty: number, price: number, hoga: string, orgOrderNo: string): Promise<number> {
    const s = this.ready('SendOrder');
    if (isRefusal(s)) return this.fail('SendOrder', s, screen, rqname);
    return this.outcome('SendOrder', await s.orders.send({ rqname: text(rqname), screen: text(screen), accno: text(accno), orderType: num(orderType), code: text(code), qty: num(qty), price: num(price), hoga: text(hoga), orgOrderNo: text(orgOrderNo) }), screen, rqname);
  }

  /** SendOrderCredit(rqname, screen, accno, orderType, code, qty, price, hoga, creditGb, loanDate, orgOrderNo). */
  async SendOrderCredit(rqname: string, screen: string, accno: string, orderType: OrderType, code: string, qty: number, price: number, hoga: string, creditGb: string, loanDate: string, orgOrderNo: string): Promise<number> {
    const s = this.ready('SendOrderCredit');
    if (isRefusal(s)) return this.fail('SendOrderCredit', s, screen, rqname);
    return this.outcome('SendOrderCredit', await s.orders.send({ rqname: text(rqname), screen: text(screen), accno: text(accno), orderType: num(orderType), code: text(code), qty: num(qty), price: num(price), hoga: text(hoga), orgOrderNo: text(orgOrderNo), credit: { creditGb: text(creditGb), loanDate: text(loanDate) } }), screen, rqname);
  }

  /** GetChejanData(fid): the value in the OnReceiveChejanData event being handled ("" when none). */
  GetChejanData(fid: number | string): string {
    const key = text(fid);
    return Object.hasOwn(this.chejanValues, key) ? (this.chejanValues[key] ?? '') : '';
  }

  // ------------------------------------------------------------------ real data

  /** SetRealReg(screen, "code;code", "fid;fid", optType "0" replace | "1" add): 0 once registered. */
  async SetRealReg(screen: string, codeList: string, fidList: string, optType: string): Promise<number> {
    const s = this.ready('SetRealReg');
    if (isRefusal(s)) return this.fail('SetRealReg', s, screen);
    return this.guarded('SetRealReg', 'realtime', () => s.real.setRealReg(text(screen), text(codeList), text(fidList), text(optType)), screen);
  }

  /** SetRealRemove(screen | "ALL", code | "ALL"). */
  async SetRealRemove(screen: string, code: string): Promise<number> {
    const s = this.ready('SetRealRemove');
    if (isRefusal(s)) return this.fail('SetRealRemove', s);
    return this.guarded('SetRealRemove', 'realtime', () => s.real.setRealRemove(text(screen), text(code)));
  }

  /** DisconnectRealData(screen): every registration of that screen. */
  async DisconnectRealData(screen: string): Promise<number> {
    const s = this.ready('DisconnectRealData');
    if (isRefusal(s)) return this.fail('DisconnectRealData', s);
    return this.guarded('DisconnectRealData', 'realtime', () => s.real.disconnect(text(screen)));
  }

  /** GetCommRealData(code, fid): the latest value of that FID for the code. */
  GetCommRealData(code: string, fid: number | string): string {
    return this.session?.real.value(text(code), text(fid)) ?? '';
  }

  // ------------------------------------------------------------------ conditions

  /** GetConditionLoad: 1 after OnReceiveConditionVer(1, msg), 0 on failure. */
  async GetConditionLoad(): Promise<number> {
    const s = this.ready('GetConditionLoad');
    if (isRefusal(s)) {
      this.fail('GetConditionLoad', s);
      return 0;
    }
    return s.conditions.load();
  }

  /** GetConditionNameList: `"000^name;001^name;"`. */
  GetConditionNameList(): string {
    return this.session?.conditions.nameList() ?? '';
  }

  /** SendCondition(screen, name, index, search 0 once | 1 real-time): 1 when sent, 0 when refused (as the OCX). */
  async SendCondition(screen: string, name: string, index: number, search: number): Promise<number> {
    const s = this.ready('SendCondition');
    if (isRefusal(s)) {
      this.fail('SendCondition', s, screen);
      return 0;
    }
    const r = await this.guarded('SendCondition', 'condition', () => s.conditions.send(text(screen), text(name), num(index), num(search)), screen);
    return r === 0 ? 1 : 0;
  }

  /** SendConditionStop(screen, name, index). */
  async SendConditionStop(screen: string, name: string, index: number): Promise<number> {
    const s = this.ready('SendConditionStop');
    if (isRefusal(s)) return this.fail('SendConditionStop', s, screen);
    return this.guarded('SendConditionStop', 'condition', () => s.conditions.stop(text(screen), text(name), num(index)), screen);
  }

  // ------------------------------------------------------------------ TR queries

  /** SetInputValue(name, value) for the next CommRqData. */
  SetInputValue(name: string, value: string): void {
    this.session?.trq.setInput(text(name), text(value));
  }

  /** CommRqData(rqname, trcode, prevNext 0 | 2, screen): 0 after OnReceiveTrData, or an OP_ERR code. */
  async CommRqData(rqname: string, trcode: string, prevNext: number, screen: string): Promise<number> {
    const s = this.ready('CommRqData');
    if (isRefusal(s)) return this.fail('CommRqData', s, screen, rqname, trcode);
    return this.outcome('CommRqData', await s.trq.request(text(rqname), text(trcode), num(prevNext), text(screen)), screen, rqname, trcode);
  }

  /** GetCommData(trcode, rqname, index, item) by Korean output name. */
  GetCommData(trcode: string, rqname: string, index: number, item: string): string {
    return this.session?.trq.data(text(trcode), text(rqname), num(index), text(item)) ?? '';
  }

  /** GetRepeatCnt(trcode, rqname): rows of the repeated record (0 for single-only TRs). */
  GetRepeatCnt(trcode: string, rqname: string): number {
    return this.session?.trq.repeatCount(text(trcode), text(rqname)) ?? 0;
  }

  // ------------------------------------------------------------------ master

  /** GetMasterCodeName(code): "" for an unknown code. Async: the master is REST's ka10099, cached for the day. */
  async GetMasterCodeName(code: string): Promise<string> {
    const s = this.ready('GetMasterCodeName');
    if (isRefusal(s)) return '';
    try {
      return await s.master.name(text(code));
    } catch (err) {
      this.fail('GetMasterCodeName', failed(err, 'query'));
      return '';
    }
  }

  /** GetCodeListByMarket(market): `"005930;000660;"` ("0" KOSPI, "10" KOSDAQ, "8" ETF, "" all). Async like GetMasterCodeName. */
  async GetCodeListByMarket(market: string): Promise<string> {
    const s = this.ready('GetCodeListByMarket');
    if (isRefusal(s)) return '';
    try {
      const r = await s.master.codeList(text(market, String(market)));
      if (isRefusal(r)) {
        this.fail('GetCodeListByMarket', r);
        return '';
      }
      return r;
    } catch (err) {
      this.fail('GetCodeListByMarket', failed(err, 'query'));
      return '';
    }
  }

  // ------------------------------------------------------------------ cleanup

  /**
   * Removes every registration, stops real-time conditions, revokes the token, closes the
   * socket and the in-process emulator. Calling it again is harmless.
   */
  cleanup(): Promise<void> {
    this.cleaning ??= this.teardown();
    return this.cleaning;
  }

  // ------------------------------------------------------------------ internals

  private build(conn: Connection): Session {
    const warn = (m: string): void => conn.logger.warn(m);
    const chejanFids = getChejan('0')?.fids ?? [];
    const chejan = new ChejanBook((gubun, fids) => {
      this.chejanValues = fids;
      this.emit('OnReceiveChejanData', gubun, fids);
    }, chejanFids);
    const emit = this.emit.bind(this) as <K extends keyof APIServerEvents>(event: K, ...args: APIServerEvents[K]) => boolean;
    const trq = new TrQueries(conn.rest, emit, warn);
    const master = new Master(conn.rest);
    const accounts: string[] = [];
    const reconciler = new Reconciler(conn.rest, chejan, () => accounts[0] ?? '', conn.logger);
    const orders = new Orders(conn.rest, chejan, trq, master, {
      accounts: () => accounts,
      isMock: () => conn.domain !== 'production',
      reconcile: () => reconciler.run(),
      msg: (screen, rqname, trcode, msg) => this.emit('OnReceiveMsg', screen, rqname, trcode, msg),
    });
    const s: Session = {
      conn,
      real: new RealData(conn.rt, warn),
      chejan,
      conditions: new Conditions(conn.rt, emit),
      master,
      trq,
      orders,
      reconciler,
      accounts,
      connected: false,
    };
    const onReal = (ev: RealEvent): void => this.onReal(s, ev);
    conn.rt.on('real', onReal);
    conn.rt.on('condition', (ev) => s.conditions.onCondition(ev));
    conn.rt.on('disconnected', (info) => {
      if (info.willReconnect) reconciler.onDisconnected();
      else reconciler.endGap();
    });
    conn.rt.on('reconnected', (gapMs) => {
      conn.logger.info({ gapMs }, 'WebSocket back after a gap: reconciling orders and fills');
      void reconciler.onReconnected();
    });
    conn.rt.on('error', (err) => {
      conn.logger.error({ err: err.message }, 'real-time session error');
      // The session stopped for good (another login took it, or the auth circuit opened): say so
      // on the OCX's message channel; GetConnectState now reads 0.
      if (conn.rt.state === 'closed') this.emit('OnReceiveMsg', '', '', '', `실시간 연결 종료: ${err.message}`);
    });
    return s;
  }

  /** The REAL hot path: chejan types to the state machine, the rest straight to the consumer. */
  private onReal(s: Session, ev: RealEvent): void {
    const type = ev.type;
    if (type === '00') return s.chejan.onOrderFrame(ev.values);
    if (type === '04') return s.chejan.onBalanceFrame(ev.values);
    const name = s.real.accept(type, ev.item, ev.values);
    if (name !== undefined) this.emit('OnReceiveRealData', ev.item, name, ev.values);
  }

  private async connect(s: Session): Promise<number> {
    try {
      await s.conn.rest.token();
      await s.conn.rt.connect();
      await s.conn.rt.register(CHEJAN_GROUP, [''], ['00', '04'], true);
      const { body } = await s.conn.rest.call('ka00001', {});
      const acct = String(body['acctNo'] ?? '').trim();
      s.accounts.splice(0, s.accounts.length, ...(acct === '' ? [] : [acct]));
      s.connected = true;
      this.emit('OnEventConnect', 0);
      return 0;
    } catch (err) {
      const refusal = failed(err, 'login');
      s.conn.logger.error({ err: refusal.message }, 'CommConnect failed');
      this.lastErr = { method: 'CommConnect', code: refusal.code, message: refusal.message };
      this.emit('OnEventConnect', refusal.code);
      return refusal.code;
    }
  }

  private ready(method: string): Session | Refusal {
    const s = this.session;
    if (s === undefined) return refuse('OP_ERR_CONNECT', `call api_init and CommConnect before ${method}`);
    if (!s.connected) return refuse('OP_ERR_CONNECT', `not connected (${this.cleaning ? 'cleanup() was called' : `CommConnect before ${method}`})`);
    if (s.conn.rt.state === 'closed') return refuse('OP_ERR_SOCKET_CLOSED', `the real-time session has ended (see the OnReceiveMsg before); call CommConnect again after api_init`);
    return s;
  }

  /** Runs a translation step that may refuse or throw (wire failures become OCX codes). */
  private async guarded(method: string, context: 'realtime' | 'condition', step: () => Promise<Refusal | undefined>, screen = ''): Promise<number> {
    try {
      return this.outcome(method, await step(), screen);
    } catch (err) {
      return this.fail(method, failed(err, context), screen);
    }
  }

  private outcome(method: string, r: Refusal | undefined, screen = '', rqname = '', trcode = ''): number {
    return r === undefined ? 0 : this.fail(method, r, screen, rqname, trcode);
  }

  /** Records a refusal, reports it as OnReceiveMsg (the OCX's channel for server text) and returns its code. */
  private fail(method: string, r: Refusal, screen = '', rqname = '', trcode = ''): number {
    const message = `${method}: ${r.message} (${r.code})`;
    this.lastErr = { method, code: r.code, message };
    this.session?.conn.logger.warn(message);
    this.emit('OnReceiveMsg', screen, rqname, trcode, message);
    return r.code;
  }

  private async teardown(): Promise<void> {
    const s = this.session;
    if (s === undefined) return;
    const { conn } = s;
    const quietly = async (what: string, step: () => Promise<unknown>): Promise<void> => {
      try {
        await step();
      } catch (err) {
        conn.logger.debug({ err: err instanceof Error ? err.message : String(err) }, `cleanup: ${what} failed`);
      }
    };
    if (s.connected) {
      await quietly('remove registrations', () => s.real.removeAll());
      await quietly('stop conditions', () => s.conditions.clear());
      await quietly('remove chejan group', () => conn.rt.remove(CHEJAN_GROUP));
    }
    s.connected = false;
    await quietly('close WebSocket', () => conn.rt.close());
    await quietly('revoke token', () => conn.rest.revoke());
    await quietly('close REST client', () => conn.rest.close());
    if (conn.emulator !== undefined) await quietly('stop emulator', () => conn.emulator?.close() ?? Promise.resolve());
    conn.rt.removeAllListeners();
  }
}

