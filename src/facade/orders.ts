/**
 * SendOrder / SendOrderCredit: checked against the OCX rules before anything is sent, then one
 * REST order call. Success raises OnReceiveTrData (GetCommData(..., "주문번호")) and
 * OnReceiveMsg; chejan frames wait behind the gate until then. An order is never resent: one
 * whose answer was lost is reported unknown at once and settled by evidence later (settle.ts).
 */
import { getCreditGb, getCreditOrderType, getHoga, getOrderType, isOnTick, orderRequestKeys, type OrderTypeSpec } from '../compat/orders.js';
import { OrderUnknownError } from '../errors.js';
import { getApi } from '../registry/index.js';
import type { ChejanBook } from './chejan.js';
import type { Master } from './master.js';
import type { RestPort } from './ports.js';
import { checkScreen } from './real-data.js';
import { failed, isRefusal, refuse, type Refusal } from './refusal.js';
import { Settler, type OrderIntent, type ReconcilePass, type SettleOptions, type Verdict } from './settle.js';
import { FACADE } from './tables.js';
import type { TrQueries } from './tr-query.js';
import { TrResult } from './tr-result.js';

/** SendOrder's arguments, plus SendOrderCredit's two. */
export interface OrderArgs {
  rqname: string;
  screen: string;
  accno: string;
  orderType: number;
  code: string;
  qty: number;
  price: number;
  hoga: string;
  orgOrderNo: string;
  credit?: { creditGb: string; loanDate: string };
}

/** What an order becomes on the wire. */
interface OrderPlan {
  apiId: string;
  body: Record<string, string>;
  trcode: string;
  spec: OrderTypeSpec;
}

/** How GetCommData reads an order answer. */
const ORDER_ANSWER = { single: { record: '', list: null, fields: { 주문번호: 'ord_no' } } } as const;

/** The OCX took nQty and nPrice as LONG: a 32-bit signed integer. */
const OCX_LONG_MAX = 2_147_483_647;

/** Outcomes kept for {@link Orders.outcome}: the latest rqnames. */
const OUTCOMES_KEPT = 1_000;

/** What became of the latest order sent under an rqname. */
export type OrderOutcome =
  /** The server gave its 주문번호 (in the answer, or `settled` by evidence after a lost answer). */
  | { state: 'placed'; orderNo: string; settled: boolean; message: string }
  /** Refused before or by the server: the OCX code. */
  | { state: 'refused'; code: number; message: string }
  /** No answer and no evidence yet (`settling`), or none when the search ended. */
  | { state: 'unknown'; settling: boolean; candidates: string[]; message: string }
  /** The settle window passed and the account shows no such order. */
  | { state: 'not-placed'; message: string }
  /** Two or more orders fit; none is claimed. */
  | { state: 'ambiguous'; candidates: string[]; message: string };

/** Legacy market codes whose tick size is the flat ETF/ETN/ELW one. */
const ETP_MARKETS = new Set(['8', '3', '60']);

/** What the order module needs of its APIServer. */
export interface OrderContext {
  accounts(): readonly string[];
  /** True on the mock domain and the emulator (only 00 and 03, no credit). */
  isMock(): boolean;
  /** One reconciliation (see Reconciler.run): how an order of unknown fate is looked for. */
  reconcile: ReconcilePass;
  msg(screen: string, rqname: string, trcode: string, msg: string): void;
}

/**
 * The login's account a program's accno names: as given, or with the blanks, hyphens and
 * leading zeros a program kept from a TR output or a config file (`"8012345611 "`,
 * `"80123456-11"`, `"0008012345611"`).
 */
export function accountOf(accno: string, accounts: readonly string[]): string | undefined {
  const digits = accno.replace(/[\s-]/g, '');
  return accounts.find((a) => a === digits || (digits.endsWith(a) && /^0+$/.test(digits.slice(0, -a.length))));
}

/** Orders of one APIServer. */
export class Orders {
  private readonly settler: Settler;
  private readonly outcomes = new Map<string, OrderOutcome>();
  private readonly windowS: number;

  constructor(
    private readonly rest: RestPort,
    private readonly chejan: ChejanBook,
    private readonly trq: TrQueries,
    private readonly master: Master,
    private readonly ctx: OrderContext,
    settle: SettleOptions = {},
  ) {
    this.settler = new Settler(chejan, ctx.reconcile, settle);
    this.windowS = Math.ceil(this.settler.windowMs / 1000);
  }

  /** The day's orders as read at login (Reconciler.baseline): orders to tell a lost one from. */
  learnDay(done: Promise<boolean>): void {
    this.settler.learnDay(done);
  }

  /** What became of the latest order sent under `rqname` (the latest {@link OUTCOMES_KEPT} rqnames). */
  outcome(rqname: string): OrderOutcome | undefined {
    return this.outcomes.get(rqname);
  }

  /** Stops settling: orders still unknown stay unknown. */
  close(): void {
    this.settler.close();
  }

  /** SendOrder / SendOrderCredit. Resolves after OnReceiveTrData and OnReceiveMsg. */
  async send(args: OrderArgs): Promise<Refusal | undefined> {
    // The plan's one wire call is the master lookup (a query): if it fails (a 429 storm outlasting
    // its retries), the order is refused before anything is sent rather than SendOrder rejecting.
    const plan = await this.plan(args).catch((err: unknown) => failed(err, 'query'));
    if (isRefusal(plan)) return this.refused(args.rqname, plan);
    const intent = intentOf(args, plan);
    const sending = await this.settler.sending(intent);
    this.chejan.hold();
    try {
      const answer = await this.rest.call(plan.apiId, plan.body);
      const ordNo = String(answer.body['ord_no'] ?? '').trim();
      const message = String(answer.body['return_msg'] ?? '').trim();
      if (ordNo !== '') this.chejan.expect(ordNo);
      this.record(args.rqname, ordNo === ''
        ? { state: 'unknown', settling: false, candidates: [], message: `${message} (주문번호 없는 응답: 미체결/체결 조회로 확인하세요)` }
        : { state: 'placed', orderNo: ordNo, settled: false, message });
      this.trq.deliver(args.screen, new TrResult(plan.trcode, args.rqname, ORDER_ANSWER, answer.body), '0', message);
      return undefined;
    } catch (err) {
      if (err instanceof OrderUnknownError) {
        const message = `주문 결과 미확인: 응답이 없어 재전송하지 않고 최대 ${this.windowS}초 동안 체결 통보와 주문 조회로 확인합니다 (${plan.apiId} ${intent.code})`;
        this.record(args.rqname, { state: 'unknown', settling: true, candidates: [], message });
        this.ctx.msg(args.screen, args.rqname, plan.trcode, message);
        // Registered before the gate opens, so frames of the order that waited behind it count.
        void this.settler.settle(intent, sending.mark, (v) => this.announce(args, plan, v));
        return undefined;
      }
      return this.refused(args.rqname, failed(err, 'order'), { screen: args.screen, trcode: plan.trcode });
    } finally {
      sending.done();
      this.chejan.release();
    }
  }

  /**
   * The verdict on an order whose answer was lost, told the OCX way: placed or not placed as an
   * answer (OnReceiveTrData with the 주문번호, empty when none, then OnReceiveMsg); ambiguous or
   * still unknown as a message only, because an empty 주문번호 would read as "not placed".
   */
  private announce(args: OrderArgs, plan: OrderPlan, v: Verdict): void {
    const outcome = describe(v, this.windowS);
    this.record(args.rqname, outcome);
    if (v.state === 'placed' || v.state === 'not-placed') {
      this.trq.deliver(args.screen, new TrResult(plan.trcode, args.rqname, ORDER_ANSWER, { ord_no: v.state === 'placed' ? v.orderNo : '' }), '0', outcome.message);
    } else {
      this.ctx.msg(args.screen, args.rqname, plan.trcode, outcome.message);
    }
  }

  private refused(rqname: string, refusal: Refusal, say?: { screen: string; trcode: string }): Refusal {
    this.record(rqname, { state: 'refused', code: refusal.code, message: refusal.message });
    if (say !== undefined) this.ctx.msg(say.screen, rqname, say.trcode, refusal.message);
    return refusal;
  }

  private record(rqname: string, outcome: OrderOutcome): void {
    this.outcomes.delete(rqname);
    this.outcomes.set(rqname, outcome);
    if (this.outcomes.size > OUTCOMES_KEPT) this.outcomes.delete(this.outcomes.keys().next().value as string);
  }

  /** Checks every argument against the OCX rules and builds the request, or refuses. */
  private async plan(a: OrderArgs): Promise<OrderPlan | Refusal> {
    const screenBad = checkScreen(a.screen);
    if (screenBad !== undefined) return screenBad;
    if (accountOf(a.accno, this.ctx.accounts()) === undefined) {
      return refuse('OP_ERR_ORD_WRONG_ACCTINFO', `accno "${a.accno}" is not an account of this login (GetLoginInfo("ACCNO") lists them)`);
    }
    const spec = a.credit === undefined ? getOrderType(a.orderType) : getCreditOrderType(a.orderType);
    if (spec === undefined) return refuse('OP_ERR_ORD_WRONG_INPUT', `orderType must be 1..6 (1 buy, 2 sell, 3/4 cancel, 5/6 modify), got ${String(a.orderType)}`);
    const code = a.code.trim().replace(/^A/, '');
    if (!/^[0-9A-Z]{6}$/.test(code)) return refuse('OP_ERR_ORD_SYMCODE_EMPTY', `code must be a 6-character stock code, got "${a.code}"`);
    const minQty = spec.action === 'new' ? 1 : 0;
    if (!Number.isInteger(a.qty) || a.qty < minQty || a.qty > OCX_LONG_MAX) {
      return refuse('OP_ERR_ORD_WRONG_INPUT', `qty must be a whole number ${spec.action === 'new' ? '> 0' : '>= 0 (0 = the whole remainder)'} and at most ${OCX_LONG_MAX} (the OCX's LONG), got ${String(a.qty)}`);
    }
    if (spec.action !== 'new' && !/^\d{1,10}$/.test(a.orgOrderNo.trim())) {
      return refuse('OP_ERR_ORD_WRONG_INPUT', `orgOrderNo is required for ${spec.name} (the 주문번호 to ${spec.action}), got "${a.orgOrderNo}"`);
    }
    const keys = orderRequestKeys(spec.action);
    const body: Record<string, string> = { dmst_stex_tp: FACADE.requestDefaults['dmst_stex_tp'] ?? 'KRX', stk_cd: code, [keys.qty]: String(a.qty) };
    if (keys.originalOrderNo !== undefined) body[keys.originalOrderNo] = a.orgOrderNo.trim().padStart(7, '0');
    let limitPrice: number | undefined;
    if (spec.action === 'new') {
      const hoga = getHoga(a.hoga);
      if (hoga === undefined) return refuse('OP_ERR_ORD_WRONG_INPUT', `hoga "${a.hoga}" is not an sHogaGb code (00 limit, 03 market, ...)`);
      if (this.ctx.isMock() && !hoga.mock) return refuse('OP_ERR_ORD_WRONG_INPUT', `hoga ${a.hoga} (${hoga.name}) is not accepted by paper trading, which takes 00 and 03 only`);
      const priceBad = this.checkPrice(a.price, hoga.needsPrice, `hoga ${a.hoga} (${hoga.name})`);
      if (priceBad !== undefined) return priceBad;
      if (hoga.needsPrice) limitPrice = a.price;
      if (keys.tradeType !== undefined) body[keys.tradeType] = hoga.trdeTp;
      if (keys.price !== undefined) body[keys.price] = hoga.needsPrice ? String(a.price) : '';
      if (keys.conditionPrice !== undefined) body[keys.conditionPrice] = '';
    } else if (spec.action === 'modify') {
      const priceBad = this.checkPrice(a.price, true, spec.name);
      if (priceBad !== undefined) return priceBad;
      limitPrice = a.price;
      if (keys.price !== undefined) body[keys.price] = String(a.price);
      if (keys.conditionPrice !== undefined) body[keys.conditionPrice] = '';
    }
    if (a.credit !== undefined) {
      const creditBad = this.applyCredit(a.credit, spec, body);
      if (creditBad !== undefined) return creditBad;
    }
    if (this.ctx.isMock() && getApi(spec.apiId)?.mock === 'no') {
      return refuse('OP_ERR_ORD_WRONG_INPUT', `${spec.name} through ${spec.apiId} is not offered by paper trading (credit orders are real-server only)`);
    }
    // The master is consulted last: it may cost a stock-list query, never an order.
    const entry = await this.master.entry(code);
    if (entry === undefined) return refuse('OP_ERR_ORD_SYMCODE_EMPTY', `code "${code}" is not a listed stock (GetMasterCodeName returns "")`);
    if (limitPrice !== undefined && !isOnTick(limitPrice, ETP_MARKETS.has(entry.market) ? 'etp' : 'stock')) {
      return refuse('OP_ERR_ORD_WRONG_INPUT', `price ${limitPrice} is not on the KRX tick for that price band`);
    }
    const trcode = FACADE.orderTrCodes[String(a.orderType)] ?? spec.apiId;
    return { apiId: spec.apiId, body, trcode, spec };
  }

  /** A price must be whole won; a hoga that takes none sends none, whatever was given (the OCX ignored it). */
  private checkPrice(price: number, needsPrice: boolean, what: string): Refusal | undefined {
    if (!Number.isInteger(price) || price < 0 || price > OCX_LONG_MAX) {
      return refuse('OP_ERR_ORD_WRONG_INPUT', `price must be a whole number of won, at most ${OCX_LONG_MAX} (the OCX's LONG), got ${String(price)}`);
    }
    if (needsPrice && price === 0) return refuse('OP_ERR_ORD_WRONG_INPUT', `price is required for ${what}`);
    return undefined;
  }

  private applyCredit(credit: NonNullable<OrderArgs['credit']>, spec: OrderTypeSpec, body: Record<string, string>): Refusal | undefined {
    if (spec.action !== 'new') return undefined;
    const gb = getCreditGb(credit.creditGb);
    if (gb === undefined || gb.side !== spec.side) {
      return refuse('OP_ERR_ORD_WRONG_INPUT', `creditGb "${credit.creditGb}" does not fit a ${spec.name} (03 buy; 33 or 99 sell)`);
    }
    if (gb.crdDealTp !== undefined) body['crd_deal_tp'] = gb.crdDealTp;
    if (gb.loanDate === 'required') {
      if (!/^\d{8}$/.test(credit.loanDate)) return refuse('OP_ERR_ORD_WRONG_INPUT', `loanDate must be YYYYMMDD for creditGb ${credit.creditGb}, got "${credit.loanDate}"`);
      body['crd_loan_dt'] = credit.loanDate;
    } else if (gb.loanDate !== 'none') {
      body['crd_loan_dt'] = gb.loanDate;
    }
    return undefined;
  }
}

/** What the request fixed, for recognising the order among the account's. */
function intentOf(a: OrderArgs, plan: OrderPlan): OrderIntent {
  const keys = orderRequestKeys(plan.spec.action);
  const field = (key: string | undefined): string | undefined => (key === undefined ? undefined : plan.body[key]);
  return {
    action: plan.spec.action,
    code: plan.body['stk_cd'] ?? '',
    side: plan.spec.side === 'buy' ? '2' : '1',
    qty: a.qty,
    price: Number(field(keys.price) ?? 0) || 0,
    trdeTp: field(keys.tradeType),
    origOrdNo: (field(keys.originalOrderNo) ?? '').replace(/^0+/, ''),
  };
}

/** A verdict as an outcome with the message the program reads (OnReceiveMsg). */
function describe(v: Verdict, windowS: number): OrderOutcome {
  const check = '미체결/체결 조회(opt10075, opt10076)로 확인하세요';
  switch (v.state) {
    case 'placed':
      return { state: 'placed', orderNo: v.orderNo, settled: true, message: `주문 결과 확인: 주문번호 ${v.orderNo}로 접수되었습니다 (응답이 없던 주문)` };
    case 'not-placed':
      return { state: 'not-placed', message: `주문 결과 확인: 주문이 접수되지 않았습니다 (${windowS}초 동안 일치하는 주문 없음; 재전송하지 않음)` };
    case 'ambiguous':
      return { state: 'ambiguous', candidates: v.candidates, message: `주문 결과 불명확: 주문번호 ${v.candidates.join(', ')}가 모두 이 주문과 일치해 어느 것인지 정하지 않습니다 — ${check}` };
    case 'unknown':
      return { state: 'unknown', settling: false, candidates: v.candidates, message: `주문 결과 미확인: ${v.reason}${v.candidates.length > 0 ? ` (일부 일치: ${v.candidates.join(', ')})` : ''} — ${check}` };
  }
}
