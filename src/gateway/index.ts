/**
 * The session gateway: one Kiwoom login (one REST token, one WebSocket session) shared by
 * many local programs that speak Kiwoom's own protocol to it.
 *
 * ```ts
 * const gw = await startGateway({ appkey, secretkey, simNo: 1, clients: [] });
 * const strategy = gw.clients.issue('strategy');   // its own app key and secret key
 * // point the program at gw.restUrl / gw.wsUrl with strategy.appkey / strategy.secretkey
 * ```
 *
 * The server half of the protocol is the emulator's ({@link SessionServer}, `checkTr`,
 * `answerAuth`, `createKiwoomHttpServer`); upstream it uses the library's own `KiwoomRest`
 * and `RealtimeSession`, with their limits, token handling and reconnects.
 */
import type { AddressInfo } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { LIVE_WS } from '../compat/live.js';
import { SessionError, ValidationError } from '../errors.js';
import { isLoopback } from '../hosts.js';
import { attachScrubber, componentLogger, createLogger, SecretScrubber } from '../log.js';
import { answerAuth, type AuthDeps } from '../emulator/rest/auth.js';
import { createKiwoomHttpServer, notFound, type Answer, type KiwoomRequest } from '../emulator/rest/http.js';
import { TokenStore } from '../emulator/state/tokens.js';
import { SessionServer } from '../emulator/ws/sessions.js';
import { RealtimeSession } from '../realtime/index.js';
import { GATEWAY_NOTICE } from '../realtime/gateway-notices.js';
import { KiwoomRest } from '../rest/index.js';
import { resolveOptions } from '../rest/options.js';
import { ClientRegistry, type ClientCredential } from './clients.js';
import { resolveGatewayOptions, type GatewayOptions, type ResolvedGatewayOptions } from './options.js';
import { RealtimeRelay } from './realtime-relay.js';
import { RestRelay } from './rest-relay.js';
import type { GatewayStatus } from './status.js';

export type { GatewayOptions } from './options.js';
export type { ClientCredential } from './clients.js';
export type { GatewayStatus, ClientStatus, SessionStatus } from './status.js';

/** What {@link startGateway} resolves to. */
export interface Gateway {
  /** `http://127.0.0.1:<port>` (https with TLS): clients use it as Kiwoom's REST base URL. */
  readonly restUrl: string;
  /** `ws://127.0.0.1:<port>` (wss with TLS): clients append `/api/dostk/websocket` as for Kiwoom. */
  readonly wsUrl: string;
  /** Bearer token of the `/gateway/*` admin endpoints. */
  readonly adminToken: string;
  /** Key pairs of the clients, changeable while the gateway runs. */
  readonly clients: {
    /** A new pair under `name` (a name issued before keeps its pair). */
    issue(name: string, options?: { shared?: boolean }): ClientCredential;
    /** Withdraws `name`'s pair: its tokens stop working and its sessions are closed. False when unknown. */
    revoke(name: string): boolean;
    /** Every client pair by name (without its keys). */
    list(): { name: string; shared: boolean }[];
  };
  /** The upstream login, its budget and subscriptions, and each client's share. */
  status(): GatewayStatus;
  /** Closes clients, the upstream session and the server. Requests still queued are answered unsent. */
  close(): Promise<void>;
}

/** Nothing is ever injected into the gateway's own sessions. */
/** Fraction of Kiwoom's rates the gateway's upstream uses unless `rest.limits.safetyFactor` says otherwise. */
const GATEWAY_SAFETY_FACTOR = 0.9;
const NO_FAULTS = { garbleFrames: 0, stallUntil: 0, rejectLogins: 0 };

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The upstream budgets the relay shares out: what KiwoomRest itself keeps to. */
function upstreamRates(o: ResolvedGatewayOptions, baseUrl: string | undefined): { order: number; query: number } {
  const limits = resolveOptions({ appkey: o.appkey, secretkey: o.secretkey, simNo: o.simNo, ...(baseUrl === undefined ? {} : { baseUrl }), ...o.rest }).limits;
  const isMock = o.rest?.mock ?? o.simNo > 0;
  return { order: limits.order, query: isMock ? Math.min(limits.query, limits.mockQuery) : limits.query };
}

/**
 * Logs in upstream (REST token, then the WebSocket) and starts serving clients.
 * @throws ValidationError for bad options (a non-loopback host without TLS names `host`),
 *   or the upstream's error when the login fails.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const o = resolveGatewayOptions(options);
  // The gateway's own secrets (its upstream keys, the admin token, the clients' keys), scrubbed
  // from its loggers while it runs.
  const secrets = new SecretScrubber();
  secrets.add(o.appkey);
  secrets.add(o.secretkey);
  const root = o.logger ?? createLogger({ level: 'warn', destination: pino.destination({ dest: 2, sync: true }) });
  const detachSecrets = attachScrubber(root, secrets);
  const log: Logger = componentLogger(root, 'gateway', secrets);
  // The gateway runs at the budget for hours (many programs' sum), where one program rarely
  // does: a 10% margin (one interval per window) absorbs the arrival jitter that the library's
  // default 1% lets turn into Kiwoom's 429.
  const limits = { safetyFactor: GATEWAY_SAFETY_FACTOR, ...o.rest?.limits };
  const rest = new KiwoomRest({ ...o.rest, limits, appkey: o.appkey, secretkey: o.secretkey, simNo: o.simNo, ...(o.endpoints?.rest === undefined ? {} : { baseUrl: o.endpoints.rest }), logger: root });
  const rt = new RealtimeSession({ ...o.realtime, rest, ...(o.endpoints?.ws === undefined ? {} : { wsUrl: o.endpoints.ws }), logger: root });
  const registry = new ClientRegistry(o.clients ?? [], o.clientsFile, secrets);
  const adminToken = o.adminToken ?? randomBytes(24).toString('base64url');
  secrets.add(adminToken);
  const tokens = new TokenStore(o.tokenLifetimeSec * 1000, Date.now);
  const authDeps: AuthDeps = {
    // Client tokens carry no account: the account is the upstream's, and ka00001 tells it.
    accountOf: (appkey, secretkey) => (registry.check(appkey, secretkey) === undefined ? undefined : ''),
    tokens,
    onIssued: () => undefined,
  };
  const restRelay = new RestRelay({
    rest: rest.untyped,
    tokens,
    clients: registry,
    rates: upstreamRates(o, o.endpoints?.rest),
    maxWaitMs: o.maxWaitMs,
    coalesce: o.coalesce,
    logger: log,
  });
  /** LOGINs accepted per client name: a client that keeps reconnecting shows here. */
  const logins = new Map<string, number>();
  const relay = new RealtimeRelay({ rt, caps: LIVE_WS, maxRealtimeConditions: 10, releaseGraceMs: o.releaseGraceMs, logger: log });

  const admin = (request: KiwoomRequest): Answer => {
    const auth = request.req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(auth.trim());
    if (m === null || !sameSecret(m[1]!, adminToken)) {
      return { envelope: { status: 401, body: { return_code: 3, return_msg: 'gateway admin token required (Authorization: Bearer <adminToken>)' } } };
    }
    const b = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    const name = typeof b['name'] === 'string' ? b['name'] : '';
    switch (`${request.req.method} ${request.path}`) {
      case 'GET /gateway/status':
        return { envelope: { status: 200, body: { ...status(), return_code: 0, return_msg: '' } } };
      case 'POST /gateway/clients':
        try {
          return { envelope: { status: 200, body: { ...gateway.clients.issue(name, { shared: b['shared'] === true }), return_code: 0, return_msg: '' } } };
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          return { envelope: { status: 400, body: { return_code: 2, return_msg: err.message } } };
        }
      case 'POST /gateway/clients/revoke':
        return gateway.clients.revoke(name)
          ? { envelope: { status: 200, body: { name, return_code: 0, return_msg: '' } } }
          : { envelope: { status: 404, body: { return_code: 2, return_msg: `no client named ${JSON.stringify(name)}` } } };
      default:
        return notFound(request.path);
    }
  };

  const server = createKiwoomHttpServer(async (request) => {
    const { path, body } = request;
    if (path === '/oauth2/token' || path === '/oauth2/revoke') return { envelope: answerAuth(authDeps, path, body) };
    if (path.startsWith('/api/dostk/')) return restRelay.answer(request);
    if (path.startsWith('/gateway/')) return admin(request);
    return notFound(path);
  }, o.tls);
  const sessions = new SessionServer(server, {
    tokens,
    faults: NO_FAULTS,
    settings: { pingIntervalMs: o.pingIntervalMs, maxMissedPings: 5, loginTimeoutMs: Math.max(2000, o.pingIntervalMs), highWaterBytes: 16 * 1024 * 1024 },
    service: relay,
    // Programs sharing one pair each keep their session; a named pair logged in twice is one program too many, as at Kiwoom.
    onePerAppkey: (appkey) => registry.byKey(appkey)?.shared !== true,
    onLogin: (session) => {
      const name = registry.byKey(session.appkey)?.name ?? 'unknown';
      logins.set(name, (logins.get(name) ?? 0) + 1);
    },
    onClose: (session) => relay.forget(session),
  });
  rt.on('error', (err) => {
    log.error({ err: err.message }, 'upstream WebSocket error');
    // Another login took the upstream session: no client session can go on; tell them as Kiwoom would.
    if (err instanceof SessionError && err.code === 'R10001') sessions.kickAll();
  });
  // Clients keep their sockets through an upstream gap; the notices let their libraries treat it as a gap of their own.
  const notify = (frame: string): void => {
    if (o.gapNotices) for (const s of sessions.loggedInSessions()) s.send(frame);
  };
  rt.on('disconnected', (info) => {
    if (!info.willReconnect) return;
    log.warn({ code: info.code }, 'upstream WebSocket dropped; reconnecting');
    notify(JSON.stringify({ trnm: 'SYSTEM', ...GATEWAY_NOTICE.upstreamDown }));
  });
  rt.on('reconnected', (gapMs) => {
    log.warn({ gapMs }, 'upstream WebSocket back after a gap; subscriptions restored');
    notify(JSON.stringify({ trnm: 'SYSTEM', ...GATEWAY_NOTICE.upstreamBack, gap_ms: gapMs }));
  });

  const status = (): GatewayStatus => {
    const stats = restRelay.clientStats();
    const byName = new Map<string, GatewayStatus['clients'][number]>();
    for (const c of registry.names()) byName.set(c.name, { name: c.name, shared: c.shared, logins: logins.get(c.name) ?? 0, sessions: [], rest: {} });
    for (const s of sessions.loggedInSessions()) {
      const name = registry.byKey(s.appkey)?.name;
      const entry = name === undefined ? undefined : byName.get(name);
      entry?.sessions.push({ subscriptions: s.subs.snapshot(), conditions: [...s.realtime.keys()].sort(), ...relay.statsOf(s) });
    }
    for (const [queue, st] of Object.entries(stats)) {
      const entry = byName.get(queue.split('#')[0]!);
      if (entry) entry.rest[queue] = st;
    }
    return {
      upstream: {
        state: rt.state,
        reconnects: rt.stats().reconnects,
        items: relay.union.items,
        itemsCap: LIVE_WS.itemsPerConnection,
        groups: relay.union.groups(),
        conditions: relay.conditions(),
        conditionsCap: 10,
        unrouted: relay.unrouted,
        lingering: relay.lingeringPairs,
      },
      budget: restRelay.budget(),
      clients: [...byName.values()],
    };
  };

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      restRelay.close();
      relay.close();
      await sessions.close();
      await rt.close();
      await rest.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      detachSecrets();
    })();
    return closing;
  };

  const gateway: Gateway = {
    restUrl: '',
    wsUrl: '',
    adminToken,
    clients: {
      issue: (name, opts) => registry.issue(name, opts),
      revoke: (name) => {
        const appkey = registry.revoke(name);
        if (appkey === undefined) return false;
        tokens.revokeAppkey(appkey);
        for (const s of [...sessions.sessions]) if (s.appkey === appkey) s.ws.close(1000);
        log.info({ client: name }, 'client key pair revoked');
        return true;
      },
      list: () => registry.names(),
    },
    status,
    close,
  };

  try {
    await rest.token();
    await rt.connect();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await close();
    throw err;
  }
  if (!isLoopback(o.host)) {
    log.warn({ host: o.host }, 'the gateway listens beyond this machine (TLS): whoever holds a client key pair can place orders on the account');
  }
  const { port } = server.address() as AddressInfo;
  const urlHost = o.host.includes(':') ? `[${o.host}]` : o.host;
  const scheme = o.tls === undefined ? ['http', 'ws'] : ['https', 'wss'];
  return { ...gateway, restUrl: `${scheme[0]}://${urlHost}:${port}`, wsUrl: `${scheme[1]}://${urlHost}:${port}` };
}
