/**
 * The WebSocket side inside the real emulator: token from /oauth2/token, orders placed over
 * REST, 00/04 pushed to the ordering account, faults through the public handle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { Client, isReal, realOf } from './harness.js';

async function issueToken(emu: Emulator): Promise<string> {
  const res = await fetch(`${emu.restUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8' },
    body: JSON.stringify({ grant_type: 'client_credentials', appkey: emu.appkey, secretkey: emu.secretkey }),
  });
  return ((await res.json()) as { token: string }).token;
}

async function order(emu: Emulator, token: string, apiId: string, body: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await fetch(`${emu.restUrl}/api/dostk/ordr`, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8', 'api-id': apiId, authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}

describe('WebSocket side inside startEmulator', () => {
  let emu: Emulator;
  let token: string;
  let url: string;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 3, realRate: 200, pingIntervalMs: 60_000, marketTicksPerSecond: 0 });
    token = await issueToken(emu);
    url = `${emu.wsUrl}/api/dostk/websocket`;
  });
  afterAll(async () => emu.close());

  it('logs in with a REST-issued token and streams 0B for a master stock', async () => {
    const c = await Client.login(url, token);
    const code = emu.state.master[0]!.code;
    expect((await c.request({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: [code], type: ['0B'] }] }))['return_code']).toBe(0);
    const e = realOf(await c.next(isReal('0B', code)))[0]!;
    const q = emu.state.quote(code)!;
    expect(Number(e.values['10']!.replace(/^[+-]/, ''))).toBeGreaterThan(0);
    expect(e.values['10']!.startsWith(q.price > q.prevClose ? '+' : q.price < q.prevClose ? '-' : '')).toBe(true);
    expect(emu.stats().realFrames).toBeGreaterThan(0);
    // Kiwoom sends text frames; a client that only handles text must see every one.
    expect(c.binaryFrames).toBe(0);
    c.close();
  });

  it('pushes 00 (접수, 체결) and 04 to the ordering account after a market buy placed over REST', async () => {
    const c = await Client.login(url, token);
    await c.request({ trnm: 'REG', grp_no: '9', refresh: '1', data: [{ item: [''], type: ['00', '04'] }] });
    const placed = await order(emu, token, 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '3', ord_uv: '', trde_tp: '3', cond_uv: '' });
    expect(placed['return_code']).toBe(0);
    const ordNo = String(placed['ord_no']);

    const accepted = realOf(await c.next((f) => isReal('00')(f) && realOf(f)[0]!.values['913'] === '접수'))[0]!;
    expect(accepted.values).toMatchObject({ '9201': emu.account, '9203': ordNo, '9001': '005930', '900': '3', '905': '+매수', '906': '시장가', '907': '2' });
    const filled = realOf(await c.next((f) => isReal('00')(f) && realOf(f)[0]!.values['913'] === '체결'))[0]!;
    expect(filled.values['9203']).toBe(ordNo);
    expect(Number(filled.values['911'])).toBeGreaterThan(0);
    expect(Number(filled.values['910'])).toBeGreaterThan(0);
    expect(filled.values['909']).not.toBe('');
    const balance = realOf(await c.next(isReal('04')))[0]!;
    expect(balance.values).toMatchObject({ '9201': emu.account, '9001': '005930', '302': '삼성전자' });
    expect(Number(balance.values['930'])).toBeGreaterThanOrEqual(3);
    c.close();
  });

  it('does not push 00 to a session that did not register it', async () => {
    const c = await Client.login(url, token);
    await order(emu, token, 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', ord_uv: '', trde_tp: '3', cond_uv: '' });
    await new Promise((r) => setTimeout(r, 100));
    expect(c.frames.filter((f) => f.trnm === 'REAL')).toHaveLength(0);
    c.close();
  });

  it('rejects a revoked or expired token at LOGIN, and the faults reach the sockets', async () => {
    emu.faults.rejectNextLogin(1);
    const rejected = await Client.connect(url);
    expect((await rejected.request({ trnm: 'LOGIN', token }))['return_code']).toBe(805004);
    await rejected.closed;

    const c = await Client.login(url, token);
    emu.faults.kickSession();
    expect((await c.next((f) => f.trnm === 'SYSTEM'))['code']).toBe('R10001');
    await c.closed;

    const d = await Client.login(url, token);
    emu.faults.dropWebSockets();
    expect((await d.closed).code).toBe(1006);

    emu.faults.expireTokens();
    const e = await Client.connect(url);
    expect((await e.request({ trnm: 'LOGIN', token }))['return_code']).toBe(805004);
    await e.closed;
  });
});
