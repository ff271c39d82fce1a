#!/usr/bin/env node
/**
 * Balance table printer: opw00018 (계좌평가잔고내역요청) the OCX way, SetInputValue + CommRqData,
 * read by Korean names in OnReceiveTrData, printed as a table. Runs on the built-in emulator:
 *
 *   npm run build && node examples/balance-table.mjs
 */
import { pathToFileURL } from 'node:url';
import { APIServer } from '../dist/index.js';

const COLUMNS = [
  ['종목번호', 8],
  ['종목명', 12],
  ['보유수량', 8],
  ['매입가', 10],
  ['현재가', 10],
  ['평가금액', 14],
  ['평가손익', 12],
  ['수익률(%)', 9],
];

/** Display width: Hangul takes two columns in a terminal. */
const width = (s) => [...s].reduce((n, ch) => n + (/[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/.test(ch) ? 2 : 1), 0);
const pad = (s, n, right) => (right ? ' '.repeat(Math.max(0, n - width(s))) + s : s + ' '.repeat(Math.max(0, n - width(s))));
/** OCX numbers are zero-padded and signed: "-000071200" → "-71,200". */
const number = (s) => (/^[+-]?\d+(\.\d+)?$/.test(s) ? Number(s).toLocaleString('en-US') : s);

/**
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<{ rows: Record<string, string>[], totals: Record<string, string> }>}
 */
export async function main({ log = console.log } = {}) {
  const api = new APIServer();
  await api.api_init({ sim_no: 1, use_rest: false, log_level: 'warn' });
  try {
    if ((await api.CommConnect(true)) !== 0) throw new Error('login failed');
    const accno = api.GetLoginInfo('ACCNO').split(';')[0];
    let result;
    api.once('OnReceiveTrData', (_screen, rqname, trcode) => {
      const get = (i, item) => api.GetCommData(trcode, rqname, i, item).trim();
      const rows = Array.from({ length: api.GetRepeatCnt(trcode, rqname) }, (_v, i) => Object.fromEntries(COLUMNS.map(([item]) => [item, get(i, item)])));
      const totals = Object.fromEntries(['총매입금액', '총평가금액', '총평가손익금액', '총수익률(%)', '추정예탁자산'].map((item) => [item, get(0, item)]));
      result = { rows, totals };
    });
    for (const [name, value] of [['계좌번호', accno], ['비밀번호', ''], ['비밀번호입력매체구분', '00'], ['조회구분', '2']]) api.SetInputValue(name, value);
    const ret = await api.CommRqData('balance', 'opw00018', 0, '0102');
    if (ret !== 0 || result === undefined) throw new Error(`opw00018 failed: ${ret} ${api.GetLastError()?.message ?? ''}`);

    log(`account ${accno} (emulator)`);
    log(COLUMNS.map(([name, n], i) => pad(name, n, i >= 2)).join('  '));
    for (const row of result.rows) {
      log(COLUMNS.map(([item, n], i) => pad(i >= 2 ? number(row[item]) : row[item], n, i >= 2)).join('  '));
    }
    log(Object.entries(result.totals).map(([k, v]) => `${k} ${number(v)}`).join('  '));
    return result;
  } finally {
    await api.cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
