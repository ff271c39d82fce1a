import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../src/errors.js';
import { tokenCacheKey } from '../../src/rest/token-cache.js';
import { APPKEY, BASE, SECRETKEY, ok, startFakeKiwoom, type FakeKiwoom, clientFactory } from './fake-kiwoom.js';

let fake: FakeKiwoom;
const { client, closeAll } = clientFactory();

beforeEach(() => {
  fake = startFakeKiwoom();
});
afterEach(async () => {
  fake.server.close();
  await closeAll();
});

describe('token issue', () => {
  it('sends the documented au10001 body with only Content-Type, and returns the raw token', async () => {
    const rest = client();
    const token = await rest.token();
    expect(token).toMatch(/^TOKEN-1-/);
    const [issue] = fake.seen;
    expect(issue?.path).toBe('/oauth2/token');
    expect(issue?.body).toEqual({ grant_type: 'client_credentials', appkey: APPKEY, secretkey: SECRETKEY });
    expect(issue?.apiId).toBeNull();
    expect(issue?.authorization).toBeNull();
    expect(issue?.contentType).toBe('application/json;charset=UTF-8');
  });

  it('issues exactly one token for 50 concurrent calls that find none', async () => {
    const rest = client();
    const results = await Promise.all(Array.from({ length: 50 }, () => rest.call('ka10001', { stk_cd: '005930' })));
    expect(results).toHaveLength(50);
    expect(fake.tokensIssued).toBe(1);
    expect(fake.calls('ka10001')).toHaveLength(50);
    expect(new Set(fake.calls('ka10001').map((r) => r.authorization))).toEqual(new Set(['Bearer ' + (await rest.token())]));
  });

  it('reuses the token until the refresh margin before expiry, then issues a new one', async () => {
    let now = Date.now();
    const rest = client({ now: () => now, tokenRefreshMarginMs: 5 * 60_000 });
    const first = await rest.token();
    now += 24 * 3_600_000 - 6 * 60_000; // 6 min before expiry: still fresh
    expect(await rest.token()).toBe(first);
    now += 2 * 60_000; // 4 min before expiry: inside the margin
    const second = await rest.token();
    expect(second).not.toBe(first);
    expect(fake.tokensIssued).toBe(2);
  });

  it('a short-lived token (emulator, tests) is reused for half its life instead of re-issued on every call', async () => {
    fake.lifetimeSec = 120;
    let now = Date.now();
    const rest = client({ now: () => now });
    const first = await rest.token();
    now += 50_000;
    expect(await rest.token()).toBe(first);
    now += 15_000;
    expect(await rest.token()).not.toBe(first);
  });

  it.each([
    ['no token', { expires_dt: '20991231235959' }],
    ['an impossible expires_dt', { token: 'TOKEN-odd-' + 'y'.repeat(40), expires_dt: '20240231120000' }],
  ])('an au10001 answer with %s is an HttpError naming au10001, not a token', async (_what, answer) => {
    fake.server.use(http.post(`${BASE}/oauth2/token`, () => HttpResponse.json({ ...answer, token_type: 'Bearer', return_code: 0, return_msg: '정상' })));
    const rest = client();
    await expect(rest.token()).rejects.toMatchObject({
      name: 'HttpError', apiId: 'au10001', status: 200, message: expect.stringMatching(/^au10001: token response lacks a token or a YYYYMMDDHHMMSS expires_dt/),
    });
  });

  it('a token the local clock already sees expired (clock skew) is used for one short minute, not re-issued on every call', async () => {
    let now = Date.now() + 48 * 3_600_000;
    const rest = client({ now: () => now });
    const first = await rest.token();
    now += 20_000;
    expect(await rest.token()).toBe(first);
    now += 60_000;
    expect(await rest.token()).not.toBe(first);
    expect(fake.tokensIssued).toBe(2);
  });

  it('on a token rejection re-issues once and retries the query once', async () => {
    const rest = client();
    await rest.call('ka10001', { stk_cd: '005930' });
    fake.expireTokens();
    const result = await rest.call('ka10001', { stk_cd: '005930' });
    expect(result.body.return_code).toBe(0);
    expect(fake.tokensIssued).toBe(2);
    expect(fake.calls('ka10001')).toHaveLength(3);
  });

  it('50 calls rejected with the same token cause one re-issue', async () => {
    const rest = client();
    await rest.token();
    fake.expireTokens();
    await Promise.all(Array.from({ length: 50 }, () => rest.call('ka10001', { stk_cd: '005930' })));
    expect(fake.tokensIssued).toBe(2);
  });

  it('a second rejection after the re-issue is an AuthError naming the api-id and code', async () => {
    const rest = client();
    fake.on('ka10001', () => ({ return_code: 3, return_msg: '인증에 실패했습니다[8005:Token이 유효하지 않습니다]' }));
    const error = await rest.call('ka10001', { stk_cd: '005930' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toBe('ka10001: Kiwoom 8005 인증에 실패했습니다[8005:Token이 유효하지 않습니다]');
    expect((error as AuthError).code).toBe(8005);
    expect(fake.tokensIssued).toBe(2);
    expect(fake.calls('ka10001')).toHaveLength(2);
  });

  it.each([
    ['8031 (token of the other domain)', { return_code: 2, return_msg: '입력 값 오류입니다[8031:투자구분(실전/모의)이 달라서 Token를 사용할수가 없습니다]' }],
    ['8103 (token or terminal)', { return_code: 2, return_msg: '입력 값 오류입니다[8103:토큰 인증 또는 단말기인증에 실패했습니다]' }],
  ])('re-issues on an embedded %s', async (_, rejection) => {
    const rest = client();
    fake.on('ka10001', (_req, count) => (count === 1 ? rejection : ok()));
    await rest.call('ka10001', { stk_cd: '005930' });
    expect(fake.tokensIssued).toBe(2);
  });

  it('an order rejected for its token is re-sent once with the new token (the rejection means it was not accepted)', async () => {
    const rest = client();
    fake.on('kt10000', (_req, count) =>
      count === 1 ? { return_code: 3, return_msg: '인증에 실패했습니다[8005:Token이 유효하지 않습니다]' } : ok({ ord_no: '0000001' }),
    );
    const result = await rest.call('kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '1', trde_tp: '3' });
    expect(result.body.ord_no).toBe('0000001');
    const sent = fake.calls('kt10000');
    expect(sent).toHaveLength(2);
    expect(sent[0]?.authorization).not.toBe(sent[1]?.authorization);
  });

  it('a wrong app key is an AuthError from au10001 that does not contain the keys', async () => {
    const rest = client({ appkey: 'WRONGKEY-123456789', secretkey: 'WRONGSECRET-987654321' });
    const error = await rest.token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(/^au10001: Kiwoom 8001 /);
    expect((error as Error).message).not.toContain('WRONGKEY-123456789');
  });

  it('invalidateToken() makes the next use issue a new token (WebSocket LOGIN rejected)', async () => {
    const rest = client();
    const first = await rest.token();
    rest.invalidateToken('some-other-token');
    expect(await rest.token()).toBe(first);
    rest.invalidateToken(first);
    expect(await rest.token()).not.toBe(first);
  });
});

describe('token cache file and revoke', () => {
  it('keeps the token in a 0600 file keyed by app key and host, shared by a second client of the same host only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiwoom-token-'));
    const path = join(dir, 'tokens.json');
    const first = client({ tokenCachePath: path });
    const token = await first.token();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const file = JSON.parse(await readFile(path, 'utf8')) as Record<string, { token: string }>;
    expect(Object.keys(file)).toEqual([tokenCacheKey(APPKEY, BASE)]);
    expect(await readFile(path, 'utf8')).not.toContain(APPKEY);

    const sameHost = client({ tokenCachePath: path });
    expect(await sameHost.token()).toBe(token);
    expect(fake.tokensIssued).toBe(1);

    // Another host (prod vs mock) is never offered this token: it issues its own.
    const other = 'http://127.0.0.2:59999';
    fake.server.use(
      http.post(`${other}/oauth2/token`, () =>
        HttpResponse.json({ ...ok({ token: 'OTHER-HOST-TOKEN-0123456789', token_type: 'Bearer' }), expires_dt: '29991231235959' }),
      ),
    );
    const otherHost = client({ tokenCachePath: path, baseUrl: other });
    expect(await otherHost.token()).toBe('OTHER-HOST-TOKEN-0123456789');
    expect(Object.keys(JSON.parse(await readFile(path, 'utf8')) as object)).toHaveLength(2);
    expect(tokenCacheKey(APPKEY, 'https://api.kiwoom.com')).not.toBe(tokenCacheKey(APPKEY, 'https://mockapi.kiwoom.com'));
  });

  it('revoke() sends au10002 with the token and clears memory and the cache file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiwoom-token-'));
    const path = join(dir, 'tokens.json');
    const rest = client({ tokenCachePath: path });
    const token = await rest.token();
    await rest.revoke();
    expect(fake.revoked).toEqual([token]);
    const revoke = fake.seen.find((r) => r.path === '/oauth2/revoke');
    expect(revoke?.body).toEqual({ appkey: APPKEY, secretkey: SECRETKEY, token });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({});
    expect(await rest.token()).not.toBe(token);
    expect(fake.tokensIssued).toBe(2);
  });

  it('revoke() without a token sends nothing', async () => {
    const rest = client();
    await rest.revoke();
    expect(fake.seen).toHaveLength(0);
  });
});
