/**
 * A TCP relay between the library and the emulator, for faults a real network makes: it counts
 * connections, and on HTTP it can hold, drop or lose a request or its answer, chosen per request
 * by its api-id and body. The emulator behind it is untouched: what it receives, it serves.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { APIServer, type SettleOptions } from '../../src/facade/index.js';
import type { Logger } from '../../src/log.js';

/** One HTTP request as the relay read it. */
export interface RelayedRequest {
  method: string;
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/** What to do to one request (nothing: pass it on). */
export interface RequestFault {
  /** Forward the request this late, even when the client has given up by then. */
  holdRequestMs?: number;
  /** Never forward it; the client hears nothing (`hang`) or the connection is reset (`reset`). */
  drop?: 'hang' | 'reset';
  /** Forward it, then throw the answer away: the client hears nothing (`hang`) or its connection is reset (`reset`). */
  loseAnswer?: 'hang' | 'reset';
  /** Forward it, and pass the answer on this late (dropped if the client has gone). */
  holdAnswerMs?: number;
}

/** A running relay. */
export interface Relay {
  /** `http://127.0.0.1:<port>` (use `ws:` for a WebSocket through it). */
  readonly url: string;
  /** Connections made through it so far. */
  connections(): number;
  /** Every HTTP request it read, oldest first, with the fault applied to it. */
  readonly requests: { request: RelayedRequest; fault: RequestFault | undefined }[];
  /** Picks the fault of each HTTP request (default: none). */
  onRequest: (request: RelayedRequest) => RequestFault | undefined;
  close(): Promise<void>;
}

const HEAD_END = Buffer.from('\r\n\r\n');

function parseHead(head: string): Omit<RelayedRequest, 'body'> & { length: number } {
  const [requestLine = '', ...lines] = head.split('\r\n');
  const [method = '', path = ''] = requestLine.split(' ');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { method, path, headers, length: Number(headers['content-length'] ?? 0) };
}

/** Starts a relay to `127.0.0.1:port`. Bytes that are not HTTP (a WebSocket after its upgrade) pass untouched. */
export async function startRelay(port: number): Promise<Relay> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, run: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      run();
    }, ms);
    timers.add(t);
  };
  const relay: Relay = {
    url: '',
    connections: () => connections,
    requests: [],
    onRequest: () => undefined,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server: Server = createServer((client) => {
    connections++;
    const upstream = connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    // Upstream → client: passed on, held, or thrown away, as the last faulted request asked.
    let answer: 'pass' | 'hang' | 'reset' | { until: number } = 'pass';
    upstream.on('data', (chunk: Buffer) => {
      if (answer === 'reset') client.resetAndDestroy();
      if (answer === 'hang' || answer === 'reset') return;
      if (answer === 'pass') {
        if (!client.destroyed) client.write(chunk);
        return;
      }
      later(Math.max(0, answer.until - Date.now()), () => {
        if (!client.destroyed) client.write(chunk);
      });
    });
    upstream.on('close', () => {
      if (answer === 'pass') client.destroy();
    });

    // Client → upstream: one HTTP request at a time, or raw bytes once it is not HTTP.
    let buffered = Buffer.alloc(0);
    let raw = false;
    client.on('data', (chunk: Buffer) => {
      if (raw) {
        upstream.write(chunk);
        return;
      }
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const end = buffered.indexOf(HEAD_END);
        if (end < 0) return;
        const head = parseHead(buffered.subarray(0, end).toString('latin1'));
        const total = end + HEAD_END.length + head.length;
        if (buffered.length < total) return;
        const bytes = buffered.subarray(0, total);
        buffered = buffered.subarray(total);
        const request: RelayedRequest = { method: head.method, path: head.path, headers: head.headers, body: bytes.subarray(end + HEAD_END.length).toString('utf8') };
        if ((head.headers['upgrade'] ?? '') !== '') {
          raw = true;
          upstream.write(Buffer.concat([bytes, buffered]));
          relay.requests.push({ request, fault: undefined });
          return;
        }
        const fault = relay.onRequest(request);
        relay.requests.push({ request, fault });
        forward(bytes, fault);
      }
    });
    client.on('close', () => {
      // A held request still goes out; the upstream connection closes once it is answered.
      if (answer === 'pass' && !held) upstream.destroy();
    });

    let held = false;
    function forward(bytes: Buffer, fault: RequestFault | undefined): void {
      if (fault?.drop === 'hang') return;
      if (fault?.drop === 'reset') {
        client.resetAndDestroy();
        return;
      }
      answer = fault?.loseAnswer ?? (fault?.holdAnswerMs !== undefined ? { until: Date.now() + fault.holdAnswerMs } : 'pass');
      if (fault?.holdRequestMs === undefined) {
        upstream.write(bytes);
        return;
      }
      held = true;
      later(fault.holdRequestMs, () => {
        upstream.write(bytes);
        if (client.destroyed) {
          answer = 'hang';
          upstream.once('data', () => upstream.destroy());
        }
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: relayPort } = server.address() as AddressInfo;
  return Object.assign(relay, { url: `http://127.0.0.1:${relayPort}` });
}

/**
 * An APIServer on the mock-domain rules whose REST calls go through a relay to its own emulator
 * (the WebSocket goes straight), giving up on a request after about `giveUpMs`.
 */
export async function openRelayedApi(logger: Logger, options: { seed: number; giveUpMs: number; orders: SettleOptions }): Promise<{ emu: Emulator; relay: Relay; api: APIServer }> {
  const emu = await startEmulator({ mode: 'mock', seed: options.seed, realRate: 0 });
  const relay = await startRelay(Number(new URL(emu.restUrl).port));
  const api = new APIServer();
  const giveUp = options.giveUpMs;
  await api.api_init({
    sim_no: 1,
    use_rest: true,
    appkey: emu.appkey,
    secretkey: emu.secretkey,
    endpoints: { rest: relay.url, ws: emu.wsUrl },
    logger,
    rest: { limits: { mockQuery: 20, order: 20 }, timeouts: { headersMs: giveUp, bodyMs: giveUp, totalMs: giveUp } },
    orders: options.orders,
  });
  return { emu, relay, api };
}
