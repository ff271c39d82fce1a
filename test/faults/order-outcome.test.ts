/**
 * Orders whose answer is lost, late or never sent: a TCP relay between the library and the
 * emulator holds, drops or loses order requests and answers. The library never resends; each
 * order's outcome must be the truth (placed, with its 주문번호, through OnReceiveTrData as a
 * normal answer; not placed, only once the settle window has passed; ambiguous, when two orders
 * fit), and an order another program placed is never claimed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import type { APIServer } from '../../src/facade/index.js';
import { KiwoomRest } from '../../src/rest/index.js';
import { openRelayedApi, type Relay, type RequestFault } from './relay.js';
import { captureLogs, countSecrets, echoSecrets, recordFigures, recordIssuedTokens, waitUntil } from './harness.js';

const logs = captureLogs();
const tokens = recordIssuedTokens();
/** The client gives up on an order after about this long (undici's timers are coarse). */
const GIVE_UP_MS = 600;
/** The settle window the facade is given: long enough to outlast the relay's longest hold. */
const WINDOW_MS = 2_500;
const SCREEN = '3000';

let emu: Emulator;
let relay: Relay;
let api: APIServer;
/** Another program on the same account, straight to the emulator. */
let other: KiwoomRest;
let accno: string;
let serial = 0;
/** An earlier run's market buy, placed before this login. */
let earlier: string;

/** Everything one rqname saw, in order. */
type Seen = { kind: 'tr'; ordNo: string; at: number } | { kind: 'msg'; text: string; at: number } | { kind: 'chejan'; ordNo: string; status: string; at: number };
const seen = new Map<string, Seen[]>();
/** 주문번호 → the rqname whose TrData named it. */
const claimedBy = new Map<string, string>();
const chejan: { ordNo: string; status: string; at: number }[] = [];

const figures = { ordersSent: 0, placedReported: 0, notPlacedReported: 0, ambiguousReported: 0, falseNotPlaced: 0, foreignClaimed: 0, sentTwice: 0 };

/** Applies `fault` to the next request with this api-id, once. */
function arm(apiId: string, fault: RequestFault): void {
  relay.onRequest = (req) => {
    if (req.headers['api-id'] !== apiId) return undefined;
    relay.onRequest = () => undefined;
    return fault;
  };
}

const ledgerNos = (): string[] => emu.orderLedger().map((o) => o.ordNo);
const last = <T>(list: readonly T[]): T | undefined => list[list.length - 1];
const trOf = (rq: string) => (seen.get(rq) ?? []).filter((s): s is Extract<Seen, { kind: 'tr' }> => s.kind === 'tr');
const msgsOf = (rq: string) => (seen.get(rq) ?? []).filter((s): s is Extract<Seen, { kind: 'msg' }> => s.kind === 'msg').map((m) => m.text);

async function send(orderType: number, code: string, qty: number, price: number, hoga: string, orgOrderNo = ''): Promise<{ rq: string; ret: number }> {
  const rq = `outcome-${(serial += 1)}`;
  seen.set(rq, []);
  figures.ordersSent += 1;
  const ret = await api.SendOrder(rq, SCREEN, accno, orderType as 1, code, qty, price, hoga, orgOrderNo);
  return { rq, ret };
}

/** The verdict: the first OnReceiveTrData of `rq` (its 주문번호, empty for "not placed"). */
async function verdictOf(rq: string, ms = WINDOW_MS * 3): Promise<string> {
  await waitUntil(() => trOf(rq).length > 0, `OnReceiveTrData for ${rq}`, ms);
  return trOf(rq)[0]!.ordNo;
}

/** Another program's limit order, placed straight at the emulator; its 주문번호. */
async function foreignOrder(side: 'buy' | 'sell', code: string, qty: number, price: number, trdeTp = '0'): Promise<string> {
  const { body } = await other.call(side === 'buy' ? 'kt10000' : 'kt10001', { dmst_stex_tp: 'KRX', stk_cd: code, ord_qty: String(qty), ord_uv: trdeTp === '3' ? '' : String(price), trde_tp: trdeTp, cond_uv: '' });
  return String(body['ord_no']);
}

/** A limit price well below the market, so the order rests. */
function restingBuyPrice(code: string): number {
  const price = emu.state.quote(code)!.price;
  return Math.floor((price * 0.8) / 100) * 100;
}

beforeAll(async () => {
  // A clock tolerance of a minute: telling an earlier order from ours must not rest on time.
  ({ emu, relay, api } = await openRelayedApi(logs.logger, { seed: 31, giveUpMs: GIVE_UP_MS, orders: { settleWindowMs: WINDOW_MS, clockToleranceMs: 60_000 } }));
  tokens.track(emu);
  other = new KiwoomRest({ appkey: emu.appkey, secretkey: emu.secretkey, simNo: 1, baseUrl: emu.restUrl, limits: { mockQuery: 20 } });
  earlier = await foreignOrder('buy', '000660', 5, 0, '3');
  api.on('OnReceiveTrData', (_s, rq, tr) => seen.get(rq)?.push({ kind: 'tr', ordNo: api.GetCommData(tr, rq, 0, '주문번호').trim(), at: Date.now() }));
  api.on('OnReceiveMsg', (_s, rq, _tr, text) => seen.get(rq)?.push({ kind: 'msg', text, at: Date.now() }));
  api.on('OnReceiveChejanData', (gubun, data) => {
    if (gubun === '0') chejan.push({ ordNo: data['9203'] ?? '', status: data['913'] ?? '', at: Date.now() });
  });
  expect(await api.CommConnect()).toBe(0);
  accno = api.GetLoginInfo('ACCNO').split(';')[0]!;
});

beforeEach(() => {
  relay.onRequest = () => undefined;
});

afterAll(async () => {
  await api?.cleanup();
  await other?.close();
  await relay?.close();
  await emu?.close();
});

/** The 접수 of `ordNo` reached OnReceiveChejanData only after the TrData that named it. */
function chejanAfterAnswer(rq: string, ordNo: string): void {
  const answer = trOf(rq)[0]!;
  const first = chejan.find((c) => c.ordNo === ordNo);
  expect(first, `a chejan event for ${ordNo}`).toBeDefined();
  expect(first!.at).toBeGreaterThanOrEqual(answer.at);
}

describe('an order whose answer is lost', () => {
  test('dropped request: an earlier run\'s identical order, placed moments before this login, is not claimed (first: no reconciliation has run yet)', async () => {
    arm('kt10000', { drop: 'hang' });
    const { rq } = await send(1, '000660', 5, 0, '03');
    const ordNo = await verdictOf(rq);
    if (ordNo === earlier) figures.foreignClaimed += 1;
    expect(ordNo).toBe('');
    figures.notPlacedReported += 1;
  });

  test('late order: the request reaches the server after the client gave up; it is reported placed, never "not placed"', async () => {
    const before = ledgerNos();
    arm('kt10000', { holdRequestMs: GIVE_UP_MS + 1_000 });
    const { rq, ret } = await send(1, '005930', 1, 0, '03');
    expect(ret).toBe(0);
    // Unknown at once, and said so; no verdict yet.
    expect(msgsOf(rq).some((m) => m.includes('미확인'))).toBe(true);
    const ordNo = await verdictOf(rq);
    const placed = ledgerNos().filter((n) => !before.includes(n));
    expect(placed).toHaveLength(1);
    if (ordNo === '') figures.falseNotPlaced += 1;
    expect(ordNo).toBe(placed[0]);
    figures.placedReported += 1;
    claimedBy.set(ordNo, rq);
    expect(last(msgsOf(rq))).toContain(ordNo);
    await waitUntil(() => chejan.some((c) => c.ordNo === ordNo), 'the 접수 of the late order');
    chejanAfterAnswer(rq, ordNo);
  });

  test('lost answer: the order was placed; it is found and reported with its 주문번호', async () => {
    const before = ledgerNos();
    arm('kt10000', { loseAnswer: 'reset' });
    const { rq, ret } = await send(1, '000660', 2, restingBuyPrice('000660'), '00');
    expect(ret).toBe(0);
    const ordNo = await verdictOf(rq);
    const placed = ledgerNos().filter((n) => !before.includes(n));
    expect(placed).toHaveLength(1);
    expect(ordNo).toBe(placed[0]);
    figures.placedReported += 1;
    claimedBy.set(ordNo, rq);
    chejanAfterAnswer(rq, ordNo);
  });

  test('dropped request: another program\'s similar order is not claimed; "not placed" comes only after the window', async () => {
    // Another program's limit buy of 1 share, then our market buy of 1, which never reaches the server.
    const foreign = await foreignOrder('buy', '005930', 1, restingBuyPrice('005930'));
    await waitUntil(() => chejan.some((c) => c.ordNo === foreign), 'the foreign order on the 00 stream');
    const before = ledgerNos();
    arm('kt10000', { drop: 'reset' });
    const sentAt = Date.now();
    const { rq } = await send(1, '005930', 1, 0, '03');
    // Meanwhile the other program places another similar order (same code, side and quantity).
    const foreignAfter = await foreignOrder('buy', '005930', 1, restingBuyPrice('005930') - 100);
    const ordNo = await verdictOf(rq);
    if (ordNo === foreign || ordNo === foreignAfter) figures.foreignClaimed += 1;
    expect(ordNo).toBe('');
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(WINDOW_MS);
    expect(ledgerNos().filter((n) => !before.includes(n))).toEqual([foreignAfter]);
    expect(last(msgsOf(rq))).toContain('접수되지 않았습니다');
    figures.notPlacedReported += 1;
  });

  test('ambiguous: our order and another program\'s identical one both appear; both numbers are reported, neither claimed', async () => {
    const price = restingBuyPrice('035720');
    const before = ledgerNos();
    // Our answer is lost, and the first order query is slow: the other program's order is in
    // before the facade can judge, however loaded the machine.
    let ordersLost = 0;
    let queriesHeld = 0;
    relay.onRequest = (req) => {
      if (req.headers['api-id'] === 'kt10000' && ordersLost++ === 0) return { loseAnswer: 'hang' };
      // Held less than the client waits, so the query still succeeds.
      if (req.headers['api-id'] === 'kt00007' && queriesHeld++ === 0) return { holdAnswerMs: GIVE_UP_MS / 2 };
      return undefined;
    };
    const pending = send(1, '035720', 3, price, '00');
    await waitUntil(() => ledgerNos().length > before.length, 'our order at the server');
    const foreign = await foreignOrder('buy', '035720', 3, price);
    const { rq } = await pending;
    await waitUntil(() => msgsOf(rq).some((m) => m.includes(foreign)), 'a message naming both candidates', WINDOW_MS * 3);
    const ours = ledgerNos().filter((n) => !before.includes(n) && n !== foreign);
    expect(ours).toHaveLength(1);
    expect(last(msgsOf(rq))).toContain(ours[0]);
    // No TrData: a program reading an empty 주문번호 as "not placed" would resend.
    expect(trOf(rq)).toEqual([]);
    figures.ambiguousReported += 1;
  });

  test('cancel whose answer is lost: the cancel order is found by its original order', async () => {
    const placed = await send(1, '005930', 1, restingBuyPrice('005930'), '00');
    const orig = await verdictOf(placed.rq);
    expect(orig).not.toBe('');
    const before = ledgerNos();
    arm('kt10003', { loseAnswer: 'reset' });
    const { rq } = await send(3, '005930', 0, 0, '', orig);
    const ordNo = await verdictOf(rq);
    const cancels = ledgerNos().filter((n) => !before.includes(n));
    expect(cancels).toHaveLength(1);
    expect(ordNo).toBe(cancels[0]);
    figures.placedReported += 1;
  });

  test('every order request reached the server at most once, and no order was claimed twice', () => {
    const ledger = emu.orderLedger();
    figures.sentTwice = ledger.length - new Set(ledger.map((o) => o.ordNo)).size;
    expect(figures.sentTwice).toBe(0);
    const orderRequests = relay.requests.filter((r) => /^kt1000\d$/.test(r.request.headers['api-id'] ?? ''));
    expect(orderRequests.length).toBe(figures.ordersSent);
    expect(figures.falseNotPlaced).toBe(0);
    expect(figures.foreignClaimed).toBe(0);
  });

  test('no app key, secret key or token in any log line of this file', async () => {
    // The other program's token is its own secret: this client never holds it.
    const othersToken = await other.token();
    const secrets = [emu.appkey, emu.secretkey, ...[...tokens].filter((t) => t !== othersToken)];
    const found = countSecrets(logs.lines, secrets, await echoSecrets(api, secrets));
    recordFigures('order-outcome', { ...figures, logLinesScanned: logs.lines.length, secretsFound: found });
    expect(found).toBe(0);
  });
});

