/**
 * The session's less travelled paths against the loopback fake: a gateway's upstream notices,
 * REAL entries for nothing registered, binary frames, one page of a condition search, and
 * calls made before connect() or while a gap does not end.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, CapacityError, SessionError, ValidationError } from '../../src/errors.js';
import { RealtimeSession, type DisconnectInfo, type RealEvent } from '../../src/realtime/index.js';
import { fakeTokens, REAL_0B, sessionOn, startFake, until, type FakeKiwoom } from './fake-kiwoom.js';

let fake: FakeKiwoom;
let rt: RealtimeSession | undefined;

beforeEach(async () => {
  fake = await startFake({ results: { '0': ['005930', '000660', '035420'] }, pageSize: 2 });
});
afterEach(async () => {
  vi.useRealTimers();
  await rt?.close();
  rt = undefined;
  await fake.close();
});

function session(extra: Partial<ConstructorParameters<typeof RealtimeSession>[0]> = {}): RealtimeSession {
  rt = sessionOn(fake, extra);
  return rt;
}

/** Connects `s` and registers 005930's 0B in group 1, the stream most tests here read. */
async function streaming(s: RealtimeSession): Promise<void> {
  await s.connect();
  await s.register('1', ['005930'], ['0B']);
}

describe("a gateway's notices about its own Kiwoom session", () => {
  it('GW10001 is a disconnected event with the gap close code, the socket and registrations stay', async () => {
    const s = session();
    const disconnected: DisconnectInfo[] = [];
    s.on('disconnected', (info) => disconnected.push(info));
    await streaming(s);
    fake.system('GW10001', '게이트웨이의 키움 연결이 끊어졌습니다');
    await fake.waitFor(() => disconnected.length === 1);
    expect(disconnected).toEqual([{ code: 4000, reason: 'GW10001', willReconnect: true }]);
    expect(s.state).toBe('open');
    expect(fake.logins()).toBe(1);
    const seen: RealEvent[] = [];
    s.on('real', (e) => seen.push(e));
    fake.push(REAL_0B('005930', '100'));
    await fake.waitFor(() => seen.length === 1);
  });

  it('GW10002 is a reconnected event carrying the gateway\'s gap, 0 when it gives none that makes sense', async () => {
    const s = session();
    const gaps: number[] = [];
    s.on('reconnected', (gap) => gaps.push(gap));
    await s.connect();
    for (const gap_ms of [1234, 0, -5, 'soon', undefined]) fake.push({ trnm: 'SYSTEM', code: 'GW10002', message: '복구', gap_ms });
    await fake.waitFor(() => gaps.length === 5);
    expect(gaps).toEqual([1234, 0, 0, 0, 0]);
    expect(fake.logins()).toBe(1);
  });

  it('R10002 from the server makes the session reconnect; any other code is only reported', async () => {
    const s = session();
    const codes: string[] = [];
    s.on('system', (e) => codes.push(e.code));
    await s.connect();
    fake.system('R10999', 'notice');
    await fake.waitFor(() => codes.length === 1);
    expect(fake.logins()).toBe(1);
    fake.system('R10002', 'heartbeat');
    await fake.waitFor(() => fake.logins() === 2 && s.state === 'open');
    expect(codes).toEqual(['R10999', 'R10002']);
  });
});

describe('REAL entries', () => {
  it('an entry for nothing registered is dropped and counted; a condition push (02) always passes', async () => {
    const s = session();
    const real: RealEvent[] = [];
    const conditions: unknown[] = [];
    s.on('real', (e) => real.push(e));
    s.on('condition', (e) => conditions.push(e));
    await streaming(s);
    fake.push(REAL_0B('000660', '1'));
    fake.push({ trnm: 'REAL', data: [{ type: '0D', name: '주식호가잔량', item: '005930', values: { '41': '1' } }] });
    fake.push({ trnm: 'REAL', data: [{ type: '02', name: '조건검색', item: '0', values: { '841': '0', '9001': 'A005930', '843': 'I', '20': '093000', '907': '' } }] });
    fake.push(REAL_0B('005930', '2'));
    await fake.waitFor(() => real.length === 1 && conditions.length === 1);
    expect(real.map((e) => e.item)).toEqual(['005930']);
    expect(s.stats()).toMatchObject({ unregistered: 2, framesIn: 6 });
    await s.remove('1');
    fake.push(REAL_0B('005930', '3'));
    await fake.waitFor(() => s.stats().unregistered === 3);
    expect(real).toHaveLength(1);
  });

  it('a binary frame is read as UTF-8 text', async () => {
    const s = session();
    const real: RealEvent[] = [];
    s.on('real', (e) => real.push(e));
    await streaming(s);
    fake.live()[0]?.ws.send(Buffer.from(JSON.stringify(REAL_0B('005930', '체결'))), { binary: true });
    await fake.waitFor(() => real.length === 1);
    expect(real[0]?.values['10']).toBe('체결');
    expect(s.stats().badFrames).toEqual({});
  });
});

describe('one page of a condition search (searchPage)', () => {
  it('returns the page as the server answered it, and asks for the next one with its key', async () => {
    const s = session();
    await s.connect();
    const first = await s.searchPage(0);
    expect(first).toMatchObject({ cont_yn: 'Y', next_key: '2' });
    expect(first.data).toHaveLength(2);
    const second = await s.searchPage('0', { contYn: 'Y', nextKey: '2' });
    expect(second).toMatchObject({ cont_yn: 'N', data: [{ '9001': 'A035420' }] });
    expect(fake.receivedOf('CNSRREQ')).toEqual([
      { trnm: 'CNSRREQ', seq: '0', search_type: '0', stex_tp: 'K', cont_yn: 'N', next_key: '' },
      { trnm: 'CNSRREQ', seq: '0', search_type: '0', stex_tp: 'K', cont_yn: 'Y', next_key: '2' },
    ]);
  });

  it('a refusal is an ApiError with Kiwoom\'s message; before connect() it is a SessionError and nothing is sent', async () => {
    const s = session();
    await expect(s.searchPage(0)).rejects.toMatchObject({ name: 'SessionError', code: 'not-connected' });
    expect(fake.conns).toHaveLength(0);
    await s.connect();
    fake.swallow('CNSRREQ', 1);
    const page = s.searchPage(7).catch((e: unknown) => e);
    await fake.waitFor(() => fake.receivedOf('CNSRREQ').length === 1);
    fake.push({ trnm: 'CNSRREQ', seq: '7', return_code: 1, return_msg: '조건검색 요청 오류' });
    const error = await page;
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toContain('조건검색 요청 오류');
  });
});

describe('before connect() and in a gap that does not end', () => {
  it('register() and remove() before connect() send nothing and resolve; connect() sends the result', async () => {
    const s = session();
    await s.register('1', ['005930', '000660'], ['0B']);
    await s.remove('1', ['000660']);
    expect(fake.conns).toHaveLength(0);
    await s.connect();
    expect(fake.receivedOf('REG')).toEqual([{ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: ['005930'], type: ['0B'] }] }]);
  });

  it('a call while the server stays away rejects with not-open after openTimeoutMs', async () => {
    const s = session({ openTimeoutMs: 100, reconnect: { initialDelayMs: 10_000, maxDelayMs: 10_000 } });
    await s.connect();
    fake.drop();
    await fake.waitFor(() => s.state === 'reconnecting');
    const error = await s.register('1', ['005930'], ['0B']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionError);
    expect(error).toMatchObject({ code: 'not-open' });
  });
});

describe('what a connect or reconnect meets', () => {
  it('a registration refused while connect() restores is an error event; connect() succeeds and the other groups are held', async () => {
    const s = session();
    const errors: Error[] = [];
    s.on('error', (e) => errors.push(e));
    await s.register('1', ['005930'], ['0B']);
    await s.register('2', ['999999'], ['0B']);
    await s.connect();
    expect(s.state).toBe('open');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ApiError);
    expect(errors[0]?.message).toContain('종목코드 오류');
    expect(s.subscriptions()).toEqual({ '1': { '005930': ['0B'] } });
  });

  it('a frame past maxPayloadBytes is counted as too-large, and the session reconnects with what it registered', async () => {
    const s = session({ maxPayloadBytes: 2_000 });
    await streaming(s);
    const first = fake.last();
    fake.push(REAL_0B('005930', '9'.repeat(3_000)));
    await fake.waitFor(() => first.closed && fake.live().length === 1 && s.state === 'open' && fake.last().regs.has('1'));
    expect(s.stats().badFrames).toEqual({ 'too-large': 1 });
  });

  it('the back-off grows over drops that come before a session stayed up healthyAfterMs', async () => {
    const s = session({ healthyAfterMs: 60_000, reconnect: { initialDelayMs: 10, maxDelayMs: 1_000, factor: 2, jitter: 0 } });
    const delays: number[] = [];
    s.on('reconnecting', (_attempt, delay) => delays.push(delay));
    await s.connect();
    for (let drop = 1; drop <= 3; drop++) {
      fake.drop();
      await fake.waitFor(() => fake.logins() === drop + 1 && s.state === 'open');
    }
    expect(delays).toEqual([10, 20, 40]);
  });

  it('the back-off starts again from its first delay once a session stayed up healthyAfterMs', async () => {
    const s = session({ healthyAfterMs: 50, reconnect: { initialDelayMs: 10, maxDelayMs: 1_000, factor: 2, jitter: 0 } });
    const delays: number[] = [];
    s.on('reconnecting', (_attempt, delay) => delays.push(delay));
    await s.connect();
    fake.drop();
    await fake.waitFor(() => fake.logins() === 2 && s.state === 'open');
    // Started after the healthy timer, so it fires after it.
    await new Promise((r) => setTimeout(r, 60));
    fake.drop();
    await fake.waitFor(() => fake.logins() === 3 && s.state === 'open');
    expect(delays).toEqual([10, 10]);
  });
});

describe('the live limits, on the fake', () => {
  it('the item caps refuse before sending, naming the cap and its code; item "" holds no slot; replace frees the group', async () => {
    const s = session({ itemCaps: { perConnection: 3, perGroup: 2 } });
    await s.connect();
    await s.register('1', ['005930', '000660'], ['0B']);
    const sent = fake.receivedOf('REG').length;
    const group = await s.register('1', ['035420'], ['0B']).catch((e: unknown) => e);
    expect(group).toBeInstanceOf(CapacityError);
    expect(group).toMatchObject({ code: 105118, limit: 2, field: 'items' });
    expect((group as Error).message).toMatch(/group 1 would hold 3 items.* allow 2 per group \(rc 105118\)/);
    const connection = await s.register('2', ['035420', '051910'], ['0B']).catch((e: unknown) => e);
    expect(connection).toBeInstanceOf(CapacityError);
    expect(connection).toMatchObject({ code: 105115, limit: 3, field: 'items' });
    expect((connection as Error).message).toMatch(/connection would hold 4 items.* allow 3 per WebSocket connection.*\(rc 105115\)/);
    expect(fake.receivedOf('REG')).toHaveLength(sent);
    expect(s.subscriptions()).toEqual({ '1': { '005930': ['0B'], '000660': ['0B'] } });
    await s.register('2', ['035420'], ['0B']);
    await s.register('3', [''], ['00']);
    await s.register('1', ['051910', '068270'], ['0B'], false);
    expect(Object.keys(s.subscriptions()['1'] ?? {})).toEqual(['051910', '068270']);
  });

  it('a REG refused for the rate (105110) is sent again after a pause and counted; the registration holds', async () => {
    const s = session();
    await s.connect();
    fake.swallow('REG', 1);
    // The pause (1.1 s) on a fake clock.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const registering = s.register('1', ['005930'], ['0B']);
    await until(() => fake.receivedOf('REG').length === 1);
    fake.push({ trnm: 'REG', return_code: 105110, return_msg: '해당 TRNM 허용 요청 건수를 초과하였습니다' });
    await until(() => s.stats().rateRefusals === 1);
    expect(fake.receivedOf('REG')).toHaveLength(1);
    vi.advanceTimersByTime(1_100);
    await registering;
    vi.useRealTimers();
    expect(fake.receivedOf('REG')).toHaveLength(2);
    expect(fake.last().regs.get('1')?.has('005930')).toBe(true);
    expect(s.stats().rateRefusals).toBe(1);
  });
});

describe('calls that meet the wrong state', () => {
  it('the constructor refuses a missing `rest` or one without token() as a ValidationError naming the field', () => {
    for (const options of [undefined, {}, { rest: {} }, { rest: { token: 'tok' } }]) {
      let error: unknown;
      try {
        new RealtimeSession(options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'rest' });
      expect((error as Error).message).toContain('token()');
    }
  });

  it('a one-shot search or a condition list before connect() is a SessionError and nothing is sent; a real-time one is recorded', async () => {
    const s = session();
    const oneShot = await s.search(0).catch((e: unknown) => e);
    expect(oneShot).toBeInstanceOf(SessionError);
    expect(oneShot).toMatchObject({ code: 'not-connected' });
    expect((oneShot as Error).message).toContain('connect()');
    const list = await s.conditions().catch((e: unknown) => e);
    expect(list).toBeInstanceOf(SessionError);
    expect(list).toMatchObject({ code: 'not-connected' });
    expect((list as Error).message).toContain('connect()');
    expect(await s.search(0, { realtime: true })).toEqual([]);
    expect(s.realtimeConditions()).toEqual(['0']);
    await s.stopSearch(0);
    expect(s.realtimeConditions()).toEqual([]);
    expect(fake.conns).toHaveLength(0);
  });

  it('stopSearch() of a condition that is not running sends no CNSRCLR', async () => {
    const s = session();
    await s.connect();
    await s.stopSearch(3);
    await s.search(0, { realtime: true });
    await s.stopSearch(0);
    await s.stopSearch(0);
    expect(fake.receivedOf('CNSRCLR')).toEqual([{ trnm: 'CNSRCLR', seq: '0' }]);
  });

  it('connect() while connecting or open logs in once; close() twice is quiet; connect() after close() is refused', async () => {
    const s = session();
    await Promise.all([s.connect(), s.connect()]);
    await s.connect();
    expect(fake.logins()).toBe(1);
    expect(fake.conns).toHaveLength(1);
    await s.close();
    await s.close();
    expect(s.state).toBe('closed');
    await expect(s.connect()).rejects.toBeInstanceOf(SessionError);
    expect(fake.logins()).toBe(1);
  });

  it('a connect() that fails leaves the session idle, and the next connect() can succeed', async () => {
    const s = session({ wsUrl: 'ws://127.0.0.1:1/ws', connectTimeoutMs: 500 });
    await expect(s.connect()).rejects.toBeDefined();
    expect(s.state).toBe('idle');
    await s.close();
    const again = session();
    await again.connect();
    expect(again.state).toBe('open');
  });

  it('connect() in a reconnect gap waits for the gap to end instead of opening a second socket', async () => {
    const s = session({ reconnect: { initialDelayMs: 100, maxDelayMs: 100, jitter: 0 } });
    await s.connect();
    fake.drop();
    await fake.waitFor(() => s.state === 'reconnecting');
    await s.connect();
    expect(s.state).toBe('open');
    expect(fake.logins()).toBe(2);
    expect(fake.live()).toHaveLength(1);
  });
});

describe('malformed REAL entries', () => {
  it('each malformed entry is counted as bad-real and never dispatched; the good entries of the same frame still are', async () => {
    const s = session();
    const real: RealEvent[] = [];
    s.on('real', (e) => real.push(e));
    await streaming(s);
    const good = { type: '0B', name: '주식체결', item: '005930', values: { '10': '1' } };
    fake.push({
      trnm: 'REAL',
      data: [null, 'x', { item: '005930', values: {} }, { type: '0B', item: 5930, values: {} }, { type: '0B', item: '005930' }, { type: '0B', item: '005930', values: null }, { type: '0B', item: '005930', values: 'x' }, good],
    });
    await fake.waitFor(() => real.length === 1);
    fake.push(REAL_0B('005930', '2'));
    await fake.waitFor(() => real.length === 2);
    expect(real.map((e) => e.values['10'])).toEqual(['1', '2']);
    expect(s.stats().badFrames).toEqual({ 'bad-real': 7 });
  });
});
