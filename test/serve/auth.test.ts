import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Auth } from '../../src/serve/auth.js';
import { EventStream } from '../../src/serve/event-stream.js';

const TOKEN = 'f'.repeat(64);
const request = (method: string, headers: Record<string, string>): IncomingMessage => ({ method, headers }) as unknown as IncomingMessage;

describe('Auth (the bearer token and the page\'s sessions)', () => {
  it('takes the bearer token, or a live session cookie; a wrong Authorization header is not rescued by a cookie', () => {
    const auth = new Auth({ token: TOKEN, cookieName: 'c' });
    const id = auth.login(TOKEN)!;
    expect(auth.check(request('GET', { authorization: `Bearer ${TOKEN}` }))).toBe('bearer');
    expect(auth.check(request('GET', { cookie: `other=1; c=${id}` }))).toBe('session');
    expect(auth.check(request('GET', { authorization: 'Bearer nope', cookie: `c=${id}` }))).toBe('none');
    expect(auth.check(request('GET', { cookie: `c=${id.slice(1)}` }))).toBe('none');
    expect(auth.login(TOKEN.slice(1))).toBeUndefined();
  });

  it('asks a session\'s state-changing request for the server\'s own Origin', () => {
    const auth = new Auth({ token: TOKEN, cookieName: 'c' });
    const cookie = `c=${auth.login(TOKEN)!}`;
    const host = '127.0.0.1:8719';
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(auth.check(request(method, { cookie, host })), method).toBe('foreign-origin');
      expect(auth.check(request(method, { cookie, host, origin: 'http://evil.example' })), method).toBe('foreign-origin');
      expect(auth.check(request(method, { cookie, host, origin: `http://${host}` })), method).toBe('session');
    }
  });

  it('ends a session at its time, at logout, or when newer logins push it out', () => {
    let now = 0;
    const auth = new Auth({ token: TOKEN, cookieName: 'c', sessionMs: 1_000, maxSessions: 2, now: () => now });
    const first = auth.login(TOKEN)!;
    now = 999;
    expect(auth.check(request('GET', { cookie: `c=${first}` }))).toBe('session');
    now = 1_000;
    expect(auth.check(request('GET', { cookie: `c=${first}` }))).toBe('none');

    const a = auth.login(TOKEN)!;
    const b = auth.login(TOKEN)!;
    const c = auth.login(TOKEN)!;
    expect(auth.check(request('GET', { cookie: `c=${a}` }))).toBe('none');
    expect(auth.check(request('GET', { cookie: `c=${b}` }))).toBe('session');
    auth.logout(request('POST', { cookie: `c=${c}` }));
    expect(auth.check(request('GET', { cookie: `c=${c}` }))).toBe('none');
    expect(auth.check(request('GET', { cookie: `c=${b}` }))).toBe('session');
  });
});

describe('EventStream', () => {
  it('closes a stream whose reader stopped reading once its unsent bytes pass the bound', () => {
    // A socket that never drains: every write stays buffered.
    const stuck = new Writable({ highWaterMark: 16, write: () => undefined });
    let closed = 0;
    const stream = new EventStream(stuck, 1_000, () => (closed += 1));
    stream.send('quote', { price: 71_000 });
    expect(stuck.destroyed).toBe(false);
    for (let i = 0; i < 100; i += 1) stream.send('quote', { price: 71_000 + i });
    expect(stuck.destroyed).toBe(true);
    expect(closed).toBe(1);
    expect(stuck.writableLength).toBeLessThan(1_100);
  });
});
