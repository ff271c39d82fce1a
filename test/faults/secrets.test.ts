/**
 * Secrets against a hostile server: text is scrubbed whole before it is cut to a sample, and a
 * token is a secret from the moment it is parsed. Three cases, each at many offsets so that
 * every cut of the old code would have landed inside a secret:
 * - a gateway that echoes the token request (app key, secret key) in its error page;
 * - a token answer without `return_code`, quoted in the error;
 * - a WebSocket frame that echoes the token, logged as a malformed frame.
 * No 8-character piece of any secret may appear in any log line or error message.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocketServer } from 'ws';
import { APIServer } from '../../src/facade/index.js';
import { RealtimeSession } from '../../src/realtime/index.js';
import { KiwoomRest } from '../../src/rest/index.js';
import { captureLogs, recordFigures, waitUntil } from './harness.js';

const APPKEY = 'AK7f3c9e21b0d84a6f95c2e7d13a8b4f60c19e5d27';
const SECRETKEY = 'SK4e8a1c7f3b9d05e2a6c4f18b7d3e9a0c5f2b6d81e4a7c3';
const OFFSETS = Array.from({ length: 18 }, (_v, i) => i * 7);
/** The shortest piece of a secret that counts as a leak. */
const PIECE = 8;

type Mode = { kind: 'echo-request'; pad: number } | { kind: 'token-without-envelope'; pad: number } | { kind: 'frame-echo'; pad: number };

let mode: Mode = { kind: 'echo-request', pad: 0 };
const tokens: string[] = [];
const errors: string[] = [];
const logs = captureLogs();
let server: Server;
let url = '';

const filler = (n: number): string => 'x'.repeat(n);
const freshToken = (): string => {
  const token = `T${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`.padEnd(64, 'q');
  tokens.push(token);
  return token;
};
const expiry = (): string => new Date(Date.now() + 9 * 3600_000 + 86_400_000).toISOString().replace(/\D/g, '').slice(0, 14);

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void body(req).then((text) => {
      if (mode.kind === 'echo-request') {
        // A gateway's error page that quotes the request it refused.
        res.writeHead(502, { 'content-type': 'text/plain' }).end(`upstream error ${filler(mode.pad)} while forwarding ${text}`);
        return;
      }
      if (mode.kind === 'token-without-envelope') {
        const answer = { note: filler(mode.pad), token: freshToken(), token_type: 'bearer', expires_dt: expiry() };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ return_code: 0, return_msg: '', token: freshToken(), token_type: 'bearer', expires_dt: expiry() }));
    });
  });
  const wss = new WebSocketServer({ server, path: '/api/dostk/websocket' });
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { trnm: string; token?: string };
      if (msg.trnm !== 'LOGIN') return;
      ws.send(JSON.stringify({ trnm: 'LOGIN', return_code: 0, return_msg: '' }));
      // A peer that quotes the LOGIN back in a frame that is not JSON.
      ws.send(`echo ${filler(mode.pad)}${JSON.stringify(msg)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Texts holding a piece of at least {@link PIECE} characters of any secret. */
function leaks(texts: readonly string[], secrets: readonly string[]): string[] {
  const pieces = new Set(secrets.flatMap((s) => Array.from({ length: s.length - PIECE + 1 }, (_v, i) => s.slice(i, i + PIECE))));
  return texts.filter((t) => [...pieces].some((p) => t.includes(p)));
}

describe('no piece of a secret in a log line or an error message', () => {
  test('a gateway that echoes the token request: CommConnect fails, naming the gateway, not the keys', async () => {
    for (const pad of OFFSETS) {
      mode = { kind: 'echo-request', pad };
      const api = new APIServer();
      await api.api_init({ sim_no: 1, use_rest: true, appkey: APPKEY, secretkey: SECRETKEY, endpoints: { rest: url, ws: url.replace('http', 'ws') }, logger: logs.logger });
      expect(await api.CommConnect()).toBeLessThan(0);
      const message = api.GetLastError()?.message ?? '';
      expect(message).toMatch(/502/);
      errors.push(message);
      await api.cleanup();
    }
    expect(logs.lines.some((l) => l.includes('CommConnect failed') && l.includes('502'))).toBe(true);
  });

  test('a token answer without return_code: the error quotes it, without the token', async () => {
    for (const pad of OFFSETS) {
      mode = { kind: 'token-without-envelope', pad };
      const rest = new KiwoomRest({ appkey: APPKEY, secretkey: SECRETKEY, simNo: 1, baseUrl: url, logger: logs.logger });
      const err = await rest.token().catch((e: unknown) => e as Error);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/envelope/);
      errors.push((err as Error).message);
      logs.logger.error({ err: (err as Error).message }, 'token request failed');
      await rest.close();
    }
  });

  test('a WebSocket frame that echoes the token: counted and logged as malformed, without the token', async () => {
    for (const pad of OFFSETS) {
      mode = { kind: 'frame-echo', pad };
      const rest = new KiwoomRest({ appkey: APPKEY, secretkey: SECRETKEY, simNo: 1, baseUrl: url, logger: logs.logger });
      const rt = new RealtimeSession({ rest, wsUrl: url.replace('http', 'ws'), logger: logs.logger, reconnect: false });
      await rt.connect();
      await waitUntil(() => (rt.stats().badFrames['non-json'] ?? 0) > 0, 'the echo frame');
      await rt.close();
      await rest.close();
    }
    expect(logs.lines.filter((l) => l.includes('malformed WebSocket frame'))).toHaveLength(OFFSETS.length);
  });

  test('the scan: every log line and error message', () => {
    const secrets = [APPKEY, SECRETKEY, ...tokens];
    expect(tokens.length).toBeGreaterThanOrEqual(OFFSETS.length * 2);
    const found = leaks([...logs.lines, ...errors], secrets);
    recordFigures('secrets', { secretScanTexts: logs.lines.length + errors.length, secretPiecesFound: found.length });
    expect(found).toEqual([]);
  });
});
