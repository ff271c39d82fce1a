import { Agent, get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APIServer } from '../../src/facade/index.js';
import { emulatorOf } from '../../src/emulator/index.js';
import { startServe, type ServeHandle } from '../../src/serve/http.js';
import type { AccountState, FeedEvent, LiveQuote } from '../../src/serve/live.js';
import { SseReader } from './sse.js';

// The page's server side: the login that turns the token into a session cookie, the static
// files and the live feed behind it, and the origin check that keeps other sites from using a
// logged-in browser. The browser itself is driven in test/system/page-chromium.test.ts.

let api: APIServer;
let server: ServeHandle;
const bearer = () => ({ authorization: `Bearer ${server.token}` });
const ledger = () => emulatorOf(api)!.orderLedger();
const streams: SseReader[] = [];

async function login(token = server.token): Promise<Response> {
  return fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }).toString() });
}

/** A fresh session's Cookie header value (`name=id`). */
async function sessionCookie(): Promise<string> {
  const res = await login();
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

async function stream(headers: Record<string, string> = bearer()): Promise<SseReader> {
  const res = await fetch(`${server.url}/events`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = new SseReader(res);
  streams.push(reader);
  return reader;
}

const lowPrice = async (): Promise<number> => {
  const q = (await (await fetch(`${server.url}/price/005930`, { headers: bearer() })).json()) as { price: number };
  return Math.floor((q.price * 0.8) / 100) * 100;
};

beforeAll(async () => {
  api = new APIServer();
  await api.api_init({ sim_no: 1, use_rest: false, log_level: 'silent' });
  expect(await api.CommConnect(true)).toBe(0);
  server = await startServe({ api, domain: api.domain ?? '', watch: ['005930'], live: { accountRefreshMs: 300, heartbeatMs: 100 } });
});
afterAll(async () => {
  await server?.close();
  await api?.cleanup();
});

describe('the page: login and static files', () => {
  it('answers / without the token with 401 and the login form only, and every file and the feed with 401', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await res.text();
    expect(html).toMatch(/<form method="post" action="\/login"/);
    expect(html).toMatch(/name="token" type="password"/);
    expect(html).not.toMatch(/app\.js|style\.css/);
    for (const path of ['/app.js', '/style.css', '/events', '/watch']) {
      const refused = await fetch(`${server.url}${path}`);
      expect(refused.status, path).toBe(401);
      expect(refused.headers.get('content-type'), path).toMatch(/^application\/json/);
    }
  });

  it('gives the form again for a wrong token, and for the right one a session cookie (never the token) and a redirect to /', async () => {
    const wrong = await login('0'.repeat(64));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toMatch(/wrong token/);

    const right = await login();
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/');
    const cookie = right.headers.get('set-cookie')!;
    const port = new URL(server.url).port;
    expect(cookie).toMatch(new RegExp(`^kiwoom_compat_${port}=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict; Max-Age=\\d+$`));
    expect(cookie).not.toContain(server.token);
    // Pasted with its "Bearer " prefix and a newline, as copied from the curl line: still the token.
    expect((await login(`Bearer ${server.token}\n`)).status).toBe(303);
  });

  it('serves the page, its script and its style with the session cookie, under a same-origin policy', async () => {
    const cookie = await sessionCookie();
    const page = await fetch(`${server.url}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).toMatch(/<script type="module" src="\/app\.js">/);
    const script = await fetch(`${server.url}/app.js`, { headers: { cookie } });
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toMatch(/new EventSource\('\/events'\)/);
    expect((await fetch(`${server.url}/style.css`, { headers: { cookie } })).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await fetch(`${server.url}/price/005930`, { headers: { cookie } })).status).toBe(200);
    // curl users: the bearer token opens the same page.
    expect((await fetch(`${server.url}/`, { headers: bearer() })).status).toBe(200);
  });

  it('takes an order on a session cookie only from the page\'s own origin (another site cannot use a logged-in browser)', async () => {
    const cookie = await sessionCookie();
    const body = JSON.stringify({ side: 'buy', code: '005930', qty: 1, price: await lowPrice(), hoga: '00' });
    const post = (headers: Record<string, string>) => fetch(`${server.url}/orders`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body });
    const before = ledger().length;
    for (const headers of [{}, { origin: 'http://evil.example' }, { origin: server.url.replace('127.0.0.1', 'localhost') }]) {
      const refused = await post(headers);
      expect(refused.status, JSON.stringify(headers)).toBe(403);
    }
    expect((await fetch(`${server.url}/watch/000660`, { method: 'PUT', headers: { cookie, origin: 'http://evil.example' } })).status).toBe(403);
    expect(ledger().length).toBe(before);
    const placed = await post({ origin: server.url });
    expect(placed.status).toBe(201);
    expect(ledger().length).toBe(before + 1);
  });

  it('ends the session at logout', async () => {
    const cookie = await sessionCookie();
    const out = await fetch(`${server.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: server.url } });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await fetch(`${server.url}/`, { headers: { cookie } })).status).toBe(401);
    expect((await fetch(`${server.url}/balance`, { headers: { cookie } })).status).toBe(401);
  });
});

describe('the page: one browser connection for a whole day', () => {
  it('serves many requests on one kept-alive connection without adding a listener per request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      const ports = new Set<number>();
      for (let i = 0; i < 30; i += 1) {
        const status = await new Promise<number>((resolve, reject) => {
          get(`${server.url}/watch`, { agent, headers: bearer() }, (res) => {
            ports.add(res.socket.localPort!);
            res.resume().on('end', () => resolve(res.statusCode!));
          }).on('error', reject);
        });
        expect(status).toBe(200);
      }
      expect(ports.size).toBe(1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.message)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      agent.destroy();
    }
  });
});

describe('the page: live feed (GET /events)', () => {
  it('starts with a snapshot of the domain, the account, the watched quotes and the account state, then streams trades', async () => {
    const feed = await stream();
    const snapshot = await feed.next<{ domain: string; account: string; codes: string[]; quotes: LiveQuote[]; events: FeedEvent[] }>('snapshot');
    expect(snapshot.domain).toBe('emulator');
    expect(snapshot.account).toBe(api.GetLoginInfo('ACCNO').split(';')[0]);
    expect(snapshot.codes).toEqual(['005930']);
    expect(snapshot.quotes[0]).toMatchObject({ code: '005930', name: '삼성전자' });
    expect(snapshot.quotes[0]!.price).toBeGreaterThan(0);
    const trade = await feed.next<LiveQuote>('quote', (q) => q.code === '005930');
    expect(trade.time).toMatch(/^\d{6}$/);
    expect(trade.price).toBeGreaterThan(0);
    expect(trade.name).toBe('삼성전자');
    const account = await feed.next<AccountState>('account');
    if ('error' in account) throw new Error(account.error);
    expect(account.balance.holdings.find((h) => h.code === '005930')?.qty).toBeGreaterThan(0);
    // A comment line at each heartbeat keeps an idle stream open.
    const comments = feed.comments;
    await new Promise((r) => setTimeout(r, 400));
    expect(feed.comments).toBeGreaterThan(comments);
  });

  it('streams an order\'s events and messages, then the account with it open; the server\'s own reads are not listed', async () => {
    const feed = await stream();
    await feed.next('snapshot');
    const price = await lowPrice();
    const res = await fetch(`${server.url}/orders`, { method: 'POST', headers: bearer(), body: JSON.stringify({ side: 'buy', code: '005930', qty: 2, price, hoga: '00' }) });
    const { orderNo } = (await res.json()) as { orderNo: string };
    const accepted = await feed.next<FeedEvent>('event', (e) => e.kind === 'order' && e.orderNo === orderNo);
    expect(accepted).toMatchObject({ status: '접수', code: '005930', name: '삼성전자', side: '+매수', qty: 2, price, openQty: 2, origNo: '', afterAmendment: false, reason: '' });
    await feed.next<AccountState>('account', (a) => 'orders' in a && a.orders.some((o) => o.orderNo === orderNo && o.openQty === 2));

    // A modify beyond the day's price limits: the exchange's refusal and its reason.
    const modify = await fetch(`${server.url}/orders/${orderNo}`, { method: 'PATCH', headers: bearer(), body: JSON.stringify({ price: Math.floor(price / 2 / 100) * 100 }) });
    expect(modify.status).toBe(400);
    const refused = await feed.next<FeedEvent>('event', (e) => e.kind === 'order' && e.status === '거부');
    expect(refused).toMatchObject({ origNo: orderNo, side: '+매수정정' });
    expect(refused.kind === 'order' && refused.reason).toMatch(/\S/);

    const cancel = await fetch(`${server.url}/orders/${orderNo}`, { method: 'DELETE', headers: bearer() });
    expect(cancel.status).toBe(201);
    const confirmed = await feed.next<FeedEvent>('event', (e) => e.kind === 'order' && e.status === '확인');
    expect(confirmed).toMatchObject({ origNo: orderNo, side: '매수취소' });
    await feed.next<AccountState>('account', (a) => 'orders' in a && !a.orders.some((o) => o.orderNo === orderNo));

    const messages = feed.events.filter((e) => e.event === 'event' && (e.data as FeedEvent).kind === 'message').map((e) => e.data as Extract<FeedEvent, { kind: 'message' }>);
    expect(messages.length).toBeGreaterThanOrEqual(2);
    // Balance and open-order reads ran meanwhile (one per account event): none of their "조회가 완료되었습니다".
    expect(messages.filter((m) => /조회/.test(m.text))).toEqual([]);

    // A page opened now gets these in its snapshot.
    const later = await stream();
    const { events } = await later.next<{ events: FeedEvent[] }>('snapshot');
    const ofOrder = events.filter((e) => e.kind === 'order' && (e.orderNo === orderNo || e.origNo === orderNo));
    // 접수, the modify's 거부, the cancel's 확인, then the original order's update with nothing left open.
    expect(ofOrder.map((e) => e.kind === 'order' && [e.status, e.afterAmendment, e.openQty])).toEqual([['접수', false, 2], ['거부', false, 0], ['확인', false, 0], ['접수', true, 0]]);
  });

  it('adds and removes watched codes, refusing what the OCX would', async () => {
    const feed = await stream();
    await feed.next('snapshot');
    const put = (code: string) => fetch(`${server.url}/watch/${code}`, { method: 'PUT', headers: bearer() });
    const added = await put('000660');
    expect(added.status).toBe(200);
    expect(((await added.json()) as { codes: string[] }).codes).toEqual(['005930', '000660']);
    const notice = await feed.next<{ codes: string[]; quotes: LiveQuote[] }>('watch');
    expect(notice.quotes.find((q) => q.code === '000660')?.name).toBe('SK하이닉스');
    await feed.next<LiveQuote>('quote', (q) => q.code === '000660');
    for (const code of ['999999', '59']) {
      const refused = await put(code);
      expect(refused.status, code).toBe(400);
      expect(((await refused.json()) as { field: string }).field).toBe('code');
    }
    const removed = await fetch(`${server.url}/watch/000660`, { method: 'DELETE', headers: bearer() });
    expect(((await removed.json()) as { codes: string[] }).codes).toEqual(['005930']);
    expect((await fetch(`${server.url}/watch/000660`, { method: 'DELETE', headers: bearer() })).status).toBe(404);
  });

  it('refuses a session cookie that was never issued, and streams on one that was', async () => {
    expect((await fetch(`${server.url}/events`, { headers: { cookie: `kiwoom_compat_${new URL(server.url).port}=${'a'.repeat(64)}` } })).status).toBe(401);
    const feed = await stream({ cookie: await sessionCookie() });
    await feed.next('snapshot');
  });

  it('closes open streams when the server closes', async () => {
    const own = await startServe({ api, domain: 'emulator' });
    const res = await fetch(`${own.url}/events`, { headers: { authorization: `Bearer ${own.token}` } });
    const feed = new SseReader(res);
    await feed.next('snapshot');
    await own.close();
    await feed.end();
  });
});
