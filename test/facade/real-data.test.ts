/** Screen → REG group bookkeeping and type selection, on a fake session that records the wire. */
import { expect, test } from 'vitest';
import { RealData } from '../../src/facade/real-data.js';
import type { MasterEntry } from '../../src/facade/master.js';
import { fakeRealtime } from './fake-realtime.js';

/** A master that lists the codes these tests use. */
const MASTER = { entry: (code: string): MasterEntry | undefined => (['005930', '000660', '035720'].includes(code) ? { code, name: code, market: '0', row: {} } : undefined) };
const quiet = (): RealData => new RealData(fakeRealtime(), () => undefined, MASTER, () => undefined);

test('the FID list selects real types by item kind: stocks, 업종 codes, market-wide', async () => {
  const rt = fakeRealtime();
  const real = new RealData(rt, () => undefined, MASTER, () => undefined);
  await real.setRealReg('1000', '005930', '10;15;20', '0');
  await real.setRealReg('1001', '', '215;20;214', '0');
  await real.setRealReg('1002', '001', '10', '0');
  const [stock, market, sector] = rt.sent;
  expect(stock).toMatch(/^REG 1 0 005930 .*\b0B\b/);
  expect(stock).not.toMatch(/\b0J\b|\b0s\b|\b00\b|\b04\b/);
  expect(market).toBe('REG 2 0  0s');
  expect(sector).toMatch(/^REG 3 0 001 .*0J/);
  expect(sector).not.toMatch(/0B/);
});

test('optType "0" replaces (refresh 0), "1" adds (refresh 1); removal sends the types each code had; groups are reused', async () => {
  const rt = fakeRealtime();
  const real = new RealData(rt, () => undefined, MASTER, () => undefined);
  await real.setRealReg('2000', '005930', '10', '0');
  await real.setRealReg('2000', '000660', '10', '1');
  expect(rt.sent.map((l) => l.split(' ').slice(0, 4).join(' '))).toEqual(['REG 1 0 005930', 'REG 1 1 000660']);
  await real.setRealRemove('2000', '005930');
  expect(rt.sent.at(-1)).toMatch(/^REMOVE 1 005930 /);
  await real.disconnect('2000');
  expect(rt.sent.at(-1)).toMatch(/^REMOVE 1 000660 /);
  expect(real.screenCount()).toBe(0);
  await real.setRealReg('2001', '035720', '10', '0');
  expect(rt.sent.at(-1)).toMatch(/^REG 1 0 035720 /);
});

test('SetRealRemove("ALL", "ALL") clears every screen', async () => {
  const rt = fakeRealtime();
  const real = new RealData(rt, () => undefined, MASTER, () => undefined);
  await real.setRealReg('3000', '005930', '10', '0');
  await real.setRealReg('3001', '000660', '41', '0');
  await real.setRealRemove('ALL', 'ALL');
  expect(rt.sent.filter((l) => l.startsWith('REMOVE'))).toHaveLength(2);
  expect(real.screenCount()).toBe(0);
});

test('GetCommRealData reads the latest value of any type for the code, "" when none', () => {
  const real = quiet();
  const raised: string[] = [];
  const raise = (code: string, name: string): void => void raised.push(`${code} ${name}`);
  real.deliver('0B', '005930', { '10': '+70000', '15': '+3' }, raise);
  real.deliver('0D', '005930', { '41': '70100' }, raise);
  real.deliver('XX', '005930', { '10': '1' }, raise);
  expect(raised).toEqual(['005930 주식체결', '005930 주식호가잔량']);
  expect(real.value('005930', 10)).toBe('+70000');
  expect(real.value('005930', '41')).toBe('70100');
  expect(real.value('005930', 9999)).toBe('');
  expect(real.value('000660', 10)).toBe('');
});

test('the types fit the instrument the master lists: ETF NAV for an ETF, the ELW types for an ELW, neither for a stock', async () => {
  const rt = fakeRealtime();
  const kinds: Record<string, string> = { '005930': '0', '069500': '8', '57JBHH': '3', '500001': '60' };
  const master = { entry: (code: string): MasterEntry | undefined => (kinds[code] === undefined ? undefined : { code, name: code, market: kinds[code]!, row: {} }) };
  const real = new RealData(rt, () => undefined, master, () => undefined);
  // 10 and 20 are carried by 주식체결, 주식시세, ETF NAV, ELW 이론가, ELW 지표, ...
  await real.setRealReg('1000', '005930;069500;57JBHH;500001', '10;20', '0');
  const typesOf = (code: string): string[] => rt.sent.filter((l) => l.split(' ')[3]?.split(',').includes(code)).flatMap((l) => l.split(' ')[4]?.split(',') ?? []).sort();
  expect(typesOf('005930')).toContain('0B');
  expect(typesOf('005930').filter((t) => ['0G', '0m', '0u'].includes(t))).toEqual([]);
  expect(typesOf('069500').filter((t) => ['0G', '0m', '0u'].includes(t))).toEqual(['0G']);
  expect(typesOf('57JBHH').filter((t) => ['0G', '0m', '0u'].includes(t))).toEqual(['0m', '0u']);
  expect(typesOf('500001').filter((t) => ['0G', '0m', '0u'].includes(t))).toEqual([]);
  // One REG per distinct type set, the first replacing (refresh 0), the rest adding.
  expect(rt.sent.map((l) => l.split(' ')[2])).toEqual(['0', ...rt.sent.slice(1).map(() => '1')]);
});

test('an empty FID list registers what a quote consumer reads; list arguments are accepted', async () => {
  const rt = fakeRealtime();
  const real = new RealData(rt, () => undefined, MASTER, () => undefined);
  await real.setRealReg('1000', '005930', '', '0');
  await real.setRealReg('1001', '001', '', '0');
  expect(rt.sent).toEqual(['REG 1 0 005930 0B,0D', 'REG 2 0 001 0J']);
});

test('GetCommRealData inside the event answers for the code or the real type; the data reads as the TAB record too', () => {
  const real = quiet();
  const inside: string[] = [];
  real.deliver('0B', '005930', { '20': '090001', '10': '+70000', '11': '+100', '15': '+3' }, (code, name, data) => {
    inside.push(real.value(code, 10), real.value(name, '15'), real.value('주식호가잔량', 10), String(data).split('\t').slice(0, 4).join('|'), data['10'] ?? '');
  });
  expect(inside).toEqual(['+70000', '+3', '', '090001|+70000|+100|', '+70000']);
  // Outside a handler the real type names nothing; the code reads its latest value.
  expect(real.value('주식체결', 10)).toBe('');
  expect(real.value('005930', 10)).toBe('+70000');
});

test('quotes kept as text (the bridge\'s) answer GetCommRealData and fill 잔고 events like delivered ones', () => {
  const real = quiet();
  expect(real.remember('0B', '005930', '{"10":"+70000","25":"2","11":"+100","12":"+0.14"}')).toBe('주식체결');
  expect(real.remember('0g', '005930', '{"305":"+91000","306":"-49000"}')).toBe('주식종목정보');
  expect(real.remember('XX', '005930', '{"10":"1"}')).toBeUndefined();
  expect(real.value('005930', 10)).toBe('+70000');
  expect(real.value('005930', 305)).toBe('+91000');
  expect(real.value('005930', 11)).toBe('+100');
  expect(real.value('005930', 41)).toBe('');
  expect(real.value('000660', 10)).toBe('');
  expect(real.withQuote({ '9001': 'A005930', '10': '70000' })).toEqual({ '9001': 'A005930', '10': '70000', '25': '2', '11': '+100', '12': '+0.14', '305': '+91000', '306': '-49000' });
  // A later quote of either form replaces the kept one.
  real.deliver('0B', '005930', { '10': '+70100' }, () => undefined);
  expect(real.value('005930', 10)).toBe('+70100');
  real.remember('0B', '005930', '{"10":"+70200"}');
  expect(real.value('005930', 10)).toBe('+70200');
  expect(real.value('005930', 10)).toBe('+70200');
});
