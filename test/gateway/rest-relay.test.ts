/**
 * The gateway's REST side against the emulator: Kiwoom's checks with Kiwoom's codes, a
 * client's share answered with Kiwoom's 429 without making the others wait, identical queued
 * queries sharing one upstream call (never orders), and no upstream secret in any answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OrderUnknownError } from '../../src/errors.js';
import { KiwoomRest } from '../../src/rest/index.js';
import { captureLogs } from '../faults/harness.js';
import { RawClient, startRig, waitFor, type Rig } from './helpers.js';

let rig: Rig;
afterEach(async () => {
  await rig?.close();
});

const PRICE = { apiId: 'ka10001', path: '/api/dostk/stkinfo' } as const;

describe('gateway REST relay', () => {
  it('checks a client request as Kiwoom does: api-id, its own token, required fields', async () => {
    rig = await startRig();
    const pair = rig.gw.clients.issue('probe');
    const raw = await RawClient.open(rig.gw, pair);
    expect((await raw.call('ka99999', PRICE.path, {})).body['return_msg']).toContain('1505');
    expect((await raw.call('ka10001', '/api/dostk/ordr', { stk_cd: '005930' })).body['return_msg']).toContain('1504');
    expect((await raw.call('ka10001', PRICE.path, {})).body['return_msg']).toContain('1511');
    const stranger = new RawClient(rig.gw.restUrl, 'not-a-token', raw.ws);
    expect(await stranger.call(PRICE.apiId, PRICE.path, { stk_cd: '005930' })).toMatchObject({ status: 200, body: { return_code: 3 } });
    // The upstream's own token is not a client token.
    const upstreamToken = rig.emu.issuedTokens()[0]!;
    const spoof = new RawClient(rig.gw.restUrl, upstreamToken, raw.ws);
    expect((await spoof.call(PRICE.apiId, PRICE.path, { stk_cd: '005930' })).body['return_msg']).toContain('8005');
    const ok = await raw.call(PRICE.apiId, PRICE.path, { stk_cd: '005930' });
    expect(ok).toMatchObject({ status: 200, body: { return_code: 0, stk_cd: '005930' } });
    // Checks refused before the upstream: only the one good query reached the emulator.
    expect(rig.emu.stats().byApiId['ka10001']).toBe(1);
    raw.ws.close();
  });

  it('refuses key pairs it did not issue (8001) and pairs revoked while it runs', async () => {
    rig = await startRig();
    await expect(RawClient.issueToken(rig.gw.restUrl, { appkey: rig.emu.appkey, secretkey: rig.emu.secretkey })).rejects.toThrow(/8001/);
    const pair = rig.gw.clients.issue('temp');
    const raw = await RawClient.open(rig.gw, pair);
    expect(rig.gw.clients.revoke('temp')).toBe(true);
    expect((await raw.call(PRICE.apiId, PRICE.path, { stk_cd: '005930' })).body['return_msg']).toContain('8005');
    await expect(RawClient.issueToken(rig.gw.restUrl, pair)).rejects.toThrow(/8001/);
    await raw.ws.closed;
  });

  it('turns a client past its share away with Kiwoom’s 429, and does not make another wait behind it', async () => {
    rig = await startRig({}, { maxWaitMs: 2000 });
    const heavy = await RawClient.open(rig.gw, rig.gw.clients.issue('heavy'));
    const light = await RawClient.open(rig.gw, rig.gw.clients.issue('light'));
    const codes = rig.emu.state.master.map((s) => s.code);
    // Counted by the gateway's own figures, not by wall time: a loaded machine slows every answer alike.
    const none = { queued: { order: 0, query: 0 }, served: { order: 0, query: 0 }, refused: 0, joined: 0 };
    const heavyStats = () => rig!.gw.status().clients.find((c) => c.name === 'heavy')!.rest['heavy'] ?? none;
    const burst = codes.slice(0, 30).map((c) => heavy.call(PRICE.apiId, PRICE.path, { stk_cd: c }));
    await waitFor(() => heavyStats().queued.query >= 6, 'a queue of the heavy client at the gateway');
    const servedAtSend = heavyStats().served.query;
    const queuedAtSend = heavyStats().queued.query;
    const mine = await light.call(PRICE.apiId, PRICE.path, { stk_cd: codes[30] });
    const servedBeforeMine = heavyStats().served.query - servedAtSend;
    const results = await Promise.all(burst);

    expect(mine.body['return_code']).toBe(0);
    // Behind the heavy client's queue it would wait for all of it (first-come order across
    // clients, planted, fails here). Its turn comes after the two requests already handed
    // upstream and one turn of the heavy client; the rest of the bound is for its own request's
    // way in and its answer's way out, which a loaded machine stretches.
    expect(queuedAtSend).toBeGreaterThanOrEqual(6);
    expect(servedBeforeMine).toBeLessThanOrEqual(queuedAtSend / 2);
    const refused = results.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(10);
    for (const r of refused) expect(r.body).toMatchObject({ return_code: 5, return_msg: expect.stringContaining('1700') });
    expect(results.filter((r) => r.status === 200).every((r) => r.body['return_code'] === 0)).toBe(true);
    expect(rig.emu.stats().rateLimited).toBe(0);
    const status = rig.gw.status().clients;
    expect(status.find((c) => c.name === 'heavy')!.rest['heavy']!.refused).toBe(refused.length);
    expect(status.find((c) => c.name === 'light')!.rest['light']!.refused).toBe(0);
    heavy.ws.close();
    light.ws.close();
  });

  it('answers identical queries queued together with one upstream call, but sends every order', async () => {
    rig = await startRig();
    const a = await RawClient.open(rig.gw, rig.gw.clients.issue('a'));
    const b = await RawClient.open(rig.gw, rig.gw.clients.issue('b'));
    // Queries ahead keep the next ones queued for a moment (5/s upstream), so that they meet in the queue.
    const ahead = ['000660', '035720', '005380'].map((c) => a.call(PRICE.apiId, PRICE.path, { stk_cd: c }));
    const same = await Promise.all([a.call('ka10004', '/api/dostk/mrkcond', { stk_cd: '005930' }), b.call('ka10004', '/api/dostk/mrkcond', { stk_cd: '005930' })]);
    await Promise.all(ahead);
    expect(same[0]!.body).toEqual(same[1]!.body);
    expect(rig.emu.stats().byApiId['ka10004']).toBe(1);
    expect(rig.gw.status().clients.find((c) => c.name === 'b')!.rest['b']!.joined).toBe(1);

    const order = { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', ord_uv: '', trde_tp: '3', cond_uv: '' };
    const acct = rig.emu.orderLedger().length;
    const placed = await Promise.all([a.call('kt10000', '/api/dostk/ordr', order), b.call('kt10000', '/api/dostk/ordr', order)]);
    expect(placed.map((p) => p.body['return_code'])).toEqual([0, 0]);
    expect(placed[0]!.body['ord_no']).not.toBe(placed[1]!.body['ord_no']);
    expect(rig.emu.orderLedger().length - acct).toBe(2);
    a.ws.close();
    b.ws.close();
  });
});

describe('gateway REST relay: unknown outcomes and secrets', () => {
  it('reports an order whose upstream answer never came as unknown (HTTP 504, no envelope), never as refused', async () => {
    rig = await startRig({}, { rest: { mock: false, timeouts: { headersMs: 300, totalMs: 400 } } });
    const pair = rig.gw.clients.issue('trader');
    const raw = await RawClient.open(rig.gw, pair);
    rig.emu.faults.delay(1500);
    const order = { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', ord_uv: '', trde_tp: '3', cond_uv: '' };
    const answer = await raw.call('kt10000', '/api/dostk/ordr', order);
    expect(answer.status).toBe(504);
    expect(answer.body).not.toHaveProperty('return_code');
    // The library behind the gateway reads it as Kiwoom would make it read a lost answer: unknown, not resent.
    const rest = new KiwoomRest({ appkey: pair.appkey, secretkey: pair.secretkey, simNo: 1, baseUrl: rig.gw.restUrl, mock: false });
    await expect(rest.call('kt10000', order)).rejects.toBeInstanceOf(OrderUnknownError);
    await rest.close();
    rig.emu.faults.delay(0);
    // Each order reached the emulator exactly once: the gateway never resends one either.
    await new Promise((r) => setTimeout(r, 1600));
    expect(rig.emu.orderLedger()).toHaveLength(2);
    raw.ws.close();
  });

  it('never shows the upstream keys or token to a client, a log line or the status', async () => {
    const logs = captureLogs();
    rig = await startRig({}, { logger: logs.logger });
    const pair = rig.gw.clients.issue('probe');
    const raw = await RawClient.open(rig.gw, pair);
    const answers = [
      await raw.call(PRICE.apiId, PRICE.path, { stk_cd: '005930' }),
      await raw.call('ka99999', PRICE.path, {}),
      await raw.call('kt00018', '/api/dostk/acnt', { qry_tp: '1', dmst_stex_tp: 'KRX' }),
    ];
    expect((await raw.reg('1', ['005930'], ['0B']))['return_code']).toBe(0);
    rig.emu.faults.dropWebSockets();
    await waitFor(() => rig.gw.status().upstream.reconnects === 1, 'the upstream back');
    const seen = [...logs.lines, ...raw.ws.raw, JSON.stringify(answers), JSON.stringify(rig.gw.status())].join('\n');
    const secrets = [rig.emu.appkey, rig.emu.secretkey, ...rig.emu.issuedTokens(), pair.secretkey, rig.gw.adminToken];
    expect(logs.lines.length).toBeGreaterThan(5);
    expect(secrets.filter((s) => seen.includes(s))).toEqual([]);
    raw.ws.close();
  });
});
