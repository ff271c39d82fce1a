/**
 * Options of the gateway and their checks: the upstream login, where it listens (loopback
 * unless TLS is given), the clients' key pairs, and the share each client gets.
 */
import type { Logger } from 'pino';
import type { Endpoints } from '../backend.js';
import { ValidationError } from '../errors.js';
import { isLoopback } from '../hosts.js';
import type { RealtimeSessionOptions } from '../realtime/index.js';
import type { KiwoomRestOptions } from '../rest/index.js';
import type { TlsFiles } from '../emulator/rest/http.js';
import type { ClientCredential } from './clients.js';

/** Options of {@link startGateway}. */
export interface GatewayOptions {
  /** The Kiwoom app key and secret key the gateway logs in with. They never reach a client, a log line or an error. */
  appkey: string;
  secretkey: string;
  /** 0 production, 1..3 paper trading (the mock domain), as `api_init`'s sim_no. Default 1. */
  simNo?: number;
  /** Upstream base URLs instead of Kiwoom's (an emulator, a proxy). */
  endpoints?: Endpoints;
  /** Upstream KiwoomRest tuning (budgets, timeouts, the token cache file). */
  rest?: Pick<KiwoomRestOptions, 'limits' | 'timeouts' | 'tokenCachePath' | 'tokenRefreshMarginMs' | 'mock'>;
  /** Upstream RealtimeSession tuning (reconnect backoff, timeouts). */
  realtime?: Omit<RealtimeSessionOptions, 'rest' | 'wsUrl' | 'logger'>;
  /** Address to listen on. Default 127.0.0.1; anything but loopback needs `tls`. */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** Certificate and key (PEM) to serve HTTPS and WSS: required beyond loopback. */
  tls?: TlsFiles;
  /** Key pairs clients log in with (one per program, or one with `shared: true` that all may use). */
  clients?: ClientCredential[];
  /** A JSON file of key pairs (`{"clients": [...]}`), read at start and rewritten when pairs are issued or revoked (mode 0600). */
  clientsFile?: string;
  /** The bearer token of the `/gateway/*` admin endpoints (status, issue, revoke). Default: a random one, in `Gateway.adminToken`. */
  adminToken?: string;
  /**
   * A client's share of the upstream budget: a request that would wait longer than this in
   * the client's own queue is answered 429 (Kiwoom's 1700) at once. Default 5000 ms, under
   * the 10 s a client's own library waits for an answer.
   */
  maxWaitMs?: number;
  /** Identical queries queued at the same time share one upstream call (never orders). Default true. */
  coalesce?: boolean;
  /**
   * How long what a client registered stays registered upstream after it went away without
   * REMOVE (a crash, a restart, a dropped socket): a program back within it takes its
   * registrations back without an upstream REMOVE and REG. Slots held this way give way to a
   * registration that needs them. Default 10 000 ms; 0 lets go at once. A REMOVE always lets go at once.
   */
  releaseGraceMs?: number;
  /**
   * Tell clients about an upstream gap with two SYSTEM notices (GW10001 when it drops, GW10002
   * with `gap_ms` when it is back), which RealtimeSession turns into 'disconnected' and
   * 'reconnected' so that the facade reconciles orders and fills. Default true.
   */
  gapNotices?: boolean;
  /** PING interval towards clients (default 10 000 ms, as Kiwoom). */
  pingIntervalMs?: number;
  /** Lifetime of the tokens issued to clients, seconds (default 86 400). */
  tokenLifetimeSec?: number;
  /** pino logger; default: warnings and errors on stderr, secrets redacted. */
  logger?: Logger;
}

/** Options with every default filled in. */
export interface ResolvedGatewayOptions extends GatewayOptions {
  simNo: number;
  host: string;
  port: number;
  maxWaitMs: number;
  coalesce: boolean;
  releaseGraceMs: number;
  gapNotices: boolean;
  pingIntervalMs: number;
  tokenLifetimeSec: number;
}

function positive(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0) throw new ValidationError(`gateway option '${field}' must be a positive number, got ${String(value)}`, { field });
  return v;
}

function notNegative(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) throw new ValidationError(`gateway option '${field}' must be 0 or more, got ${String(value)}`, { field });
  return v;
}

/** Check and complete the options; a bad one is a ValidationError naming it. */
export function resolveGatewayOptions(o: GatewayOptions): ResolvedGatewayOptions {
  if (o === null || typeof o !== 'object') throw new ValidationError('startGateway takes an options object', { field: 'options' });
  for (const field of ['appkey', 'secretkey'] as const) {
    if (typeof o[field] !== 'string' || o[field].trim() === '') {
      throw new ValidationError(`gateway option '${field}' must be the Kiwoom ${field === 'appkey' ? 'app key' : 'secret key'} the gateway logs in with`, { field });
    }
  }
  const host = o.host ?? '127.0.0.1';
  if (!isLoopback(host) && o.tls === undefined) {
    throw new ValidationError(
      `host ${host} is not a loopback address: beyond this machine the gateway serves only over TLS (give a certificate and key); clients can place orders through it`,
      { field: 'host' },
    );
  }
  const port = o.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ValidationError(`gateway option 'port' must be 0..65535, got ${String(o.port)}`, { field: 'port' });
  return {
    ...o,
    simNo: o.simNo ?? 1,
    host,
    port,
    maxWaitMs: positive(o.maxWaitMs, 5000, 'maxWaitMs'),
    coalesce: o.coalesce ?? true,
    releaseGraceMs: notNegative(o.releaseGraceMs, 10_000, 'releaseGraceMs'),
    gapNotices: o.gapNotices ?? true,
    pingIntervalMs: positive(o.pingIntervalMs, 10_000, 'pingIntervalMs'),
    tokenLifetimeSec: positive(o.tokenLifetimeSec, 86_400, 'tokenLifetimeSec'),
  };
}
