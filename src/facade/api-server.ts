/**
 * `APIServer`: the OCX programming surface (its 58 methods and 9 events, named, ordered and
 * typed as KHOpenAPI has them: compat/ocx-api.json) over Kiwoom REST + WebSocket or the built-in
 * emulator. Thin on purpose: each method checks its state and hands over to one translation
 * module; refusals become the OCX return code plus an OnReceiveMsg that names the argument.
 *
 * Calls that reach the server (CommConnect, CommRqData, SendOrder, SetRealReg, ...) return a
 * Promise of the OCX code that resolves after the events they cause; everything else answers at
 * once, as the control did, from what the facade holds (the master loaded at login, the TR
 * answer or real-time event being handled).
 */
import { fileURLToPath } from 'node:url';
import { EventEmitter } from 'eventemitter3';
import { getChejan } from '../compat/chejan.js';
import { attachEmulator } from '../emulator/attached.js';
import { OCX_API_METHODS } from '../compat/ocx-api.js';
import type { Logger } from '../log.js';
import type { RealEvent } from '../realtime/index.js';
import { list, num, text } from './args.js';
import { ChejanBook } from './chejan.js';
import { Conditions, quotePrices } from './conditions.js';
import { openConnection, type ApiInitOptions, type Connection } from './connection.js';
import type { APIServerEvents } from './events.js';
import { chejanData } from './fid-record.js';
import { koaHandler } from './koa-functions.js';
import { Master } from './master.js';
import { loadMaster } from './master-load.js';
import { Orders, type OrderOutcome } from './orders.js';
import { CHEJAN_GROUP, RealData, realFidByName } from './real-data.js';
import { Reconciler } from './reconcile.js';
import { failed, isRefusal, opCode, refuse, type OpErrName, type Refusal } from './refusal.js';
import { FACADE } from './tables.js';
import { TrQueries } from './tr-query.js';
import type { TrSnapshot } from './tr-result.js';
import type { OrderType } from './literals.js';
import { tapQuotes } from './quote-text.js';

/** The last refusal of any method: its OCX code and message. */
export interface LastError {
  method: string;
  code: number;
  message: string;
}

/** Everything that exists between api_init and cleanup. */
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
  /**
   * The connection as the OCX reports it, held here once: `idle` until CommConnect succeeds,
   * `ended` when the real-time session stopped for good (another login took it, the auth
   * circuit opened), `closed` from cleanup() on.
   */
  state: 'idle' | 'connected' | 'ended' | 'closed';
  /** Members with no REST counterpart already explained on OnReceiveMsg. */
  explained: Set<string>;
}

const EMPTY_CHEJAN = Object.freeze({});
const CHEJAN_ORDER: Record<string, readonly number[]> = { '0': getChejan('0')?.fids ?? [], '1': getChejan('1')?.fids ?? [] };

/**
 * Like Promise.all, but waits for every step to settle before rejecting with the first
 * failure, so that no step is left running (or rejecting unhandled) after CommConnect answered.
 */
async function allOrFirstError<T extends readonly unknown[]>(steps: readonly [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> {
  const settled = await Promise.allSettled(steps);
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** The package root: what GetAPIModulePath answers (the OCX answered its install directory). */
const MODULE_PATH = fileURLToPath(new URL('../../', import.meta.url)).replace(/[\\/]$/, '');

/**
 * The legacy `APIServer`, on Kiwoom REST.
 *
 * ```ts
 * const api = new APIServer();
 * await api.api_init({ sim_no: 1, use_rest: false });   // the built-in emulator
 * api.on('OnReceiveChejanData', (gubun) => console.log(gubun, api.GetChejanData(9203)));
 * await api.CommConnect();
 * console.log(api.GetMasterCodeName('005930'));          // answered at once, like the OCX
 * const [accno] = api.GetLoginInfo('ACCNO').split(';');
 * await api.SendOrder('buy', '2000', accno, 1, '005930', 1, 0, '03', '');
 * await api.cleanup();
 * ```
 */
export class APIServer extends EventEmitter<APIServerEvents> {
  private session: Session | undefined;
  private chejanValues: Readonly<Record<string, string>> = EMPTY_CHEJAN;
  private lastErr: LastError | undefined;
  private cleaning: Promise<void> | undefined;

  /** Chooses the backend from `sim_no` and `use_rest` (see {@link ApiInitOptions}) and builds the clients; nothing is sent yet. */
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
   * CommConnect: token, master data (listings, themes, member firms: from the day cache when
   * it has today's), WebSocket LOGIN, chejan registration, account list; then OnEventConnect(0).
   * With `block` (default) it resolves after the event; otherwise at once with 0. Failures
   * raise OnEventConnect with the OCX code (-100 auth, -101 connection).
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

  /** CommTerminate: ignored, as the OCX ignored it (it had stopped supporting it); cleanup() ends the session. */
  CommTerminate(): void {
    return undefined;
  }

  /** 1 when connected, 0 otherwise. */
  GetConnectState(): number {
    const s = this.session;
    return s?.state === 'connected' ? 1 : 0;
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

  /** SetInfoData(id): chose the saved login of auto-login; the app key does that now, so 0 and no effect. */
  SetInfoData(_infoData: string): number {
    return 0;
  }

  /** GetAPIModulePath: the directory kiwoom-compat is installed in (the OCX answered its own, e.g. `C:\OpenAPI`). */
  GetAPIModulePath(): string {
    return MODULE_PATH;
  }

  /**
   * KOA_Functions(name, param): the sub-commands as the OCX answers them (GetServerGubun,
   * GetMasterStockInfo, GetStockMarketKind, IsOrderWarningStock, GetUpjongCode, ...); an
   * unknown sub-command answers "" with an OnReceiveMsg naming it.
   */
  KOA_Functions(name: string, param: string): string {
    const fn = text(name).trim();
    const handler = koaHandler(fn);
    const s = this.session;
    if (handler === undefined) {
      this.fail('KOA_Functions', refuse('OP_ERR_INPUT', `"${fn}" is not a KOA_Functions sub-command`));
      return '';
    }
    if (s === undefined) return '';
    return handler({ master: s.master, serverGubun: () => this.GetLoginInfo('GetServerGubun'), setConditionPrices: (on) => s.conditions.setPrices(on) }, text(param));
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

  /**
   * Not an OCX method: what became of the latest SendOrder/SendOrderCredit under `rqname`
   * (placed with its 주문번호, refused, not placed, ambiguous, or unknown while an order whose
   * answer was lost is being settled). The OCX told this only through events; a caller that
   * polls (the control API's `GET /orders/{id}`) reads it here.
   */
  orderOutcome(rqname: string): OrderOutcome | undefined {
    return this.session?.orders.outcome(text(rqname));
  }

  /** SendOrderFO: Kiwoom REST has no futures/options orders; -340 (no such account), nothing sent. */
  SendOrderFO(rqname: string, screen: string, _accno: string, _code: string, _ordKind: number, _slbyTp: string, _ordTp: string, _qty: number, _price: string, _orgOrdNo: string): number {
    return this.noRest('SendOrderFO', screen, rqname) as number;
  }

  /** GetChejanData(fid): the value in the OnReceiveChejanData event being handled ("" when none). */
  GetChejanData(fid: number | string): string {
    const key = text(fid);
    return Object.hasOwn(this.chejanValues, key) ? (this.chejanValues[key] ?? '') : '';
  }

  // ------------------------------------------------------------------ real data

  /**
   * SetRealReg(screen, "code;code", "fid;fid", optType "0" replace | "1" add): 0 once
   * registered. Lists may be arrays (`SetRealReg('5100', ['005930'], [], '0')`); an empty FID
   * list registers what a quote consumer reads (주식체결 and 주식호가잔량 for a code).
   */
  async SetRealReg(screen: string, codeList: string | readonly string[], fidList: string | readonly (string | number)[], optType: string): Promise<number> {
    const s = this.ready('SetRealReg');
    if (isRefusal(s)) return this.fail('SetRealReg', s, text(screen));
    return this.guarded('SetRealReg', 'realtime', () => s.real.setRealReg(text(screen), list(codeList), list(fidList), text(optType)), text(screen));
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

  /**
   * GetCommRealData(code | realType, fid): inside OnReceiveRealData the event's value (either
   * the code or the real type may be passed); elsewhere the latest value of the FID for the code.
   */
  GetCommRealData(code: string, fid: number | string): string {
    return this.session?.real.value(text(code), text(fid)) ?? '';
  }

  /**
   * CommGetData(code, realType, field, index, inner): the OCX's deprecated generic getter. With
   * realType "" it reads a TR answer, as programs call it: CommGetData(trcode, "", rqname,
   * index, item). With a real type it reads real-time data: the FID by number or Korean name in
   * `field` (or `inner`).
   */
  CommGetData(code: string, realType: string, field: string, index: number, inner: string): string {
    const s = this.session;
    if (s === undefined) return '';
    const type = text(realType).trim();
    if (type === '') return s.trq.data(text(code), text(field), num(index), text(inner));
    const fid = realFidByName(type, text(field).trim()) ?? realFidByName(type, text(inner).trim());
    return fid === undefined ? '' : s.real.value(text(code), fid);
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

  /** CommRqData(rqname, trcode, prevNext 0 | 2, screen): 0 after OnReceiveTrData, or an OP_ERR code. Answers come in call order. */
  async CommRqData(rqname: string, trcode: string, prevNext: number, screen: string): Promise<number> {
    const s = this.ready('CommRqData');
    if (isRefusal(s)) return this.fail('CommRqData', s, screen, rqname, trcode);
    return this.outcome('CommRqData', await s.trq.request(text(rqname), text(trcode), num(prevNext), text(screen)), screen, rqname, trcode);
  }

  /** CommKwRqData(codes "a;b", next 0, count, typeFlag 0 stocks, rqname, screen): OnReceiveTrData with TR OPTKWFID. */
  async CommKwRqData(codeList: string | readonly string[], next: number, count: number, typeFlag: number, rqname: string, screen: string): Promise<number> {
    const s = this.ready('CommKwRqData');
    if (isRefusal(s)) return this.fail('CommKwRqData', s, screen, rqname, 'OPTKWFID');
    return this.outcome('CommKwRqData', await s.trq.kwRequest(list(codeList), num(next), num(count), num(typeFlag), text(rqname), text(screen)), screen, rqname, 'OPTKWFID');
  }

  /** CommInvestRqData: the OCX no longer served it, and Kiwoom REST has no market-wide investor feed: -201. */
  CommInvestRqData(_marketGb: string, rqname: string, screen: string): number {
    return this.noRest('CommInvestRqData', screen, rqname) as number;
  }

  /** GetCommData(trcode, rqname, index, item) by Korean output name. */
  GetCommData(trcode: string, rqname: string, index: number, item: string): string {
    return this.session?.trq.data(text(trcode), text(rqname), num(index), text(item)) ?? '';
  }

  /** GetCommDataEx(trcode, record): the repeated record as rows × outputs (the OCX's column order). */
  GetCommDataEx(trcode: string, recordName: string): string[][] {
    return this.session?.trq.table(text(trcode), text(recordName)) ?? [];
  }

  /**
   * What the TR getters read of the answer GetCommData(trcode, rqname, ...) reads, as data, or
   * undefined when there is none. Not an OCX method: the bridge ships it with OnReceiveTrData so
   * that a reader in another process answers the TR getters without a round trip.
   */
  trSnapshot(trcode: string, rqname: string): TrSnapshot | undefined {
    return this.session?.trq.snapshot(text(trcode), text(rqname));
  }

  /** GetRepeatCnt(trcode, rqname): rows of the repeated record (0 for single-only TRs). */
  GetRepeatCnt(trcode: string, rqname: string): number {
    return this.session?.trq.repeatCount(text(trcode), text(rqname)) ?? 0;
  }

  /** GetDataCount(record): rows of the named record in the answer being handled. */
  GetDataCount(recordName: string): number {
    return this.session?.trq.dataCount(text(recordName)) ?? 0;
  }

  /** GetOutputValue(record, row, item): the record's `item`-th output (OCX order) in row `row`. */
  GetOutputValue(recordName: string, row: number, item: number): string {
    return this.session?.trq.outputValue(text(recordName), num(row), num(item)) ?? '';
  }

  /** SetOutputFID(id): unused since OCX 1.0.0.1; 0 and no effect. */
  SetOutputFID(_id: string): number {
    return 0;
  }

  // ------------------------------------------------------------------ master (loaded at CommConnect)

  /** GetMasterCodeName(code): the name, "" for an unknown code. */
  GetMasterCodeName(code: string): string {
    return this.session?.master.entry(text(code))?.name ?? '';
  }

  /** GetCodeListByMarket(market): `"005930;000660;"` ("0" KOSPI, "10" KOSDAQ, "8" ETF, "3" ELW, "60" ETN, "NXT", "" all). */
  GetCodeListByMarket(market: string): string {
    const s = this.session;
    if (s === undefined) return '';
    const r = s.master.codeList(text(market, String(market)));
    if (!isRefusal(r)) return r;
    this.fail('GetCodeListByMarket', r);
    return '';
  }

  /** GetMasterListedStockCnt(code): listed shares (0 for an unknown code). */
  GetMasterListedStockCnt(code: string): number {
    return Number(this.session?.master.listedCount(text(code)) || 0);
  }

  /** GetMasterConstruction(code): 감리구분 (정상, 투자주의, 투자경고, ...). */
  GetMasterConstruction(code: string): string {
    return this.session?.master.field(text(code), 'auditInfo') ?? '';
  }

  /** GetMasterListedStockDate(code): listing date, YYYYMMDD. */
  GetMasterListedStockDate(code: string): string {
    return this.session?.master.field(text(code), 'regDay') ?? '';
  }

  /** GetMasterLastPrice(code): the base price (previous close), zero-padded as the master gives it. */
  GetMasterLastPrice(code: string): string {
    return this.session?.master.lastPrice(text(code)) ?? '';
  }

  /** GetMasterStockState(code): `|`-joined state items (증거금20%|담보대출|신용가능). */
  GetMasterStockState(code: string): string {
    return this.session?.master.field(text(code), 'state') ?? '';
  }

  /** GetMarketType(code): the market code (0 KOSPI, 10 KOSDAQ, 8 ETF, ...); -1 for an unknown code. */
  GetMarketType(code: string): number {
    const kind = this.session?.master.marketKind(text(code)) ?? '';
    return kind === '' ? -1 : Number(kind);
  }

  /** GetThemeGroupList(0 by code | 1 by name): `"code|name;..."`. */
  GetThemeGroupList(sortBy: number): string {
    const by = num(sortBy);
    return by === 0 || by === 1 ? (this.session?.master.themeGroupList(by) ?? '') : '';
  }

  /** GetThemeGroupCode(theme): `"A005930;A000660"`. */
  GetThemeGroupCode(themeCode: string): string {
    const s = this.session;
    if (s === undefined) return '';
    if (s.master.loaded && !s.master.hasThemeMembers) this.explain('GetThemeGroupCode', 'theme members were not loaded (api_init master.themeMembers is false)');
    return s.master.themeGroupCode(text(themeCode));
  }

  /** GetBranchCodeName: member firms, `"001|교  보;002|신한금융투자;..."`. */
  GetBranchCodeName(): string {
    return this.session?.master.branchCodeName() ?? '';
  }

  // ------------------------------------------------------------------ futures and options (no REST counterpart)

  /** Index futures codes: "" (Kiwoom REST has no futures master). */
  GetFutureList(): string {
    return this.noRest('GetFutureList') as string;
  }

  /** GetFutureCodeByIndex: "" as the OCX answers without the futures/options product (Kiwoom REST has no futures/options master). */
  GetFutureCodeByIndex(_index: number): string {
    return this.noRest('GetFutureCodeByIndex') as string;
  }

  /** GetActPriceList: "" as the OCX answers without the futures/options product (Kiwoom REST has no futures/options master). */
  GetActPriceList(): string {
    return this.noRest('GetActPriceList') as string;
  }

  /** GetMonthList: "" as the OCX answers without the futures/options product (Kiwoom REST has no futures/options master). */
  GetMonthList(): string {
    return this.noRest('GetMonthList') as string;
  }

  /** GetOptionCode: "" as the OCX answers without the futures/options product (Kiwoom REST has no futures/options master). */
  GetOptionCode(_actPrice: string, _cp: number, _month: string): string {
    return this.noRest('GetOptionCode') as string;
  }

  /** GetOptionCodeByMonth: "" as the OCX answers without the futures/options product (Kiwoom REST has no futures/options master). */
  GetOptionCodeByMonth(_code: string, _cp: number, _month: string): string {
    return this.noRest('GetOptionCodeByMonth') as string;
  }

  /** GetOptionCodeByActPrice: "" as the OCX answers without the futures/options product (Kiwoom REST has no futures/options master). */
  GetOptionCodeByActPrice(_code: string, _cp: number, _tick: number): string {
    return this.noRest('GetOptionCodeByActPrice') as string;
  }

  /** GetSFutureList: "" as the OCX answers without the futures/options product (Kiwoom REST has no futures/options master). */
  GetSFutureList(_baseAssetCode: string): string {
    return this.noRest('GetSFutureList') as string;
  }

  /** GetSFutureCodeByIndex: "" as the OCX answers without the futures/options product (Kiwoom REST has no futures/options master). */
  GetSFutureCodeByIndex(_baseAssetCode: string, _index: number): string {
    return this.noRest('GetSFutureCodeByIndex') as string;
  }

  /** GetSActPriceList: "" as the OCX answers without the futures/options product (Kiwoom REST has no futures/options master). */
  GetSActPriceList(_baseAssetGb: string): string {
    return this.noRest('GetSActPriceList') as string;
  }

  /** GetSMonthList: "" as the OCX answers without the futures/options product (Kiwoom REST has no futures/options master). */
  GetSMonthList(_baseAssetGb: string): string {
    return this.noRest('GetSMonthList') as string;
  }

  /** GetSOptionCode: "" as the OCX answers without the futures/options product (Kiwoom REST has no futures/options master). */
  GetSOptionCode(_baseAssetGb: string, _actPrice: string, _cp: number, _month: string): string {
    return this.noRest('GetSOptionCode') as string;
  }

  /** GetSOptionCodeByMonth: "" as the OCX answers without the futures/options product (Kiwoom REST has no futures/options master). */
  GetSOptionCodeByMonth(_baseAssetGb: string, _code: string, _cp: number, _month: string): string {
    return this.noRest('GetSOptionCodeByMonth') as string;
  }

  /** GetSOptionCodeByActPrice: "" as the OCX answers without the futures/options product (Kiwoom REST has no futures/options master). */
  GetSOptionCodeByActPrice(_baseAssetGb: string, _code: string, _cp: number, _tick: number): string {
    return this.noRest('GetSOptionCodeByActPrice') as string;
  }

  /** GetSFOBasisAssetList: "" as the OCX answers without the futures/options product (Kiwoom REST has no futures/options master). */
  GetSFOBasisAssetList(): string {
    return this.noRest('GetSFOBasisAssetList') as string;
  }

  /** GetOptionATM: "" as the OCX answers without the futures/options product (Kiwoom REST has no futures/options master). */
  GetOptionATM(): string {
    return this.noRest('GetOptionATM') as string;
  }

  /** GetSOptionATM: "" as the OCX answers without the futures/options product (Kiwoom REST has no futures/options master). */
  GetSOptionATM(_baseAssetGb: string): string {
    return this.noRest('GetSOptionATM') as string;
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
    const master = new Master();
    const real = new RealData(conn.rt, warn, master, (screen, msg) => this.emit('OnReceiveMsg', screen, '', '', msg));
    const chejanFids = CHEJAN_ORDER['0'] ?? [];
    const chejan = new ChejanBook((gubun, frame) => {
      const fids = gubun === '1' ? real.withQuote(frame) : frame;
      this.chejanValues = fids;
      const { data, fidList } = chejanData(fids, CHEJAN_ORDER[gubun] ?? []);
      this.emit('OnReceiveChejanData', gubun, data, fidList);
    }, chejanFids);
    const emit = this.emit.bind(this) as <K extends keyof APIServerEvents>(event: K, ...args: APIServerEvents[K]) => boolean;
    const trq = new TrQueries(conn.rest, emit, warn);
    const accounts: string[] = [];
    const reconciler = new Reconciler(conn.rest, chejan, () => accounts[0] ?? '', conn.logger, conn.reconcile);
    const orders = new Orders(conn.rest, chejan, trq, master, {
      accounts: () => accounts,
      isMock: () => conn.domain !== 'production',
      reconcile: (decide) => reconciler.run(decide),
      msg: (screen, rqname, trcode, msg) => this.emit('OnReceiveMsg', screen, rqname, trcode, msg),
    }, conn.settle);
    const s: Session = {
      conn,
      real,
      chejan,
      conditions: new Conditions(conn.rt, emit, (codes) => quotePrices(conn.rest, codes)),
      master,
      trq,
      orders,
      reconciler,
      accounts,
      state: 'idle',
      explained: new Set(),
    };
    const raise = (code: string, realType: string, data: APIServerEvents['OnReceiveRealData'][2]): void => {
      this.emit('OnReceiveRealData', code, realType, data);
    };
    const onReal = (ev: RealEvent): void => {
      const type = ev.type;
      if (type === '00') return s.chejan.onOrderFrame(ev.values);
      if (type === '04') return s.chejan.onBalanceFrame(ev.values);
      s.real.deliver(type, ev.item, ev.values, raise);
    };
    conn.rt.on('real', onReal);
    tapQuotes(this, conn.rt, s.real);
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
      if (conn.rt.state !== 'closed' || s.state === 'closed') return;
      s.state = 'ended';
      this.emit('OnReceiveMsg', '', '', '', `실시간 연결 종료: ${err.message}`);
    });
    return s;
  }

  private async connect(s: Session): Promise<number> {
    const { conn } = s;
    try {
      await conn.rest.token();
      const started = Date.now();
      // The master queries, the WebSocket login, the account query and the reading of the day's
      // orders overlap: the rate limiter spaces the queries, the socket needs none. The day's
      // orders tell an order of unknown fate from the orders that existed before it; failing to
      // read them is logged and does not fail the login.
      const dayLearnt = s.reconciler.baseline();
      s.orders.learnDay(dayLearnt);
      const [, load] = await allOrFirstError([
        dayLearnt,
        loadMaster(conn.rest, conn.masterCache, { themeMembers: conn.themeMembers, onCacheError: (err) => conn.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'master day cache not written') }),
        conn.rt.connect().then(() => conn.rt.register(CHEJAN_GROUP, [''], ['00', '04'], true)),
        conn.rest.call('ka00001', {}).then(({ body }) => {
          const acct = String(body['acctNo'] ?? '').trim();
          s.accounts.splice(0, s.accounts.length, ...(acct === '' ? [] : [acct]));
        }),
      ]);
      s.master.use(load.snapshot);
      conn.logger.info({ requests: load.requests, fromCache: load.fromCache, ms: Date.now() - started }, 'master loaded');
      s.state = 'connected';
      this.emit('OnEventConnect', 0);
      return 0;
    } catch (err) {
      const refusal = failed(err, 'login');
      conn.logger.error({ err: refusal.message }, 'CommConnect failed');
      this.lastErr = { method: 'CommConnect', code: refusal.code, message: refusal.message };
      this.emit('OnEventConnect', refusal.code);
      return refusal.code;
    }
  }

  private ready(method: string): Session | Refusal {
    const s = this.session;
    if (s === undefined) return refuse('OP_ERR_CONNECT', `call api_init and CommConnect before ${method}`);
    switch (s.state) {
      case 'connected':
        return s;
      case 'ended':
        return refuse('OP_ERR_SOCKET_CLOSED', `the real-time session has ended (see the OnReceiveMsg before); call CommConnect again after api_init`);
      case 'closed':
        return refuse('OP_ERR_CONNECT', 'not connected (cleanup() was called)');
      case 'idle':
        return refuse('OP_ERR_CONNECT', `not connected (CommConnect before ${method})`);
    }
  }

  /**
   * A member with nothing behind it on Kiwoom REST (compat/ocx-api.json `noRest`): what the OCX
   * answered without the product, and, once per member, OnReceiveMsg with the reason.
   */
  private noRest(method: string, screen = '', rqname = ''): string | number {
    const spec = OCX_API_METHODS[method]?.noRest;
    if (spec === undefined) throw new Error(`compat/ocx-api.json has no noRest entry for ${method}`);
    if (spec.answer === '') {
      this.explain(method, spec.why);
      return '';
    }
    const code = opCode(spec.answer as OpErrName);
    this.fail(method, { refused: true, code, message: spec.why }, screen, rqname);
    return code;
  }

  /** Says once per member and session why a getter answers "". */
  private explain(method: string, why: string): void {
    const s = this.session;
    if (s === undefined || s.explained.has(method)) return;
    s.explained.add(method);
    const message = `${method}: ${why}; answering ""`;
    s.conn.logger.warn(message);
    this.emit('OnReceiveMsg', '', '', '', message);
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
    if (r.reported !== true) this.emit('OnReceiveMsg', text(screen), text(rqname), text(trcode), message);
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
    const wasConnected = s.state === 'connected';
    s.state = 'closed';
    // No REMOVE: closing the socket ends every registration on the server, and a REMOVE whose
    // ack never comes (seen live) would hold cleanup for a request timeout per screen.
    if (wasConnected) await quietly('stop conditions', () => s.conditions.clear());
    s.orders.close();
    await quietly('close WebSocket', () => conn.rt.close());
    await quietly('revoke token', () => conn.rest.revoke());
    await quietly('close REST client', () => conn.rest.close());
    if (conn.emulator !== undefined) await quietly('stop emulator', () => conn.emulator?.close() ?? Promise.resolve());
    conn.rt.removeAllListeners();
  }
}
