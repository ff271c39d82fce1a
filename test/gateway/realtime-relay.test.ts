/**
 * The gateway's WebSocket side against the emulator: the live caps held for the union and
 * refused to the client that would pass them with Kiwoom's 6-digit codes; real-time conditions
 * shared within the 10 a login may run; one-shot condition pages passed through; the upstream
 * taken by another login told to every client; a revoked pair's sessions closed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LIVE_WS } from '../../src/compat/live.js';
import { ValidationError } from '../../src/errors.js';
import { startGateway } from '../../src/gateway/index.js';
import { RealtimeSession } from '../../src/realtime/index.js';
import { isReal } from '../emulator-ws/harness.js';
import { RawClient, startRig, upstreamPairs, waitFor, type Rig } from './helpers.js';

let rig: Rig;
const clients: RawClient[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of clients.splice(0)) c.ws.close();
  await rig?.close();
});

async function open(name: string, options: { shared?: boolean } = {}): Promise<RawClient> {
  const c = await RawClient.open(rig.gw, rig.gw.clients.issue(name, options));
  clients.push(c);
  return c;
}

describe('gateway real-time relay', () => {
  it('holds the union under 200 items and the per-group cap, refusing the client that would pass them with 105115 / 105118', async () => {
    rig = await startRig({ realRate: 0 });
    const codes = rig.emu.state.master.map((s) => s.code);
    const a = await open('a');
    const b = await open('b');
    expect((await a.reg('1', codes.slice(0, 100), ['0B']))['return_code']).toBe(0);
    expect((await a.reg('1', codes.slice(100, 150), ['0B']))['return_code']).toBe(0);
    // b's 60 new items would take the union to 210.
    const over = await b.reg('1', codes.slice(150, 210), ['0B']);
    expect(over).toMatchObject({ trnm: 'REG', return_code: LIVE_WS.codes.connectionCap.rc });
    const subsOf = (name: string): Record<string, string[]> => rig.gw.status().clients.find((c) => c.name === name)!.sessions[0]!.subscriptions;
    // The refused request left b as it was: nothing registered.
    expect(subsOf('b')).toEqual({});
    // Items a already holds take no slot: b may share them, and add up to the cap.
    expect((await b.reg('1', [...codes.slice(0, 100), ...codes.slice(150, 200)], ['0B', '0D']))['return_code']).toBe(0);
    await waitFor(() => new Set(upstreamPairs(rig.emu).map((p) => p.split('|')[1])).size === 200, 'the union of 200 items upstream');
    expect(rig.gw.status().upstream.items).toBe(200);
    // A refused request into a group b holds leaves the group as it was.
    expect((await b.reg('2', codes.slice(0, 1), ['0A']))['return_code']).toBe(0);
    expect((await b.reg('2', codes.slice(200, 201), ['0B']))['return_code']).toBe(LIVE_WS.codes.connectionCap.rc);
    expect(subsOf('b')['2']).toEqual([`0A|${codes[0]}`]);

    // One group past 200 items is the group cap, whatever the union holds.
    b.ws.close();
    await waitFor(() => rig.gw.status().upstream.items === 150, 'b’s share gone');
    const c = await open('c');
    expect((await c.reg('7', codes.slice(150, 250), ['0B']))['return_code']).toBe(LIVE_WS.codes.connectionCap.rc);
    a.ws.close();
    await waitFor(() => rig.gw.status().upstream.items === 0, 'a’s share gone');
    expect((await c.reg('7', codes.slice(0, 100), ['0B']))['return_code']).toBe(0);
    expect((await c.reg('7', codes.slice(100, 101), ['0B']))['return_code']).toBe(0);
    expect((await c.reg('7', codes.slice(101, 201), ['0D']))['return_code']).toBe(LIVE_WS.codes.groupCap.rc);
  });

  it('refuses a client’s sixth REG/REMOVE in one second with 105110 and sends nothing upstream for it', async () => {
    rig = await startRig({ realRate: 0 });
    const a = await open('a');
    const answers = await Promise.all(['005930', '000660', '035720', '005380', '000270', '068270'].map((code, i) => a.reg(String(i + 1), [code], ['0B'])));
    expect(answers.slice(0, 5).map((r) => r['return_code'])).toEqual([0, 0, 0, 0, 0]);
    expect(answers[5]).toMatchObject({ return_code: LIVE_WS.codes.regRate.rc });
    await waitFor(() => upstreamPairs(rig.emu).length === 5, 'five pairs upstream');
    expect(upstreamPairs(rig.emu)).not.toContain('0B|068270');
  });

  it('shares a real-time condition between clients: one upstream search, stopped when the last holder lets go', async () => {
    rig = await startRig({ realRate: 0 });
    const a = await open('a');
    const b = await open('b');
    for (const c of [a, b]) expect((await c.ws.request({ trnm: 'CNSRLST' }))['return_code']).toBe(0);
    const first = await a.ws.request({ trnm: 'CNSRREQ', seq: '1', search_type: '1', stex_tp: 'K' });
    const second = await b.ws.request({ trnm: 'CNSRREQ', seq: '1', search_type: '1', stex_tp: 'K' });
    expect(first['return_code']).toBe(0);
    expect(second['data']).toEqual(first['data']);
    expect(rig.emu.wsHeld()[0]!.realtimeConditions).toEqual(['1']);
    expect((await a.ws.request({ trnm: 'CNSRCLR', seq: '1' }))['return_code']).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(rig.emu.wsHeld()[0]!.realtimeConditions).toEqual(['1']);
    expect(rig.gw.status().upstream.conditions).toEqual({ '1': 1 });
    b.ws.close();
    await waitFor(() => rig.emu.wsHeld()[0]!.realtimeConditions.length === 0, 'the condition stopped upstream');
  });

  it('keeps the real-time conditions of all clients within the 10 a login may run', async () => {
    rig = await startRig({ realRate: 0 });
    const a = await open('a');
    const b = await open('b');
    for (const c of [a, b]) await c.ws.request({ trnm: 'CNSRLST' });
    for (let seq = 0; seq < 10; seq++) {
      const c = seq % 2 === 0 ? a : b;
      expect((await c.ws.request({ trnm: 'CNSRREQ', seq: String(seq), search_type: '1', stex_tp: 'K' }))['return_code']).toBe(0);
    }
    const eleventh = await a.ws.request({ trnm: 'CNSRREQ', seq: '10', search_type: '1', stex_tp: 'K' });
    expect(eleventh['return_code']).not.toBe(0);
    expect(String(eleventh['return_msg'])).toContain('10');
    // A condition another client already runs takes no new slot.
    expect((await a.ws.request({ trnm: 'CNSRREQ', seq: '1', search_type: '1', stex_tp: 'K' }))['return_code']).toBe(0);
    expect(rig.emu.wsHeld()[0]!.realtimeConditions).toHaveLength(10);
  });

  it('passes one-shot condition pages through as the upstream answered them', async () => {
    rig = await startRig({ realRate: 0 });
    const a = await open('a');
    const page = await a.ws.request({ trnm: 'CNSRREQ', seq: '0', search_type: '0', stex_tp: 'K', cont_yn: 'N', next_key: '' });
    expect(page).toMatchObject({ trnm: 'CNSRREQ', return_code: 0 });
    const rows = page['data'] as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['9001', '302', '10']));
    if (page['cont_yn'] === 'Y') {
      const next = await a.ws.request({ trnm: 'CNSRREQ', seq: '0', search_type: '0', stex_tp: 'K', cont_yn: 'Y', next_key: page['next_key'] });
      expect(next['data']).not.toEqual(rows);
    }
  });

  it('routes market-wide and account registrations by type to every holder, once', async () => {
    rig = await startRig({ realRate: 100, websocket: { viIntervalMs: 50 } });
    const a = await open('a');
    const b = await open('b');
    expect((await a.reg('1', [''], ['1h']))['return_code']).toBe(0);
    expect((await a.reg('2', ['005930'], ['1h']))['return_code']).toBe(0);
    expect((await b.reg('1', ['005930'], ['1h']))['return_code']).toBe(0);
    await waitFor(() => a.ws.frames.some(isReal('1h')) && b.ws.frames.some(isReal('1h', '005930')), 'VI pushes');
    // b registered 005930 only; a registered the market and 005930, and gets each entry once.
    expect(b.ws.frames.filter(isReal('1h')).every(isReal('1h', '005930'))).toBe(true);
    const aRaw = a.ws.raw.filter((t) => t.includes('"1h"'));
    expect(new Set(aRaw).size).toBe(aRaw.length);
  });

  it('keeps a crashed client’s registrations upstream through its reconnect within the grace period, and lets go of the rest after it', async () => {
    const graceMs = 1500;
    rig = await startRig({ realRate: 100 }, { releaseGraceMs: graceMs });
    const a = await open('a');
    expect((await a.reg('1', ['005930', '000660'], ['0B']))['return_code']).toBe(0);
    await waitFor(() => upstreamPairs(rig.emu).includes('0B|000660'), 'a’s pairs upstream');
    // Every REG and REMOVE the upstream session is asked for from the crash on.
    const upstreamReg = vi.spyOn(RealtimeSession.prototype, 'register');
    const upstreamRemove = vi.spyOn(RealtimeSession.prototype, 'remove');
    const crashed = Date.now();
    a.ws.close();
    await waitFor(() => rig.gw.status().clients.find((c) => c.name === 'a')!.sessions.length === 0, 'the crash seen');
    expect(rig.gw.status().upstream.lingering).toBe(2);
    // The program is back and takes back one of its two pairs: nothing goes upstream.
    const again = await open('a');
    expect((await again.reg('1', ['005930'], ['0B']))['return_code']).toBe(0);
    await waitFor(() => again.ws.frames.some(isReal('0B', '005930')), 'the reconnected client streaming');
    expect(upstreamReg).not.toHaveBeenCalled();
    expect(upstreamRemove).not.toHaveBeenCalled();
    expect(upstreamPairs(rig.emu)).toContain('0B|000660');
    // The pair nobody took back goes when the grace period ends, not before; the other stays.
    await waitFor(() => !upstreamPairs(rig.emu).includes('0B|000660'), 'the pair nobody took back removed upstream');
    expect(Date.now() - crashed).toBeGreaterThanOrEqual(graceMs - 5);
    expect(upstreamRemove.mock.calls.map((c) => c.slice(1))).toEqual([[['000660'], ['0B']]]);
    expect(upstreamReg).not.toHaveBeenCalled();
    expect(upstreamPairs(rig.emu)).toContain('0B|005930');
    expect(rig.gw.status().upstream.lingering).toBe(0);
    // A REMOVE lets go at once: the grace period is for programs that went away without one.
    expect((await again.remove('1', ['005930'], ['0B']))['return_code']).toBe(0);
    await waitFor(() => !upstreamPairs(rig.emu).includes('0B|005930'), 'the removed pair gone upstream', 1000);
  });

  it('gives the slots held for a departed client to a client that needs them', async () => {
    rig = await startRig({ realRate: 0 }, { releaseGraceMs: 60_000 });
    const codes = rig.emu.state.master.map((s) => s.code);
    const a = await open('a');
    expect((await a.reg('1', codes.slice(0, 150), ['0B']))['return_code']).toBe(0);
    a.ws.close();
    await waitFor(() => rig.gw.status().upstream.lingering === 150, 'a’s pairs held for it');
    const b = await open('b');
    // 100 new items: past the cap with a's 150 held, within it once they give way.
    expect((await b.reg('1', codes.slice(150, 250), ['0B']))['return_code']).toBe(0);
    await waitFor(() => upstreamPairs(rig.emu).length === 100, 'only b’s items upstream');
    expect(upstreamPairs(rig.emu)).toEqual(codes.slice(150, 250).map((c) => `0B|${c}`).sort());
    expect(rig.gw.status().upstream).toMatchObject({ items: 100, lingering: 0 });
  });

  it('tells every client when another login takes the upstream session (R10001)', async () => {
    rig = await startRig({ realRate: 0 });
    const a = await open('a');
    const b = await open('b');
    rig.emu.faults.kickSession();
    for (const c of [a, b]) expect((await c.ws.next((f) => f.trnm === 'SYSTEM'))['code']).toBe('R10001');
    await Promise.all([a.ws.closed, b.ws.closed]);
    expect(rig.gw.status().upstream.state).toBe('closed');
  });

  it('closes the sessions of a revoked pair, and lets clients of the shared pair log in side by side', async () => {
    rig = await startRig({ realRate: 0 });
    const gone = await open('gone');
    const s1 = await open('shared', { shared: true });
    const s2 = await open('shared', { shared: true });
    rig.gw.clients.revoke('gone');
    await gone.ws.closed;
    await new Promise((r) => setTimeout(r, 50));
    expect(s1.ws.frames.some((f) => f.trnm === 'SYSTEM')).toBe(false);
    expect(rig.gw.status().clients.find((c) => c.name === 'shared')!.sessions).toHaveLength(2);
    expect(s2.ws.ws.readyState).toBe(s2.ws.ws.OPEN);
    // A named pair logged in twice is one program too many, as at Kiwoom: the older one goes.
    const n1 = await open('named');
    await open('named');
    expect((await n1.ws.next((f) => f.trnm === 'SYSTEM'))['code']).toBe('R10001');
  });

  it('listens beyond loopback only with TLS', async () => {
    await expect(startGateway({ appkey: 'k'.repeat(20), secretkey: 's'.repeat(20), host: '0.0.0.0' })).rejects.toThrow(ValidationError);
    await expect(startGateway({ appkey: 'k'.repeat(20), secretkey: 's'.repeat(20), host: '0.0.0.0' })).rejects.toThrow(/host 0\.0\.0\.0.*TLS/);
  });
});
