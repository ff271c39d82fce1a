/**
 * Reading Kiwoom failures: the specific code hidden in `return_msg`, its category from
 * `compat/kiwoom-errors.json`, and the matching error class.
 */
import { readFileSync } from 'node:fs';
import {
  ApiError,
  AuthError,
  NotSupportedInMockError,
  RateLimitError,
  type ErrorCategory,
} from '../errors.js';

/** One row of the error table. */
export interface KiwoomErrorInfo {
  category: ErrorCategory;
  message: string;
  /** A query may be retried after a back-off (never an order). */
  retry?: boolean;
  /** The token was rejected: re-issue once and retry once. */
  reissueToken?: boolean;
}

interface KiwoomErrorTable {
  embeddedCodePatterns: string[];
  returnCodes: Record<string, KiwoomErrorInfo>;
  codes: Record<string, KiwoomErrorInfo>;
}

const table = JSON.parse(
  readFileSync(new URL('../../compat/kiwoom-errors.json', import.meta.url), 'utf8'),
) as KiwoomErrorTable;

const patterns = table.embeddedCodePatterns.map((source) => new RegExp(source));

/** The table row of a specific Kiwoom code (`8005`, `1700`, `4058` from `RC4058`). */
export function kiwoomErrorInfo(code: number): KiwoomErrorInfo | undefined {
  return Object.hasOwn(table.codes, String(code)) ? table.codes[String(code)] : undefined;
}

/**
 * The specific code embedded in a `return_msg`: `[8005:...]`, `(RC4058:...)`, `(1511:...)`,
 * `CODE=8005`. The generic wrapper in `"[2000](RC4058:...)"` has no colon and is skipped.
 */
export function embeddedCode(message: string): number | undefined {
  for (const pattern of patterns) {
    const match = pattern.exec(message);
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  return undefined;
}

/** A failure read from one response, before it becomes an error. */
export interface KiwoomFailure {
  /** Specific code: embedded, else the return_code (or 429 when only the HTTP status speaks). */
  code: number;
  returnCode: number;
  category: ErrorCategory;
  /** Kiwoom's text, or the table's when the server sent none. */
  text: string;
  retry: boolean;
  reissueToken: boolean;
}

/**
 * Classify a non-zero `return_code` (or an HTTP 429). The specific code's row wins over the
 * return_code's row: `1634` comes with return_code 5 but is not a retryable rate limit.
 */
export function classifyFailure(returnCode: number, returnMsg: string, httpStatus: number): KiwoomFailure {
  const specific = embeddedCode(returnMsg);
  const info =
    (specific === undefined ? undefined : kiwoomErrorInfo(specific)) ??
    (Object.hasOwn(table.returnCodes, String(returnCode)) ? table.returnCodes[String(returnCode)] : undefined) ??
    (httpStatus === 429 ? table.returnCodes['5'] : undefined);
  return {
    code: specific ?? (returnCode !== 0 ? returnCode : httpStatus),
    returnCode,
    category: info?.category ?? 'unknown',
    text: returnMsg !== '' ? returnMsg : (info?.message ?? `HTTP ${httpStatus}`),
    retry: info?.retry === true,
    reissueToken: info?.reissueToken === true,
  };
}

type ApiErrorClass = new (...args: ConstructorParameters<typeof ApiError>) => ApiError;

const ERROR_CLASS: Partial<Record<ErrorCategory, ApiErrorClass>> = {
  auth: AuthError,
  'rate-limit': RateLimitError,
  'not-supported-in-mock': NotSupportedInMockError,
};

/**
 * The error for a failure: `<apiId>: Kiwoom <code> <text>`. `scrub` removes any secret the
 * server may have echoed into its text.
 */
export function failureToError(apiId: string, failure: KiwoomFailure, scrub: (text: string) => string): ApiError {
  const text = scrub(failure.text);
  const ErrorClass = ERROR_CLASS[failure.category] ?? ApiError;
  return new ErrorClass(`${apiId}: Kiwoom ${failure.code} ${text}`, {
    apiId,
    code: failure.code,
    returnCode: failure.returnCode,
    category: failure.category,
    kiwoomMessage: text,
  });
}
