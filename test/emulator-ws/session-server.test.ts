/**
 * The protocol layer on its own (what the gateway reuses): a SessionServer whose service
 * answers asynchronously, out of order, and a server that lets one app key log in many times.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { reply } from '../../src/emulator/ws/protocol.js';
import type { Message, Session, SessionService } from '../../src/emulator/ws/session.js';
import { SessionServer, type SessionServerOptions } from '../../src/emulator/ws/sessions.js';
import { asSent, parseRegistration } from '../../src/emulator/ws/subscriptions.js';
import { Client, TOKEN, OTHER_TOKEN, APPKEY, ACCOUNT } from './harness.js';

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Replies to REG after a delay that shrinks with each request, so a naive server would answer out of order. */
class SlowService implements SessionService {
  private wait = 60;
  async registration(session: Session, msg: Message, isRemove: boolean): Promise<string> {
    const ms = (this.wait = Math.max(0, this.wait - 20));
    await delay(ms);
    const parsed = parseRegistration(msg, asSent, isRemove);
    if (!parsed.ok) return reply('REG', parsed.error);
    session.subs.register(parsed.grp, parsed.refresh, parsed.pairs);
    return reply(isRemove ? 'REMOVE' : 'REG', undefined, { grp_no: parsed.grp });
  }
  conditionList(): string {
    return reply('CNSRLST', undefined, { data: [] });
  }
  async conditionRequest(): Promise<string> {
    throw new Error('조건검색 실패 (test)');
  }
  conditionClear(): string {
    return reply('CNSRCLR', undefined);
  }
}

let http: Server;
let sessions: SessionServer;

async function start(extra: Partial<SessionServerOptions> = {}): Promise<string> {
  http = createServer((_q, res) => res.writeHead(404).end());
  sessions = new SessionServer(http, {
    tokens: { verify: (t) => (t === TOKEN || t === OTHER_TOKEN ? { ok: true, appkey: APPKEY, account: ACCOUNT } : { ok: false, reason: 'unknown' }) },
    faults: { garbleFrames: 0, stallUntil: 0, rejectLogins: 0 },
    settings: { pingIntervalMs: 60_000, maxMissedPings: 5, loginTimeoutMs: 2000, loginDelayMs: 0, highWaterBytes: 1 << 20 },
    service: new SlowService(),
    ...extra,
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return `ws://127.0.0.1:${(http.address() as AddressInfo).port}/api/dostk/websocket`;
}

afterEach(async () => {
  await sessions.close();
  await new Promise<void>((r) => http.close(() => r()));
});

describe('SessionServer: the protocol layer the emulator and the gateway share', () => {
  it('answers requests in the order they came even when the service answers later ones sooner', async () => {
    const c = await Client.login(await start());
    for (const grp of ['1', '2', '3']) c.send({ trnm: 'REG', grp_no: grp, refresh: '1', data: [{ item: ['005930'], type: ['0B'] }] });
    const replies = [await c.next((f) => f.trnm === 'REG'), await c.next((f) => f.trnm === 'REG'), await c.next((f) => f.trnm === 'REG')];
    expect(replies.map((f) => f['grp_no'])).toEqual(['1', '2', '3']);
    c.close();
  });

  it('answers a service failure as a refusal of that request, and goes on serving', async () => {
    const c = await Client.login(await start());
    const failed = await c.request({ trnm: 'CNSRREQ', seq: '1', search_type: '0', stex_tp: 'K' });
    expect(failed).toMatchObject({ trnm: 'CNSRREQ', return_code: 1, return_msg: '조건검색 실패 (test)' });
    expect((await c.request({ trnm: 'CNSRLST' }))['return_code']).toBe(0);
    c.close();
  });

  it('ends the older session of an app key with R10001 by default', async () => {
    const url = await start();
    const a = await Client.login(url, TOKEN);
    const b = await Client.login(url, OTHER_TOKEN);
    expect((await a.next((f) => f.trnm === 'SYSTEM'))['code']).toBe('R10001');
    await a.closed;
    b.close();
  });

  it('keeps both sessions of one app key when the server allows it', async () => {
    const url = await start({ onePerAppkey: () => false });
    const a = await Client.login(url, TOKEN);
    const b = await Client.login(url, OTHER_TOKEN);
    await delay(50);
    expect(a.frames.some((f) => f.trnm === 'SYSTEM')).toBe(false);
    expect([...sessions.loggedInSessions()]).toHaveLength(2);
    a.close();
    b.close();
  });
});
