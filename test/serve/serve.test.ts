import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { APIServer } from '../../src/facade/index.js';
import { emulatorOf } from '../../src/emulator/index.js';
import { startServe, type ServeHandle } from '../../src/serve/http.js';
import { ValidationError } from '../../src/errors.js';

let api: APIServer;
let server: ServeHandle;
const auth = () => ({ authorization: `Bearer ${server.token}` });
const get = (path: string, headers: Record<string, string> = auth()) => fetch(`${server.url}${path}`, { headers });
const post = (body: unknown) => fetch(`${server.url}/orders`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const ordersSent = () => emulatorOf(api)?.orderLedger().length ?? NaN;

beforeAll(async () => {
  api = new APIServer();
  await api.api_init({ sim_no: 1, use_rest: false, log_level: 'silent' });
  expect(await api.CommConnect(true)).toBe(0);
  server = await startServe({ api, domain: api.domain ?? '' });
});
afterAll(async () => {
  await server?.close();
  await api?.cleanup();
});

describe('serve --http (control API)', () => {
  it('refuses requests without the bearer token, or with a wrong one', async () => {
    const none = await get('/price/005930', {});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await get('/price/005930', { authorization: `Bearer ${'0'.repeat(64)}` })).status).toBe(401);
    expect((await fetch(`${server.url}/orders`, { method: 'POST', body: '{"side":"buy","code":"005930","qty":1}' })).status).toBe(401);
    expect(ordersSent()).toBe(0);
  });

  it('gives a quote with the token', async () => {
    const res = await get('/price/005930');
    expect(res.status).toBe(200);
    const q = (await res.json()) as { code: string; name: string; price: number };
    expect(q.code).toBe('005930');
    expect(q.name).toBe('삼성전자');
    expect(q.price).toBeGreaterThan(0);
    expect((await get('/price/59')).status).toBe(400);
    const unknown = await get('/price/999999');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { ret: number }).ret).toBeLessThan(0);
  });

  it('places an order with the token and names the domain', async () => {
    const before = ordersSent();
    const res = await post({ side: 'buy', code: '005930', qty: 1 });
    const body = (await res.json()) as { ret: number; id: string; status: string; orderNo: string; domain: string };
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ ret: 0, status: 'placed', domain: 'emulator' });
    expect(body.orderNo).toMatch(/^\d+$/);
    expect(ordersSent()).toBe(before + 1);
    const status = await get(`/orders/${body.id}`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ id: body.id, status: 'placed', orderNo: body.orderNo, settled: false });
  });

  it('modifies and cancels an open order by its number (PATCH / DELETE /orders/{no})', async () => {
    const send = (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}${path}`, { method, headers: { ...auth(), 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const q = (await (await get('/price/005930')).json()) as { price: number };
    const low = Math.floor((q.price * 0.8) / 100) * 100;
    const placed = (await (await post({ side: 'buy', code: '005930', qty: 3, price: low, hoga: '00' })).json()) as { orderNo: string };
    const modified = await send('PATCH', `/orders/${placed.orderNo}`, { price: low - 100 });
    const mod = (await modified.json()) as { orderNo: string; status: string };
    expect(modified.status, JSON.stringify(mod)).toBe(201);
    expect(mod.orderNo).not.toBe(placed.orderNo);
    const modifyRecord = emulatorOf(api)!.orderLedger().find((o) => Number(o.ordNo) === Number(mod.orderNo));
    expect(modifyRecord).toMatchObject({ apiId: 'kt10002', price: low - 100 });
    let open = (await (await get('/orders')).json()) as { orders: { orderNo: string; price: number; openQty: number }[] };
    expect(open.orders.find((o) => Number(o.orderNo) === Number(mod.orderNo))).toMatchObject({ price: low - 100, openQty: 3 });
    const cancelled = await send('DELETE', `/orders/${mod.orderNo}`);
    expect(cancelled.status).toBe(201);
    open = (await (await get('/orders')).json()) as typeof open;
    expect(open.orders.find((o) => Number(o.orderNo) === Number(mod.orderNo) && o.openQty > 0)).toBeUndefined();
    // Not open any more: nothing to amend, and nothing sent.
    const before = ordersSent();
    expect((await send('DELETE', `/orders/${mod.orderNo}`)).status).toBe(404);
    expect((await send('PATCH', `/orders/${placed.orderNo}`, { price: low })).status).toBe(404);
    expect((await send('PATCH', `/orders/${placed.orderNo}`, {})).status).toBe(400);
    expect(ordersSent()).toBe(before);
  });

  it('refuses a bad order with SendOrder\'s code and message, and sends nothing', async () => {
    const before = ordersSent();
    const zero = await post({ side: 'buy', code: '005930', qty: 0 });
    expect(zero.status).toBe(400);
    const body = (await zero.json()) as { ret: number; error: string };
    expect(body.ret).toBeLessThan(0);
    expect(body.error).toMatch(/qty/);
    const badJson = await post('{"side":');
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { field: string }).field).toBe('body');
    const noSide = await post({ code: '005930', qty: 1 });
    expect(((await noSide.json()) as { field: string }).field).toBe('side');
    expect(ordersSent()).toBe(before);
  });

  it('shows the balance and the open orders', async () => {
    const bal = (await (await get('/balance')).json()) as { holdings: { code: string; qty: number }[] };
    expect(bal.holdings.find((h) => h.code === '005930')?.qty).toBeGreaterThan(0);
    const q = (await (await get('/price/005930')).json()) as { price: number };
    const low = Math.floor((q.price * 0.8) / 100) * 100;
    const placed = (await (await post({ side: 'buy', code: '005930', qty: 1, price: low, hoga: '00' })).json()) as { orderNo: string };
    const open = (await (await get('/orders')).json()) as { orders: { orderNo: string; openQty: number }[] };
    expect(open.orders.find((o) => Number(o.orderNo) === Number(placed.orderNo))?.openQty).toBe(1);
    const missing = await get('/nowhere');
    expect(missing.status).toBe(404);
    // The routes as a person writes them, not as regex sources.
    expect(((await missing.json()) as { routes: string[] }).routes).toEqual(expect.arrayContaining(['GET /price/:code', 'GET /balance', 'GET /orders', 'POST /orders']));
  });

  it('refuses to bind beyond loopback without allowRemote', async () => {
    await expect(startServe({ api, domain: 'emulator', host: '0.0.0.0' })).rejects.toThrow(ValidationError);
    await expect(startServe({ api, domain: 'emulator', host: '0.0.0.0' })).rejects.toThrow(/--allow-remote/);
    const remote = await startServe({ api, domain: 'emulator', host: '0.0.0.0', allowRemote: true });
    await remote.close();
  });

  it('warns on stderr when --allow-remote binds beyond loopback', async () => {
    const child = spawn(process.execPath, ['dist/cli/main.js', 'serve', '--http', '--port', '0', '--host', '0.0.0.0', '--allow-remote'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      for await (const line of createInterface({ input: child.stdout })) if (line.startsWith('token:')) break;
      expect(stderr).toMatch(/warning: serving on 0\.0\.0\.0, beyond this machine/);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('runs as `kiwoom-compat serve --http`, printing the URL, token and page, until SIGINT', async () => {
    expect(existsSync('dist/cli/main.js'), 'run `npm run build` first').toBe(true);
    const child = spawn(process.execPath, ['dist/cli/main.js', 'serve', '--http', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const lines = createInterface({ input: child.stdout });
      let url = '';
      let token = '';
      let page = '';
      for await (const line of lines) {
        url ||= /serve: (http:\S+)/.exec(line)?.[1] ?? '';
        token ||= /^token: (\w+)/.exec(line)?.[1] ?? '';
        page ||= /^page: +(http:\S+)/.exec(line)?.[1] ?? '';
        if (url !== '' && token !== '' && page !== '') break;
      }
      expect(page).toBe(`${url}/`);
      expect((await fetch(`${url}/price/005930`)).status).toBe(401);
      const headers = { authorization: `Bearer ${token}` };
      const res = await fetch(`${url}/price/005930`, { headers });
      expect(res.status).toBe(200);
      // The page's files are found from the built CLI; without --watch it watches the holdings.
      expect((await fetch(page)).status).toBe(401);
      expect((await fetch(page, { headers })).headers.get('content-type')).toMatch(/^text\/html/);
      const held = ((await (await fetch(`${url}/balance`, { headers })).json()) as { holdings: { code: string }[] }).holdings.map((h) => h.code);
      expect(held.length).toBeGreaterThan(0);
      expect(((await (await fetch(`${url}/watch`, { headers })).json()) as { codes: string[] }).codes).toEqual(held);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
