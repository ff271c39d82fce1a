/**
 * The bridge process refuses orders to production unless the caller said yes, so a legacy
 * program switched to use_rest with sim_no 0 cannot trade real money by accident.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { readLine } from './protocol-lines.js';

type Line = { id?: number; result?: unknown; error?: { message: string }; ready?: unknown };

/** Runs the built bridge with `env`, makes `calls` in order, returns each reply. */
async function bridgeSession(env: NodeJS.ProcessEnv, calls: [string, ...unknown[]][]): Promise<Line[]> {
  const child = spawn(process.execPath, ['dist/cli/main.js', 'bridge', '--stdio'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const waiting: Line[] = [];
  const next = async (): Promise<Line> => {
    while (waiting.length === 0) waiting.push(...(readLine(String((await lines.next()).value)) as Line[]));
    return waiting.shift()!;
  };
  expect(await next()).toHaveProperty('ready');
  const replies: Line[] = [];
  let id = 0;
  for (const [method, ...args] of calls) {
    child.stdin.write(`${JSON.stringify({ id: ++id, method, args })}\n`);
    let line = await next();
    while (line.id !== id) line = await next(); // events in between
    replies.push(line);
  }
  child.stdin.end();
  await new Promise((resolve) => child.once('exit', resolve));
  return replies;
}

describe('bridge --stdio and production orders', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 4, realRate: 0 });
  });
  afterAll(async () => emu.close());

  const session = (env: NodeJS.ProcessEnv): Promise<Line[]> =>
    bridgeSession(env, [
      // sim_no 0 with use_rest is production; the emulator stands in for api.kiwoom.com.
      ['api_init', { sim_no: 0, use_rest: true, appkey: emu.appkey, secretkey: emu.secretkey, endpoints: { rest: emu.restUrl, ws: emu.wsUrl } }],
      ['CommConnect', true],
      ['SendOrder', 'buy', '2000', emu.account, 1, '005930', 1, 0, '03', ''],
    ]);

  it('refuses SendOrder to production without --allow-prod-orders, and sends nothing', async () => {
    const before = emu.orderLedger().length;
    const [, connect, order] = await session({ KIWOOM_ALLOW_PROD_ORDERS: '' });
    expect(connect?.result).toBe(0);
    expect(order?.error?.message).toMatch(/SendOrder: orders to production need an explicit yes: .*--allow-prod-orders/);
    expect(emu.orderLedger().length).toBe(before);
  });

  it('sends it once when KIWOOM_ALLOW_PROD_ORDERS=1', async () => {
    const before = emu.orderLedger().length;
    const [, , order] = await session({ KIWOOM_ALLOW_PROD_ORDERS: '1' });
    expect(order?.result).toBe(0);
    expect(emu.orderLedger().length).toBe(before + 1);
  });
});
