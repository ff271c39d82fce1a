/**
 * 10,000 malformed, truncated, oversized and wrongly typed WebSocket frames, and 1,000 bad HTTP
 * bodies: no crash, no unhandled rejection, every bad frame counted under its kind and each kind
 * logged once; every bad body becomes a KiwoomError that names the call; the stream goes on.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { KiwoomError } from '../../src/errors.js';
import { RealtimeSession } from '../../src/realtime/index.js';
import { KiwoomRest } from '../../src/rest/index.js';
import { LONG, captureLogs, countSecrets, recordFigures, waitUntil } from './harness.js';

const FRAMES = LONG ? 100_000 : 10_000;
const BODIES = LONG ? 10_000 : 1_000;
const TOKEN = 'fuzz-token-0123456789abcdef';
const APPKEY = 'fuzz-appkey-0123456789';
const SECRETKEY = 'fuzz-secretkey-0123456789';
const logs = captureLogs();

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
});

const real = (i: number): string =>
  JSON.stringify({ trnm: 'REAL', data: [{ type: '0B', name: '주식체결', item: '005930', values: { '10': String(70000 + (i % 100)), '20': '093000' } }] });

/** Bad frame generators by the kind RealtimeSession must count them under. */
const BAD: Array<{ name: string; kind: string; make: (i: number) => string | Buffer }> = [
  { name: 'text', kind: 'non-json', make: (i) => `garbage ${i} ${'#'.repeat(i % 50)}` },
  { name: 'invalid utf-8 binary', kind: 'non-json', make: (i) => Buffer.from([0xff, 0xfe, i % 256, 0xc3]) },
  { name: 'truncated', kind: 'truncated', make: (i) => real(i).slice(0, 5 + (i % 60)) },
  { name: 'scalar', kind: 'not-object', make: (i) => [String(i), 'null', 'true', `"s${i}"`][i % 4]! },
  { name: 'no trnm', kind: 'no-trnm', make: (i) => ['{"data":[]}', `[${i}]`, `{"trnm":${i}}`, '{}'][i % 4]! },
  { name: 'unknown trnm', kind: 'unknown-trnm', make: (i) => `{"trnm":"X${i % 7}","data":[]}` },
  {
    name: 'wrongly typed REAL',
    kind: 'bad-real',
    make: (i) =>
      [
        '{"trnm":"REAL","data":"x"}',
        '{"trnm":"REAL","data":[{"type":1,"item":"005930","values":{}}]}',
        '{"trnm":"REAL","data":[{"type":"0B","item":5930,"values":{}}]}',
        '{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":null}]}',
        '{"trnm":"REAL","data":[null]}',
        '{"trnm":"REAL"}',
      ][i % 6]!,
  },
  { name: 'condition hit without values', kind: 'bad-condition', make: () => '{"trnm":"REAL","data":[{"type":"02","name":"조건검색","item":"","values":{}}]}' },
  { name: 'reply nobody asked for', kind: 'unexpected-reply', make: (i) => `{"trnm":"REG","return_code":0,"return_msg":"${i}"}` },
];
/** Oversized frames (256 KiB of an unterminated object): rarer, they are big. */
const OVERSIZED = { name: 'oversized', kind: 'truncated', make: (i: number) => `{"trnm":"REAL","data":[${'9'.repeat(256 * 1024 + i)}` };

describe('malformed WebSocket frames', () => {
  let server: Server;
  let wss: WebSocketServer;
  let peer: WebSocket | undefined;

  beforeAll(async () => {
    server = createServer();
    wss = new WebSocketServer({ server, path: '/api/dostk/websocket' });
    wss.on('connection', (ws) => {
      peer = ws;
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { trnm: string };
        ws.send(JSON.stringify({ trnm: msg.trnm, return_code: 0, return_msg: '' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test(`${FRAMES.toLocaleString('en-US')} bad frames are counted by kind, each kind logged once, and the stream goes on`, async () => {
    const { port } = server.address() as AddressInfo;
    const rest = { simNo: 0, token: async () => TOKEN, invalidateToken: () => undefined };
    const rt = new RealtimeSession({ rest, wsUrl: `ws://127.0.0.1:${port}`, logger: logs.logger, reconnect: false });
    let good = 0;
    rt.on('real', () => good++);
    rt.on('condition', () => undefined);
    await rt.connect();
    await rt.register('1', ['005930'], ['0B']);
    await waitUntil(() => peer !== undefined, 'the server side of the socket');

    const sent: Record<string, number> = {};
    let goodSent = 0;
    let oversized = 0;
    for (let i = 0; i < FRAMES; i++) {
      // One frame in 250 is oversized; one in 50 a good frame between the bad ones.
      const gen = i % 250 === 0 ? OVERSIZED : BAD[i % BAD.length]!;
      if (gen === OVERSIZED) oversized++;
      peer!.send(gen.make(i));
      sent[gen.kind] = (sent[gen.kind] ?? 0) + 1;
      if (i % 50 === 0) {
        peer!.send(real(i));
        goodSent++;
      }
      if (peer!.bufferedAmount > 4 * 1024 * 1024) await new Promise((r) => setTimeout(r, 1));
    }
    const total = (): number => Object.values(rt.stats().badFrames).reduce((a, b) => a + b, 0);
    await waitUntil(() => total() >= FRAMES && good >= goodSent, 'every frame to be read', 20_000);

    expect(rt.stats().badFrames).toEqual(sent);
    expect(good).toBe(goodSent);
    expect(rt.state).toBe('open');
    const warned = logs.lines.filter((l) => l.includes('malformed WebSocket frame ignored')).map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(warned.sort()).toEqual(Object.keys(sent).sort());
    expect(unhandled).toEqual([]);
    await rt.close();
    recordFigures('fuzz-frames', { framesFuzzed: FRAMES, oversizedFrames: oversized, frameKinds: Object.keys(sent).length, goodFramesInterleaved: goodSent });
  }, LONG ? 300_000 : 30_000);
});

describe('malformed HTTP bodies', () => {
  /** Bad answers to a query, by kind: status and body. */
  const ANSWERS: Array<{ kind: string; status: number; body: (i: number) => string | Buffer }> = [
    { kind: 'html', status: 200, body: () => '<html><head><title>Request Blocked</title></head><body>WAF</body></html>' },
    { kind: 'html-500', status: 500, body: () => '<html><body>Internal Server Error</body></html>' },
    { kind: 'truncated', status: 200, body: (i) => '{"return_code":0,"return_msg":"ok","stk_cd":"005930","cur_prc":"+7'.slice(0, 10 + (i % 50)) },
    { kind: 'array', status: 200, body: (i) => `[${i},2,3]` },
    { kind: 'null', status: 200, body: () => 'null' },
    { kind: 'empty', status: 200, body: () => '' },
    { kind: 'envelope-wrong-types', status: 200, body: () => '{"return_code":"0","return_msg":0}' },
    { kind: 'binary', status: 200, body: (i) => Buffer.from([0x00, 0xff, i % 256, 0x7b, 0x80]) },
    { kind: 'oversized', status: 200, body: () => `{"return_code":0,"return_msg":"${'x'.repeat(2 * 1024 * 1024)}` },
  ];
  let server: Server;
  let next = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        if (req.url === '/oauth2/token') {
          res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
          res.end(JSON.stringify({ token: TOKEN, token_type: 'bearer', expires_dt: '20991231235959', return_code: 0, return_msg: '정상' }));
          return;
        }
        const answer = ANSWERS[next++ % ANSWERS.length]!;
        res.writeHead(answer.status, { 'content-type': 'application/json;charset=UTF-8' });
        res.end(answer.body(next));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test(`${BODIES.toLocaleString('en-US')} bad bodies each become a KiwoomError naming the call; nothing crashes`, async () => {
    const { port } = server.address() as AddressInfo;
    const rest = new KiwoomRest({
      appkey: APPKEY,
      secretkey: SECRETKEY,
      baseUrl: `http://127.0.0.1:${port}`,
      logger: logs.logger,
      limits: { perApiId: 100_000, query: 100_000, global: 100_000, burst: 100_000, maxRetries: 0 },
    });
    const errors: Record<string, number> = {};
    const messages = new Map<string, Set<string>>();
    try {
      for (let i = 0; i < BODIES; i++) {
        const kind = ANSWERS[next % ANSWERS.length]!.kind;
        const outcome = await rest.call('ka10001', { stk_cd: '005930' }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(outcome).toBeInstanceOf(KiwoomError);
        const err = outcome as KiwoomError;
        expect(err.message).toContain('ka10001');
        errors[kind] = (errors[kind] ?? 0) + 1;
        const set = messages.get(kind) ?? new Set<string>();
        set.add(err.constructor.name);
        messages.set(kind, set);
      }
    } finally {
      await rest.close();
    }
    expect(Object.values(errors).reduce((a, b) => a + b, 0)).toBe(BODIES);
    expect(Object.keys(errors).sort()).toEqual(ANSWERS.map((a) => a.kind).sort());
    // Each kind fails the same way every time.
    for (const set of messages.values()) expect(set.size).toBe(1);
    expect(unhandled).toEqual([]);
    recordFigures('fuzz-http', { httpBodiesFuzzed: BODIES, httpBodyKinds: ANSWERS.length });
  }, LONG ? 300_000 : 30_000);
});

test('no app key, secret key or token in any log line of this file', () => {
  const found = countSecrets(logs.lines, [APPKEY, SECRETKEY, TOKEN]);
  recordFigures('fuzz-secrets', { logLinesScanned: logs.lines.length, secretsFound: found });
  expect(logs.lines.length).toBeGreaterThan(0);
  expect(found).toBe(0);
});
