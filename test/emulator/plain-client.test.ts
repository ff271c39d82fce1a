/**
 * A client written to Kiwoom's documented protocol alone, not built on this library (bare `ws`
 * and undici's fetch): token, LOGIN, REG only after the LOGIN answer, PING echoed, every entry
 * of a REAL frame read, REST pages followed by `cont-yn` / `next-key`. It must keep working
 * against the emulator's live rules (100013 before the LOGIN answer, 5 REG/s, batched frames),
 * and the one shortcut such clients take, a REG pipelined behind LOGIN, must be refused as live.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fetch } from 'undici';
import WebSocket from 'ws';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

type Frame = { trnm: string; return_code?: number; data?: { type: string; item: string; values: Record<string, string> }[] };

let emu: Emulator;
let token = '';

beforeAll(async () => {
  emu = await startEmulator({ seed: 3, realRate: 400, pingIntervalMs: 150 });
  const res = await fetch(`${emu.restUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8' },
    body: JSON.stringify({ grant_type: 'client_credentials', appkey: emu.appkey, secretkey: emu.secretkey }),
  });
  token = ((await res.json()) as { token: string }).token;
});
afterAll(async () => {
  await emu.close();
});

/** A socket whose frames are queued for `next`, each answer claimed once, in arrival order. */
async function socket(): Promise<{ ws: WebSocket; next: (trnm: string, ms?: number) => Promise<Frame>; frames: Frame[] }> {
  const ws = new WebSocket(`${emu.wsUrl}/api/dostk/websocket`);
  const frames: Frame[] = [];
  // Frames nobody waited for yet: ws emits every frame of one TCP read in a row, before the
  // test's await resumes, so an answer can arrive before `next` asks for it.
  const unclaimed: Frame[] = [];
  const waiting: { trnm: string; resolve: (f: Frame) => void }[] = [];
  ws.on('message', (raw) => {
    const f = JSON.parse(raw.toString()) as Frame;
    frames.push(f);
    const i = waiting.findIndex((w) => w.trnm === f.trnm);
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(f);
    else unclaimed.push(f);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const next = (trnm: string, ms = 5_000): Promise<Frame> => {
    const i = unclaimed.findIndex((f) => f.trnm === trnm);
    if (i >= 0) return Promise.resolve(unclaimed.splice(i, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${trnm} within ${ms} ms`)), ms);
      waiting.push({ trnm, resolve: (f) => { clearTimeout(timer); resolve(f); } });
    });
  };
  return { ws, next, frames };
}

describe('a plain client of the documented protocol', () => {
  test('LOGIN, then REG after its answer, PING echoed, every entry of every REAL frame read', async () => {
    const { ws, next, frames } = await socket();
    let pings = 0;
    ws.on('message', (raw) => {
      const f = JSON.parse(raw.toString()) as Frame;
      if (f.trnm === 'PING') {
        pings++;
        ws.send(raw.toString());
      }
    });
    ws.send(JSON.stringify({ trnm: 'LOGIN', token }));
    expect((await next('LOGIN')).return_code).toBe(0);
    const codes = emu.state.master.filter((s) => s.market === '0').slice(0, 30).map((s) => s.code);
    // Six groups: the sixth REG meets the live rate unless the client waits for each answer
    // and keeps to 5 per second, as a careful client does.
    for (let g = 0; g < 6; g++) {
      const sent = Date.now();
      ws.send(JSON.stringify({ trnm: 'REG', grp_no: String(g + 1), refresh: '1', data: [{ item: codes.slice(g * 5, g * 5 + 5), type: ['0B'] }] }));
      expect((await next('REG')).return_code).toBe(0);
      await new Promise((r) => setTimeout(r, Math.max(0, 210 - (Date.now() - sent))));
    }
    const ticks = new Map<string, number>();
    const until = Date.now() + 1_000;
    while (Date.now() < until) {
      const f = await next('REAL');
      for (const entry of f.data ?? []) ticks.set(entry.item, (ticks.get(entry.item) ?? 0) + 1);
    }
    const real = frames.filter((f) => f.trnm === 'REAL');
    const entries = real.reduce((n, f) => n + (f.data?.length ?? 0), 0);
    // Live frames carry 1 to 3 entries; a client reading data[0] alone would miss these.
    expect(entries).toBeGreaterThan(real.length);
    expect([...ticks.keys()].every((item) => codes.includes(item))).toBe(true);
    expect(pings).toBeGreaterThan(0);
    // Echoed PINGs keep the session: still open after several intervals.
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });

  test('a REG pipelined behind LOGIN is refused with 100013 and ignored; the LOGIN answer still follows', async () => {
    const { ws, next } = await socket();
    const code = emu.state.master[0]!.code;
    ws.send(JSON.stringify({ trnm: 'LOGIN', token }));
    ws.send(JSON.stringify({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: [code], type: ['0B'] }] }));
    const refused = await next('REG');
    expect(refused.return_code).toBe(100013);
    expect((await next('LOGIN')).return_code).toBe(0);
    expect(emu.wsHeld().some((h) => Object.keys(h.groups).length > 0)).toBe(false);
    ws.close();
  });

  test('REST pages followed by cont-yn / next-key give every row once', async () => {
    const code = emu.state.master[0]!.code;
    const rows: { cntr_tm: string }[] = [];
    let cont = 'N';
    let nextKey = '';
    let pages = 0;
    do {
      const res = await fetch(`${emu.restUrl}/api/dostk/chart`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json;charset=UTF-8',
          'api-id': 'ka10080',
          authorization: `Bearer ${token}`,
          ...(cont === 'Y' ? { 'cont-yn': 'Y', 'next-key': nextKey } : {}),
        },
        // Hour bars: a year of minute history in a few pages.
        body: JSON.stringify({ stk_cd: code, tic_scope: '60', upd_stkpc_tp: '1' }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { return_code: number; stk_min_pole_chart_qry: { cntr_tm: string }[] };
      expect(body.return_code).toBe(0);
      rows.push(...body.stk_min_pole_chart_qry);
      cont = res.headers.get('cont-yn') ?? 'N';
      nextKey = res.headers.get('next-key') ?? '';
      // An opaque cursor as live (LIVE.md row 24), not a row offset a client could compute.
      if (cont === 'Y') expect(nextKey).toMatch(/^\d{17}$/);
      pages++;
    } while (cont === 'Y' && pages < 20);
    expect(pages).toBeGreaterThan(1);
    expect(cont).toBe('N');
    const dates = rows.map((r) => r.cntr_tm);
    expect(new Set(dates).size).toBe(dates.length);
    // Newest first, page after page: no page repeated or skipped.
    expect(dates).toEqual([...dates].sort().reverse());
  });
});
