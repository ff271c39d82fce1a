/**
 * The session's bounds and the answers a program reads, against the loopback fake: each retry
 * loop at its bound (exactly N tries, then the error the program gets), the server's refusals of
 * the condition requests, close() and connect() meeting a socket or a gap half-way, the close
 * texts, and the heartbeat counted on a fake interval clock.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, NetworkError, SessionError } from '../../src/errors.js';
import { RealtimeSession, type ConditionEvent, type DisconnectInfo } from '../../src/realtime/index.js';
import { fakeTokens, REAL_0B, regsOf, sessionOn, startFake, until, type FakeKiwoom } from './fake-kiwoom.js';

/** Six-digit codes 100000, 100001, … */
const codes = (n: number): string[] => Array.from({ length: n }, (_, i) => String(100_000 + i));

let fake: FakeKiwoom;
let rt: RealtimeSession | undefined;

beforeEach(async () => {
  fake = await startFake({ results: { '5': ['005930'], '9': codes(1_001) }, pageSize: 1 });
});
afterEach(async () => {
  vi.useRealTimers();
  await rt?.close();
  rt = undefined;
  await fake.close();
});

function session(extra: Partial<ConstructorParameters<typeof RealtimeSession>[0]> = {}, tokens = fakeTokens()): RealtimeSession {
  rt = sessionOn(fake, extra, tokens);
  return rt;
}

/** REG and REMOVE frames as the last socket received them, in order. */
function regFrames(): Record<string, unknown>[] {
  return fake
    .last()
    .received.map((t) => JSON.parse(t) as Record<string, unknown>)
    .filter((m) => m['trnm'] === 'REG' || m['trnm'] === 'REMOVE');
}

describe('a control call over lost connections', () => {
  it('is sent again after each of four losses and answered on the fifth socket', async () => {
    const s = session();
    await s.connect();
    fake.dropOn('CNSRREQ', 4);
    expect(await s.search(5)).toEqual(['005930']);
    expect(fake.receivedOf('CNSRREQ')).toHaveLength(5);
    expect(fake.logins()).toBe(5);
  });

  it('gives up at the fifth loss: the program gets the NetworkError, with exactly five requests sent', async () => {
    const s = session();
    await s.connect();
    fake.dropOn('CNSRREQ', 5);
    const error = await s.search(5).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(fake.receivedOf('CNSRREQ')).toHaveLength(5);
    await fake.waitFor(() => s.state === 'open' && fake.logins() === 6);
    expect(await s.search(5)).toEqual(['005930']);
  });
});

describe('a REG refused for the rate (105110), on a fake clock', () => {
  /** Registers 005930's 0B while the server refuses the first `refusals` REGs for the rate. */
  async function registerThrough(s: RealtimeSession, refusals: number): Promise<unknown> {
    await s.connect();
    fake.swallow('REG', refusals);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let outcome: unknown = 'pending';
    void s.register('1', ['005930'], ['0B']).then(
      () => (outcome = 'registered'),
      (e: unknown) => (outcome = e),
    );
    for (let k = 1; k <= refusals; k++) {
      await until(() => fake.receivedOf('REG').length === k);
      fake.push({ trnm: 'REG', return_code: 105110, return_msg: '해당 TRNM 허용 요청 건수를 초과하였습니다' });
      if (k > 3) break;
      await until(() => s.stats().rateRefusals === k);
      vi.advanceTimersByTime(1_100);
    }
    await until(() => outcome !== 'pending');
    vi.useRealTimers();
    return outcome;
  }

  it('is sent again three times: the fourth REG is acknowledged and the registration holds', async () => {
    const s = session();
    expect(await registerThrough(s, 3)).toBe('registered');
    expect(fake.receivedOf('REG')).toHaveLength(4);
    expect(regsOf(fake.last())).toEqual({ '1': { '005930': ['0B'] } });
    expect(s.stats().rateRefusals).toBe(3);
  });

  it('a fourth refusal is the error register() rejects with; exactly four REGs went out and nothing is wanted', async () => {
    const s = session();
    const error = await registerThrough(s, 4);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ returnCode: 105110 });
    expect(fake.receivedOf('REG')).toHaveLength(4);
    expect(s.subscriptions()).toEqual({});
    expect(s.stats().rateRefusals).toBe(3);
  });
});

describe('one-shot condition results', () => {
  it('a server still saying cont_yn Y after 1,000 pages is cut there: exactly 1,000 pages asked and returned', async () => {
    const s = session();
    await s.connect();
    expect(await s.search(9)).toEqual(codes(1_000));
    expect(fake.receivedOf('CNSRREQ')).toHaveLength(1_000);
  });

  it('a next page is asked with next_key "" when the server gave none', async () => {
    const s = session();
    await s.connect();
    fake.swallow('CNSRREQ', 2);
    const search = s.search(6);
    await fake.waitFor(() => fake.receivedOf('CNSRREQ').length === 1);
    fake.push({ trnm: 'CNSRREQ', seq: '6', return_code: 0, cont_yn: 'Y', data: [{ '9001': 'A005930' }] });
    await fake.waitFor(() => fake.receivedOf('CNSRREQ').length === 2);
    fake.push({ trnm: 'CNSRREQ', seq: '6', return_code: 0, cont_yn: 'N', data: [{ '9001': 'A000660' }] });
    expect(await search).toEqual(['005930', '000660']);
    expect(fake.receivedOf('CNSRREQ')[1]).toEqual({ trnm: 'CNSRREQ', seq: '6', search_type: '0', stex_tp: 'K', cont_yn: 'Y', next_key: '' });
  });
});

describe('refusals of the condition requests', () => {
  /** Sends what `call` sends, answers its `trnm` with a refusal, and returns what the call rejected with. */
  async function refused(s: RealtimeSession, trnm: string, call: () => Promise<unknown>, message: string): Promise<unknown> {
    fake.swallow(trnm, 1);
    const sent = fake.receivedOf(trnm).length;
    const pending = call().catch((e: unknown) => e);
    await fake.waitFor(() => fake.receivedOf(trnm).length === sent + 1);
    fake.push({ trnm, return_code: 1, return_msg: message });
    return pending;
  }

  it('a refused condition list is an ApiError with its message, and the next real-time search lists again, once', async () => {
    const s = session();
    await s.connect();
    const error = await refused(s, 'CNSRLST', () => s.conditions(), '조건검색 목록 조회 오류');
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toContain('조건검색 목록 조회 오류');
    await s.search(0, { realtime: true });
    await s.search(1, { realtime: true });
    expect(fake.receivedOf('CNSRLST')).toHaveLength(2);
    expect(s.realtimeConditions()).toEqual(['0', '1']);
  });

  it('a refused one-shot search is an ApiError with its message', async () => {
    const s = session();
    await s.connect();
    const error = await refused(s, 'CNSRREQ', () => s.search(5), '조건검색 요청 오류');
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toContain('조건검색 요청 오류');
  });

  it('a real-time search the server refuses rejects with its message and is no longer wanted', async () => {
    const s = session({ maxRealtimeConditions: 20 });
    await s.connect();
    for (let seq = 0; seq < 10; seq++) await s.search(seq, { realtime: true });
    const error = await s.search(10, { realtime: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toContain('실시간 조건검색 개수 초과');
    expect(s.realtimeConditions()).toEqual(Array.from({ length: 10 }, (_, seq) => String(seq)));
  });

  it('a refused stop (CNSRCLR) is an ApiError with its message', async () => {
    const s = session();
    await s.connect();
    await s.search(5, { realtime: true });
    const error = await refused(s, 'CNSRCLR', () => s.stopSearch(5), '조건검색 중지 오류');
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toContain('조건검색 중지 오류');
  });

  it('a real-time search stopped before its turn sends nothing and resolves to no codes', async () => {
    const s = session();
    await s.connect();
    const started = s.search(5, { realtime: true });
    const stopped = s.stopSearch(5);
    expect(await started).toEqual([]);
    await stopped;
    expect(fake.receivedOf('CNSRREQ')).toEqual([]);
    expect(fake.receivedOf('CNSRCLR')).toEqual([]);
    expect(s.realtimeConditions()).toEqual([]);
  });

  it('a real-time search recorded before connect() starts on connect without condition events for its first list', async () => {
    const s = session();
    const events: ConditionEvent[] = [];
    s.on('condition', (e) => events.push(e));
    await s.search(5, { realtime: true });
    await s.connect();
    expect(fake.receivedOf('CNSRREQ')).toEqual([{ trnm: 'CNSRREQ', seq: '5', search_type: '1', stex_tp: 'K' }]);
    expect(events).toEqual([]);
  });
});

describe('registrations, as sent', () => {
  it('a REMOVE carries no refresh; registering the pair again after it is sent again', async () => {
    const s = session();
    await s.connect();
    await s.register('1', ['005930'], ['0B']);
    await s.remove('1', ['005930'], ['0B']);
    await s.register('1', ['005930'], ['0B']);
    const block = { item: ['005930'], type: ['0B'] };
    expect(regFrames()).toEqual([
      { trnm: 'REG', grp_no: '1', refresh: '1', data: [block] },
      { trnm: 'REMOVE', grp_no: '1', data: [block] },
      { trnm: 'REG', grp_no: '1', refresh: '1', data: [block] },
    ]);
    expect(regsOf(fake.last())).toEqual({ '1': { '005930': ['0B'] } });
  });

  it("refresh '0' replaces the group as false does, and a replacing call's account and item types both stay", async () => {
    const s = session();
    await s.connect();
    await s.register('1', ['005930'], ['0B']);
    await s.register('1', ['000660'], ['0B'], '0');
    expect(s.subscriptions()).toEqual({ '1': { '000660': ['0B'] } });
    await s.register('2', ['005930'], ['00', '0B'], false);
    expect(s.subscriptions()['2']).toEqual({ '': ['00'], '005930': ['0B'] });
    expect(regsOf(fake.last())).toEqual({ '1': { '000660': ['0B'] }, '2': { '': ['00'], '005930': ['0B'] } });
  });

  it('a REG refused for anything but the rate is sent once: register() rejects with the refusal and the pair is not wanted', async () => {
    const s = session();
    await s.connect();
    const error = await s.register('2', ['999999'], ['0B']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toContain('종목코드 오류');
    expect(fake.receivedOf('REG')).toHaveLength(1);
    expect(s.subscriptions()).toEqual({});
  });

  it('remove() with an empty item list ends the group', async () => {
    const s = session();
    await s.connect();
    await s.register('1', ['005930', '000660'], ['0B']);
    await s.remove('1', []);
    expect(s.subscriptions()).toEqual({});
    expect(regsOf(fake.last())).toEqual({});
  });
});

describe('close() and connect() meeting a socket or a gap half-way', () => {
  it('close() while connect() opens its socket: connect() rejects with closed, no LOGIN is sent, the session stays closed', async () => {
    const s = session();
    const connecting = s.connect().catch((e: unknown) => e);
    await s.close();
    expect(await connecting).toMatchObject({ name: 'SessionError', code: 'closed' });
    expect(s.state).toBe('closed');
    await fake.waitFor(() => fake.conns.every((c) => c.closed));
    expect(fake.logins()).toBe(0);
    await expect(s.connect()).rejects.toMatchObject({ code: 'closed' });
  });

  it("a call made while connect() is under way is refused with connect()'s own error when it fails, not after openTimeoutMs", async () => {
    const s = session({ wsUrl: 'ws://127.0.0.1:1/ws', connectTimeoutMs: 500, openTimeoutMs: 3_000 });
    const connecting = s.connect().catch((e: unknown) => e);
    const registering = s.register('1', ['005930'], ['0B']).catch((e: unknown) => e);
    const failure = await connecting;
    expect(failure).toBeInstanceOf(NetworkError);
    expect(await registering).toBe(failure);
    expect(s.state).toBe('idle');
    expect(s.subscriptions()).toEqual({ '1': { '005930': ['0B'] } });
  });

  it('close() rejects a call waiting out a reconnect gap at once with closed, and nothing is sent', async () => {
    const s = session({ openTimeoutMs: 2_000, reconnect: { initialDelayMs: 10_000, maxDelayMs: 10_000 } });
    await s.connect();
    fake.drop();
    await fake.waitFor(() => s.state === 'reconnecting');
    const pending = s.register('1', ['005930'], ['0B']).catch((e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    await s.close();
    expect(await pending).toMatchObject({ name: 'SessionError', code: 'closed' });
    expect(fake.receivedOf('REG')).toEqual([]);
  });

  it('close() during a reconnect attempt ends it quietly: no error event, no login after', async () => {
    const s = session();
    const errors: Error[] = [];
    s.on('error', (e) => errors.push(e));
    await s.connect();
    fake.swallow('LOGIN', 1);
    fake.drop();
    await fake.waitFor(() => fake.logins() === 2);
    await s.close();
    expect(errors).toEqual([]);
    expect(s.state).toBe('closed');
    expect(fake.logins()).toBe(2);
  });

  it('connect() in a reconnect gap is that reconnect: one reconnected event with the gap, counted once', async () => {
    const s = session({ reconnect: { initialDelayMs: 100, maxDelayMs: 100, jitter: 0 } });
    const gaps: number[] = [];
    s.on('reconnected', (gap) => gaps.push(gap));
    await s.connect();
    fake.drop();
    await fake.waitFor(() => s.state === 'reconnecting');
    await s.connect();
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toBeGreaterThanOrEqual(90);
    expect(gaps[0]).toBeLessThan(10_000);
    expect(s.stats().reconnects).toBe(1);
  });

  it('failed reconnect attempts are numbered 1, 2, 3 in the reconnecting events until one succeeds', async () => {
    const s = session({ requestTimeoutMs: 50 });
    const attempts: number[] = [];
    s.on('reconnecting', (attempt) => attempts.push(attempt));
    await s.connect();
    fake.swallow('LOGIN', 2);
    fake.drop();
    await fake.waitFor(() => fake.logins() === 4 && s.state === 'open');
    expect(attempts).toEqual([1, 2, 3]);
    expect(s.stats().reconnects).toBe(1);
  });

  it('a login circuit that opens during reconnects stops the session with one error and no second disconnected event', async () => {
    const s = session({}, fakeTokens(['tok-1', 'bad-2']));
    const disconnected: DisconnectInfo[] = [];
    const errors: Error[] = [];
    s.on('disconnected', (info) => disconnected.push(info));
    s.on('error', (e) => errors.push(e));
    await s.connect();
    fake.validTokens.delete('tok-1');
    fake.drop();
    await fake.waitFor(() => s.state === 'closed');
    expect(disconnected).toEqual([{ code: 1006, reason: '', willReconnect: true }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ name: 'SessionError', code: 'auth-circuit-open' });
  });

  it("a call made as R10002 closes the socket waits for the reconnect and is sent on the new socket only", async () => {
    const s = session();
    await s.connect();
    let registering: Promise<void> | undefined;
    s.on('system', () => (registering = s.register('1', ['005930'], ['0B'])));
    fake.system('R10002', '세션이 종료됩니다');
    await fake.waitFor(() => registering !== undefined);
    await registering;
    expect(fake.logins()).toBe(2);
    expect(fake.conns[0]?.regs.size).toBe(0);
    expect(regsOf(fake.last())).toEqual({ '1': { '005930': ['0B'] } });
  });

  it('close() in a reconnect gap cuts its back-off short: no timer is left to hold the process', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const s = session({ reconnect: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    await s.connect();
    fake.drop();
    await until(() => s.state === 'reconnecting');
    expect(vi.getTimerCount()).toBe(1);
    await s.close();
    expect(vi.getTimerCount()).toBe(0);
    expect(fake.logins()).toBe(1);
  });

  it('a search after close() fails at once with closed instead of waiting out the condition window', async () => {
    const s = session({ conditionRateLimit: { windowMs: 60_000 } });
    await s.connect();
    await s.search(5);
    await s.close();
    await expect(s.search(5)).rejects.toMatchObject({ name: 'SessionError', code: 'closed' });
  });
});

describe('with reconnect off, what a drop leaves the program', () => {
  it('the pending call gets a NetworkError naming the close code and reason; disconnected says the same; the session is idle', async () => {
    const s = session({ reconnect: false });
    const disconnected: DisconnectInfo[] = [];
    s.on('disconnected', (info) => disconnected.push(info));
    for (const [close, text, info] of [
      [() => fake.last().ws.close(4001, 'maintenance'), 'WebSocket closed (code 4001: maintenance)', { code: 4001, reason: 'maintenance', willReconnect: false }],
      [() => fake.drop(), 'WebSocket closed (code 1006)', { code: 1006, reason: '', willReconnect: false }],
    ] as const) {
      await s.connect();
      fake.swallow('CNSRREQ', 1);
      const sent = fake.receivedOf('CNSRREQ').length;
      const pending = s.search(5).catch((e: unknown) => e);
      await fake.waitFor(() => fake.receivedOf('CNSRREQ').length === sent + 1);
      close();
      const error = await pending;
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as Error).message).toBe(text);
      expect(disconnected.at(-1)).toEqual(info);
      expect(s.state).toBe('idle');
    }
    expect(fake.logins()).toBe(2);
  });

  it('a call made as R10002 closes the socket is refused with disconnected, naming connect(); nothing is sent', async () => {
    const s = session({ reconnect: false });
    await s.connect();
    let registering: Promise<unknown> | undefined;
    s.on('system', () => (registering = s.register('1', ['005930'], ['0B']).catch((e: unknown) => e)));
    fake.system('R10002', '세션이 종료됩니다');
    await fake.waitFor(() => registering !== undefined);
    const error = await registering;
    expect(error).toBeInstanceOf(SessionError);
    expect(error).toMatchObject({ code: 'disconnected' });
    expect((error as Error).message).toContain('connect()');
    expect(fake.receivedOf('REG')).toEqual([]);
  });
});

describe('the heartbeat, on a fake interval clock', () => {
  it('a silent server is dropped after exactly heartbeatMisses silent intervals; a frame starts the count again; close() leaves no interval', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const s = session({ pingIntervalMs: 1_000, heartbeatMisses: 3 });
    const disconnected: DisconnectInfo[] = [];
    s.on('disconnected', (info) => disconnected.push(info));
    await s.connect();
    vi.advanceTimersByTime(2_000);
    // A round trip on the same socket: two silent intervals did not drop it.
    await s.register('1', ['005930'], ['0B']);
    expect(disconnected).toEqual([]);
    expect(fake.logins()).toBe(1);
    vi.advanceTimersByTime(1_000); // sees the REG answer: the count starts again
    vi.advanceTimersByTime(2_000);
    fake.push(REAL_0B('005930', '1'));
    await fake.waitFor(() => s.stats().framesIn === 3);
    vi.advanceTimersByTime(1_000); // sees the REAL frame
    vi.advanceTimersByTime(2_000);
    expect(fake.last().closed).toBe(false);
    vi.advanceTimersByTime(1_000);
    await fake.waitFor(() => disconnected.length === 1, 2_000);
    await fake.waitFor(() => fake.logins() === 2 && s.state === 'open');
    await s.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('what a program reads', () => {
  it("log lines carry component 'realtime' under the program's logger", async () => {
    const lines: string[] = [];
    const s = session({ logger: pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) }) });
    const codes: string[] = [];
    s.on('system', (e) => codes.push(e.code));
    await s.connect();
    fake.system('R10999', '공지');
    await fake.waitFor(() => codes.length === 1);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ component: 'realtime' });
  });

  it('a SYSTEM frame without code or message is a system event with both empty', async () => {
    const s = session();
    const events: { code: string; message: string }[] = [];
    s.on('system', (e) => events.push(e));
    await s.connect();
    fake.push({ trnm: 'SYSTEM' });
    await fake.waitFor(() => events.length === 1);
    expect(events).toEqual([{ code: '', message: '' }]);
    expect(s.state).toBe('open');
  });

  it('JSON that is not an object (null, a number) is counted as not-object; the session goes on', async () => {
    const s = session();
    await s.connect();
    fake.push('null');
    fake.push('7');
    fake.push('{"trnm":"SYSTEM","code":"R10999"}');
    await fake.waitFor(() => s.stats().framesIn === 4);
    expect(s.stats().badFrames).toEqual({ 'not-object': 2 });
    expect(s.state).toBe('open');
  });

  it('a protocol error from the server (a masked frame) reconnects and is not counted as a too-large frame', async () => {
    const s = session();
    await s.connect();
    const socket = (fake.last().ws as unknown as { _socket: { write(b: Buffer): void } })._socket;
    socket.write(Buffer.from([0x81, 0x81, 1, 2, 3, 4, 0x78 ^ 1]));
    await fake.waitFor(() => fake.logins() === 2 && s.state === 'open');
    expect(s.stats().badFrames).toEqual({});
  });

  it('searchPage() before connect() names connect() in its message', async () => {
    const s = session();
    const error = await s.searchPage(0).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SessionError', code: 'not-connected' });
    expect((error as Error).message).toContain('connect()');
  });
});
