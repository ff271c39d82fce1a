/** `kiwoom-compat watch <codes...>`: a live quote table (plus holdings and open orders), redrawn in place. */
import pc from 'picocolors';
import { APIServer } from '../../facade/index.js';
import { query } from '../../serve/ocx.js';
import { signed, unsigned, won } from '../format.js';
import { BACKEND_HELP, BACKEND_OPTIONS, apiInitOptions } from '../backend-flags.js';
import { cliLogger, LOG_HELP, LOG_OPTIONS } from '../logging.js';
import { numberFlag, parseFlags, UsageError } from '../options.js';
import { Screen } from '../screen.js';
import { fit, recordTrade, renderWatch, type QuoteRow } from '../watch-view.js';
import type { Command } from './command.js';

const help = `usage: kiwoom-compat watch <code...> [options]

A live table of real-time trades (주식체결: price, change, rate, volume, a trend sparkline,
time; best ask and bid when the terminal is wide enough), redrawn in place on a terminal (a
snapshot per interval otherwise), with the account's holdings and open orders under it. Rises
are red and falls blue, as on Korean trading screens; times are Korea time.

  --interval MS     redraw interval (default 500)
  --seconds N       stop after N seconds (default: until Ctrl-C)
  --no-account      quotes only
${BACKEND_HELP}
${LOG_HELP}`;

/** FIDs the table shows: 현재가, 전일대비, 등락율, 누적거래량, 체결시간, 최우선 매도/매수호가. */
const FIDS = '10;11;12;13;20;27;28';

/** Holdings and open orders as plain lines (the view cuts them to the width). */
async function accountLines(api: APIServer, accno: string): Promise<string[]> {
  const holdings = await query(api, 'opw00018', { 계좌번호: accno, 비밀번호: '', 비밀번호입력매체구분: '00', 조회구분: '2' }, '9201', (rq) =>
    Array.from({ length: api.GetRepeatCnt('opw00018', rq) }, (_v, i) => {
      const g = (item: string): string => api.GetCommData('opw00018', rq, i, item).trim();
      return `  ${fit(g('종목번호').replace(/^A/, ''), 7)}${fit(g('종목명'), 14)}${fit(`${won(g('보유수량'))}주`, 8, 'right')}${fit(won(g('평가금액')), 14, 'right')}${fit(`${signed(g('수익률(%)'))}%`, 9, 'right')}`;
    }),
  );
  const open = await query(api, 'opt10075', { 계좌번호: accno, 전체종목구분: '0', 매매구분: '0', 종목코드: '' }, '9202', (rq) =>
    Array.from({ length: api.GetRepeatCnt('opt10075', rq) }, (_v, i) => {
      const g = (item: string): string => api.GetCommData('opt10075', rq, i, item).trim();
      return `  ${fit(g('주문번호'), 9)}${fit(g('종목코드'), 7)}${fit(g('주문구분'), 8)}${fit(`${unsigned(g('미체결수량'))}/${unsigned(g('주문수량'))}`, 9, 'right')} @ ${won(g('주문가격'))}`;
    }),
  );
  return ['', `account ${accno} holdings:`, ...holdings, `open orders: ${open.length === 0 ? 'none' : ''}`, ...open];
}

async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    interval: { type: 'string', default: '500' },
    seconds: { type: 'string' },
    'no-account': { type: 'boolean', default: false },
    ...BACKEND_OPTIONS,
    ...LOG_OPTIONS,
  }, Infinity);
  const interval = numberFlag(values, 'interval', { min: 50, max: 60_000, integer: true })!;
  const seconds = numberFlag(values, 'seconds', { min: 0 });
  const codes = positionals.map((c) => c.trim()).filter((c) => c !== '');
  if (codes.length === 0) throw new UsageError('give at least one stock code: `kiwoom-compat watch 005930 000660`');
  const bad = codes.find((c) => !/^[0-9A-Z]{6}(_NX|_AL)?$/.test(c));
  if (bad !== undefined) throw new UsageError(`"${bad}" is not a stock code (6 characters, e.g. 005930)`);
  if (codes.length > 100) throw new UsageError('at most 100 codes (one SetRealReg call)');
  const { logger } = cliLogger(values);

  const api = new APIServer();
  await api.api_init({ ...apiInitOptions(values), logger });
  const screen = new Screen();
  let frame: string[] = [];
  try {
    if ((await api.CommConnect(true)) !== 0) throw new Error(`login failed: ${api.GetLastError()?.message ?? ''}`);
    const rows = new Map<string, QuoteRow>();
    for (const code of codes) {
      const name = await api.GetMasterCodeName(code.replace(/_(NX|AL)$/, ''));
      if (name === '') throw new Error(`"${code}" is not a listed stock code (no name in the stock master)`);
      rows.set(code, { code, name, fids: undefined, trend: [], updates: 0, changedAt: 0 });
    }
    api.on('OnReceiveRealData', (code, realType, fids) => {
      const row = rows.get(code);
      if (row !== undefined && realType === '주식체결') recordTrade(row, fids, Date.now());
    });
    const ret = await api.SetRealReg('9200', codes.join(';'), FIDS, '0');
    if (ret !== 0) throw new Error(`SetRealReg failed: ${api.GetLastError()?.message ?? ret}`);

    const accno = api.GetLoginInfo('ACCNO').split(';')[0] ?? '';
    let account: string[] = [];
    const refreshAccount = async (): Promise<void> => {
      if (values['no-account'] || accno === '') return;
      account = await accountLines(api, accno);
    };
    await refreshAccount();

    const draw = (): void => {
      const { columns, rows: height } = screen.size();
      frame = renderWatch({ rows: [...rows.values()], domain: api.domain ?? '', account, now: Date.now() }, { columns, rows: height, colors: pc, freshMs: interval });
      screen.draw(frame);
    };
    draw();
    const stopResize = screen.onResize(draw);
    const timer = setInterval(draw, interval);
    const accountTimer = setInterval(() => void refreshAccount().catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'account refresh failed')), 5_000);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      if (seconds !== undefined) setTimeout(resolve, seconds * 1000);
    });
    clearInterval(timer);
    clearInterval(accountTimer);
    stopResize();
    draw();
    return 0;
  } finally {
    if (frame.length > 0 && screen.inPlace) screen.close(frame);
    await api.cleanup();
  }
}

export const watch: Command = { summary: 'live quote table with trends (and holdings, open orders), redrawn in place', help, run };
