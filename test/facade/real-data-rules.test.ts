/**
 * SetRealReg's rules on a fake session that records the wire: what the OCX refused (with its
 * code, nothing sent), which items stream at all, what a failed REG leaves behind, what
 * SetRealRemove removes, and the values GetCommRealData and the 잔고 event read.
 */
import { describe, expect, test } from 'vitest';
import type { MasterEntry } from '../../src/facade/master.js';
import { RealData, checkScreen, realFidByName } from '../../src/facade/real-data.js';
import { fakeRealtime, type RecordingRealtime } from './fake-realtime.js';

const LISTED: Record<string, string> = { '005930': '0', '000660': '0', '035720': '0', '0088A0': '0', '069500': '8' };
const MASTER = { entry: (code: string): MasterEntry | undefined => (LISTED[code] === undefined ? undefined : { code, name: code, market: LISTED[code]!, row: {} }) };

function setup(): { rt: RecordingRealtime; real: RealData; msgs: string[]; warnings: string[] } {
  const rt = fakeRealtime();
  const msgs: string[] = [];
  const warnings: string[] = [];
  const real = new RealData(rt, (m) => void warnings.push(m), MASTER, (screen, m) => void msgs.push(`${screen} ${m}`));
  return { rt, real, msgs, warnings };
}

describe('what SetRealReg refuses, with the OCX code, sending nothing', () => {
  const cases: [string, [string, string, string, string], number, RegExp][] = [
    ['screen 0000', ['0000', '005930', '10', '0'], -105, /screen must be .*"0000"/],
    ['screen 0', ['0', '005930', '10', '0'], -105, /screen/],
    ['screen 00', ['00', '005930', '10', '0'], -105, /screen/],
    ['a 5-digit screen', ['12345', '005930', '10', '0'], -105, /screen/],
    ['a screen with a dash', ['1-2', '005930', '10', '0'], -105, /screen/],
    ['optType 2', ['1000', '005930', '10', '2'], -105, /optType/],
    ['101 codes', ['1000', Array.from({ length: 101 }, (_, i) => String(100000 + i)).join(';'), '10', '0'], -204, /101 codes/],
    ['101 FIDs', ['1000', '005930', Array.from({ length: 101 }, (_, i) => String(i + 1)).join(';'), '0'], -206, /101 FIDs/],
    ['a FID with a letter after', ['1000', '005930', '10;10a', '0'], -105, /"10a"/],
    ['a FID with a letter before', ['1000', '005930', '10;a10', '0'], -105, /"a10"/],
    ['a lower-case code', ['1000', '005930;abc123', '10', '0'], -105, /"abc123"/],
    ['a code with a prefix', ['1000', 'x005930', '10', '0'], -105, /"x005930"/],
    ['a code with a suffix', ['1000', '005930-1', '10', '0'], -105, /"005930-1"/],
    ['FIDs no type carries for a stock', ['1000', '005930;000660', '252;253', '0'], -105, /FIDs 252;253 for codes 005930;000660$/],
    ['FIDs no type carries market-wide', ['1000', '', '10', '0'], -105, /market-wide/],
  ];
  test.each(cases)('%s', async (_, args, code, message) => {
    const { rt, real } = setup();
    const r = await real.setRealReg(...args);
    expect(r).toMatchObject({ refused: true, code });
    expect(r?.message).toMatch(message);
    expect(rt.sent).toEqual([]);
    expect(real.screenCount()).toBe(0);
  });

  test('exactly 100 codes and 100 FIDs are accepted', async () => {
    const { real } = setup();
    const fids = Array.from({ length: 100 }, (_, i) => String(i + 1)).join(';');
    expect(await real.setRealReg('1000', '005930', fids, '0')).toBeUndefined();
    const codes = Array.from({ length: 100 }, () => '005930').join(';');
    expect(await real.setRealReg('1001', codes, '10', '0')).toBeUndefined();
  });

  test('screens of 1 to 4 letters or digits other than all zeros are screens; the message names the argument', () => {
    for (const s of ['0101', '0012', '1', 'SCR1']) expect(checkScreen(s)).toBeUndefined();
    expect(checkScreen('0000')?.message).toMatch(/^screen must/);
    expect(checkScreen('', 'sScrNo')?.message).toMatch(/^sScrNo must/);
  });

  test('the 201st screen is refused (-105); the 200 screens already held still take codes', async () => {
    const { rt, real } = setup();
    for (let i = 1; i <= 200; i++) expect(await real.setRealReg(String(i), '005930', '10', '0')).toBeUndefined();
    const sent = rt.sent.length;
    expect(await real.setRealReg('201', '005930', '10', '0')).toMatchObject({ code: -105, message: expect.stringMatching(/screen 201.*DisconnectRealData/) as unknown });
    expect(rt.sent).toHaveLength(sent);
    expect(await real.setRealReg('200', '000660', '10', '1')).toBeUndefined();
    expect(rt.sent).toHaveLength(sent + 1);
  });

  test('codes and FIDs are trimmed: " 005930 ; 000660 " is two codes', async () => {
    const { rt, real } = setup();
    expect(await real.setRealReg('1000', ' 005930 ; 000660 ', ' 10 ', '0')).toBeUndefined();
    expect(rt.sent).toEqual(['REG 1 0 005930,000660 0A,0B,0H,0w']);
  });
});

describe('which items stream', () => {
  test('MGD and MGU are gold items (국제금환산가격); MGDX and XMGD are not, and are named as unlisted', async () => {
    const { rt, real, msgs } = setup();
    await real.setRealReg('1000', 'MGD;MGU', '', '0');
    expect(rt.sent).toEqual(['REG 1 0 MGD,MGU 0I']);
    expect(await real.setRealReg('1001', 'MGDX;XMGD', '10', '0')).toBeUndefined();
    expect(rt.sent).toHaveLength(1);
    expect(msgs).toEqual(['1001 SetRealReg: MGDX;XMGD are not listed codes (GetMasterCodeName returns ""): no real-time data will come for them']);
  });

  test('an unlisted stock code and an unknown 업종 code are left out and named; the listed rest is registered', async () => {
    const { rt, real, msgs } = setup();
    await real.setRealReg('1000', '005930;999999;001;999', '10', '0');
    expect(rt.sent.map((l) => l.split(' ').slice(0, 4).join(' '))).toEqual(['REG 1 0 005930', 'REG 1 1 001']);
    expect(rt.sent[1]).toMatch(/0J/);
    expect(msgs).toEqual(['1000 SetRealReg: 999999;999 are not listed codes (GetMasterCodeName returns ""): no real-time data will come for them']);
    await real.setRealReg('1000', 'ZZZZZZ', '10', '1');
    expect(msgs.at(-1)).toBe('1000 SetRealReg: ZZZZZZ is not a listed code (GetMasterCodeName returns ""): no real-time data will come for it');
  });

  test('a code with a venue suffix (_NX, _AL) is the listed code: registered as written, typed by its instrument', async () => {
    const { rt, real } = setup();
    await real.setRealReg('1000', '005930_NX;069500_AL', '36', '0');
    expect(rt.sent).toEqual(['REG 1 0 069500_AL 0G']);
  });

  test('only unlisted codes: optType "0" empties the screen (its codes are removed), "1" keeps it', async () => {
    const { rt, real } = setup();
    await real.setRealReg('1000', '005930', '10', '0');
    await real.setRealReg('1000', '999999', '10', '1');
    expect(real.screenCount()).toBe(1);
    expect(rt.sent).toHaveLength(1);
    await real.setRealReg('1000', '999999', '10', '0');
    expect(rt.sent.slice(1)).toEqual([`REMOVE 1 005930 ${rt.sent[0]!.split(' ')[4]!}`]);
    expect(real.screenCount()).toBe(0);
  });

  test('a code no selected type applies to is named and not sent; the others are registered', async () => {
    const { rt, real, msgs } = setup();
    // FID 36 (NAV) is carried by ETF NAV only: 069500 is an ETF, 005930 is not, 001 is a sector.
    expect(await real.setRealReg('1000', '069500;005930;001', '36;37', '0')).toBeUndefined();
    expect(rt.sent).toEqual(['REG 1 0 069500 0G']);
    expect(msgs).toEqual(['1000 SetRealReg: no real type carrying FIDs 36;37 applies to 005930;001 (an ETF NAV FID for a stock, say): nothing registered for them']);
    await real.setRealReg('1001', '005930', '36', '0');
    expect(msgs.at(-1)).toMatch(/applies to 005930 .*nothing registered for it$/);
    expect(rt.sent).toHaveLength(1);
  });

  test('market-wide FIDs of two types register both; FIDs of one type register that type', async () => {
    const { rt, real } = setup();
    await real.setRealReg('1000', '', '215;9068', '0');
    await real.setRealReg('1001', '', '215', '0');
    expect(rt.sent).toEqual(['REG 1 0  0s,1h', 'REG 2 0  0s']);
  });

  test('a FID no real type delivers is warned about once per FID, and the rest is registered', async () => {
    const { rt, real, warnings } = setup();
    await real.setRealReg('1000', '005930', '10;9999', '0');
    await real.setRealReg('1001', '005930', '10;9999;9998', '0');
    expect(rt.sent).toHaveLength(2);
    expect(warnings).toEqual([
      'FID 9999 is not delivered by Kiwoom REST real-time data: GetCommRealData returns "" for it (see MIGRATION.md)',
      'FID 9998 is not delivered by Kiwoom REST real-time data: GetCommRealData returns "" for it (see MIGRATION.md)',
    ]);
  });
});

describe('registrations held per screen', () => {
  test('optType "0" replaces the screen\'s codes: removing the screen removes only the new ones', async () => {
    const { rt, real } = setup();
    await real.setRealReg('1000', '005930', '10', '0');
    await real.setRealReg('1000', '000660', '10', '0');
    await real.disconnect('1000');
    expect(rt.sent.filter((l) => l.startsWith('REMOVE')).map((l) => l.split(' ')[2])).toEqual(['000660']);
  });

  test('a REG the server refuses leaves the screen as it was; a new screen that failed is freed and its group reused', async () => {
    const { rt, real } = setup();
    await real.setRealReg('1000', '005930', '10', '0');
    rt.failRegister(1);
    await expect(real.setRealReg('1000', '000660', '10', '0')).rejects.toThrow('too many items');
    expect(real.screenCount()).toBe(1);
    rt.failRegister(1);
    await expect(real.setRealReg('1001', '000660', '10', '0')).rejects.toThrow('too many items');
    expect(real.screenCount()).toBe(1);
    await real.setRealReg('1002', '035720', '10', '0');
    expect(rt.sent.at(-1)).toMatch(/^REG 2 0 035720 /);
    await real.disconnect('1000');
    expect(rt.sent.at(-1)).toMatch(/^REMOVE 1 005930 /);
  });

  test('codes holding the same types in any order are removed in one REMOVE', async () => {
    const { rt, real } = setup();
    await real.setRealReg('1000', '005930', '41', '0');
    await real.setRealReg('1000', '005930', '10', '1');
    await real.setRealReg('1000', '000660', '10;41', '1');
    await real.disconnect('1000');
    const removes = rt.sent.filter((l) => l.startsWith('REMOVE'));
    expect(removes).toHaveLength(1);
    expect(removes[0]).toMatch(/^REMOVE 1 005930,000660 /);
  });

  test('SetRealRemove(screen, code) removes that code from that screen only; "ALL" screens from every screen', async () => {
    const { rt, real } = setup();
    await real.setRealReg('1000', '005930;000660', '10', '0');
    await real.setRealReg('1001', '005930', '10', '0');
    await real.setRealRemove('1000', '005930');
    expect(rt.sent.filter((l) => l.startsWith('REMOVE')).map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual(['REMOVE 1 005930']);
    await real.setRealRemove('ALL', '005930');
    expect(rt.sent.filter((l) => l.startsWith('REMOVE')).map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual(['REMOVE 1 005930', 'REMOVE 2 005930']);
    expect(real.screenCount()).toBe(1);
  });

  test('SetRealRemove and DisconnectRealData refuse a bad screen and an empty code (-105), removing nothing', async () => {
    const { rt, real } = setup();
    await real.setRealReg('1000', '005930', '10', '0');
    expect(await real.setRealRemove('0000', 'ALL')).toMatchObject({ code: -105, message: expect.stringMatching(/screen/) as unknown });
    expect(await real.setRealRemove('1000', '')).toMatchObject({ code: -105, message: 'code must be a code or "ALL", got ""' });
    expect(await real.setRealRemove('1000', '  ')).toMatchObject({ code: -105 });
    expect(await real.disconnect('00000')).toMatchObject({ code: -105 });
    expect(rt.sent.filter((l) => l.startsWith('REMOVE'))).toEqual([]);
    expect(real.screenCount()).toBe(1);
  });
});

describe('values read back', () => {
  const none = (): void => undefined;

  test('inside an event, GetCommRealData reads that event only: a FID of another type of the code reads ""', () => {
    const { real } = setup();
    real.deliver('0D', '005930', { '41': '70100' }, none);
    const inside: string[] = [];
    real.deliver('0B', '005930', { '10': '+70000' }, (code) => inside.push(real.value(code, 41), real.value(code, 10)));
    expect(inside).toEqual(['', '+70000']);
    expect(real.value('005930', 41)).toBe('70100');
  });

  test('outside an event, a FID missing from the latest frame is read from the other types\' latest frames', () => {
    const { real } = setup();
    real.deliver('0B', '005930', { '10': '+70000' }, none);
    real.deliver('0D', '005930', { '41': '70100' }, none);
    real.deliver('0A', '005930', { '11': '+100' }, none);
    expect([real.value('005930', 41), real.value('005930', 10), real.value('005930', 11)]).toEqual(['70100', '+70000', '+100']);
  });

  test('the 잔고 event gets 전일대비기호, 전일대비, 등락율, 상한가, 하한가 from the code\'s latest real-time values; its own values win', () => {
    const { real } = setup();
    real.deliver('0B', '0088A0', { '10': '+5000', '25': '2', '11': '+100', '12': '+2.04' }, none);
    real.deliver('0g', '0088A0', { '305': '+6500', '306': '-3500' }, none);
    const balance = { '9001': 'A0088A0', '10': '5000', '11': '+90', '930': '3' };
    expect(real.withQuote(balance)).toEqual({ '9001': 'A0088A0', '10': '5000', '11': '+90', '930': '3', '25': '2', '12': '+2.04', '305': '+6500', '306': '-3500' });
    expect(balance).toEqual({ '9001': 'A0088A0', '10': '5000', '11': '+90', '930': '3' });
    expect(real.withQuote({ '9001': '0088A0' })['12']).toBe('+2.04');
  });

  test('a 잔고 event of a code with no real-time values is passed on as it is', () => {
    const { real } = setup();
    real.deliver('0B', '005930', { '10': '+70000', '25': '' }, none);
    const balance = { '9001': 'A000660', '10': '120000' };
    expect(real.withQuote(balance)).toBe(balance);
    const same = { '9001': 'A005930', '10': '70000' };
    expect(real.withQuote(same)).toBe(same);
  });

  test('CommGetData\'s field names a FID by number or by its Korean name within the real type', () => {
    expect(realFidByName('주식체결', '10')).toBe('10');
    expect(realFidByName('주식체결', '현재가')).toBe('10');
    expect(realFidByName('주식체결', '없는이름')).toBeUndefined();
    expect(realFidByName('주식체결', '10a')).toBeUndefined();
    expect(realFidByName('주식체결', 'a10')).toBeUndefined();
    expect(realFidByName('없는타입', '현재가')).toBeUndefined();
  });
});
