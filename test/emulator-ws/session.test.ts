import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Client, startHarness, type Harness, OTHER_TOKEN, TOKEN } from './harness.js';

describe('WebSocket session: LOGIN, PING, one session per app key', () => {
  let h: Harness;
  afterEach(async () => h.close());

  describe('with default timing', () => {
    beforeEach(async () => {
      h = await startHarness();
    });

    it('acknowledges a valid LOGIN with return_code 0 and sor_yn', async () => {
      const c = await Client.connect(h.url);
      const ack = await c.request({ trnm: 'LOGIN', token: 'good-token' });
      expect(ack).toEqual({ trnm: 'LOGIN', return_code: 0, return_msg: '', sor_yn: 'Y' });
      expect(h.ctx.stats.wsSessions).toBe(1);
      c.close();
    });

    it.each([['unknown-token'], ['expired-token'], ['']])('rejects LOGIN with token %j using 805004 / CODE=8005 and closes', async (token) => {
      const c = await Client.connect(h.url);
      const ack = await c.request({ trnm: 'LOGIN', token });
      expect(ack['return_code']).toBe(805004);
      expect(ack['return_msg']).toContain('CODE=8005');
      await c.closed;
    });

    it('rejects the next n LOGINs when the rejectLogins fault is set, then accepts again', async () => {
      h.ctx.wsFaults.rejectLogins = 1;
      const c = await Client.connect(h.url);
      expect((await c.request({ trnm: 'LOGIN', token: 'good-token' }))['return_code']).toBe(805004);
      await c.closed;
      expect(h.ctx.wsFaults.rejectLogins).toBe(0);
      const d = await Client.login(h.url);
      d.close();
    });

    it('refuses a REG sent before the LOGIN answer with rc 100013, drops it and keeps the socket open (LIVE.md row 2)', async () => {
      const c = await Client.connect(h.url);
      // Pipelined as a client that does not wait for the answer would: LOGIN, then REG in the same turn.
      c.send({ trnm: 'LOGIN', token: TOKEN });
      c.send({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: ['005930'], type: ['0B'] }] });
      const refused = await c.next((f) => f.trnm === 'REG');
      expect(refused).toEqual({
        trnm: 'REG',
        return_code: 100013,
        return_msg: '로그인 인증이 들어오기 전에 다른 전문이 들어왔습니다. 해당 전문은 무시됩니다. (TRNM=%s)',
      });
      expect((await c.next((f) => f.trnm === 'LOGIN'))['return_code']).toBe(0);
      // The refused REG registered nothing; the socket is still open and serves the next one.
      expect(h.side.held()[0]?.groups).toEqual({});
      expect(c.ws.readyState).toBe(WebSocket.OPEN);
      expect((await c.request({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: ['005930'], type: ['0B'] }] }))['return_code']).toBe(0);
      c.close();
    });

    it('answers the LOGIN about 20 ms after it, as live', async () => {
      const c = await Client.connect(h.url);
      const sent = Date.now();
      const ack = c.next((f) => f.trnm === 'LOGIN');
      c.send({ trnm: 'LOGIN', token: TOKEN });
      await ack;
      expect(Date.now() - sent).toBeGreaterThanOrEqual(15);
      c.close();
    });

    it('treats a non-JSON first frame as a missing LOGIN', async () => {
      const c = await Client.connect(h.url);
      c.send('hello');
      expect((await c.next((f) => f.trnm === 'SYSTEM'))['code']).toBe('R10004');
      await c.closed;
    });

    it('kicks the first session with R10001 when the same app key logs in again', async () => {
      const first = await Client.login(h.url);
      const second = await Client.login(h.url, OTHER_TOKEN);
      const sys = await first.next((f) => f.trnm === 'SYSTEM');
      expect(sys).toEqual({ trnm: 'SYSTEM', code: 'R10001', message: '동일한 App key로 접속이 되었습니다. 기존 세션은 종료가 됩니다' });
      await first.closed;
      expect(second.ws.readyState).toBe(WebSocket.OPEN);
      await expect.poll(() => h.ctx.stats.wsSessions).toBe(1);
      second.close();
    });

    it('keeps sessions of different app keys side by side', async () => {
      const a = await Client.login(h.url);
      const b = await Client.login(h.url, 'other-app-token');
      await new Promise((r) => setTimeout(r, 50));
      expect(a.frames.some((f) => f.trnm === 'SYSTEM')).toBe(false);
      expect(h.ctx.stats.wsSessions).toBe(2);
      a.close();
      b.close();
    });

    it('refuses upgrades on other paths with 404', async () => {
      const bad = new WebSocket(h.url.replace('/api/dostk/websocket', '/ws'));
      bad.on('error', () => {});
      const status = await new Promise<number>((resolve) =>
        bad.on('unexpected-response', (req, res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        }),
      );
      expect(status).toBe(404);
    });

    it('answers an unknown trnm after LOGIN with return_code 1 naming it', async () => {
      const c = await Client.login(h.url);
      const r = await c.request({ trnm: 'CNSSRH' });
      expect(r['return_code']).toBe(1);
      expect(r['return_msg']).toContain('CNSSRH');
      c.close();
    });

    it('counts open sockets in stats.wsSessions and forgets closed ones', async () => {
      const c = await Client.login(h.url);
      expect(h.ctx.stats.wsSessions).toBe(1);
      c.ws.close();
      await c.closed;
      await expect.poll(() => h.ctx.stats.wsSessions).toBe(0);
    });
  });

  it('closes a socket that never logs in with R10004 after the login timeout', async () => {
    h = await startHarness({ ws: { loginTimeoutMs: 100 } });
    const c = await Client.connect(h.url);
    expect((await c.next((f) => f.trnm === 'SYSTEM'))['code']).toBe('R10004');
    await c.closed;
  });

  it('sends PING every pingIntervalMs and keeps a session that echoes them', async () => {
    h = await startHarness({ pingIntervalMs: 40 });
    const c = await Client.login(h.url);
    await new Promise((r) => setTimeout(r, 500));
    const pings = c.frames.filter((f) => f.trnm === 'PING');
    expect(pings.length).toBeGreaterThanOrEqual(5);
    expect(pings.length).toBeLessThanOrEqual(14);
    expect(pings[0]).toEqual({ trnm: 'PING' });
    expect(c.frames.some((f) => f.trnm === 'SYSTEM')).toBe(false);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    c.close();
  });

  it('closes with R10002 after 5 unanswered PINGs, not before', async () => {
    h = await startHarness({ pingIntervalMs: 30 });
    const c = await Client.connect(h.url);
    c.autoPong = false;
    await c.request({ trnm: 'LOGIN', token: 'good-token' });
    const sys = await c.next((f) => f.trnm === 'SYSTEM');
    expect(sys['code']).toBe('R10002');
    expect(sys['message']).toContain('Heartbeat');
    expect(c.raw.filter((t) => t === '{"trnm":"PING"}')).toHaveLength(5);
    await c.closed;
  });
});
