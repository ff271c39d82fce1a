/**
 * `kiwoom-compat demo`: the built-in emulator and the library talking to it, with no
 * credentials and no network. What `npm start` runs.
 */
import { KiwoomRest } from '../../rest/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { APIServer, EVENT_NAMES, type APIServerEvents } from '../../facade/index.js';
import { runLegacyConsumer } from '../../compare/legacy-consumer.js';
import { tickSize } from '../../compat/orders.js';
import { line, won, signed, unsigned } from '../format.js';
import { byDirection, direction } from '../colour.js';
import type { Command } from './command.js';
import { parseFlags } from '../options.js';

type Row = Record<string, unknown>;
const rows = (body: Row, key: string): Row[] => (Array.isArray(body[key]) ? (body[key] as Row[]) : []);

async function run(): Promise<number> {
  const started = performance.now();
  const emu = await startEmulator();
  try {
    console.log(`kiwoom-compat demo: built-in emulator at ${emu.restUrl} (no credentials, no network)`);
    console.log('\n1. The REST client (KiwoomRest) on the wire API\n');
    await restTour(emu);
  } finally {
    await emu.close();
  }
  console.log('\n2. A legacy OCX-style consumer through APIServer (use_rest: false, sim_no: 1)\n');
  await legacyConsumer();
  console.log(`\ndone in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  return 0;
}

/** Quote, paged chart, balance, a buy and its cancel, straight through KiwoomRest. */
async function restTour(emu: Emulator): Promise<void> {
  const rest = new KiwoomRest({ appkey: emu.appkey, secretkey: emu.secretkey, baseUrl: emu.restUrl });
  try {

    const { body: q } = await rest.call('ka10001', { stk_cd: '005930' });
    const move = direction(q.pred_pre);
    console.log(line('quote', `${q.stk_cd} ${q.stk_nm}  현재가 ${byDirection(won(q.cur_prc), move)}  전일대비 ${byDirection(`${signed(q.pred_pre)} (${signed(q.flu_rt)}%)`, move)}  거래량 ${won(q.trde_qty)}`));

    const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
    const chartBody = { stk_cd: '005930', base_dt: today, upd_stkpc_tp: '1' };
    let pages = 0;
    const bars: Row[] = [];
    for await (const page of rest.pages('ka10081', chartBody, { maxPages: 3 })) {
      pages += 1;
      bars.push(...rows(page.body, 'stk_dt_pole_chart_qry'));
    }
    const first = bars.at(-1);
    const last = bars[0];
    console.log(line('chart', `005930 daily bars: ${bars.length} over ${pages} pages (cont-yn/next-key), ${String(first?.dt)} → ${String(last?.dt)}, last close ${won(last?.cur_prc)}`));

    const { body: bal } = await rest.call('kt00018', { qry_tp: '1', dmst_stex_tp: 'KRX' });
    console.log(line('balance', `account ${emu.account}: 총매입 ${won(bal.tot_pur_amt)}  총평가 ${won(bal.tot_evlt_amt)}  손익 ${byDirection(signed(bal.tot_evlt_pl), direction(bal.tot_evlt_pl))}`));
    for (const h of rows(bal, 'acnt_evlt_remn_indv_tot')) {
      console.log(line('', `  ${String(h.stk_cd)} ${String(h.stk_nm)}  ${unsigned(h.rmnd_qty)}주  평가 ${won(h.evlt_amt)}  수익률 ${byDirection(`${signed(h.prft_rt)}%`, direction(h.prft_rt))}`));
    }

    // A limit well below the market rests unfilled, so the cancel below has something to cancel.
    const bid = unsigned(q.cur_prc) * 0.8;
    const price = Math.floor(bid / tickSize(bid)) * tickSize(bid);
    const { body: buy } = await rest.call('kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', ord_uv: String(price), trde_tp: '0' });
    console.log(line('order', `[emulator] buy 005930 x1 @ ${won(price)} limit → order ${String(buy.ord_no)}`));
    const { body: cancel } = await rest.call('kt10003', { dmst_stex_tp: 'KRX', orig_ord_no: String(buy.ord_no), stk_cd: '005930', cncl_qty: '0' });
    console.log(line('cancel', `[emulator] order ${String(buy.ord_no)} cancelled → order ${String(cancel.ord_no)}, quantity ${unsigned(cancel.cncl_qty)}`));

    console.log(line('served', `${emu.stats().requests} REST requests`));
  } finally {
    await rest.close();
  }
}

/** How each OCX event reads on the terminal; real data is shown for the first few items only. */
const SHOW: { [K in keyof APIServerEvents]: (...args: APIServerEvents[K]) => string } = {
  OnEventConnect: (err) => `OnEventConnect(${err})${err === 0 ? ' logged in' : ''}`,
  OnReceiveTrData: (screen, rqname, trcode, _record, prevNext) => `OnReceiveTrData(screen ${screen}, ${rqname}, ${trcode}, prevNext ${prevNext})`,
  OnReceiveRealData: (code, realType, fids) => `OnReceiveRealData(${code}, ${realType}) 현재가 ${fids['10'] ?? '-'} 체결시간 ${fids['20'] ?? '-'}`,
  OnReceiveChejanData: (gubun, fids) =>
    gubun === '0'
      ? `OnReceiveChejanData(0 주문체결) ${fids['9203'] ?? ''} ${fids['913'] ?? ''} ${fids['9001'] ?? ''} ${fids['905'] ?? ''} 수량 ${fids['900'] ?? ''} 체결량 ${fids['911'] ?? ''}`
      : `OnReceiveChejanData(${gubun} 잔고) ${fids['9001'] ?? ''} 보유수량 ${fids['930'] ?? ''}`,
  OnReceiveMsg: (screen, rqname, trcode, msg) => `OnReceiveMsg(screen ${screen}, ${rqname}, ${trcode}) ${msg}`,
  OnReceiveConditionVer: (ret, msg) => `OnReceiveConditionVer(${ret}) ${msg}`,
  OnReceiveTrCondition: (screen, codes, name, index) => `OnReceiveTrCondition(screen ${screen}, ${name} #${index}) ${codes.split(';').filter(Boolean).length} codes`,
  OnReceiveRealCondition: (code, type, name) => `OnReceiveRealCondition(${code} ${type === 'I' ? '편입' : '이탈'}, ${name})`,
  OnReceiveInvestRealData: (key) => `OnReceiveInvestRealData(${key})`,
};
const REAL_LINES = 5;

/** The same consumer the tests and `compare` run, with every event printed as it arrives. */
async function legacyConsumer(): Promise<void> {
  const api = new APIServer();
  let realLines = 0;
  for (const name of EVENT_NAMES) {
    api.on(name, ((...args: never[]) => {
      if (name === 'OnReceiveRealData' && ++realLines > REAL_LINES) return;
      console.log(line('event', (SHOW[name] as (...a: never[]) => string)(...args)));
    }) as never);
  }
  await api.api_init({ sim_no: 1, use_rest: false });
  const { facts } = await runLegacyConsumer(api);
  console.log(line('result', `order ${facts.orderNo}: ${facts.chejanStatuses.join(' → ')}; ${facts.chartRows} chart rows over ${facts.chartPages} pages; ${realLines} real-time items`));
}

export const demo: Command = {
  summary: 'run the built-in emulator and a short session against it (what `npm start` runs)',
  help: 'usage: kiwoom-compat demo\n\nStarts the built-in emulator on loopback and shows a quote, a paged daily chart,\nthe balance, a buy order and its cancel. Needs no credentials and no network.',
  run: (args) => {
    parseFlags(args, {});
    return run();
  },
};
