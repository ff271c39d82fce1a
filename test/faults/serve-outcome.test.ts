/**
 * The control API (`serve --http`) under faults: an order whose answer is lost is `202
 * Accepted` with a status URL, never `201 Created` without a 주문번호; connections that send
 * nothing, or too many of them, are closed; a malformed percent-escape is 400, not 500; a
 * quantity beyond the OCX's LONG is refused before anything is sent.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import type { APIServer } from '../../src/facade/index.js';
import { startServe, type ServeHandle } from '../../src/serve/http.js';
import { openRelayedApi, type Relay } from './relay.js';
import { captureLogs, recordFigures, sleep, waitUntil } from './harness.js';

const logs = captureLogs();
const GIVE_UP_MS = 600;
const WINDOW_MS = 2_000;
const HEADERS_TIMEOUT_MS = 400;
const MAX_CONNECTIONS = 8;

let emu: Emulator;
let relay: Relay;
let api: APIServer;
let server: ServeHandle;

const call = (method: string, path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

beforeAll(async () => {
  ({ emu, relay, api } = await openRelayedApi(logs.logger, { seed: 41, giveUpMs: GIVE_UP_MS, orders: { settleWindowMs: WINDOW_MS } }));
  expect(await api.CommConnect()).toBe(0);
  server = await startServe({ api, domain: 'emulator', headersTimeoutMs: HEADERS_TIMEOUT_MS, maxConnections: MAX_CONNECTIONS });
});

afterAll(async () => {
  await server?.close();
  await api?.cleanup();
  await relay?.close();
  await emu?.close();
});

/** Opens `n` raw connections that send nothing; resolves with them and a count of those closed. */
async function idleSockets(n: number): Promise<{ sockets: Socket[]; closed: () => number }> {
  const { port } = new URL(server.url);
  let closed = 0;
  const sockets = await Promise.all(Array.from({ length: n }, () => new Promise<Socket>((resolve) => {
    const s = connect(Number(port), '127.0.0.1', () => resolve(s));
    s.on('error', () => undefined);
    s.on('close', () => closed++);
  })));
  return { sockets, closed: () => closed };
}

describe('serve --http under faults', () => {
  test('an order whose answer is lost is 202 with a status URL that later says placed, with its 주문번호', async () => {
    const before = emu.orderLedger().length;
    relay.onRequest = (req) => (req.headers['api-id'] === 'kt10000' ? ((relay.onRequest = () => undefined), { loseAnswer: 'hang' }) : undefined);
    const res = await call('POST', '/orders', { side: 'buy', code: '005930', qty: 1 });
    const body = (await res.json()) as { id: string; status: string; statusUrl: string; orderNo?: string };
    expect(res.status, JSON.stringify(body)).toBe(202);
    expect(body.orderNo).toBeUndefined();
    expect(res.headers.get('location')).toBe(body.statusUrl);
    const placed = emu.orderLedger().slice(before);
    expect(placed).toHaveLength(1);
    let status: { status: string; orderNo?: string } = { status: 'unknown' };
    for (const until = Date.now() + WINDOW_MS * 3; status.status === 'unknown' && Date.now() < until; await sleep(100)) {
      status = (await (await call('GET', body.statusUrl)).json()) as typeof status;
    }
    expect(status).toMatchObject({ status: 'placed', orderNo: placed[0]!.ordNo });
    expect((await call('GET', '/orders/serve-order-999999')).status).toBe(404);
  });

  test('a quantity beyond the OCX\'s LONG is refused before sending', async () => {
    const before = emu.orderLedger().length;
    for (const qty of [1e21, 2 ** 31, 1.5, -1]) {
      const res = await call('POST', '/orders', { side: 'buy', code: '005930', qty });
      expect(res.status, String(qty)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/qty/);
    }
    expect(emu.orderLedger().length).toBe(before);
  });

  test('a malformed percent-escape is 400', async () => {
    for (const path of ['/price/%E0%A4%A', '/orders/%ZZ', '/orders/serve-order-%']) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { field: string }).field).toBe('path');
    }
  });

  test('a kept-alive connection is announced to last no longer than the header deadline that closes it', async () => {
    // Announced longer, a client reuses the connection as the server closes it, and its next
    // request (an order's POST is never retried) fails with ECONNRESET.
    const res = await call('GET', '/orders/serve-order-999999');
    await res.text();
    const announced = /timeout=(\d+)/.exec(res.headers.get('keep-alive') ?? '')?.[1];
    expect(res.headers.get('connection')).toBe('keep-alive');
    expect(Number(announced) * 1000).toBeLessThan(HEADERS_TIMEOUT_MS);
  });

  test('connections that send nothing are closed after the header timeout; beyond the cap, at once', async () => {
    const idle = await idleSockets(200);
    // Beyond the cap: closed as they come.
    await waitUntil(() => idle.closed() >= 200 - MAX_CONNECTIONS, 'connections beyond the cap to close', 2_000);
    // The rest: closed by the header deadline.
    await waitUntil(() => idle.closed() === 200, 'idle connections to time out', HEADERS_TIMEOUT_MS * 5);
    // And the server still serves.
    expect((await call('GET', '/price/005930')).status).toBe(200);
    // A slow request line is cut too.
    const slow = await idleSockets(1);
    slow.sockets[0]!.write('GET /price/005930 HTTP/1.1\r\nHost: x\r\n');
    await waitUntil(() => slow.closed() === 1, 'a trickling request to be closed', HEADERS_TIMEOUT_MS * 5);
    recordFigures('serve-outcome', { serveIdleConnectionsOpened: 201, serveIdleConnectionsClosed: idle.closed() + slow.closed() });
  });
});
