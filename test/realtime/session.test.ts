import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, AuthError, SessionError, ValidationError } from '../../src/errors.js';
import { RealtimeSession, resolveWsUrl, type RealEvent } from '../../src/realtime/index.js';
import { fakeTokens, REAL_0B, regsOf, sessionOn, startFake, type FakeKiwoom } from './fake-kiwoom.js';

let fake: FakeKiwoom;
let rt: RealtimeSession | undefined;

beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => {
  await rt?.close();
  rt = undefined;
  await fake.close();
});

function session(extra: Partial<ConstructorParameters<typeof RealtimeSession>[0]> = {}, tokens = fakeTokens()): RealtimeSession {
  rt = sessionOn(fake, extra, tokens);
  return rt;
}

describe('URL', () => {
  it('picks production for simNo 0, the mock domain for 1..3, and appends the path', () => {
    expect(resolveWsUrl({ simNo: 0 })).toBe('wss://api.kiwoom.com:10000/api/dostk/websocket');
    expect(resolveWsUrl({ simNo: 2 })).toBe('wss://mockapi.kiwoom.com:10000/api/dostk/websocket');
    expect(resolveWsUrl({ simNo: 0, baseUrl: 'https://api.kiwoom.com' })).toBe('wss://api.kiwoom.com:10000/api/dostk/websocket');
  });
  it('uses the REST host for the emulator or a proxy, and an explicit wsUrl above all', () => {
    expect(resolveWsUrl({ simNo: 1, baseUrl: 'http://127.0.0.1:4567' })).toBe('ws://127.0.0.1:4567/api/dostk/websocket');
    expect(resolveWsUrl({ simNo: 0 }, 'ws://localhost:9/')).toBe('ws://localhost:9/api/dostk/websocket');
  });
});

describe('LOGIN', () => {
  it('sends LOGIN first with the raw token and resolves connect() on the ack', async () => {
    await session().connect();
    const first = JSON.parse(fake.last().received[0] ?? '{}') as Record<string, unknown>;
    expect(first).toEqual({ trnm: 'LOGIN', token: 'tok-1' });
    expect(rt?.state).toBe('open');
  });

  it('re-issues the token once when LOGIN is refused with 8005, then logs in', async () => {
    const tokens = fakeTokens(['stale', 'tok-1']);
    await session({}, tokens).connect();
    expect(tokens.invalidated).toEqual(['stale']);
    expect(fake.receivedOf('LOGIN').map((m) => m['token'])).toEqual(['stale', 'tok-1']);
  });

  it('rejects with an AuthError naming Kiwoom\'s code when the fresh token is refused too', async () => {
    const tokens = fakeTokens(['bad-1', 'bad-2', 'bad-3']);
    const error = await session({ authFailureLimit: 5 }, tokens).connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe(8005);
    expect((error as AuthError).message).not.toContain('bad-');
    expect(tokens.invalidations).toBe(1);
  });
});

describe('PING and SYSTEM', () => {
  it('echoes every PING byte for byte and never echoes SYSTEM', async () => {
    await session().connect();
    const ping = '{"trnm":"PING", "seq": 7}';
    fake.push(ping);
    fake.push('{"trnm":"PING"}');
    fake.system('R10999', 'notice');
    await fake.waitFor(() => fake.last().received.filter((t) => t.includes('PING')).length === 2);
    await new Promise((r) => setTimeout(r, 30));
    const after = fake.last().received.slice(1);
    expect(after).toEqual([ping, '{"trnm":"PING"}']);
  });

  it('reports SYSTEM frames as system events', async () => {
    const seen: unknown[] = [];
    session().on('system', (e) => seen.push(e));
    await rt?.connect();
    fake.system('R10999', 'notice');
    await fake.waitFor(() => seen.length === 1);
    expect(seen[0]).toEqual({ code: 'R10999', message: 'notice' });
  });
});

describe('REG / REMOVE', () => {
  it('resolves on the server ack; the server then holds exactly what was asked', async () => {
    await session().connect();
    await rt?.register('1', ['005930', '000660'], ['0B', '0D']);
    expect(regsOf(fake.last())).toEqual({ '1': { '005930': ['0B', '0D'], '000660': ['0B', '0D'] } });
    await rt?.remove('1', ['000660'], ['0D']);
    expect(regsOf(fake.last())).toEqual({ '1': { '005930': ['0B', '0D'], '000660': ['0B'] } });
    expect(rt?.subscriptions()).toEqual(regsOf(fake.last()));
  });

  it('rejects with the server message and stops wanting the refused pairs', async () => {
    await session().connect();
    const error = await rt?.register('1', ['999999'], ['0B']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toContain('종목코드 오류');
    expect(rt?.subscriptions()).toEqual({});
  });

  it('sends at most chunkSize items per REG, and nothing twice', async () => {
    await session({ itemCaps: { perConnection: 300, perGroup: 300 } }).connect();
    const items = Array.from({ length: 250 }, (_, i) => String(100000 + i));
    await rt?.register('2', items, ['0B']);
    const regs = fake.receivedOf('REG') as { data: { item: string[] }[] }[];
    expect(regs.map((r) => r.data[0]?.item.length)).toEqual([100, 100, 50]);
    await rt?.register('2', items.slice(0, 10), ['0B']);
    expect(fake.receivedOf('REG')).toHaveLength(3);
    expect(Object.keys(regsOf(fake.last())['2'] ?? {})).toHaveLength(250);
  });

  it('honours a configured chunk size', async () => {
    await session({ chunkSize: 40 }).connect();
    await rt?.register('2', Array.from({ length: 100 }, (_, i) => String(200000 + i)), ['0A']);
    expect((fake.receivedOf('REG') as { data: { item: string[] }[] }[]).map((r) => r.data[0]?.item.length)).toEqual([40, 40, 20]);
  });

  it('registers 00 and 04 with item [""]', async () => {
    await session().connect();
    await rt?.register('9', ['005930'], ['00', '04']);
    const reg = fake.receivedOf('REG')[0];
    expect(reg).toEqual({ trnm: 'REG', grp_no: '9', refresh: '1', data: [{ item: [''], type: ['00', '04'] }] });
  });

  it('replaces the group when refresh is false', async () => {
    await session().connect();
    await rt?.register('1', ['005930', '000660'], ['0B']);
    await rt?.register('1', ['035720'], ['0B'], false);
    expect(regsOf(fake.last())).toEqual({ '1': { '035720': ['0B'] } });
  });

  it('refuses bad input naming the field, with nothing sent', async () => {
    await session().connect();
    const sent = fake.last().received.length;
    await expect(rt?.register('12345', ['005930'], ['0B'])).rejects.toMatchObject({ name: 'ValidationError', field: 'grpNo' });
    await expect(rt?.register('1', ['005930'], ['ZZ'])).rejects.toMatchObject({ field: 'types' });
    await expect(rt?.register('1', ['005930'], ['02'])).rejects.toBeInstanceOf(ValidationError);
    await expect(rt?.register('1', ['00 5930'], ['0B'])).rejects.toMatchObject({ field: 'items' });
    await expect(rt?.register('1', [], ['0B'])).rejects.toMatchObject({ field: 'items' });
    expect(fake.last().received.length).toBe(sent);
  });

  it('sends what was registered before connect() once connected', async () => {
    session();
    await rt?.register('3', ['005930'], ['0B']);
    await rt?.connect();
    expect(regsOf(fake.last())).toEqual({ '3': { '005930': ['0B'] } });
  });
});

describe('REAL dispatch', () => {
  it('emits each data item of a frame as { type, name, item, values }', async () => {
    const seen: RealEvent[] = [];
    session().on('real', (e) => seen.push(e));
    await rt?.connect();
    await rt?.register('1', ['005930', '000660'], ['0B', '0D']);
    fake.push({
      trnm: 'REAL',
      data: [
        { type: '0B', name: '주식체결', item: '005930', values: { '10': '-20800', '20': '165208' } },
        { type: '0D', name: '주식호가잔량', item: '000660', values: { '41': '+180000' } },
      ],
    });
    await fake.waitFor(() => seen.length === 2);
    expect(seen[0]).toEqual({ type: '0B', name: '주식체결', item: '005930', values: { '10': '-20800', '20': '165208' } });
    expect(seen[1]?.values['41']).toBe('+180000');
    expect(rt?.stats()).toMatchObject({ framesIn: 3, dispatched: 2 });
  });

  it('a listener that throws does not starve the others', async () => {
    const seen: string[] = [];
    session().on('real', () => {
      throw new Error('consumer bug');
    });
    rt?.on('real', (e) => seen.push(e.values['10'] ?? ''));
    await rt?.connect();
    await rt?.register('1', ['005930'], ['0B']);
    fake.push(REAL_0B('005930', '100'));
    fake.push(REAL_0B('005930', '200'));
    await fake.waitFor(() => seen.length === 2);
    expect(seen).toEqual(['100', '200']);
    expect(rt?.stats().listenerErrors).toBe(2);
  });

  it('goes on after a listener throws, counting the exceptions', async () => {
    const seen: string[] = [];
    session().on('real', () => {
      throw new Error('consumer bug');
    });
    await rt?.connect();
    await rt?.register('1', ['005930'], ['0B']);
    fake.push(REAL_0B('005930', '100'));
    fake.push(REAL_0B('005930', '200'));
    await fake.waitFor(() => rt?.stats().listenerErrors === 2);
    rt?.removeAllListeners('real');
    rt?.on('real', (e) => seen.push(e.values['10'] ?? ''));
    fake.push(REAL_0B('005930', '300'));
    await fake.waitFor(() => seen.length === 1);
    expect(seen).toEqual(['300']);
    expect(rt?.state).toBe('open');
    await rt?.register('1', ['000660'], ['0B']);
  });
});

describe('close', () => {
  it('closes the socket and refuses further work with a SessionError', async () => {
    await session().connect();
    await rt?.close();
    await fake.waitFor(() => fake.last().closed);
    await expect(rt?.register('1', ['005930'], ['0B'])).rejects.toBeInstanceOf(SessionError);
    await expect(rt?.connect()).rejects.toBeInstanceOf(SessionError);
  });
});

describe('tapRealText (quotes read as text)', () => {
  const frameOf = (...data: Record<string, unknown>[]): Record<string, unknown> => ({ trnm: 'REAL', data });
  const quote = (item: string, price: string, type = '0B'): Record<string, unknown> => ({ type, name: '주식체결', item, values: { '10': price, '20': '093000' } });

  it('hands plain entries to the tap in frame order, and the entries it declines to real listeners, parsed', async () => {
    const tapped: string[] = [];
    const seen: RealEvent[] = [];
    session().on('real', (e) => seen.push(e));
    rt?.tapRealText((e, text) => {
      if (e.type === '00') return false;
      tapped.push(`${e.item}:${text.slice(e.start, e.end)}`);
      return true;
    });
    await rt?.connect();
    await rt?.register('1', ['005930', '000660'], ['0B']);
    await rt?.register('0', [''], ['00']);
    fake.push(frameOf(quote('005930', '+100'), { type: '00', name: '주문체결', item: '', values: { '9203': '7' } }, quote('000660', '-5')));
    await fake.waitFor(() => tapped.length === 2 && seen.length === 1);
    expect(tapped).toEqual(['005930:{"10":"+100","20":"093000"}', '000660:{"10":"-5","20":"093000"}']);
    expect(seen).toEqual([{ type: '00', name: '주문체결', item: '', values: { '9203': '7' } }]);
    expect(rt?.stats().dispatched).toBe(3);
  });

  it('counts entries for unregistered items instead of tapping them, and gives conditions to listeners', async () => {
    const tapped: string[] = [];
    const conditions: unknown[] = [];
    session().on('condition', (c) => conditions.push(c));
    rt?.tapRealText((e) => (tapped.push(e.item), true));
    await rt?.connect();
    await rt?.register('1', ['005930'], ['0B']);
    fake.push(frameOf(quote('000660', '1'), quote('005930', '2'), { type: '02', name: '조건검색', item: '005930', values: { '841': '1', '9001': 'A005930', '843': 'I', '20': '093000', '907': '2' } }));
    await fake.waitFor(() => tapped.length === 1 && rt?.stats().unregistered === 1);
    expect(tapped).toEqual(['005930']);
    await fake.waitFor(() => conditions.length === 1);
  });

  /** A session on 005930 0B whose tap takes every entry it is offered; what it took and what went the ordinary way. */
  async function tappingOn0B(): Promise<{ tapped: string[]; seen: RealEvent[] }> {
    const tapped: string[] = [];
    const seen: RealEvent[] = [];
    session().on('real', (e) => seen.push(e));
    rt?.tapRealText((e) => (tapped.push(e.item), true));
    await rt?.connect();
    await rt?.register('1', ['005930'], ['0B']);
    return { tapped, seen };
  }

  it('takes a frame that is not plain the ordinary way', async () => {
    const { tapped, seen } = await tappingOn0B();
    fake.push(frameOf({ type: '0B', name: '주식체결', item: '005930', values: { '10': 'a"b' } }));
    await fake.waitFor(() => seen.length === 1);
    expect(seen[0]?.values).toEqual({ '10': 'a"b' });
    expect(tapped).toEqual([]);
  });

  it('takes a frame whose quote values are not ASCII the ordinary way, read as UTF-8', async () => {
    const { tapped, seen } = await tappingOn0B();
    fake.push(frameOf(quote('005930', '1'), { type: '0B', name: '주식체결', item: '005930', values: { '10': '2', '302': '삼성전자' } }));
    await fake.waitFor(() => seen.length === 2);
    expect(seen.map((e) => [e.name, e.values])).toEqual([
      ['주식체결', { '10': '1', '20': '093000' }],
      ['주식체결', { '10': '2', '302': '삼성전자' }],
    ]);
    expect(tapped).toEqual([]);
  });

  it('queues entries behind what waits while paused, in order, and taps again once the buffer is empty', async () => {
    const order: string[] = [];
    session().on('real', (e) => order.push(`real ${e.values['10']}`));
    rt?.tapRealText((e, text) => (order.push(`tap ${(JSON.parse(text.slice(e.start, e.end)) as Record<string, string>)['10']}`), true));
    await rt?.connect();
    await rt?.register('1', ['005930'], ['0B']);
    rt?.pause();
    fake.push(frameOf(quote('005930', '1'), quote('005930', '2')));
    await fake.waitFor(() => rt?.stats().buffered === 2);
    rt?.resume();
    await fake.waitFor(() => order.length === 2);
    fake.push(frameOf(quote('005930', '3')));
    await fake.waitFor(() => order.length === 3);
    expect(order).toEqual(['real 1', 'real 2', 'tap 3']);
  });

  it('goes back to the ordinary path when the tap is removed', async () => {
    const tapped: string[] = [];
    const seen: RealEvent[] = [];
    session().on('real', (e) => seen.push(e));
    rt?.tapRealText((e) => (tapped.push(e.item), true));
    rt?.tapRealText(undefined);
    await rt?.connect();
    await rt?.register('1', ['005930'], ['0B']);
    fake.push(REAL_0B('005930', '100'));
    await fake.waitFor(() => seen.length === 1);
    expect(tapped).toEqual([]);
  });
});
