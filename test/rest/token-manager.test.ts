/**
 * The token manager on its own: a transport that answers what each test says, a clock the test
 * moves, the client's real scrubber. What a client relies on: when a token is reused, re-issued
 * or kept, what listeners learn, and that a token is a secret from the first byte it is read.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../src/errors.js';
import { REDACTED, SecretScrubber } from '../../src/log.js';
import type { HttpRequest, HttpTransport } from '../../src/rest/http.js';
import { TokenManager, type TokenInfo } from '../../src/rest/token-manager.js';
import { APPKEY, SECRETKEY, seoulTimestamp } from './fake-kiwoom.js';

const T0 = Date.UTC(2026, 10, 30, 0, 0, 0);
const HOUR = 3_600_000;

/** An au10001/au10002 answer body, as text. */
type Answer = string | Record<string, unknown>;

function setup(answer: (request: HttpRequest, now: number) => Answer, options: { marginMs?: number; cachePath?: string } = {}) {
  const clock = { now: T0 };
  const posts: HttpRequest[] = [];
  const infos: TokenInfo[] = [];
  const logged: { level: number; msg: string }[] = [];
  const secrets = new SecretScrubber();
  const http = {
    post: async (request: HttpRequest) => {
      posts.push(request);
      const body = answer(request, clock.now);
      return { status: 200, headers: { get: () => null }, text: typeof body === 'string' ? body : JSON.stringify(body) };
    },
  } as unknown as HttpTransport;
  const logger = pino({ level: 'trace' }, { write: (line: string) => void logged.push(JSON.parse(line) as { level: number; msg: string }) });
  const manager = new TokenManager({
    appkey: APPKEY, secretkey: SECRETKEY, baseUrl: 'http://127.0.0.1:1', http, logger, secrets,
    refreshMarginMs: options.marginMs ?? 10 * 60_000, cachePath: options.cachePath, now: () => clock.now, onToken: (i) => infos.push(i),
  });
  const issues = () => posts.filter((p) => p.apiId === 'au10001').length;
  return { manager, clock, posts, infos, logged, secrets, issues };
}

/** A good au10001 answer: `token`, valid for `lifeMs` from `now`. */
const issued = (token: string, now: number, lifeMs = 24 * HOUR): Record<string, unknown> => ({
  return_code: 0, return_msg: '정상적으로 처리되었습니다', token, token_type: 'bearer', expires_dt: seoulTimestamp(now + lifeMs),
});

/** A fresh token per request: TOKEN-000001, TOKEN-000002, ... */
function counting(lifeMs = 24 * HOUR) {
  let n = 0;
  return (request: HttpRequest, now: number): Answer =>
    request.apiId === 'au10002' ? { return_code: 0, return_msg: '정상' } : issued(`TOKEN-${String(++n).padStart(6, '0')}`, now, lifeMs);
}

describe('TokenManager', () => {
  it('asks au10001 as a query (never an order: its answer can be asked again) and reuses the token until the margin before expiry, not one millisecond longer', async () => {
    const s = setup(counting(), { marginMs: 10 * 60_000 });
    expect(await s.manager.get()).toBe('TOKEN-000001');
    expect(s.posts[0]).toMatchObject({ url: 'http://127.0.0.1:1/oauth2/token', apiId: 'au10001', isOrder: false });
    expect(JSON.parse(s.posts[0]?.body ?? '')).toEqual({ grant_type: 'client_credentials', appkey: APPKEY, secretkey: SECRETKEY });
    s.clock.now = T0 + 24 * HOUR - 10 * 60_000 - 1;
    expect(await s.manager.get()).toBe('TOKEN-000001');
    s.clock.now += 1;
    expect(await s.manager.get()).toBe('TOKEN-000002');
    expect(s.issues()).toBe(2);
  });

  it('tells listeners of each token, issued or from the cache file, never the token itself', async () => {
    const cachePath = join(await mkdtemp(join(tmpdir(), 'kiwoom-tm-')), 'tokens.json');
    const a = setup(counting(), { cachePath });
    await a.manager.get();
    expect(a.infos).toEqual([{ expiresAt: T0 + 24 * HOUR, issuedAt: T0, fromCache: false }]);
    const b = setup(counting(), { cachePath });
    expect(await b.manager.get()).toBe('TOKEN-000001');
    expect(b.infos).toEqual([{ expiresAt: T0 + 24 * HOUR, issuedAt: T0, fromCache: true }]);
    expect(b.issues()).toBe(0);
  });

  it('a token this process saw rejected is not taken again from the cache file another process left it in', async () => {
    const cachePath = join(await mkdtemp(join(tmpdir(), 'kiwoom-tm-')), 'tokens.json');
    const a = setup(counting(), { cachePath });
    await a.manager.get();
    const b = setup(() => issued('TOKEN-FROM-B-1', T0), { cachePath });
    expect(await b.manager.get()).toBe('TOKEN-000001');
    b.manager.invalidate('TOKEN-000001');
    expect(await b.manager.get()).toBe('TOKEN-FROM-B-1');
    // invalidate() without a token forgets whatever is held.
    b.manager.invalidate();
    expect(b.manager.expiresAt).toBeUndefined();
    // invalidate(old) after a newer token arrived forgets nothing.
    await b.manager.get();
    b.manager.invalidate('TOKEN-000001');
    expect(b.manager.expiresAt).toBe(T0 + 24 * HOUR);
  });

  it('au10001 answering the token already held: it is kept (issuedAt unchanged) until it expires, then asked for again; logged once', async () => {
    // The server keeps answering the token it issued first, with that token's expiry.
    const answerSame = setup((r) => (r.apiId === 'au10001' ? issued('SAME-TOKEN-123', T0, 2 * HOUR) : {}), { marginMs: 30 * 60_000 });
    const { manager, clock, infos, issues, logged } = answerSame;
    await manager.get();
    clock.now = T0 + 90 * 60_000; // inside the margin: asks again, gets the same one
    expect(await manager.get()).toBe('SAME-TOKEN-123');
    expect(issues()).toBe(2);
    expect(infos[1]).toEqual({ expiresAt: T0 + 2 * HOUR, issuedAt: T0, fromCache: false });
    clock.now = T0 + 2 * HOUR - 1; // kept to its expiry: no request
    await manager.get();
    expect(issues()).toBe(2);
    clock.now = T0 + 2 * HOUR; // expired: asked again (and again the same: kept again, no new log line)
    await manager.get();
    expect(issues()).toBe(3);
    expect(logged.filter((l) => l.msg.includes('already held'))).toHaveLength(1);
    // After a rejection the same token answered again is kept too (it is the one held last).
    manager.invalidate();
    clock.now = T0 + 2 * HOUR + 1;
    await manager.get();
    expect(infos.at(-1)?.issuedAt).toBe(T0);
  });

  it('a token whose expiry the local clock already reached is used for one minute, not re-issued per call', async () => {
    const s = setup((_r, now) => issued('SKEWED-TOKEN-1', now, 0));
    await s.manager.get();
    expect(s.manager.expiresAt).toBe(T0 + 60_000);
  });

  it('an answer without a token, with an empty one or without a valid expiry is an HttpError naming au10001', async () => {
    for (const body of [{ ...issued('X', T0), token: undefined }, issued('', T0), { ...issued('GOOD-TOKEN-1', T0), expires_dt: '20260231000000' }]) {
      const s = setup(() => body);
      await expect(s.manager.get()).rejects.toThrow(HttpError);
      await expect(s.manager.get()).rejects.toThrow(/^au10001: token response lacks a token or a YYYYMMDDHHMMSS expires_dt/);
    }
  });

  it('a token is scrubbed from the moment its answer is read, even from an answer that is not valid JSON', async () => {
    for (const text of ['{"token":"LEAKED-TOKEN-abc123","expires_dt":"2026', '{"return_code":0, "token" : "LEAKED-TOKEN-abc123", "expires']) {
      const s = setup(() => text);
      const error = await s.manager.get().catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(HttpError);
      expect(String((error as Error).message)).not.toContain('LEAKED-TOKEN-abc123');
      expect(s.secrets.scrub('saw LEAKED-TOKEN-abc123')).toBe(`saw ${REDACTED}`);
    }
    const ok = setup(counting());
    await ok.manager.get();
    expect(ok.secrets.scrub('TOKEN-000001')).toBe(REDACTED);
    // No token in the answer: nothing added.
    const none = setup(() => '{"token":""}');
    await none.manager.get().catch(() => undefined);
    expect(none.secrets.size).toBe(0);
  });

  it('the client scrubs its latest 32 tokens; the 33rd back is forgotten, and a token answered twice counts once', async () => {
    const next = counting(HOUR);
    let asked = 0;
    // The first token is answered twice (kept to its expiry, then answered again), then 32 new ones.
    const s = setup((r, now) => (++asked <= 2 ? issued('FIRST-TOKEN-0', T0, HOUR) : next(r, now)), { marginMs: 0 });
    const tokens: string[] = [];
    for (let i = 0; i < 33; i++) {
      tokens.push(await s.manager.get());
      s.clock.now += HOUR;
    }
    expect(tokens.slice(0, 3)).toEqual(['FIRST-TOKEN-0', 'FIRST-TOKEN-0', 'TOKEN-000001']);
    // 32 distinct tokens so far: all of them scrubbed.
    expect(s.secrets.size).toBe(32);
    expect(s.secrets.scrub('FIRST-TOKEN-0')).toBe(REDACTED);
    // One more: the oldest is forgotten.
    await s.manager.get();
    expect(s.secrets.size).toBe(32);
    expect(s.secrets.scrub('FIRST-TOKEN-0')).toBe('FIRST-TOKEN-0');
    expect(s.secrets.scrub('TOKEN-000001')).toBe(REDACTED);
  });

  it('revoke() sends au10002 with the keys and the token, forgets it, and a refused revoke is an error naming au10002', async () => {
    const s = setup(counting());
    await s.manager.get();
    await s.manager.revoke();
    expect(s.posts[1]).toMatchObject({ url: 'http://127.0.0.1:1/oauth2/revoke', apiId: 'au10002', isOrder: false });
    expect(JSON.parse(s.posts[1]?.body ?? '')).toEqual({ appkey: APPKEY, secretkey: SECRETKEY, token: 'TOKEN-000001' });
    expect(s.manager.expiresAt).toBeUndefined();
    const refused = setup((r, now) => (r.apiId === 'au10002' ? { return_code: 3, return_msg: '인증에 실패했습니다[8005:Token이 유효하지 않습니다]' } : issued('TOKEN-R-0001', now)));
    await refused.manager.get();
    await expect(refused.manager.revoke()).rejects.toThrow(/au10002/);
  });
});
