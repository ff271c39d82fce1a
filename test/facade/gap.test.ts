/**
 * A WebSocket gap during fills: orders filled while the socket is down are reconciled by query
 * after the reconnect, and every fill reaches the consumer exactly once (emulator fillLedger).
 */
import { expect, test } from 'vitest';
import type { FidValues } from '../../src/facade/index.js';
import { BACKENDS, nextEvent, openBackend } from './helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test.each(BACKENDS)('%s: fills during a WebSocket gap reach the consumer exactly once, in order', async (name) => {
  // A slow first reconnect attempt leaves room to trade while the socket is down.
  const b = await openBackend(name, { realtime: { reconnect: { initialDelayMs: 1200, maxDelayMs: 1500, jitter: 0 } } });
  const { api, emu } = b;
  try {
    expect(await api.CommConnect()).toBe(0);
    const accno = api.GetLoginInfo('ACCNO').split(';')[0] ?? '';
    const events: FidValues[] = [];
    api.on('OnReceiveChejanData', (gubun, fids) => {
      if (gubun === '0') events.push(fids);
    });
    const buy = async (qty: number): Promise<void> => {
      expect(await api.SendOrder('buy', '2000', accno, 1, '005930', qty, 0, '03', '')).toBe(0);
    };
    const heldBefore = nextEvent<[string, FidValues]>(api, 'OnReceiveChejanData', (g) => g === '1');
    await buy(3);
    const [, before] = await heldBefore;

    emu.faults.dropWebSockets();
    // No 잔고 frame can arrive while the socket is down: the next one is rebuilt by the reconciliation.
    const rebuilt = nextEvent<[string, FidValues]>(api, 'OnReceiveChejanData', (g) => g === '1', 8000);
    await sleep(20);
    await buy(5);
    await buy(7);
    const gapOrders = emu.orderLedger().slice(-2).map((o) => o.ordNo);
    // Reconciliation after the reconnect brings the two orders the socket never reported.
    const settled = nextEvent(api, 'OnReceiveChejanData', (g, f: FidValues) => g === '0' && f['9203'] === gapOrders[1] && f['913'] === '체결', 8000);
    await settled;
    const [, rebuiltBalance] = await rebuilt;
    expect(rebuiltBalance['9001']).toBe('A005930');
    expect(Number(rebuiltBalance['930'])).toBe(Number(before['930']) + 12);
    const balance = nextEvent(api, 'OnReceiveChejanData', (g) => g === '1');
    await buy(2);
    await balance;
    await sleep(100);

    const fills = emu.fillLedger();
    expect(fills.length).toBeGreaterThanOrEqual(4);
    for (const order of emu.orderLedger()) {
      const mine = events.filter((f) => f['9203'] === order.ordNo);
      expect(mine.filter((f) => f['913'] === '접수'), `one 접수 for ${order.ordNo}`).toHaveLength(1);
      const delivered = mine.filter((f) => f['913'] === '체결').reduce((n, f) => n + Number(f['915']), 0);
      const executed = fills.filter((f) => f.ordNo === order.ordNo).reduce((n, f) => n + f.qty, 0);
      expect(delivered, `filled quantity of ${order.ordNo}`).toBe(executed);
      // 접수 comes before any 체결 of the same order.
      expect(mine[0]?.['913']).toBe('접수');
    }
    const fillKeys = events.filter((f) => f['913'] === '체결' && f['909'] !== '').map((f) => `${f['9203']}/${f['909']}`);
    expect(new Set(fillKeys).size).toBe(fillKeys.length);
  } finally {
    await b.close();
  }
}, 20_000);
