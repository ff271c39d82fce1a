/**
 * One error tree for everything the library throws.
 *
 * ```
 * KiwoomError
 * ├─ ValidationError          bad input, refused before anything was sent
 * │  └─ CapacityError         a registration past the live WebSocket caps (200 items)
 * ├─ NetworkError             the request never got an HTTP answer
 * │  └─ TimeoutError          connect / headers / body timeout, or an abort
 * │     └─ OrderUnknownError  an order POST timed out: its fate must be checked, never resent
 * ├─ HttpError                an HTTP status the protocol does not explain (HTML WAF page, 5xx)
 * ├─ ApiError                 Kiwoom answered with return_code != 0
 * │  ├─ AuthError             token or key rejected (8005, 8031, 8103, 8001, ...)
 * │  ├─ RateLimitError        HTTP 429, return_code 5, 1700-1702
 * │  └─ NotSupportedInMockError  8104 / RC9000 on the mock domain
 * ├─ QueueFullError           the optional limiter queue bound was reached
 * └─ SessionError             WebSocket session problems (R10001 kick, circuit breaker)
 * ```
 *
 * Messages name the api-id and Kiwoom's code and text; they never carry a secret
 * because the constructors only ever receive server text and api metadata.
 */

/** Root of every error thrown by kiwoom-compat. */
export class KiwoomError extends Error {
  override name = 'KiwoomError';
  /** The api-id the error belongs to, when there is one. */
  readonly apiId: string | undefined;
  constructor(message: string, options: { apiId?: string | undefined; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.apiId = options.apiId;
  }
}

/** Input refused before sending. `field` names the offending field. */
export class ValidationError extends KiwoomError {
  override name = 'ValidationError';
  readonly field: string | undefined;
  constructor(message: string, options: { apiId?: string | undefined; field?: string | undefined } = {}) {
    super(message, options);
    this.field = options.field;
  }
}

/**
 * A real-time registration would pass a cap of the live WebSocket servers (compat/live.json:
 * 200 items per connection whatever the types, 200 per group), so it was refused before
 * sending. `code` is the 6-digit code the server would have answered (105115, 105118).
 */
export class CapacityError extends ValidationError {
  override name = 'CapacityError';
  readonly code: number;
  /** The cap that would be passed. */
  readonly limit: number;
  constructor(message: string, options: { code: number; limit: number; field?: string }) {
    super(message, { field: options.field });
    this.code = options.code;
    this.limit = options.limit;
  }
}

/** The request did not get an HTTP answer (DNS, refused, reset). */
export class NetworkError extends KiwoomError {
  override name = 'NetworkError';
}

/** A connect, headers or body timeout, or an abort through the caller's signal. */
export class TimeoutError extends NetworkError {
  override name = 'TimeoutError';
  /** `'abort'` when the caller's AbortSignal fired, otherwise which timeout elapsed. */
  readonly phase: 'connect' | 'headers' | 'body' | 'abort' | 'total';
  constructor(message: string, options: { apiId?: string | undefined; phase: TimeoutError['phase']; cause?: unknown }) {
    super(message, options);
    this.phase = options.phase;
  }
}

/**
 * An order request was sent but no answer arrived. The order may or may not exist at
 * Kiwoom; the library never resends it. Settle it by querying open orders and fills.
 */
export class OrderUnknownError extends TimeoutError {
  override name = 'OrderUnknownError';
}

/** An HTTP answer the protocol does not explain: an HTML block page, a 5xx, an unreadable body. */
export class HttpError extends KiwoomError {
  override name = 'HttpError';
  readonly status: number;
  constructor(message: string, options: { apiId?: string | undefined; status: number; cause?: unknown }) {
    super(message, options);
    this.status = options.status;
  }
}

/** Broad class of a Kiwoom failure, used to pick the error subclass and the OCX return code. */
export type ErrorCategory =
  | 'auth'
  | 'rate-limit'
  | 'input'
  | 'not-supported-in-mock'
  | 'order-reject'
  | 'no-data'
  | 'server'
  | 'unknown';

/** Kiwoom answered with a non-zero `return_code`. */
export class ApiError extends KiwoomError {
  override name = 'ApiError';
  /** The specific Kiwoom code (`8005`, `1700`, `RC4003` → `4003`), or the return_code when none is embedded. */
  readonly code: number;
  /** The envelope's small category number (`2`, `3`, `5`, `20`, ...). */
  readonly returnCode: number;
  readonly category: ErrorCategory;
  /** Kiwoom's own text (`return_msg`). */
  readonly kiwoomMessage: string;
  constructor(
    message: string,
    options: {
      apiId?: string | undefined;
      code: number;
      returnCode: number;
      category: ErrorCategory;
      kiwoomMessage: string;
      cause?: unknown;
    },
  ) {
    super(message, options);
    this.code = options.code;
    this.returnCode = options.returnCode;
    this.category = options.category;
    this.kiwoomMessage = options.kiwoomMessage;
  }
}

/** The app key, secret key or token was rejected. */
export class AuthError extends ApiError {
  override name = 'AuthError';
}

/** Kiwoom's rate limit answered (HTTP 429, return_code 5, codes 1700-1702). */
export class RateLimitError extends ApiError {
  override name = 'RateLimitError';
}

/** The API is not offered on the mock domain (8104, RC9000). */
export class NotSupportedInMockError extends ApiError {
  override name = 'NotSupportedInMockError';
}

/** The client's own request queue is full (the optional bound was set and reached). */
export class QueueFullError extends KiwoomError {
  override name = 'QueueFullError';
}

/** A WebSocket session cannot continue (kicked by another login, circuit breaker open). */
export class SessionError extends KiwoomError {
  override name = 'SessionError';
  /** Kiwoom's SYSTEM code (`R10001`, ...) or a local reason (`auth-circuit-open`). */
  readonly code: string;
  constructor(message: string, options: { code: string; cause?: unknown }) {
    super(message, options);
    this.code = options.code;
  }
}
