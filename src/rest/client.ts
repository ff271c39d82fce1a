/**
 * `KiwoomRest`: the REST wire client. It knows the Kiwoom protocol (tokens, headers,
 * continuation, return codes, rate limits) and nothing of the OCX.
 */
import { EventEmitter } from 'eventemitter3';
import type { Logger } from 'pino';
import {
  HttpError,
  KiwoomError,
  NetworkError,
  OrderUnknownError,
  RateLimitError,
  TimeoutError,
  ValidationError,
  type ApiError,
} from '../errors.js';
import { attachScrubber, componentLogger, SecretScrubber, silentLogger } from '../log.js';
import type { ApiSpec } from '../registry/index.js';
import { runBatch, type BatchItem } from './batch.js';
import { HttpTransport, JSON_CONTENT_TYPE } from './http.js';
import { resolveOptions, type KiwoomRestOptions, type ResolvedOptions } from './options.js';
import { RateLimiter, type LimitedCategory, type ThrottleInfo } from './rate-limiter.js';
import { readResponse, type JsonBody, type ResponseOutcome } from './response.js';
import { ResponseCache, cacheKey } from './response-cache.js';
import { TokenManager, type TokenInfo } from './token-manager.js';
import { UnknownFieldReporter } from './unknown-fields.js';
import { checkRequest } from './validate.js';
import type { RestApiId, RestRequest, RestResponse } from './endpoints.js';

const DEFAULT_MAX_PAGES = 100;
const DEFAULT_BATCH_CONCURRENCY = 4;

/** Options of one {@link KiwoomRest.call}. */
export interface CallOptions {
  /** `'Y'` to ask for the next page (with `nextKey`). */
  contYn?: 'Y' | 'N';
  /** The previous answer's `next-key`. */
  nextKey?: string;
  /** Aborts the wait in the queue or the request (a TimeoutError with phase `'abort'`). */
  signal?: AbortSignal;
}

/** One answer: the JSON body and the continuation headers. */
export interface CallResult<T extends JsonBody = JsonBody> {
  body: T;
  /** `'Y'` when more pages exist. */
  contYn: 'Y' | 'N';
  /** Send back as `nextKey` for the next page ('' when none). */
  nextKey: string;
}

/** Options of {@link KiwoomRest.pages} and {@link KiwoomRest.collect}. */
export interface PagesOptions {
  /** Stop after this many pages (default 100). */
  maxPages?: number;
  signal?: AbortSignal;
}

/** Every page of a continued query. */
export interface CollectResult<T extends JsonBody = JsonBody> {
  pages: Array<CallResult<T>>;
  /** The first page's body with every list (array) field concatenated over all pages. */
  body: T;
  /** True when `maxPages` stopped the paging while the server still had more. */
  truncated: boolean;
}

/** Options of {@link KiwoomRest.batch}. */
export interface BatchOptions {
  /** Calls in flight at once (default 4); the rate limiter still paces them. */
  concurrency?: number;
  signal?: AbortSignal;
}

/** Emitted when Kiwoom answered a rate limit. */
export interface RateLimitedInfo {
  apiId: string;
  category: LimitedCategory;
  /** Kiwoom's code (1700, 1701, 1702) or the return_code / HTTP status when none was embedded. */
  code: number;
  /** 1 for the first rate-limited attempt of this call. */
  attempt: number;
  /** False for orders (never resent) and when the retries are used up. */
  willRetry: boolean;
  /** Back-off before the retry, ms (0 when not retrying). */
  retryInMs: number;
}

/** Events of {@link KiwoomRest}. */
export interface KiwoomRestEvents {
  /** A call waits for the client's own rate budget. */
  throttle: [info: ThrottleInfo];
  /** The server answered a rate limit. */
  rateLimited: [info: RateLimitedInfo];
  /** A token was issued or read from the cache file (the token itself is not given). */
  token: [info: TokenInfo];
}

/**
 * {@link KiwoomRest}'s methods with the api-id as any string and bodies as plain JSON objects,
 * for api-ids chosen at run time (a CLI argument, a table row). The same checks run before
 * anything is sent; only the compile-time types are gone.
 */
export interface UntypedKiwoomRest {
  /** {@link KiwoomRest.call} for any api-id string. */
  call(apiId: string, body: JsonBody, options?: CallOptions): Promise<CallResult>;
  /** {@link KiwoomRest.pages} for any api-id string. */
  pages(apiId: string, body: JsonBody, options?: PagesOptions): AsyncGenerator<CallResult, void, undefined>;
  /** {@link KiwoomRest.collect} for any api-id string. */
  collect(apiId: string, body: JsonBody, options?: PagesOptions): Promise<CollectResult>;
  /** {@link KiwoomRest.batch} for any api-id string. */
  batch(apiId: string, codes: readonly string[], makeBody: (code: string) => JsonBody, options?: BatchOptions): Promise<Array<BatchItem<CallResult>>>;
}

/**
 * Kiwoom REST client. Requests and answers are typed per api-id ({@link RestEndpoints}): an
 * unknown api-id or a misspelt or missing required field does not compile, and the answer's
 * fields are known (`body.cur_prc` is a string, repeated records are typed arrays).
 *
 * ```ts
 * const rest = new KiwoomRest({ appkey, secretkey, simNo: 1 });
 * const { body } = await rest.call('ka10001', { stk_cd: '005930' });
 * console.log(body.stk_nm, body.cur_prc);
 * ```
 *
 * For an api-id known only at run time, use {@link KiwoomRest.untyped}.
 */
export class KiwoomRest extends EventEmitter<KiwoomRestEvents> {
  /** The REST host in use, without a trailing slash. */
  readonly baseUrl: string;
  /** 0 production, 1..3 mock. */
  readonly simNo: number;
  /** True on the mock domain (its slower query budget applies). */
  readonly isMock: boolean;

  private readonly options: ResolvedOptions;
  private readonly http: HttpTransport;
  private readonly tokens: TokenManager;
  private readonly limiter: RateLimiter;
  private readonly cache: ResponseCache<CallResult> | undefined;
  private readonly unknownFields: UnknownFieldReporter;
  private readonly log: Logger;
  private readonly now: () => number;
  /** This client's secrets: its keys and the tokens it holds. */
  private readonly secrets = new SecretScrubber();
  private readonly detachSecrets: () => void;
  private closed = false;

  constructor(options: KiwoomRestOptions) {
    super();
    this.options = resolveOptions(options);
    const { appkey, secretkey, baseUrl, simNo, isMock, timeouts, limits } = this.options;
    this.secrets.add(appkey);
    this.secrets.add(secretkey);
    this.baseUrl = baseUrl;
    this.simNo = simNo;
    this.isMock = isMock;
    this.now = options.now ?? (() => Date.now());
    const root = options.logger ?? silentLogger();
    this.detachSecrets = attachScrubber(root, this.secrets);
    this.log = componentLogger(root, 'rest', this.secrets);
    this.http = new HttpTransport({ ...timeouts, fetch: options.fetch });
    this.tokens = new TokenManager({
      appkey,
      secretkey,
      baseUrl,
      http: this.http,
      logger: componentLogger(root, 'token', this.secrets),
      secrets: this.secrets,
      refreshMarginMs: this.options.tokenRefreshMarginMs,
      cachePath: this.options.tokenCachePath,
      now: this.now,
      onToken: (info) => this.emit('token', info),
    });
    const limiterLog = componentLogger(root, 'limiter', this.secrets);
    this.limiter = new RateLimiter({
      limits,
      isMock,
      // Real time, not the injectable clock: pacing is about the wire, and a frozen test
      // clock would stall the queue.
      onThrottle: (info) => {
        limiterLog.debug(info, 'throttled');
        this.emit('throttle', info);
      },
    });
    this.cache =
      this.options.cache === undefined
        ? undefined
        : new ResponseCache(this.options.cache.ttlMs, this.options.cache.maxEntries, this.now);
    this.unknownFields = new UnknownFieldReporter(this.log);
  }

  /**
   * The same client without per-api-id types: `rest.untyped.call(apiId, body)` with any string
   * api-id and a plain object body. Checked at run time exactly as {@link KiwoomRest.call}.
   */
  get untyped(): UntypedKiwoomRest {
    return this as unknown as UntypedKiwoomRest;
  }

  /** The raw access token (no `Bearer`), issuing one if needed: the WebSocket LOGIN sends it. */
  token(): Promise<string> {
    return this.tokens.get();
  }

  /**
   * Drop the held token so the next use issues a new one (after the WebSocket LOGIN was
   * rejected). With `token`, only if that is still the held one.
   */
  invalidateToken(token?: string): void {
    this.tokens.invalidate(token);
  }

  /** Revoke the token at Kiwoom (au10002) and forget it, here and in the cache file. */
  revoke(): Promise<void> {
    return this.tokens.revoke();
  }

  /** Requests waiting for the rate budget now. */
  get queued(): number {
    return this.limiter.queued;
  }

  /**
   * Send one TR. Input is checked against the registry first (ValidationError naming the
   * field; nothing is sent). Queries are retried after rate limits, 5xx and dropped
   * connections. Orders are sent once, except after a token rejection (see `send`): a timeout,
   * a lost connection, a 5xx or an unreadable answer is an OrderUnknownError, to be settled by
   * querying open orders and fills; a rate limit is a RateLimitError.
   */
  call<K extends RestApiId>(apiId: K, body: RestRequest<K>, options?: CallOptions): Promise<CallResult<RestResponse<K>>>;
  async call(apiId: string, body: JsonBody, options: CallOptions = {}): Promise<CallResult> {
    const { spec, body: checked } = checkRequest(apiId, body);
    const contYn = options.contYn ?? 'N';
    const nextKey = options.nextKey ?? '';
    checkContinuation(apiId, contYn, nextKey);
    const cacheable = this.cache !== undefined && spec.category === 'query' && this.cache.covers(apiId);
    const key = cacheable ? cacheKey(apiId, checked, contYn, nextKey) : '';
    if (cacheable) {
      const hit = this.cache!.get(key);
      if (hit !== undefined) {
        this.log.debug({ apiId }, 'answered from cache');
        return hit;
      }
    }
    const result = await this.send(spec, checked, contYn, nextKey, options.signal);
    if (cacheable) this.cache!.set(apiId, key, result);
    return result;
  }

  /** Every continuation page of a query, in order, until `cont-yn` is not `Y` or `maxPages`. */
  pages<K extends RestApiId>(apiId: K, body: RestRequest<K>, options?: PagesOptions): AsyncGenerator<CallResult<RestResponse<K>>, void, undefined>;
  async *pages(apiId: string, body: JsonBody, options: PagesOptions = {}): AsyncGenerator<CallResult, void, undefined> {
    const maxPages = checkMaxPages(apiId, options.maxPages);
    let continuation: CallOptions = {};
    for (let page = 0; page < maxPages; page++) {
      const result = await this.untyped.call(apiId, body, { ...continuation, ...signalOption(options.signal) });
      yield result;
      // A `Y` without a key would fetch the first page again forever.
      if (result.contYn !== 'Y' || result.nextKey === '') return;
      continuation = { contYn: 'Y', nextKey: result.nextKey };
    }
  }

  /** All pages of a query (at most `maxPages`, default 100), with the list fields merged. */
  collect<K extends RestApiId>(apiId: K, body: RestRequest<K>, options?: PagesOptions): Promise<CollectResult<RestResponse<K>>>;
  async collect(apiId: string, body: JsonBody, options: PagesOptions = {}): Promise<CollectResult> {
    const pages: CallResult[] = [];
    for await (const page of this.untyped.pages(apiId, body, options)) pages.push(page);
    const last = pages.at(-1);
    const maxPages = checkMaxPages(apiId, options.maxPages);
    return {
      pages,
      body: mergePages(pages),
      truncated: pages.length >= maxPages && last?.contYn === 'Y' && last.nextKey !== '',
    };
  }

  /**
   * One api-id for many codes: `makeBody(code)` builds each request. Results come in the
   * order of `codes`, each with its value or its own error.
   */
  batch<K extends RestApiId>(
    apiId: K,
    codes: readonly string[],
    makeBody: (code: string) => RestRequest<K>,
    options?: BatchOptions,
  ): Promise<Array<BatchItem<CallResult<RestResponse<K>>>>>;
  batch(
    apiId: string,
    codes: readonly string[],
    makeBody: (code: string) => JsonBody,
    options: BatchOptions = {},
  ): Promise<Array<BatchItem<CallResult>>> {
    if (!Array.isArray(codes)) {
      return Promise.reject(new ValidationError(`${apiId}: batch codes must be an array`, { apiId, field: 'codes' }));
    }
    const concurrency = options.concurrency ?? DEFAULT_BATCH_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      return Promise.reject(
        new ValidationError(`${apiId}: batch concurrency must be a positive integer`, { apiId, field: 'concurrency' }),
      );
    }
    return runBatch(codes, concurrency, (code) => this.untyped.call(apiId, makeBody(code), signalOption(options.signal)));
  }

  /** Drop every cached answer. */
  clearCache(): void {
    this.cache?.clear();
  }

  /** Text with this client's secrets (keys, tokens) replaced: for anything quoting server text. */
  get scrubber(): SecretScrubber {
    return this.secrets;
  }

  /**
   * Fail queued calls and close idle connections. Does not revoke the token (see `revoke`).
   * A second call does nothing (cleanup paths often overlap).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.limiter.close(new KiwoomError('KiwoomRest closed'));
    await this.http.close();
    this.detachSecrets();
  }

  private async send(
    spec: ApiSpec,
    body: JsonBody,
    contYn: 'Y' | 'N',
    nextKey: string,
    signal: AbortSignal | undefined,
  ): Promise<CallResult> {
    const apiId = spec.id;
    const category: LimitedCategory = spec.category === 'order' ? 'order' : 'query';
    const isOrder = category === 'order';
    const payload = JSON.stringify(body);
    let tokenRetried = false;
    let rateLimitedAttempts = 0;
    for (let attempt = 1; ; attempt++) {
      await this.limiter.acquire(apiId, category, signal);
      const token = await this.tokens.get();
      const started = this.now();
      this.log.debug({ apiId, attempt, contYn, nextKey: nextKey || undefined }, 'request');
      let outcome: ResponseOutcome;
      try {
        const response = await this.http.post({
          url: `${this.baseUrl}${spec.path}`,
          headers: {
            'content-type': JSON_CONTENT_TYPE,
            'api-id': apiId,
            authorization: `Bearer ${token}`,
            'cont-yn': contYn,
            'next-key': nextKey,
          },
          body: payload,
          apiId,
          isOrder,
          signal,
        });
        outcome = readResponse(apiId, response, (text) => this.secrets.scrub(text));
        this.log.debug({ apiId, status: response.status, ms: this.now() - started, ok: outcome.ok }, 'response');
      } catch (error) {
        // Orders get OrderUnknownError from the transport and are never resent; a caller's
        // abort or a timeout is reported, not retried, so the caller's deadline holds.
        const retryable = !isOrder && error instanceof NetworkError && !(error instanceof TimeoutError);
        if (retryable && attempt <= this.options.limits.maxRetries) {
          await this.backOff(apiId, attempt, signal, error);
          continue;
        }
        throw error;
      }
      if (outcome.ok) {
        this.unknownFields.check(spec, outcome.body);
        return { body: outcome.body, contYn: outcome.contYn, nextKey: outcome.nextKey };
      }
      const { error } = outcome;
      if (isOrder && error instanceof HttpError && (error.status >= 500 || (error.status >= 200 && error.status < 300))) {
        // A 5xx (a gateway may have passed the order on) or an unreadable 2xx: the order may
        // exist. Reported as unknown, to be settled by querying, never resent.
        throw new OrderUnknownError(
          `${apiId}: order answered HTTP ${error.status} without a readable result; it may or may not have been accepted and is not resent: check open orders and fills`,
          { apiId, phase: 'body', cause: error },
        );
      }
      if (outcome.reissueToken && !tokenRetried) {
        // A token rejection means Kiwoom refused the request before looking at it, so even an
        // order was not accepted: re-issuing and sending it once more cannot duplicate it.
        tokenRetried = true;
        this.log.debug({ apiId, code: (error as ApiError).code }, 'token rejected; re-issuing once');
        this.tokens.invalidate(token);
        continue;
      }
      if (error instanceof RateLimitError) {
        rateLimitedAttempts++;
        const willRetry = !isOrder && outcome.retry && attempt <= this.options.limits.maxRetries;
        const delay = willRetry ? this.backOffDelay(attempt) : 0;
        this.limiter.block(apiId, willRetry ? delay : this.options.limits.backoffMs);
        this.log.debug({ apiId, code: error.code, attempt: rateLimitedAttempts, willRetry, delay }, 'rate limited by Kiwoom');
        this.emit('rateLimited', { apiId, category, code: error.code, attempt: rateLimitedAttempts, willRetry, retryInMs: delay });
        if (willRetry) {
          await sleep(delay, signal, apiId);
          continue;
        }
        throw error;
      }
      if (!isOrder && outcome.retry && attempt <= this.options.limits.maxRetries) {
        await this.backOff(apiId, attempt, signal, error);
        continue;
      }
      this.log.debug({ apiId, err: error.message }, 'call failed');
      throw error;
    }
  }

  private backOffDelay(attempt: number): number {
    const { backoffMs, maxBackoffMs } = this.options.limits;
    const full = Math.min(maxBackoffMs, backoffMs * 2 ** (attempt - 1));
    // Half fixed, half jitter: clients that failed together do not retry together.
    return Math.round(full / 2 + (Math.random() * full) / 2);
  }

  private async backOff(apiId: string, attempt: number, signal: AbortSignal | undefined, error: Error): Promise<void> {
    const delay = this.backOffDelay(attempt);
    this.log.debug({ apiId, attempt, delay, err: error.message }, 'retrying query');
    await sleep(delay, signal, apiId);
  }
}

function checkContinuation(apiId: string, contYn: string, nextKey: string): void {
  if (contYn !== 'Y' && contYn !== 'N') {
    throw new ValidationError(`${apiId}: contYn must be 'Y' or 'N'`, { apiId, field: 'contYn' });
  }
  if (typeof nextKey !== 'string') {
    throw new ValidationError(`${apiId}: nextKey must be a string`, { apiId, field: 'nextKey' });
  }
  if (contYn === 'Y' && nextKey === '') {
    throw new ValidationError(`${apiId}: contYn 'Y' needs the previous answer's nextKey`, { apiId, field: 'nextKey' });
  }
}

function checkMaxPages(apiId: string, maxPages: number | undefined): number {
  const value = maxPages ?? DEFAULT_MAX_PAGES;
  if (!Number.isInteger(value) || value < 1) {
    throw new ValidationError(`${apiId}: maxPages must be a positive integer`, { apiId, field: 'maxPages' });
  }
  return value;
}

function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}

function mergePages(pages: readonly CallResult[]): JsonBody {
  const [first, ...rest] = pages;
  const merged: JsonBody = { ...(first?.body ?? {}) };
  for (const page of rest) {
    for (const [key, value] of Object.entries(page.body)) {
      const held = merged[key];
      if (Array.isArray(held) && Array.isArray(value)) merged[key] = [...held, ...value];
    }
  }
  return merged;
}

function sleep(ms: number, signal: AbortSignal | undefined, apiId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(new TimeoutError(`${apiId}: request aborted`, { apiId, phase: 'abort' }));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new TimeoutError(`${apiId}: request aborted`, { apiId, phase: 'abort' }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
