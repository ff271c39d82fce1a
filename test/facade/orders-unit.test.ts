/**
 * SendOrder's translation on its own: `Orders` with a scripted REST port, a real chejan book, TR
 * answers and master, and an account list. What a program relies on: the OCX code and a message
 * naming the argument for what the OCX refused (and nothing sent), the exact request for what it
 * accepted, the answer read as GetCommData(..., "주문번호"), and each order's outcome.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { OrderUnknownError, RateLimitError } from '../../src/errors.js';
import { ChejanBook, type OrderDesc } from '../../src/facade/chejan.js';
import { Master } from '../../src/facade/master.js';
import { accountOf, Orders, type OrderArgs, type OrderOutcome } from '../../src/facade/orders.js';
import type { RestAnswer } from '../../src/facade/ports.js';
import type { ReconcilePass } from '../../src/facade/settle.js';
import { TrQueries } from '../../src/facade/tr-query.js';

const ACCOUNTS = ['8012345611', '8098765411'];
const KST_MS = 9 * 3600_000;
const hhmmss = (ms: number): string => new Date(ms + KST_MS).toISOString().slice(11, 19).replaceAll(':', '');

/** A limit buy of one 삼성전자 at 70,000 on the first account, changed by `over`. */
const args = (over: Partial<OrderArgs> = {}): OrderArgs => ({
  rqname: 'buy', screen: '2000', accno: ACCOUNTS[0]!, orderType: 1, code: '005930', qty: 1, price: 70_000, hoga: '00', orgOrderNo: '', ...over,
});

interface RigOptions {
  mock?: boolean;
  /** What the REST order call does (default: an answer with 주문번호 0000123). */
  answer?: (apiId: string, body: Record<string, unknown>) => RestAnswer | Promise<RestAnswer>;
  /** What each reconciliation shows (undefined: the query fails). */
  account?: () => OrderDesc[] | undefined;
  settleWindowMs?: number;
  master?: Master;
}

/** Whether an unknown outcome is still being settled (undefined for the other states). */
const settling = (o: OrderOutcome | undefined): boolean | undefined => (o?.state === 'unknown' ? o.settling : undefined);

const reply = (body: Record<string, unknown>): RestAnswer => ({ body, contYn: 'N', nextKey: '' });

/**
 * The settling tests run on a fake clock (installed before the rig, so the settler reads it too):
 * advances it 10 ms at a time until `read()` gives `want`, and fails after `limitMs` of fake time.
 * The verdicts, not the timing, are under test here (settle-passes.test.ts pins the timing).
 */
async function settleTo<T>(read: () => T, want: T, limitMs = 10_000): Promise<void> {
  for (let waited = 0; read() !== want; waited += 10) {
    if (waited >= limitMs) throw new Error(`still ${String(read())} after ${limitMs} ms of fake time, not ${String(want)}`);
    await vi.advanceTimersByTimeAsync(10);
  }
}

afterEach(() => {
  vi.useRealTimers();
});

function rig(o: RigOptions = {}) {
  const sent: { apiId: string; body: Record<string, unknown> }[] = [];
  const events: string[] = [];
  const book = new ChejanBook((gubun, f) => events.push(`chejan ${gubun} ${f['9203'] ?? ''} ${f['913'] ?? ''}`), []);
  const trq = new TrQueries(
    { call: () => Promise.reject(new Error('no TR here')), collect: () => Promise.reject(new Error('no TR here')) },
    (event, ...a) => events.push(event === 'OnReceiveTrData' ? `tr ${String(a[0])} ${String(a[1])} ${String(a[2])} ${String(a[4])}` : `msg ${String(a[0])} ${String(a[1])} ${String(a.at(-1))}`),
    () => undefined,
  );
  const master = o.master ?? new Master();
  if (o.master === undefined) {
    master.use({
      day: '20261129',
      lists: { '0': [{ code: '005930', name: '삼성전자' }], '8': [{ code: '069500', name: 'KODEX 200' }], '60': [{ code: '500001', name: 'ETN' }] },
      themes: [],
      branches: [],
    });
  }
  const pass: ReconcilePass = async (decide) => {
    const shown = o.account?.();
    if (shown === undefined) return false;
    decide(shown);
    book.know(shown);
    return true;
  };
  const orders = new Orders(
    {
      call: async (apiId, body) => {
        sent.push({ apiId, body });
        return (o.answer ?? (() => reply({ ord_no: '0000123', return_code: 0, return_msg: '매수주문이 완료되었습니다' })))(apiId, body);
      },
      collect: () => Promise.reject(new Error('orders never page')),
    },
    book,
    trq,
    master,
    {
      accounts: () => ACCOUNTS,
      isMock: () => o.mock ?? false,
      reconcile: pass,
      msg: (screen, rqname, trcode, msg) => events.push(`said ${screen} ${rqname} ${trcode} ${msg}`),
    },
    { settleWindowMs: o.settleWindowMs ?? 200, clockToleranceMs: 1_000 },
  );
  return { orders, sent, events, book, trq };
}

describe('SendOrder: what the OCX refused is refused with its code, naming the argument, and nothing is sent', () => {
  const cases: [string, Partial<OrderArgs>, number, RegExp][] = [
    ['screen 0000', { screen: '0000' }, -105, /screen/],
    ['screen of five digits', { screen: '20000' }, -105, /screen/],
    ['an account of no login', { accno: '8011111111' }, -340, /accno "8011111111"/],
    ['an account with a non-zero prefix', { accno: '18012345611' }, -340, /accno/],
    ['an account cut short', { accno: '012345611' }, -340, /accno/],
    ['orderType 0', { orderType: 0 }, -300, /orderType must be 1\.\.6.*got 0/],
    ['orderType 7 (program trading)', { orderType: 7 }, -300, /orderType/],
    ['a five-digit code', { code: '05930' }, -500, /code must be a 6-character stock code/],
    ['a seven-digit code', { code: '0059301' }, -500, /code must be a 6-character stock code/],
    ['a code with a letter in front other than A', { code: 'B005930' }, -500, /code must be a 6-character stock code/],
    ['a lower-case code', { code: 'a05930' }, -500, /code must be a 6-character stock code/],
    ['an A inside the code', { code: '00A5930' }, -500, /code must be a 6-character stock code/],
    ['qty 0 for a new order', { qty: 0 }, -300, /qty must be a whole number > 0/],
    ['a negative qty', { qty: -1 }, -300, /qty/],
    ['a fractional qty', { qty: 1.5 }, -300, /qty.*got 1\.5/],
    ['a qty over the OCX LONG', { qty: 2_147_483_648 }, -300, /qty.*2147483647/],
    ['a negative qty for a cancel', { orderType: 3, qty: -1, orgOrderNo: '123' }, -300, /qty must be a whole number >= 0/],
    ['a modify without its original', { orderType: 5, orgOrderNo: '' }, -300, /orgOrderNo is required for 매수정정/],
    ['a cancel with a non-numeric original', { orderType: 4, qty: 0, orgOrderNo: '12a' }, -300, /orgOrderNo.*매도취소/],
    ['an original of eleven digits', { orderType: 3, qty: 0, orgOrderNo: '12345678901' }, -300, /orgOrderNo/],
    ['an unknown hoga', { hoga: '99' }, -300, /hoga "99"/],
    ['a limit order without a price', { price: 0 }, -300, /price is required for hoga 00/],
    ['a negative price', { price: -70_000 }, -300, /price must be a whole number/],
    ['a fractional price', { price: 70_000.5 }, -300, /price.*got 70000\.5/],
    ['a price over the OCX LONG', { price: 2_147_483_648 }, -300, /price.*2147483647/],
    ['a fractional price on a market order', { hoga: '03', price: 0.5 }, -300, /price must be a whole number/],
    ['a modify without a price', { orderType: 6, orgOrderNo: '123', price: 0 }, -300, /price is required for 매도정정/],
    ['a modify off the tick', { orderType: 5, orgOrderNo: '123', price: 70_010 }, -300, /price 70010 is not on the KRX tick/],
    ['a limit price off the tick', { price: 70_050 }, -300, /price 70050 is not on the KRX tick/],
    ['an ETF tick on a stock', { price: 20_005 }, -300, /tick/],
    ['a code the master does not list', { code: '000001' }, -500, /code "000001" is not a listed stock/],
  ];

  test.each(cases)('%s', async (_name, over, code, message) => {
    const r = rig();
    const refusal = await r.orders.send(args(over));
    expect(refusal).toMatchObject({ refused: true, code });
    expect(refusal?.message).toMatch(message);
    expect(r.sent).toEqual([]);
    expect(r.orders.outcome('buy')).toEqual({ state: 'refused', code, message: refusal?.message });
  });

  test('paper trading takes hoga 00 and 03 only, and no credit order', async () => {
    const mock = rig({ mock: true });
    expect(await mock.orders.send(args({ hoga: '05' }))).toMatchObject({ code: -300, message: expect.stringMatching(/hoga 05 \(조건부지정가\) is not accepted by paper trading/) as unknown });
    expect(await mock.orders.send(args({ credit: { creditGb: '03', loanDate: '' } }))).toMatchObject({ code: -300, message: expect.stringMatching(/kt10006 is not offered by paper trading/) as unknown });
    expect(mock.sent).toEqual([]);
    // What it takes goes out.
    expect(await mock.orders.send(args({ hoga: '00' }))).toBeUndefined();
    expect(await mock.orders.send(args({ hoga: '03', price: 0 }))).toBeUndefined();
    expect(mock.sent.map((s) => s.body['trde_tp'])).toEqual(['0', '3']);
    // The real server takes both.
    const real = rig();
    expect(await real.orders.send(args({ hoga: '05' }))).toBeUndefined();
    expect(await real.orders.send(args({ rqname: 'credit', credit: { creditGb: '03', loanDate: '' } }))).toBeUndefined();
    expect(real.sent.map((s) => s.apiId)).toEqual(['kt10000', 'kt10006']);
  });

  test('a credit order whose creditGb or loan date does not fit is refused', async () => {
    const r = rig();
    // 03 is a buy code, 33 and 99 sell codes.
    expect(await r.orders.send(args({ orderType: 2, credit: { creditGb: '03', loanDate: '' } }))).toMatchObject({ code: -300, message: expect.stringMatching(/creditGb "03" does not fit a 신규매도/) as unknown });
    expect(await r.orders.send(args({ credit: { creditGb: '33', loanDate: '20260105' } }))).toMatchObject({ code: -300, message: expect.stringMatching(/creditGb "33"/) as unknown });
    expect(await r.orders.send(args({ credit: { creditGb: '07', loanDate: '' } }))).toMatchObject({ code: -300 });
    for (const loanDate of ['2026015', '202601051', 'x20260105', '20260105x']) {
      expect(await r.orders.send(args({ orderType: 2, credit: { creditGb: '33', loanDate } }))).toMatchObject({ code: -300, message: `loanDate must be YYYYMMDD for creditGb 33, got "${loanDate}"` });
    }
    expect(r.sent).toEqual([]);
  });

  test('a master lookup that fails (a 429 storm) refuses with the query code, nothing sent', async () => {
    const failing = Object.assign(new Master(), {
      entry: () => {
        throw new RateLimitError('rate limited', { code: 1700, returnCode: 5, category: 'rate-limit', kiwoomMessage: '허용된 요청 개수를 초과하였습니다' });
      },
    });
    const r = rig({ master: failing });
    expect(await r.orders.send(args())).toMatchObject({ code: -200, message: 'rate limited' });
    expect(r.sent).toEqual([]);
  });
});

describe('SendOrder: what the OCX accepted goes out as one request, exactly', () => {
  const cases: [string, Partial<OrderArgs>, string, Record<string, string>][] = [
    ['a limit buy', { qty: 10 }, 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '10', trde_tp: '0', ord_uv: '70000', cond_uv: '' }],
    ['a market sell sends no price, whatever was given', { orderType: 2, hoga: '03', price: 12_345 }, 'kt10001', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', trde_tp: '3', ord_uv: '', cond_uv: '' }],
    ['a code with its A and blanks, an IOC limit', { code: ' A005930 ', hoga: '10' }, 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', trde_tp: '10', ord_uv: '70000', cond_uv: '' }],
    ['a modify of the whole remainder, the original padded', { orderType: 5, qty: 0, price: 71_000, orgOrderNo: ' 123 ' }, 'kt10002', { dmst_stex_tp: 'KRX', stk_cd: '005930', mdfy_qty: '0', orig_ord_no: '0000123', mdfy_uv: '71000', mdfy_cond_uv: '' }],
    ['a cancel (no price)', { orderType: 4, qty: 3, price: 0, orgOrderNo: '0000123' }, 'kt10003', { dmst_stex_tp: 'KRX', stk_cd: '005930', cncl_qty: '3', orig_ord_no: '0000123' }],
    ['a cancel (a price given is ignored)', { orderType: 3, qty: 0, price: 5, orgOrderNo: '123' }, 'kt10003', { dmst_stex_tp: 'KRX', stk_cd: '005930', cncl_qty: '0', orig_ord_no: '0000123' }],
    ['the largest qty the OCX LONG holds, at the top of a band', { qty: 2_147_483_647, price: 1_999 }, 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '2147483647', trde_tp: '0', ord_uv: '1999', cond_uv: '' }],
    ['a market order with the largest price the OCX LONG holds (ignored)', { hoga: '03', price: 2_147_483_647 }, 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', trde_tp: '3', ord_uv: '', cond_uv: '' }],
    ['an ETF on its flat 5-won tick', { code: '069500', price: 20_005 }, 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '069500', ord_qty: '1', trde_tp: '0', ord_uv: '20005', cond_uv: '' }],
    ['an ETN on its flat 5-won tick', { code: '500001', price: 20_005 }, 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '500001', ord_qty: '1', trde_tp: '0', ord_uv: '20005', cond_uv: '' }],
    ['an account with blanks', { accno: '8012345611 ' }, 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', trde_tp: '0', ord_uv: '70000', cond_uv: '' }],
    ['credit buy (03: no loan date)', { credit: { creditGb: '03', loanDate: '20260105' } }, 'kt10006', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', trde_tp: '0', ord_uv: '70000', cond_uv: '' }],
    ['credit sell 33 with its loan date', { orderType: 2, credit: { creditGb: '33', loanDate: '20260105' } }, 'kt10007', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', trde_tp: '0', ord_uv: '70000', cond_uv: '', crd_deal_tp: '33', crd_loan_dt: '20260105' }],
    ['credit sell 99 (its fixed loan date)', { orderType: 2, credit: { creditGb: '99', loanDate: '' } }, 'kt10007', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', trde_tp: '0', ord_uv: '70000', cond_uv: '', crd_deal_tp: '99', crd_loan_dt: '99991231' }],
    ['a credit modify (creditGb not read)', { orderType: 6, price: 71_000, orgOrderNo: '123', credit: { creditGb: '', loanDate: '' } }, 'kt10008', { dmst_stex_tp: 'KRX', stk_cd: '005930', mdfy_qty: '1', orig_ord_no: '0000123', mdfy_uv: '71000', mdfy_cond_uv: '' }],
  ];
  test.each(cases)('%s', async (_name, over, apiId, body) => {
    const r = rig();
    expect(await r.orders.send(args(over))).toBeUndefined();
    expect(r.sent).toEqual([{ apiId, body }]);
  });

  test('an account as programs kept it (blanks, hyphen, leading zeros) is the login account', () => {
    for (const accno of ['8012345611', '8012345611 ', '80123456-11', '0008012345611', ' 80987654-11']) expect(accountOf(accno, ACCOUNTS), accno).toBeDefined();
    for (const accno of ['18012345611', '108012345611', '018012345611', '012345611', '80123456', '']) expect(accountOf(accno, ACCOUNTS), accno).toBeUndefined();
    expect(accountOf('0008098765411', ACCOUNTS)).toBe('8098765411');
  });
});

describe('SendOrder: the answer and the outcome', () => {
  test('placed: OnReceiveTrData with the 주문번호 GetCommData reads, then OnReceiveMsg with the server text; the number is claimed', async () => {
    const r = rig({ answer: () => reply({ ord_no: ' 0000123 ', return_msg: ' 매수주문이 완료되었습니다 ' }) });
    expect(await r.orders.send(args())).toBeUndefined();
    expect(r.events).toEqual(['tr 2000 buy KOA_NORMAL_BUY_KP_ORD 0', 'msg 2000 buy 매수주문이 완료되었습니다']);
    expect(r.trq.data('KOA_NORMAL_BUY_KP_ORD', 'buy', 0, '주문번호').trim()).toBe('0000123');
    expect(r.book.isClaimed('0000123')).toBe(true);
    expect(r.orders.outcome('buy')).toEqual({ state: 'placed', orderNo: '0000123', settled: false, message: '매수주문이 완료되었습니다' });
  });

  test('an answer without a 주문번호: unknown (not settling), nothing claimed, the program told to check', async () => {
    const r = rig({ answer: () => reply({ return_msg: '처리되었습니다' }) });
    expect(await r.orders.send(args())).toBeUndefined();
    const outcome = r.orders.outcome('buy');
    expect(outcome).toMatchObject({ state: 'unknown', settling: false, candidates: [] });
    expect(outcome?.message).toMatch(/^처리되었습니다 \(주문번호 없는 응답/);
    expect(r.trq.data('KOA_NORMAL_BUY_KP_ORD', 'buy', 0, '주문번호')).toBe('');
    expect(r.book.isClaimed('')).toBe(false);
  });

  test('an answer without a message: placed, and OnReceiveMsg says nothing rather than a made-up text', async () => {
    const r = rig({ answer: () => reply({ ord_no: '0000124' }) });
    await r.orders.send(args());
    expect(r.orders.outcome('buy')).toEqual({ state: 'placed', orderNo: '0000124', settled: false, message: '' });
    expect(r.events).toEqual(['tr 2000 buy KOA_NORMAL_BUY_KP_ORD 0', 'msg 2000 buy ']);
  });

  test('refused by the server: its OCX code, said on OnReceiveMsg with the order TR code', async () => {
    const r = rig({ answer: () => Promise.reject(new RateLimitError('주문 과부하', { code: 1700, returnCode: 5, category: 'rate-limit', kiwoomMessage: '' })) });
    expect(await r.orders.send(args({ orderType: 2, rqname: 'sell' }))).toMatchObject({ code: -308, message: '주문 과부하' });
    expect(r.events).toEqual(['said 2000 sell KOA_NORMAL_SELL_KP_ORD 주문 과부하']);
    expect(r.orders.outcome('sell')).toEqual({ state: 'refused', code: -308, message: '주문 과부하' });
  });

  test('chejan frames that arrive while the order is on the wire wait until its answer was delivered', async () => {
    let r: ReturnType<typeof rig>;
    r = rig({
      answer: () => {
        r.book.onOrderFrame({ '9203': '0000123', '913': '접수', '9001': 'A005930', '907': '2', '900': '1', '901': '70000' });
        return reply({ ord_no: '0000123', return_msg: 'ok' });
      },
    });
    await r.orders.send(args());
    expect(r.events).toEqual(['tr 2000 buy KOA_NORMAL_BUY_KP_ORD 0', 'msg 2000 buy ok', 'chejan 0 0000123 접수']);
  });

  test('a lost answer: unknown and settling at once (the window in seconds said), then placed by evidence, told as an answer', async () => {
    vi.useFakeTimers();
    let wasSent = false;
    let shown: OrderDesc[] = [];
    const r = rig({
      settleWindowMs: 2_000,
      account: () => shown,
      answer: () => {
        wasSent = true;
        return Promise.reject(new OrderUnknownError('no answer', { apiId: 'kt10001', phase: 'headers' }));
      },
    });
    // A sell, so that the side the search looks for is the sell side.
    expect(await r.orders.send(args({ orderType: 2, rqname: 'sell', qty: 3 }))).toBeUndefined();
    expect(wasSent).toBe(true);
    const unknown = r.orders.outcome('sell');
    expect(unknown).toMatchObject({ state: 'unknown', settling: true, candidates: [] });
    expect(unknown?.message).toMatch(/최대 2초 동안.*\(kt10001 005930\)/);
    expect(r.events).toEqual([`said 2000 sell KOA_NORMAL_SELL_KP_ORD ${unknown?.message ?? ''}`]);
    shown = [{ ordNo: '0000077', origOrdNo: '', code: '005930', side: '1', orderQty: 3, price: 70_000, tradeText: '보통', time: hhmmss(Date.now()) }];
    await settleTo(() => r.orders.outcome('sell')?.state, 'placed');
    expect(r.orders.outcome('sell')).toEqual({ state: 'placed', orderNo: '0000077', settled: true, message: '주문 결과 확인: 주문번호 0000077로 접수되었습니다 (응답이 없던 주문)' });
    expect(r.events.slice(1)).toEqual(['tr 2000 sell KOA_NORMAL_SELL_KP_ORD 0', `msg 2000 sell ${r.orders.outcome('sell')?.message ?? ''}`]);
    expect(r.trq.data('KOA_NORMAL_SELL_KP_ORD', 'sell', 0, '주문번호')).toBe('0000077');
    r.orders.close();
  });

  test.each([
    ['padded', '0000123', '0000078'],
    ['without leading zeros', '1002003', '1002004'],
  ])('a lost modify is recognised by its original (%s) and its new price', async (_name, original, ordNo) => {
    vi.useFakeTimers();
    const r = rig({
      account: () => [{ ordNo, origOrdNo: original, code: '005930', side: '2', orderQty: 1, price: 71_000, tradeText: '', time: hhmmss(Date.now()) }],
      answer: () => Promise.reject(new OrderUnknownError('no answer', { phase: 'headers' })),
    });
    await r.orders.send(args({ orderType: 5, orgOrderNo: original, price: 71_000 }));
    await settleTo(() => r.orders.outcome('buy')?.state, 'placed');
    expect(r.orders.outcome('buy')).toMatchObject({ orderNo: ordNo });
  });

  test('an order waits for the day\'s orders read at login before it is sent', async () => {
    const r = rig();
    let read!: (ok: boolean) => void;
    r.orders.learnDay(new Promise<boolean>((resolve) => (read = resolve)));
    const sending = r.orders.send(args());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(r.sent).toEqual([]);
    read(true);
    expect(await sending).toBeUndefined();
    expect(r.sent).toHaveLength(1);
  });

  test('a lost order the account never shows: not placed after the window, told as an answer with an empty 주문번호', async () => {
    vi.useFakeTimers();
    const r = rig({ account: () => [], answer: () => Promise.reject(new OrderUnknownError('no answer', { phase: 'headers' })) });
    await r.orders.send(args());
    await settleTo(() => r.orders.outcome('buy')?.state, 'not-placed');
    expect(r.orders.outcome('buy')?.message).toBe('주문 결과 확인: 주문이 접수되지 않았습니다 (1초 동안 일치하는 주문 없음; 재전송하지 않음)');
    expect(r.events.slice(1)).toEqual(['tr 2000 buy KOA_NORMAL_BUY_KP_ORD 0', `msg 2000 buy ${r.orders.outcome('buy')?.message ?? ''}`]);
    expect(r.trq.data('KOA_NORMAL_BUY_KP_ORD', 'buy', 0, '주문번호')).toBe('');
  });

  test('ambiguous and unknown verdicts are said as messages only, with the candidates', async () => {
    vi.useFakeTimers();
    const fit = (ordNo: string, over: Partial<OrderDesc> = {}): OrderDesc => ({ ordNo, origOrdNo: '', code: '005930', side: '2', orderQty: 1, price: 70_000, tradeText: '보통', time: hhmmss(Date.now()), ...over });
    const lost = () => Promise.reject(new OrderUnknownError('no answer', { phase: 'headers' }));
    const two = rig({ account: () => [fit('0000081'), fit('0000082')], answer: lost });
    await two.orders.send(args());
    await settleTo(() => two.orders.outcome('buy')?.state, 'ambiguous');
    expect(two.orders.outcome('buy')).toMatchObject({ candidates: ['0000081', '0000082'] });
    expect(two.orders.outcome('buy')?.message).toMatch(/^주문 결과 불명확: 주문번호 0000081, 0000082가 모두/);
    expect(two.events.slice(1)).toEqual([`said 2000 buy KOA_NORMAL_BUY_KP_ORD ${two.orders.outcome('buy')?.message ?? ''}`]);

    const loose = rig({ account: () => [fit('0000084', { tradeText: '시장가' }), fit('0000083', { tradeText: '최유리지정가' })], answer: lost });
    await loose.orders.send(args());
    await settleTo(() => settling(loose.orders.outcome('buy')), false);
    expect(loose.orders.outcome('buy')).toMatchObject({ state: 'unknown', candidates: ['0000083', '0000084'] });
    expect(loose.orders.outcome('buy')?.message).toBe('주문 결과 미확인: 일부만 일치하는 주문만 있습니다 (일부 일치: 0000083, 0000084) — 미체결/체결 조회(opt10075, opt10076)로 확인하세요');

    const failing = rig({ account: () => undefined, answer: lost });
    await failing.orders.send(args());
    await settleTo(() => settling(failing.orders.outcome('buy')), false);
    expect(failing.orders.outcome('buy')?.message).toBe('주문 결과 미확인: 주문 조회가 계속 실패했습니다 — 미체결/체결 조회(opt10075, opt10076)로 확인하세요');
  });

  test('close() ends the search: the order stays unknown', async () => {
    vi.useFakeTimers();
    const r = rig({ settleWindowMs: 60_000, account: () => [], answer: () => Promise.reject(new OrderUnknownError('no answer', { phase: 'headers' })) });
    await r.orders.send(args());
    r.orders.close();
    // Well inside the search's next wake-up (an eighth of the minute): close() itself must end it.
    await settleTo(() => settling(r.orders.outcome('buy')), false, 2_000);
    expect(r.orders.outcome('buy')).toMatchObject({ state: 'unknown', message: expect.stringMatching(/확인 전에 세션이 끝났습니다/) as unknown });
  });

  test('the outcomes of the latest 1,000 rqnames are kept; sending under an rqname again makes it the latest', async () => {
    const r = rig();
    await r.orders.send(args({ rqname: 'first' }));
    for (let i = 0; i < 999; i++) await r.orders.send(args({ rqname: `q${i}`, screen: '0000' }));
    expect(r.orders.outcome('first')?.state).toBe('placed');
    // 1,000 kept: one more drops the oldest, unless it was sent again.
    await r.orders.send(args({ rqname: 'q0', screen: '0000' }));
    await r.orders.send(args({ rqname: 'first', screen: '0000' }));
    await r.orders.send(args({ rqname: 'last', screen: '0000' }));
    expect(r.orders.outcome('first')?.state).toBe('refused');
    expect(r.orders.outcome('q0')?.state).toBe('refused');
    expect(r.orders.outcome('q1')).toBeUndefined();
    expect(r.orders.outcome('q2')?.state).toBe('refused');
  });
});
