import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionError } from '../../src/errors.js';
import { RealtimeSession, type ConditionEvent, type DisconnectInfo } from '../../src/realtime/index.js';
import { fakeTokens, REAL_0B, regsOf, sessionOn, startFake, until, type FakeKiwoom } from './fake-kiwoom.js';

let fake: FakeKiwoom;
let rt: RealtimeSession;

beforeEach(async () => {
  fake = await startFake({ results: { '1': ['005930'], '2': ['005930', '000660'] } });
});
afterEach(async () => {
  vi.useRealTimers();
  await rt.close();
  await fake.close();
});

function session(extra: Partial<ConstructorParameters<typeof RealtimeSession>[0]> = {}, tokens = fakeTokens()): RealtimeSession {
  rt = sessionOn(fake, extra, tokens, 40);
  return rt;
}

const once = <T extends unknown[]>(event: 'reconnected' | 'error' | 'disconnected'): Promise<T> =>
  new Promise((resolve) => rt.once(event, (...args: unknown[]) => resolve(args as T)));

describe('reconnect', () => {
  it('after 20 forced drops during a stream holds exactly the desired subscriptions and conditions, and data flows', async () => {
    // Six REG/REMOVE per second, not the live five: a restore here sends five REGs (150 codes are two), so the
    // REG of group 4 fits the last connection's budget instead of waiting out its window (1.1 s). A budget that
    // outlived its connection would still hold every restore back a window per drop.
    session({ regPerSecond: 6, reconnect: { initialDelayMs: 1, maxDelayMs: 2 } });
    let real = 0;
    rt.on('real', () => real++);
    await rt.connect();
    const many = Array.from({ length: 150 }, (_, i) => String(100000 + i));
    await rt.register('1', many, ['0B']);
    await rt.register('2', ['005930'], ['0D', '0B']);
    await rt.register('9', [], ['00', '04']);
    await rt.search('2', { realtime: true });
    await rt.search('1', { realtime: true });
    const stream = setInterval(() => fake.push(REAL_0B('005930', '+100')), 2);
    try {
      for (let drop = 1; drop <= 20; drop++) {
        const back = once('reconnected');
        fake.drop();
        // change what is wanted while the socket is down, now and then
        if (drop === 5) void rt.remove('2', ['005930'], ['0D']);
        if (drop === 10) void rt.register('3', ['035720'], ['0A']);
        if (drop === 15) void rt.stopSearch('1');
        await back;
      }
      await rt.register('4', ['000660'], ['0B']); // the session takes new work afterwards
      const before = real;
      await fake.waitFor(() => real > before + 5);
    } finally {
      clearInterval(stream);
    }
    expect(rt.stats().reconnects).toBe(20);
    expect(fake.live()).toHaveLength(1);
    const server = fake.last();
    expect(regsOf(server)).toEqual(rt.subscriptions());
    expect(rt.subscriptions()).toEqual({
      '1': Object.fromEntries(many.map((c) => [c, ['0B']])),
      '2': { '005930': ['0B'] },
      '3': { '035720': ['0A'] },
      '4': { '000660': ['0B'] },
      '9': { '': ['00', '04'] },
    });
    expect([...server.realtimeConds]).toEqual(['2']);
    expect(rt.realtimeConditions()).toEqual(['2']);
  });

  it('reports entries and exits a real-time condition had during the gap', async () => {
    session();
    const events: ConditionEvent[] = [];
    rt.on('condition', (e) => events.push(e));
    await rt.connect();
    await rt.search('2', { realtime: true });
    fake.results['2'] = ['000660', '035720'];
    const back = once('reconnected');
    fake.drop();
    await back;
    expect(events).toEqual([
      { seq: '2', code: '035720', kind: 'I', time: '', restored: true },
      { seq: '2', code: '005930', kind: 'D', time: '', restored: true },
    ]);
  });

  it('logs in again with a fresh token when the old one is refused after a drop', async () => {
    const tokens = fakeTokens(['tok-1', 'tok-2']);
    session({}, tokens);
    await rt.connect();
    await rt.register('1', ['005930'], ['0B']);
    fake.validTokens.clear();
    fake.validTokens.add('tok-2');
    const back = once('reconnected');
    fake.drop();
    await back;
    expect(fake.receivedOf('LOGIN').map((m) => m['token'])).toEqual(['tok-1', 'tok-1', 'tok-2']);
    expect(tokens.invalidations).toBe(1);
    expect(regsOf(fake.last())).toEqual({ '1': { '005930': ['0B'] } });
  });

  it.each([
    ['a REG group', 'REG'],
    ['a real-time condition', 'CNSRREQ'],
  ])('a drop while %s is being restored fails that attempt: the session reconnects again and holds everything', async (_what, trnm) => {
    session();
    const errors: Error[] = [];
    rt.on('error', (e) => errors.push(e));
    await rt.connect();
    await rt.register('1', ['005930'], ['0B']);
    await rt.search('2', { realtime: true });
    const sent = fake.receivedOf(trnm).length;
    // The restore's request goes unanswered, and the socket is lost while it waits.
    fake.swallow(trnm, 1);
    fake.drop();
    await fake.waitFor(() => fake.receivedOf(trnm).length > sent);
    fake.drop();
    const restored = (): boolean => fake.live().length === 1 && Object.hasOwn(regsOf(fake.last()), '1') && fake.last().realtimeConds.has('2');
    await fake.waitFor(() => rt.state === 'open' && restored(), 2_000);
    expect(fake.logins()).toBe(3);
    expect(regsOf(fake.last())).toEqual({ '1': { '005930': ['0B'] } });
    expect(rt.stats().reconnects).toBe(1);
    // A lost socket is a failed attempt, not a refusal to report.
    expect(errors).toEqual([]);
  });

  it('a register() during the gap resolves once the server holds it', async () => {
    session({ reconnect: { initialDelayMs: 60, maxDelayMs: 60, jitter: 0 } });
    await rt.connect();
    const down = once<[DisconnectInfo]>('disconnected');
    fake.drop();
    await down;
    expect(rt.state).toBe('reconnecting');
    await rt.register('5', ['005930'], ['0B']);
    expect(rt.state).toBe('open');
    expect(regsOf(fake.last())).toEqual({ '5': { '005930': ['0B'] } });
  });
});

describe('SYSTEM', () => {
  it('R10001 stops the session with a SessionError that says why, and never reconnects', async () => {
    session();
    await rt.connect();
    const failed = once<[SessionError]>('error');
    const down = once<[DisconnectInfo]>('disconnected');
    fake.kick();
    const [error] = await failed;
    expect(error).toBeInstanceOf(SessionError);
    expect(error.code).toBe('R10001');
    expect(error.message).toMatch(/Another login with the same app key took over this WebSocket session/);
    expect((await down)[0].willReconnect).toBe(false);
    await new Promise((r) => setTimeout(r, 150));
    expect(fake.conns).toHaveLength(1);
    expect(rt.state).toBe('closed');
  });

  it('R10002 (heartbeat missed) and R10004 (no LOGIN) reconnect with a LOGIN first', async () => {
    session();
    await rt.connect();
    for (const code of ['R10002', 'R10004']) {
      const back = once('reconnected');
      fake.system(code, 'closing');
      await back;
      expect(JSON.parse(fake.last().received[0] ?? '{}')).toMatchObject({ trnm: 'LOGIN' });
    }
    expect(fake.conns).toHaveLength(3);
  });

  it('reconnects when the server falls silent past the heartbeat timeout, not while frames flow', async () => {
    // The heartbeat's interval on a fake clock: 400 ms of PINGs every 10 ms, then silence.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    session({ pingIntervalMs: 50, heartbeatMisses: 4 });
    await rt.connect();
    for (let ms = 10; ms <= 400; ms += 10) {
      const seen = rt.stats().framesIn;
      fake.push('{"trnm":"PING"}');
      await until(() => rt.stats().framesIn > seen);
      vi.advanceTimersByTime(10);
    }
    expect(fake.conns).toHaveLength(1);
    const back = once('reconnected');
    vi.advanceTimersByTime(200);
    await back;
    expect(fake.conns.length).toBeGreaterThanOrEqual(2);
  });
});

describe('auth circuit breaker', () => {
  it('stops after K consecutive login refusals with an actionable SessionError', async () => {
    const tokens = fakeTokens(['tok-1', 'x-2', 'x-3', 'x-4', 'x-5']);
    session({ authFailureLimit: 3 }, tokens);
    await rt.connect();
    fake.validTokens.clear();
    const failed = once<[SessionError]>('error');
    fake.drop();
    const [error] = await failed;
    expect(error.code).toBe('auth-circuit-open');
    expect(error.message).toMatch(/refused 3 times.*IP.*registered.*simNo/s);
    expect(error.message).not.toMatch(/tok-|x-\d/);
    expect(rt.state).toBe('closed');
    const connections = fake.conns.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(fake.conns.length).toBe(connections);
    expect(fake.logins()).toBe(4);
  });

  it('opens on the first connect too', async () => {
    session({ authFailureLimit: 2 }, fakeTokens(['bad-1', 'bad-2']));
    await expect(rt.connect()).rejects.toMatchObject({ name: 'SessionError', code: 'auth-circuit-open' });
  });
});

describe('connect() during a gap', () => {
  it('waits for the running reconnect instead of opening a second socket', async () => {
    session({ reconnect: { initialDelayMs: 60, maxDelayMs: 60, jitter: 0 } });
    await rt.connect();
    const down = once<[DisconnectInfo]>('disconnected');
    fake.drop();
    await down;
    await rt.connect();
    expect(rt.state).toBe('open');
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.conns).toHaveLength(2);
    expect(fake.live()).toHaveLength(1);
  });
});

describe('unanswered requests', () => {
  it('a reply that never comes kills the socket; the request is done again after the reconnect', async () => {
    session({ requestTimeoutMs: 100 });
    await rt.connect();
    fake.swallow('REG', 1);
    const downs: DisconnectInfo[] = [];
    rt.on('disconnected', (d) => downs.push(d));
    await rt.register('1', ['005930'], ['0B']);
    expect(downs).toHaveLength(1);
    expect(fake.conns).toHaveLength(2);
    expect(regsOf(fake.last())).toEqual({ '1': { '005930': ['0B'] } });
  });
});

describe('reconnect off', () => {
  it('goes idle on a drop; what is registered meanwhile is sent by the next connect()', async () => {
    session({ reconnect: false });
    await rt.connect();
    await rt.register('1', ['005930'], ['0B']);
    const down = once<[DisconnectInfo]>('disconnected');
    fake.drop();
    expect((await down)[0].willReconnect).toBe(false);
    expect(rt.state).toBe('idle');
    await rt.register('2', ['000660'], ['0D']);
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.conns).toHaveLength(1);
    await rt.connect();
    expect(regsOf(fake.last())).toEqual({ '1': { '005930': ['0B'] }, '2': { '000660': ['0D'] } });
  });

  it('close() while a request waits rejects it with a SessionError', async () => {
    session();
    await rt.connect();
    fake.swallow('REG', 1);
    const outcome = rt.register('1', ['005930'], ['0B']).catch((e: unknown) => e);
    await fake.waitFor(() => fake.receivedOf('REG').length === 1);
    await rt.close();
    expect(await outcome).toMatchObject({ name: 'SessionError', code: 'closed' });
  });
});
