import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { call, issueToken, post } from './helpers.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** 2026-11-25 10:00:00 KST (a Wednesday). */
const T0 = Date.UTC(2026, 10, 25, 1, 0, 0);

describe('/oauth2/token', () => {
  test('issues a Bearer token whose expires_dt is the lifetime later in Korea time', async () => {
    let now = T0;
    emu = await startEmulator({ clock: () => now, tokenLifetimeSec: 3600, marketTicksPerSecond: 0 });
    const a = await post(emu, '/oauth2/token', { grant_type: 'client_credentials', appkey: emu.appkey, secretkey: emu.secretkey });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ return_code: 0, token_type: 'Bearer', expires_dt: '20261125110000' });
    expect(a.body.token).toMatch(/^[A-Za-z0-9_-]{80,}$/);
    expect(emu.stats().tokensIssued).toBe(1);
    expect(emu.stats().byApiId.au10001).toBe(1);

    const token = a.body.token as string;
    expect((await call(emu, token, 'ka10001', { stk_cd: '005930' })).body.return_code).toBe(0);
    now = T0 + 3600_000;
    const expired = await call(emu, token, 'ka10001', { stk_cd: '005930' });
    expect(expired.status).toBe(200);
    expect(expired.body).toEqual({ return_code: 3, return_msg: '인증에 실패했습니다[8005:Token이 유효하지 않습니다]' });
  });

  test('refuses wrong keys with 8001 and missing fields with 8011/8012/8020', async () => {
    emu = await startEmulator({ marketTicksPerSecond: 0 });
    const wrong = await post(emu, '/oauth2/token', { grant_type: 'client_credentials', appkey: emu.appkey, secretkey: 'nope' });
    expect(wrong.body.return_code).toBe(3);
    expect(wrong.body.return_msg).toContain('[8001:');
    const noGrant = await post(emu, '/oauth2/token', { appkey: emu.appkey, secretkey: emu.secretkey });
    expect(noGrant.body.return_msg).toContain('[8011:');
    const badGrant = await post(emu, '/oauth2/token', { grant_type: 'password', appkey: emu.appkey, secretkey: emu.secretkey });
    expect(badGrant.body.return_msg).toContain('[8012:');
    const noKey = await post(emu, '/oauth2/token', { grant_type: 'client_credentials' });
    expect(noKey.body).toMatchObject({ return_code: 2 });
    expect(noKey.body.return_msg).toContain('[8020:');
    expect(emu.stats().tokensIssued).toBe(0);
  });

  test('never writes the keys or the token into the request log', async () => {
    emu = await startEmulator({ marketTicksPerSecond: 0 });
    const token = await issueToken(emu);
    await post(emu, '/oauth2/revoke', { appkey: emu.appkey, secretkey: emu.secretkey, token });
    const logged = JSON.stringify(emu.requestLog());
    expect(logged).not.toContain(emu.appkey);
    expect(logged).not.toContain(emu.secretkey);
    expect(logged).not.toContain(token);
    expect(emu.requestLog().map((e) => e.path)).toEqual(['/oauth2/token', '/oauth2/revoke']);
  });
});

describe('/oauth2/revoke and token faults', () => {
  test('a revoked token is refused with 8005; a new one works', async () => {
    emu = await startEmulator({ marketTicksPerSecond: 0 });
    const token = await issueToken(emu);
    const r = await post(emu, '/oauth2/revoke', { appkey: emu.appkey, secretkey: emu.secretkey, token });
    expect(r.body).toEqual({ return_code: 0, return_msg: '정상적으로 처리되었습니다' });
    expect((await call(emu, token, 'ka10001', { stk_cd: '005930' })).body.return_msg).toContain('[8005:');
    const fresh = await issueToken(emu);
    expect((await call(emu, fresh, 'ka10001', { stk_cd: '005930' })).body.return_code).toBe(0);
  });

  test('expireTokens and revokeTokens invalidate every token issued so far, not later ones', async () => {
    emu = await startEmulator({ marketTicksPerSecond: 0 });
    const a = await issueToken(emu);
    emu.faults.expireTokens();
    expect((await call(emu, a, 'ka10001', { stk_cd: '005930' })).body.return_code).toBe(3);
    const b = await issueToken(emu);
    expect((await call(emu, b, 'ka10001', { stk_cd: '005930' })).body.return_code).toBe(0);
    emu.faults.revokeTokens();
    expect((await call(emu, b, 'ka10001', { stk_cd: '005930' })).body.return_code).toBe(3);
  });

  test('an unknown or malformed token is refused before the TR runs', async () => {
    emu = await startEmulator({ marketTicksPerSecond: 0 });
    const unknown = await call(emu, 'not-a-token', 'kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', trde_tp: '3' });
    expect(unknown.body.return_code).toBe(3);
    const noHeader = await post(emu, '/api/dostk/stkinfo', { stk_cd: '005930' }, { 'api-id': 'ka10001' });
    expect(noHeader.body.return_msg).toContain('[1513:');
    const notBearer = await post(emu, '/api/dostk/stkinfo', { stk_cd: '005930' }, { 'api-id': 'ka10001', authorization: 'Basic abc' });
    expect(notBearer.body.return_msg).toContain('[1514:');
    expect(emu.orderLedger()).toHaveLength(0);
  });
});
