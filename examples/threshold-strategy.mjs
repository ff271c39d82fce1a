#!/usr/bin/env node
/**
 * The seed's threshold strategy on kiwoom-compat: watch real-time trades of one stock, buy at
 * market when the price falls below one level, sell what was bought when it rises above another.
 * Runs on the built-in emulator (no account, no network):
 *
 *   npm run build && node examples/threshold-strategy.mjs [code] [buyBelow] [sellAbove] [seconds]
 *
 * Without levels it sets them 0.2% either side of the first trade it sees.
 */
import { pathToFileURL } from 'node:url';
import { APIServer } from '../dist/index.js';

/**
 * @param {{ code?: string, buyBelow?: number, sellAbove?: number, seconds?: number, qty?: number,
 *           log?: (line: string) => void, api?: APIServer }} [options]
 * @returns {Promise<{ trades: number, orders: { side: string, price: number, ret: number }[], position: number }>}
 */
export async function main({ code = '005930', buyBelow, sellAbove, seconds = 10, qty = 1, log = console.log } = {}) {
  const api = new APIServer();
  const orders = [];
  let position = 0;
  let pending = false;
  let stopped = false;
  let trades = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));

  api.on('OnReceiveChejanData', (gubun, fids) => {
    if (gubun === '0' && fids['913'] === '체결') log(`chejan   order ${fids['9203']} filled ${fids['911']} @ ${fids['910']}`);
  });
  api.on('OnReceiveRealData', async (key, realType, fids) => {
    if (key !== code || realType !== '주식체결' || pending || stopped) return;
    const price = Math.abs(Number(fids['10']));
    trades += 1;
    buyBelow ??= Math.round(price * 0.998);
    sellAbove ??= Math.round(price * 1.002);
    log(`quote    ${code} ${price.toLocaleString('en-US')} at ${fids['20']} (buy below ${buyBelow}, sell above ${sellAbove}, holding ${position})`);
    const side = position === 0 && price < buyBelow ? 'buy' : position > 0 && price > sellAbove ? 'sell' : undefined;
    if (side === undefined) return;
    pending = true;
    const ret = await api.SendOrder(`threshold-${side}`, '2000', accno, side === 'buy' ? 1 : 2, code, qty, 0, '03', '');
    orders.push({ side, price, ret });
    log(`order    ${side} ${qty} ${code} at market (trigger ${price}) → ${ret === 0 ? 'sent' : `refused ${ret}`}`);
    if (ret === 0) position += side === 'buy' ? qty : -qty;
    pending = false;
    // One round trip, then stop: trades still arriving before cleanup must not start another.
    if (side === 'sell' && ret === 0) {
      stopped = true;
      done();
    }
  });

  await api.api_init({ sim_no: 1, use_rest: false, log_level: 'warn' });
  let accno = '';
  try {
    if ((await api.CommConnect(true)) !== 0) throw new Error('login failed');
    accno = api.GetLoginInfo('ACCNO').split(';')[0];
    log(`start    ${code} on the emulator, account ${accno}`);
    await api.SetRealReg('1000', code, '10;15;20', '0');
    let timer;
    await Promise.race([finished, new Promise((resolve) => (timer = setTimeout(resolve, seconds * 1000)))]);
    clearTimeout(timer);
    log(`end      ${trades} trades seen, ${orders.length} orders, holding ${position}`);
    return { trades, orders, position, buyBelow, sellAbove };
  } finally {
    await api.cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [code, buy, sell, seconds] = process.argv.slice(2);
  await main({ code, buyBelow: buy === undefined ? undefined : Number(buy), sellAbove: sell === undefined ? undefined : Number(sell), seconds: seconds === undefined ? 10 : Number(seconds) });
}
