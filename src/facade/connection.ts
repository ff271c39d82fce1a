/**
 * api_init's job: read `sim_no` / `use_rest` (see {@link resolveBackend}), start the
 * in-process emulator when asked for the local simulation, and build the two wire clients.
 * Every backend runs the same client and translation code.
 */
import { pino, type Logger } from 'pino';
import { resolveBackend, type Endpoints } from '../backend.js';
import type { Emulator, EmulatorOptions } from '../emulator/index.js';
import { ValidationError } from '../errors.js';
import { createLogger } from '../log.js';
import { RealtimeSession, type RealtimeSessionOptions } from '../realtime/index.js';
import { KiwoomRest, type KiwoomRestOptions } from '../rest/index.js';
import type { SimNo } from './literals.js';
import { defaultCacheDir, type CacheSpot, type MasterOptions } from './master-load.js';
import type { ReconcilerOptions } from './reconcile.js';
import type { SettleOptions } from './settle.js';

/** The KiwoomRest options api_init passes through. */
export type RestTuning = Pick<KiwoomRestOptions, 'limits' | 'timeouts' | 'cache' | 'tokenCachePath' | 'tokenRefreshMarginMs'>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Log levels api_init accepts. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Options of {@link APIServer.api_init}. */
export interface ApiInitOptions {
  /** 0 production, 1..3 paper trading (the mock domain, or the built-in emulator without use_rest). */
  sim_no: SimNo;
  /** true: Kiwoom REST + WebSocket; false: the built-in emulator (sim_no 1..3 only). */
  use_rest: boolean;
  /** App key and secret key of the Kiwoom REST service (required with use_rest). */
  appkey?: string;
  secretkey?: string;
  /** Default 'warn'. Logs go to stderr, secrets redacted. */
  log_level?: LogLevel;
  /** Base URL overrides (a proxy, or an emulator standing in for the mock domain). */
  endpoints?: Endpoints;
  /** A pino logger to use instead of the default stderr one. */
  logger?: Logger;
  /**
   * Advanced: KiwoomRest options (rate budgets, e.g. a faster `limits.mockQuery` when `endpoints`
   * point at an emulator; timeouts; the token cache file).
   */
  rest?: RestTuning;
  /** Advanced: options of the in-process emulator (seed, realRate, ...). */
  emulator?: EmulatorOptions;
  /** Advanced: options of the WebSocket session (reconnect backoff, timeouts). */
  realtime?: Omit<RealtimeSessionOptions, 'rest' | 'wsUrl' | 'logger'>;
  /** The master loaded at CommConnect: its day cache directory, and whether theme members are loaded. */
  master?: MasterOptions;
  /** How an order whose answer was lost is settled: the window it is looked for in, the clock tolerance. */
  orders?: SettleOptions;
  /** Reconciliation after WebSocket gaps: at most one per `gapIntervalMs` (default 10 000). */
  reconcile?: ReconcilerOptions;
}

/** What api_init built. */
export interface Connection {
  domain: 'production' | 'mock' | 'emulator';
  rest: KiwoomRest;
  rt: RealtimeSession;
  /** The in-process emulator (use_rest false), closed by cleanup. */
  emulator: Emulator | undefined;
  logger: Logger;
  /** Where the master's day cache lives, undefined for none. */
  masterCache: CacheSpot | undefined;
  /** Whether CommConnect loads every theme's members. */
  themeMembers: boolean;
  settle: SettleOptions;
  reconcile: ReconcilerOptions;
}

/**
 * The day cache of the master: the directory api_init names (or none with `false`); else
 * `KIWOOM_COMPAT_CACHE_DIR`; else the user cache directory, but only on Kiwoom's own hosts (an
 * emulator or an override gets none unless asked). Files are kept apart per domain, and per
 * host when the endpoints are overridden.
 */
function masterCache(options: ApiInitOptions, domain: Connection['domain'], restUrl: string | undefined): CacheSpot | undefined {
  const overridden = restUrl !== undefined && options.endpoints?.rest !== undefined;
  const key = overridden ? `${domain}-${new URL(restUrl).hostname}` : domain;
  const asked = options.master?.cacheDir;
  if (asked === false) return undefined;
  if (typeof asked === 'string') return { dir: asked, key };
  if (process.env['KIWOOM_COMPAT_CACHE_DIR']) return { dir: process.env['KIWOOM_COMPAT_CACHE_DIR'], key };
  return domain === 'emulator' || overridden ? undefined : { dir: defaultCacheDir(), key };
}

function credential(value: string | undefined, field: 'appkey' | 'secretkey'): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError(`${field} is required with use_rest: true (the Kiwoom REST ${field === 'appkey' ? 'app key' : 'secret key'} of this account)`, { field });
  }
  return value;
}

/** Resolves the backend and builds the clients (nothing is sent yet). */
export async function openConnection(options: ApiInitOptions): Promise<Connection> {
  if (options === null || typeof options !== 'object') throw new ValidationError('api_init takes an options object { sim_no, use_rest, ... }', { field: 'options' });
  if (typeof options.use_rest !== 'boolean') throw new ValidationError(`use_rest must be true or false, got ${String(options.use_rest)}`, { field: 'use_rest' });
  const cacheDir = options.master?.cacheDir;
  if (cacheDir !== undefined && cacheDir !== false && (typeof cacheDir !== 'string' || cacheDir.trim() === '')) {
    throw new ValidationError(`master.cacheDir must be a directory path or false, got ${String(cacheDir)}`, { field: 'master.cacheDir' });
  }
  const themeMembers = options.master?.themeMembers ?? true;
  const settle = options.orders ?? {};
  for (const [key, value] of Object.entries(settle)) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      throw new ValidationError(`orders.${key} must be a number of milliseconds >= 0, got ${String(value)}`, { field: `orders.${key}` });
    }
  }
  if (options.log_level !== undefined && !LOG_LEVELS.includes(options.log_level)) {
    throw new ValidationError(`log_level must be one of ${LOG_LEVELS.join(', ')}, got ${String(options.log_level)}`, { field: 'log_level' });
  }
  const backend = resolveBackend(options.sim_no, options.use_rest, options.endpoints);
  const logger = options.logger ?? createLogger({ level: options.log_level ?? 'warn', destination: pino.destination({ dest: 2, sync: true }) });
  const realtimeOptions = options.realtime ?? {};
  if (backend.kind === 'emulator') {
    // The local simulation plays paper trading: the mock domain's rules, its demo credentials.
    // Loaded on demand: a program on Kiwoom's servers never pays for the emulator's tables.
    const { startEmulator } = await import('../emulator/index.js');
    const emulator = await startEmulator({ mode: 'mock', ...options.emulator });
    // Its budgets are the emulator's own, not the mock domain's 1/s for queries.
    const rest = new KiwoomRest({ ...options.rest, appkey: emulator.appkey, secretkey: emulator.secretkey, simNo: options.sim_no, baseUrl: emulator.restUrl, mock: false, logger });
    const rt = new RealtimeSession({ ...realtimeOptions, rest, wsUrl: emulator.wsUrl, logger });
    return { domain: 'emulator', rest, rt, emulator, logger, masterCache: masterCache(options, 'emulator', undefined), themeMembers, settle, reconcile: options.reconcile ?? {} };
  }
  const rest = new KiwoomRest({
    ...options.rest,
    appkey: credential(options.appkey, 'appkey'),
    secretkey: credential(options.secretkey, 'secretkey'),
    simNo: options.sim_no,
    baseUrl: backend.restUrl,
    logger,
  });
  const rt = new RealtimeSession({ ...realtimeOptions, rest, wsUrl: backend.wsUrl, logger });
  return { domain: backend.domain, rest, rt, emulator: undefined, logger, masterCache: masterCache(options, backend.domain, backend.restUrl), themeMembers, settle, reconcile: options.reconcile ?? {} };
}
