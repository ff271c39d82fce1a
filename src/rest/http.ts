/**
 * One POST over HTTP: undici keep-alive Agent with explicit connect / headers / body timeouts,
 * plus a total deadline and the caller's AbortSignal. By default it uses undici's `request`,
 * which costs a fraction of `fetch` per call (see bench/rest-path.mjs); an injected `fetch`
 * (msw in unit tests, a user's instrumented fetch) is used instead when given. Failures become
 * the library's errors; for an order any failure after the request may have left is an
 * OrderUnknownError.
 */
import { Agent } from 'undici';
import { NetworkError, OrderUnknownError, TimeoutError } from '../errors.js';

/** One request. `headers` may carry the token: never log them. */
export interface HttpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  apiId: string;
  /** An order: a lost answer means its fate is unknown. */
  isOrder: boolean;
  signal?: AbortSignal | undefined;
}

/** Response headers, read by lower-case name. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** The answer, body read as text. */
export interface HttpResponse {
  status: number;
  headers: HeaderReader;
  text: string;
}

export interface HttpTransportOptions {
  connectMs: number;
  headersMs: number;
  bodyMs: number;
  totalMs: number;
  /** Send through this fetch instead of undici's `request` (msw, instrumentation). */
  fetch?: typeof globalThis.fetch | undefined;
}

/** Kiwoom's content type for every request. */
export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** The User-Agent sent: Kiwoom's WAF blocks some library defaults with an HTML 400 page. */
export const USER_AGENT = 'kiwoom-compat/0.1 (+node)';

/** Error codes undici puts on `cause` for its own timeouts. */
const UNDICI_TIMEOUT_PHASE: Record<string, TimeoutError['phase']> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body',
};

/** Socket errors that prove nothing was sent (safe to report an order as not placed). */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

export class HttpTransport {
  private readonly agent: Agent;
  private readonly targets = new Map<string, { origin: string; path: string }>();

  constructor(private readonly options: HttpTransportOptions) {
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      connect: { timeout: options.connectMs },
      headersTimeout: options.headersMs,
      bodyTimeout: options.bodyMs,
    });
  }

  /** POST and read the whole body. Throws TimeoutError, OrderUnknownError or NetworkError. */
  async post(request: HttpRequest): Promise<HttpResponse> {
    if (request.signal?.aborted === true) {
      // Nothing has left yet: a plain abort, even for an order.
      throw new TimeoutError(`${request.apiId}: request aborted`, { apiId: request.apiId, phase: 'abort' });
    }
    const headers = { 'user-agent': USER_AGENT, ...request.headers };
    if (this.options.fetch === undefined) {
      try {
        return await this.viaRequest(request, headers);
      } catch (error) {
        throw this.toError(error, request, false);
      }
    }
    // fetch has no per-request timeouts: one controller and one plain timer per call
    // (AbortSignal.timeout/any cost more CPU per request than the rest of the transport).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.totalMs);
    const forward = (): void => controller.abort();
    request.signal?.addEventListener('abort', forward, { once: true });
    try {
      return await this.viaFetch(this.options.fetch, request, headers, controller.signal);
    } catch (error) {
      throw this.toError(error, request, timedOut);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', forward);
    }
  }

  /**
   * undici's own per-request timers bound the call, each capped by the total deadline, so no
   * AbortSignal is made unless the caller passed one (a signal per request costs as much CPU as
   * the rest of the client).
   */
  private async viaRequest(request: HttpRequest, headers: Record<string, string>): Promise<HttpResponse> {
    const { origin, path } = this.target(request.url);
    const { headersMs, bodyMs, totalMs } = this.options;
    const response = await this.agent.request({
      origin,
      path,
      method: 'POST',
      headers,
      body: request.body,
      headersTimeout: Math.min(headersMs, totalMs),
      bodyTimeout: Math.min(bodyMs, totalMs),
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
    const text = await response.body.text();
    const raw = response.headers;
    return {
      status: response.statusCode,
      headers: {
        get: (name) => {
          const value = raw[name];
          return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
        },
      },
      text,
    };
  }

  /** Origin and path of a URL, parsed once: the client posts to a few dozen paths at most. */
  private target(url: string): { origin: string; path: string } {
    let target = this.targets.get(url);
    if (target === undefined) {
      const u = new URL(url);
      target = { origin: u.origin, path: `${u.pathname}${u.search}` };
      this.targets.set(url, target);
    }
    return target;
  }

  private async viaFetch(
    doFetch: typeof globalThis.fetch,
    request: HttpRequest,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<HttpResponse> {
    const response = await doFetch(request.url, {
      method: 'POST',
      headers,
      body: request.body,
      signal,
      // Node's fetch accepts an undici dispatcher; the DOM typing does not know the field.
      ...({ dispatcher: this.agent } as object),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  /** Close idle keep-alive sockets. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  private toError(error: unknown, request: HttpRequest, timedOut: boolean): Error {
    const { apiId, isOrder } = request;
    const code = errorCode(error);
    const phase: TimeoutError['phase'] | undefined =
      request.signal?.aborted === true
        ? 'abort'
        : timedOut
          ? 'total'
          : code === undefined
            ? undefined
            : UNDICI_TIMEOUT_PHASE[code];
    const reason = phase === undefined ? (code ?? describe(error)) : `${phase} timeout`;
    if (isOrder && !(code !== undefined && NOT_SENT_CODES.has(code))) {
      return new OrderUnknownError(
        `${apiId}: order request failed (${reason}); it may or may not have reached Kiwoom and is not resent: check open orders and fills`,
        { apiId, phase: phase ?? 'headers', cause: error },
      );
    }
    if (phase !== undefined) {
      return new TimeoutError(`${apiId}: request ${phase === 'abort' ? 'aborted' : `failed (${reason})`}`, {
        apiId,
        phase,
        cause: error,
      });
    }
    return new NetworkError(`${apiId}: request failed (${reason})`, { apiId, cause: error });
  }
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
