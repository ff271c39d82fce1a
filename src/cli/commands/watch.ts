/** `kiwoom-compat watch <codes...>`: a live quote table (plus balance and open orders), redrawn in place. */
import { parseArgs } from 'node:util';
import { APIServer, type FidValues } from '../../facade/index.js';
import { query } from '../../serve/ocx.js';
import { unsigned, won } from '../format.js';
import { BACKEND_HELP, BACKEND_OPTIONS, apiInitOptions } from '../backend-flags.js';
import type { Command } from './command.js';

const help = `usage: kiwoom-compat watch <code...> [options]

A live table of real-time quotes (주식체결: price, change, rate, volume, time, best ask/bid),
redrawn in place on a terminal (a snapshot per interval otherwise), with the account's
holdings and open orders under it.

  --interval MS     redraw interval (default 500)
  --seconds N       stop after N seconds (default: until Ctrl-C)
  --no-account      quotes only
${BACKEND_HELP}`;

/** FIDs the table shows: 현재가, 전일대비, 등락율, 누적거래량, 체결시간, 최우선 매도/매수호가. */
const FIDS = '10;11;12;13;20;27;28';

/** One quote row. */
export interface QuoteRow {
  code: string;
  name: string;
  fids: FidValues | undefined;
  updates: number;
}

const width = (s: string): number => [...s].reduce((n, ch) => n + (/[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/.test(ch) ? 2 : 1), 0);
const pad = (s: string, n: number, right = false): string => (right ? ' '.repeat(Math.max(0, n - width(s))) + s : s + ' '.repeat(Math.max(0, n - width(s))));
const hms = (s: string | undefined): string => (s === undefined || s.length < 6 ? '' : `${s.slice(0, 2)}:${s.slice(2, 4)}:${s.slice(4, 6)}`);

/** The quote table as lines (no colours, so that it reads the same in a log). */
export function renderQuotes(rows: readonly QuoteRow[]): string[] {
  const head = `${pad('code', 7)}${pad('name', 14)}${pad('price', 10, true)}${pad('change', 9, true)}${pad('rate%', 8, true)}${pad('volume', 14, true)}${pad('ask', 10, true)}${pad('bid', 10, true)}  time      ticks`;
  return [
    head,
    ...rows.map((r) => {
      const f = r.fids;
      if (f === undefined) return `${pad(r.code, 7)}${pad(r.name, 14)}${pad('waiting for a trade...', 40, true)}`;
      return `${pad(r.code, 7)}${pad(r.name, 14)}${pad(won(f['10']), 10, true)}${pad(String(f['11'] ?? ''), 9, true)}${pad(String(f['12'] ?? ''), 8, true)}${pad(won(f['13']), 14, true)}${pad(won(f['27']), 10, true)}${pad(won(f['28']), 10, true)}  ${pad(hms(f['20']), 10)}${r.updates}`;
    }),
  ];
}

async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      interval: { type: 'string', default: '500' },
      seconds: { type: 'string' },
      'no-account': { type: 'boolean', default: false },
      ...BACKEND_OPTIONS,
    },
  });
  const codes = positionals.map((c) => c.trim()).filter((c) => c !== '');
  if (codes.length === 0) throw new Error('give at least one stock code: `kiwoom-compat watch 005930 000660`');
  const bad = codes.find((c) => !/^[0-9A-Z]{6}(_NX|_AL)?$/.test(c));
  if (bad !== undefined) throw new Error(`"${bad}" is not a stock code (6 characters, e.g. 005930)`);
  if (codes.length > 100) throw new Error('at most 100 codes (one SetRealReg call)');

  const api = new APIServer();
  await api.api_init(apiInitOptions(values));
  try {
    if ((await api.CommConnect(true)) !== 0) throw new Error(`login failed: ${api.GetLastError()?.message ?? ''}`);
    const rows = new Map<string, QuoteRow>();
    for (const code of codes) rows.set(code, { code, name: await api.GetMasterCodeName(code.replace(/_(NX|AL)$/, '')), fids: undefined, updates: 0 });
    api.on('OnReceiveRealData', (code, realType, fids) => {
      const row = rows.get(code);
      if (row === undefined || realType !== '주식체결') return;
      row.fids = fids;
      row.updates += 1;
    });
    const ret = await api.SetRealReg('9200', codes.join(';'), FIDS, '0');
    if (ret !== 0) throw new Error(`SetRealReg failed: ${api.GetLastError()?.message ?? ret}`);

    const accno = api.GetLoginInfo('ACCNO').split(';')[0] ?? '';
    let account: string[] = [];
    const refreshAccount = async (): Promise<void> => {
      if (values['no-account'] || accno === '') return;
      const holdings = await query(api, 'opw00018', { 계좌번호: accno, 비밀번호: '', 비밀번호입력매체구분: '00', 조회구분: '2' }, '9201', (rq) =>
        Array.from({ length: api.GetRepeatCnt('opw00018', rq) }, (_v, i) => {
          const g = (item: string): string => api.GetCommData('opw00018', rq, i, item).trim();
          return `  ${pad(g('종목번호').replace(/^A/, ''), 7)}${pad(g('종목명'), 14)}${pad(`${unsigned(g('보유수량'))}주`, 8, true)}${pad(won(g('평가금액')), 14, true)}${pad(g('수익률(%)'), 8, true)}%`;
        }),
      );
      const open = await query(api, 'opt10075', { 계좌번호: accno, 전체종목구분: '0', 매매구분: '0', 종목코드: '' }, '9202', (rq) =>
        Array.from({ length: api.GetRepeatCnt('opt10075', rq) }, (_v, i) => {
          const g = (item: string): string => api.GetCommData('opt10075', rq, i, item).trim();
          return `  ${pad(g('주문번호'), 9)}${pad(g('종목코드'), 7)}${pad(g('주문구분'), 8)}${pad(`${unsigned(g('미체결수량'))}/${unsigned(g('주문수량'))}`, 9, true)} @ ${won(g('주문가격'))}`;
        }),
      );
      account = ['', `account ${accno} (${api.domain ?? ''}) holdings:`, ...holdings, `open orders: ${open.length === 0 ? 'none' : ''}`, ...open];
    };
    await refreshAccount();

    const tty = process.stdout.isTTY === true;
    let drawn = 0;
    const draw = (): void => {
      const lines = [`kiwoom-compat watch  ${new Date().toISOString().slice(11, 19)} UTC  (${api.domain ?? ''}; Ctrl-C to stop)`, ...renderQuotes([...rows.values()]), ...account];
      // In place on a terminal: move up over the last frame and clear to the end of the screen.
      process.stdout.write(tty ? `${drawn > 0 ? `\x1b[${drawn}F` : ''}\x1b[J${lines.join('\n')}\n` : `${lines.join('\n')}\n\n`);
      drawn = lines.length;
    };
    const timer = setInterval(draw, Number(values.interval));
    const accountTimer = setInterval(() => void refreshAccount().catch(() => undefined), 5_000);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      if (values.seconds !== undefined) setTimeout(resolve, Number(values.seconds) * 1000);
    });
    clearInterval(timer);
    clearInterval(accountTimer);
    draw();
    return 0;
  } finally {
    await api.cleanup();
  }
}

export const watch: Command = { summary: 'live quote table (and holdings, open orders), redrawn in place', help, run };
