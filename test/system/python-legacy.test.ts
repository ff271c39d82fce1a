/**
 * Legacy Python programs of examples/legacy-python that need PyQt5 (Debian's python3-pyqt5) or
 * pandas, on the emulator under Debian's /usr/bin/python3 with QT_QPA_PLATFORM=offscreen: each
 * unchanged through `python -m kiwoom_compat run`, and with one import changed and no runner.
 */
import { describe, expect, it } from 'vitest';
import { runLegacy } from '../python/legacy.js';

const PYTHON = '/usr/bin/python3';
const ways = [
  { name: 'unchanged through the runner', runner: true },
  { name: 'with one import changed, no runner', runner: false },
] as const;

describe.each(ways)('legacy Python programs $name', ({ runner }) => {
  const run = (program: string) =>
    runLegacy(program, { python: PYTHON, runner }).then((r) => {
      if (!runner) expect(r.changed).toHaveLength(1);
      return r.result;
    });

  it('book_bot.py: QAxWidget subclass, QEventLoop waits left from the slots, CommGetData pages, an order, chejan', async () => {
    const r = await run('book_bot.py');
    expect(r.login).toBe(0);
    expect(r.account).toMatch(/^\d{10}$/);
    expect(r.kospi).toBeGreaterThan(10);
    expect(r.name).toBe('삼성전자');
    // Day bars reach back to the listing (as live), so the program's own cap of three pages ends it.
    expect(r.pages).toBe(3);
    expect(r.rows).toBeGreaterThan(1200);
    expect(r.first).toBe('20261125');
    expect(Number(r.last)).toBeLessThan(Number(r.first));
    expect(r.close).toBeGreaterThan(0);
    const chejan = r.chejan as string[][];
    expect(chejan.filter((c) => c[0] === '0').map((c) => c[3])).toEqual(['접수', '체결']);
    expect(chejan.some((c) => c[0] === '1' && c[2] === '삼성전자')).toBe(true);
  }, 90_000);

  it('dynamic_call_forms.py: every dynamicCall form, an unknown name answered as QAxBase does', async () => {
    const r = await run('dynamic_call_forms.py');
    const forms = r.forms as Record<string, unknown>;
    expect([r.connect, r.login]).toEqual([0, 0]);
    expect(forms.prototype).toMatch(/^\d{10};$/);
    expect([forms.inline, forms.list]).toEqual([forms.prototype, forms.prototype]);
    expect(forms.const_ref).toBe('삼성전자');
    expect([forms.bare_name, forms.empty_parens, forms.koa]).toEqual([1, 1, '1']);
    expect(forms.unknown).toBeNull();
    expect(r.exception).toBe('NoSuchMethod: Unknown name');
    expect(forms.rq).toBe(0);
    expect(r.tr).toEqual(['chart', true, '005930']);
    expect(r.order).toBe(0);
    expect(r.control).toBe('KHOPENAPI.KHOpenAPICtrl.1');
  }, 90_000);

  it('api_server_sketch.py: the APIServer class, CommConnect(block=True) in a QEventLoop, handlers feeding queues', async () => {
    const r = await run('api_server_sketch.py');
    expect(r.login).toBe(0);
    expect(r.price).toBeGreaterThan(0);
    expect(r.reg).toBe(0);
    const quotes = r.quotes as [string, number, string][];
    expect(quotes.length).toBe(4);
    for (const [code, price, time] of quotes) {
      expect(['005930', '000660']).toContain(code);
      expect(price).toBeGreaterThan(0);
      expect(time).toMatch(/^\d{6}$/); // sRealData split on TAB: 체결시간 comes first, as from the OCX
    }
    expect(r.order).toBe(0);
    expect((r.fills as string[][]).map((f) => f[0])).toEqual(['접수', '체결']);
  }, 90_000);

  it('pykiwoom_paging.py: block_request pages while tr_remained, joined with pandas; master; a condition', async () => {
    const r = await run('pykiwoom_paging.py');
    expect(r.accounts).toEqual([expect.stringMatching(/^\d{10}$/)]);
    expect(r.name).toBe('삼성전자');
    expect(r.listed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(r.pages).toBe(3);
    expect(r.rows).toBeGreaterThan(1200);
    expect(r.columns).toEqual(['종목코드', '현재가', '거래량', '거래대금', '일자']);
    expect(r.first).toBe('20261125');
    expect(r.info_name).toBe('삼성전자');
    expect(r.condition).toEqual([expect.stringMatching(/^\d{3}$/), expect.any(String)]);
    expect(r.found).toBeGreaterThan(0);
  }, 90_000);
});
