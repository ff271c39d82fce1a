/**
 * Options of {@link KiwoomRest} and their resolution against the defaults in
 * `compat/rest-defaults.json`.
 */
import { KIWOOM_HOSTS, domainOf } from '../hosts.js';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { ValidationError } from '../errors.js';

/** Request-rate budgets, in requests per second, and the retry policy for queries. */
export interface RateLimitOptions {
  /** Per api-id budget (default 5/s). */
  perApiId?: number;
  /** Per api-id overrides, e.g. `{ ka10081: 2 }`. */
  perApiIdOverrides?: Record<string, number>;
  /** All queries together (default 5/s). */
  query?: number;
  /** All orders together (default 5/s). */
  order?: number;
  /** Everything together (default 10/s). */
  global?: number;
  /** All queries together on the mock domain (default 1/s). */
  mockQuery?: number;
  /** Requests a bucket may release at once (default 1: evenly spaced, safest against the server's window). */
  burst?: number;
  /** Fraction of each rate actually used, to absorb network jitter (default 0.99). */
  safetyFactor?: number;
  /** Queue bound: a call beyond it fails with QueueFullError. Default unbounded. */
  maxQueue?: number;
  /** Retries of a query after a rate limit, 5xx or network failure (default 4). Orders never retry. */
  maxRetries?: number;
  /** First back-off in ms, doubled per attempt (default 1000). */
  backoffMs?: number;
  /** Back-off cap in ms (default 8000). */
  maxBackoffMs?: number;
}

/** HTTP timeouts in ms. */
export interface TimeoutOptions {
  /** TCP + TLS connect (default 5000). */
  connectMs?: number;
  /** Until the response headers arrive (default 10000). */
  headersMs?: number;
  /** Between body chunks (default 10000). */
  bodyMs?: number;
  /**
   * Cap of the headers and body waits (default 20000). undici's own per-request timers enforce
   * it, so no AbortSignal is made per call: the bound holds to about half a second (undici's
   * timer resolution), and a request that waits the cap for headers and again for the body can
   * take up to twice it. With an injected `fetch` it is one exact deadline for the whole request.
   */
  totalMs?: number;
}

/** Opt-in response cache for queries. */
export interface CacheOptions {
  /** TTL in ms per api-id; merged over the defaults (ka10001 1 h, ka10081 5 min, ka10080 1 min, kt00001 10 s). 0 disables one. */
  ttlMs?: Record<string, number>;
  /** Entries kept at most (default 1000); the oldest go first. */
  maxEntries?: number;
}

/** Options of `new KiwoomRest(...)`. */
export interface KiwoomRestOptions {
  appkey: string;
  secretkey: string;
  /** 0 production (default), 1..3 paper trading on the mock domain. */
  simNo?: number;
  /** Overrides the host chosen by `simNo` (tests, a proxy, the emulator). */
  baseUrl?: string;
  /** Treat the host as the mock domain (its 1/s query budget). Default: `simNo > 0`. */
  mock?: boolean;
  /** A pino logger; a child per component is made from it. Default: silent. */
  logger?: Logger;
  timeouts?: TimeoutOptions;
  limits?: RateLimitOptions;
  /** `true` for the default TTLs, or TTL settings. Default off. Orders are never cached. */
  cache?: boolean | CacheOptions;
  /** File that keeps tokens across runs (mode 0600), keyed by a hash of app key and host. */
  tokenCachePath?: string;
  /** Re-issue the token this long before it expires (default 5 min). */
  tokenRefreshMarginMs?: number;
  /** A fetch to use instead of `globalThis.fetch` (which is looked up at call time). */
  fetch?: typeof globalThis.fetch;
  /** Clock for token expiry and cache TTLs, for tests (the rate limiter always uses real time). Default `Date.now`. */
  now?: () => number;
}

interface RestDefaults {
  limits: Required<Omit<RateLimitOptions, 'perApiIdOverrides' | 'maxQueue'>>;
  timeouts: Required<TimeoutOptions>;
  tokenRefreshMarginMs: number;
  cacheTtlMs: Record<string, number>;
  cacheMaxEntries: number;
}

/** The defaults table. */
export const REST_DEFAULTS = JSON.parse(
  readFileSync(new URL('../../compat/rest-defaults.json', import.meta.url), 'utf8'),
) as RestDefaults;

/** Production and mock hosts. */

/** Limits with every default filled in. */
export type ResolvedLimits = RestDefaults['limits'] & Pick<RateLimitOptions, 'perApiIdOverrides' | 'maxQueue'>;

/** Options with every default filled in. */
export interface ResolvedOptions {
  appkey: string;
  secretkey: string;
  simNo: number;
  baseUrl: string;
  isMock: boolean;
  limits: ResolvedLimits;
  timeouts: Required<TimeoutOptions>;
  cache: { ttlMs: Record<string, number>; maxEntries: number } | undefined;
  tokenCachePath: string | undefined;
  tokenRefreshMarginMs: number;
}

/** Check and complete the options; a bad one is a ValidationError naming it. */
export function resolveOptions(options: KiwoomRestOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new ValidationError('KiwoomRest options must be an object', { field: 'options' });
  }
  for (const field of ['appkey', 'secretkey'] as const) {
    if (typeof options[field] !== 'string' || options[field].trim() === '') {
      throw new ValidationError(`KiwoomRest option '${field}' must be a non-empty string`, { field });
    }
  }
  const simNo = options.simNo ?? 0;
  if (!Number.isInteger(simNo) || simNo < 0 || simNo > 3) {
    throw new ValidationError(`KiwoomRest option 'simNo' must be 0 (production) or 1..3 (mock), got ${String(simNo)}`, {
      field: 'simNo',
    });
  }
  const baseUrl = (options.baseUrl ?? KIWOOM_HOSTS[domainOf(simNo)].rest).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(baseUrl)) {
    throw new ValidationError(`KiwoomRest option 'baseUrl' must be an http(s) URL, got '${baseUrl}'`, { field: 'baseUrl' });
  }
  const limits: ResolvedLimits = { ...REST_DEFAULTS.limits, ...definedOnly(options.limits ?? {}) };
  for (const [key, value] of Object.entries(limits)) {
    if (typeof value === 'number' && !(value > 0) && key !== 'maxRetries') {
      throw new ValidationError(`KiwoomRest option 'limits.${key}' must be a positive number`, { field: `limits.${key}` });
    }
  }
  const cache =
    options.cache === undefined || options.cache === false
      ? undefined
      : {
          ttlMs: { ...REST_DEFAULTS.cacheTtlMs, ...(options.cache === true ? {} : options.cache.ttlMs) },
          maxEntries: (options.cache === true ? undefined : options.cache.maxEntries) ?? REST_DEFAULTS.cacheMaxEntries,
        };
  return {
    appkey: options.appkey,
    secretkey: options.secretkey,
    simNo,
    baseUrl,
    isMock: options.mock ?? simNo > 0,
    limits,
    timeouts: { ...REST_DEFAULTS.timeouts, ...definedOnly(options.timeouts ?? {}) },
    cache,
    tokenCachePath: options.tokenCachePath,
    tokenRefreshMarginMs: options.tokenRefreshMarginMs ?? REST_DEFAULTS.tokenRefreshMarginMs,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
