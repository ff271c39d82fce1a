import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { RealtimeSession, type ConditionEvent } from '../../src/realtime/index.js';
import { fakeTokens, startFake, type FakeKiwoom } from './fake-kiwoom.js';

let fake: FakeKiwoom;
let rt: RealtimeSession;

const codes = (n: number, from = 100000): string[] => Array.from({ length: n }, (_, i) => String(from + i));

beforeEach(async () => {
  fake = await startFake({ results: { '1': codes(120), '2': ['005930', '000660'] }, pageSize: 50 });
  rt = new RealtimeSession({ rest: fakeTokens(), wsUrl: fake.wsUrl, reconnect: { initialDelayMs: 5, maxDelayMs: 50 } });
  await rt.connect();
});
afterEach(async () => {
  await rt.close();
  await fake.close();
});

const condFrame = (seq: string, code: string, kind: 'I' | 'D'): unknown => ({
  trnm: 'REAL',
  data: [{ type: '02', name: '조건검색', item: code, values: { '841': seq, '9001': code, '843': kind, '20': '152028', '907': '2' } }],
});

describe('condition search', () => {
  it('lists the saved conditions from [seq, name] pairs', async () => {
    expect(await rt.conditions()).toEqual([
      { seq: '0', name: '조건1' },
      { seq: '1', name: '조건2' },
      { seq: '2', name: '조건3' },
    ]);
  });

  it('gathers every page of a one-shot search and returns plain codes', async () => {
    const result = await rt.search('1');
    expect(result).toEqual(codes(120));
    const reqs = fake.receivedOf('CNSRREQ');
    expect(reqs.map((r) => [r['search_type'], r['cont_yn'], r['next_key']])).toEqual([
      ['0', 'N', ''],
      ['0', 'Y', '50'],
      ['0', 'Y', '100'],
    ]);
    expect(rt.realtimeConditions()).toEqual([]);
  });

  it('runs a real-time condition: initial list, then I/D events, until stopped', async () => {
    const events: ConditionEvent[] = [];
    rt.on('condition', (e) => events.push(e));
    expect(await rt.search('2', { realtime: true })).toEqual(['005930', '000660']);
    // the server wants CNSRLST before a real-time CNSRREQ
    expect(fake.last().received.map((t) => (JSON.parse(t) as { trnm: string }).trnm).slice(1)).toEqual(['CNSRLST', 'CNSRREQ']);
    fake.push(condFrame('2', '035720', 'I'));
    fake.push(condFrame('2', '005930', 'D'));
    await fake.waitFor(() => events.length === 2);
    expect(events).toEqual([
      { seq: '2', code: '035720', kind: 'I', time: '152028', restored: false },
      { seq: '2', code: '005930', kind: 'D', time: '152028', restored: false },
    ]);
    await rt.stopSearch('2');
    expect(fake.receivedOf('CNSRCLR')).toEqual([{ trnm: 'CNSRCLR', seq: '2' }]);
    expect(fake.last().realtimeConds.size).toBe(0);
    expect(rt.realtimeConditions()).toEqual([]);
  });

  it('refuses an 11th real-time condition before sending anything', async () => {
    for (let seq = 0; seq < 10; seq++) await rt.search(String(seq), { realtime: true });
    const sent = fake.last().received.length;
    const error = await rt.search('10', { realtime: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/At most 10 real-time conditions/);
    expect(fake.last().received.length).toBe(sent);
    await rt.stopSearch('3');
    await rt.search('10', { realtime: true });
    expect(fake.last().realtimeConds.size).toBe(10);
  });

  it('with the legacy limiter on, a second search of one condition waits for the window', async () => {
    const limited = new RealtimeSession({ rest: fakeTokens(), wsUrl: fake.wsUrl, conditionRateLimit: { windowMs: 100 } });
    await rt.close();
    await limited.connect();
    try {
      const t0 = Date.now();
      await limited.search('2');
      let againDone = false;
      const again = limited.search('2').then(() => (againDone = true));
      await limited.search('1'); // another condition is not held back
      expect(againDone).toBe(false);
      await again;
      expect(Date.now() - t0).toBeGreaterThanOrEqual(95);
      expect(fake.receivedOf('CNSRREQ').filter((r) => r['cont_yn'] === 'N').map((r) => r['seq'])).toEqual(['2', '1', '2']);
    } finally {
      await limited.close();
    }
  });

  it('refuses a bad seq naming the field', async () => {
    await expect(rt.search('x1')).rejects.toMatchObject({ name: 'ValidationError', field: 'seq' });
  });
});
