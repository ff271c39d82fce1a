/**
 * The built-in Kiwoom emulator: a real HTTP + WebSocket server on loopback that speaks
 * Kiwoom's REST and WebSocket protocol over a seeded simulated market.
 *
 * ```ts
 * const emu = await startEmulator({ seed: 7 });
 * // point a client at emu.restUrl / emu.wsUrl with emu.appkey / emu.secretkey
 * await emu.close();
 * ```
 *
 * What it enforces: tokens (issue, revoke, expiry: 8005), api-id against path (1504/1505),
 * required fields (1511), per-api-id and global budgets (HTTP 429, 1700/1701), and in
 * `mode: 'mock'` the mock domain's rules (8104/RC9000, KRX only).
 *
 * What it answers from live state: quotes and book (ka10001, ka10004, ka10007, ka10095),
 * trade tape (ka10003, ka10079), charts paged backwards (ka10080..ka10083, ka10086, ka10005),
 * the stock master (ka10099, ka10100), rankings (ka10027, ka10030, ka10032), orders
 * (kt10000..kt10003, kt10006..kt10009, matched against the book with partial fills) and the
 * account (ka10075, ka10076, ka10074, ka10077, ka10085, kt00001, kt00004, kt00005, kt00007,
 * kt00009, kt00010, kt00011, kt00018). Every other documented TR answers its documented keys
 * with values from the official examples.
 */
import type { AddressInfo } from 'node:net';
import type {
  Emulator, EmulatorFaults, EmulatorOptions, EmulatorStats, RequestLogEntry,
} from './types.js';
import type { EmulatorContext, WsFaultSwitches } from './context.js';
import { createEmulatorState } from './state/index.js';
import { TokenStore } from './state/tokens.js';
import { startTicker } from './state/ticker.js';
import { createHttpServer, type HttpFaults } from './server.js';
import { attachWebSocket } from './ws/index.js';

export type * from './types.js';
export { emulatorOf } from './attached.js';
export type { WsSideOptions } from './ws/options.js';

/** Demo credentials the emulator accepts unless others are given. */
const DEMO_APPKEY = 'emulator-demo-appkey';
const DEMO_SECRETKEY = 'emulator-demo-secretkey';

/**
 * Starts an emulator on loopback and resolves once it listens.
 * @param options every field optional; see {@link EmulatorOptions}.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const nowMs = options.clock ?? Date.now;
  const state = createEmulatorState({
    seed: options.seed ?? 1,
    mode: options.mode ?? 'prod',
    marketHours: options.marketHours ?? 'always-open',
    nowMs,
  });
  const tokens = new TokenStore((options.tokenLifetimeSec ?? 86_400) * 1000, nowMs);
  const stats: EmulatorStats = {
    requests: 0, rateLimited: 0, byApiId: {}, orders: 0, tokensIssued: 0, realFrames: 0, realEntries: 0, wsSessions: 0, wsLogins: 0, wsRefusals: {},
  };
  const log: RequestLogEntry[] = [];
  const httpFaults: HttpFaults = { rateLimitNext: 0, delayMs: 0, dropNext: 0 };
  const wsFaults: WsFaultSwitches = { garbleFrames: 0, stallUntil: 0, rejectLogins: 0, withholdRemoveAcks: 0 };
  const appkey = options.appkey ?? DEMO_APPKEY;
  const secretkey = options.secretkey ?? DEMO_SECRETKEY;

  const server = createHttpServer({
    state, tokens, stats, log, faults: httpFaults, appkey, secretkey,
    perApiId: options.rateLimits?.perApiId ?? 5,
    global: options.rateLimits?.global ?? 100,
    logLimit: options.requestLogLimit ?? 100_000,
  });
  const ctx: EmulatorContext = {
    state,
    tokens,
    options: { ...options, seed: state.seed, mode: state.mode, realRate: options.realRate ?? 20, pingIntervalMs: options.pingIntervalMs ?? 10_000 },
    stats,
    wsFaults,
  };
  const ws = attachWebSocket(server, ctx, options.websocket);

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    // A port in use must leave neither the server handle nor the WebSocket side's timers behind.
    server.close();
    await ws.close();
    throw err;
  }
  const stopTicker = startTicker(state, options.marketTicksPerSecond ?? 4);
  const { port } = server.address() as AddressInfo;

  const faults: EmulatorFaults = {
    expireTokens: () => tokens.expireAll(),
    revokeTokens: () => tokens.revokeAll(),
    rateLimitNext: (n) => { httpFaults.rateLimitNext = Math.max(0, n); },
    delay: (ms) => { httpFaults.delayMs = Math.max(0, ms); },
    dropNextRequests: (n) => { httpFaults.dropNext = Math.max(0, n); },
    dropWebSockets: () => ws.dropAll(),
    kickSession: () => ws.kickAll(),
    garble: (n) => { wsFaults.garbleFrames += Math.max(0, n); },
    stall: (ms) => { wsFaults.stallUntil = Date.now() + Math.max(0, ms); },
    rejectNextLogin: (n = 1) => { wsFaults.rejectLogins += Math.max(0, n); },
    dropAfterLogin: (ms, how = 'close') => { wsFaults.dropAfterLogin = ms === false ? undefined : { ms: Math.max(0, ms), with: how }; },
    withholdRemoveAcks: (n = Number.POSITIVE_INFINITY) => { wsFaults.withholdRemoveAcks = Math.max(0, n); },
    reissueSameToken: (on = true) => { tokens.reissueSame = on; },
  };

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      stopTicker();
      await ws.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      state.removeAllListeners();
    })();
    return closing;
  };

  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    restUrl: `http://${urlHost}:${port}`,
    wsUrl: `ws://${urlHost}:${port}`,
    appkey,
    secretkey,
    account: state.defaultAccount,
    mode: state.mode,
    faults,
    state,
    stats: () => ({ ...stats, byApiId: { ...stats.byApiId }, wsRefusals: { ...stats.wsRefusals } }),
    requestLog: () => [...log],
    issuedTokens: () => tokens.issued(),
    orderLedger: () => state.orders.ledger.map((o) => ({ ...o })),
    fillLedger: () => state.orders.fills.map((f) => ({ ...f })),
    setRate: (fps) => ws.setRate(fps),
    wsHeld: () => ws.held(),
    close,
  };
}
