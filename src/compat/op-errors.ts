/**
 * OCX return codes (`compat/op-errors.json`): the OP_ERR_* table and which code a REST-side
 * failure becomes, by error category and by the OCX call that failed.
 */
import { ApiError, CapacityError, HttpError, KiwoomError, NetworkError, QueueFullError, SessionError, TimeoutError, ValidationError } from '../errors.js';
import type { ErrorCategory } from '../errors.js';
import { loadTable, own } from './load.js';

/** The OCX call a failure happened in. */
export type OcxContext = 'login' | 'query' | 'order' | 'realtime' | 'condition';

/** One OCX return code. */
export interface OpErrorSpec {
  /** `OP_ERR_SISE_OVERFLOW`; null for codes the sources give no constant name. */
  name: string | null;
  /** Korean message as the OCX documents it. */
  message: string;
  en: string;
}

type ByContext = Record<OcxContext, number>;

interface OpErrorsFile {
  codes: Record<string, OpErrorSpec>;
  loginResults: Record<string, string>;
  byCategory: Record<ErrorCategory, ByContext>;
  codeOverrides: Record<string, Partial<ByContext>>;
  errorClasses: Record<string, ByContext>;
}

const file = loadTable<OpErrorsFile>('op-errors.json');

/**
 * The classes `errorClasses` rows name, by the name the table uses. The keys are string
 * literals, so bundling and minification, which rename classes, leave the mapping intact.
 */
const ERROR_CLASSES: Readonly<Record<string, abstract new (...args: never[]) => KiwoomError>> = {
  ValidationError, CapacityError, NetworkError, TimeoutError, HttpError, QueueFullError, SessionError,
};

/** Each mapped class's prototype → its row; a name the code lacks is a stale table, refused at load. */
const ROW_BY_PROTOTYPE = new Map<object, ByContext>(
  Object.entries(file.errorClasses).map(([name, row]) => {
    const cls = own(ERROR_CLASSES, name);
    if (cls === undefined) throw new Error(`compat/op-errors.json maps error class ${name}, which the library does not have`);
    return [cls.prototype, row];
  }),
);

/** Every OCX return code (0 and negatives) by its number as a string. */
export const OP_ERRORS: Readonly<Record<string, OpErrorSpec>> = file.codes;

/** `OP_ERR_NONE`. */
export const OP_ERR_NONE = 0;

/** The entry for an OCX return code, or undefined. */
export function getOpError(code: number): OpErrorSpec | undefined {
  return own(OP_ERRORS, String(code));
}

/** The OCX code for a Kiwoom error category in a context (rate-limit + order → -308). */
export function opErrorForCategory(category: ErrorCategory, context: OcxContext): number {
  return (own(file.byCategory, category) ?? file.byCategory.unknown)[context];
}

/** The OCX code for an ApiError: its Kiwoom code's override when there is one, else its category. */
export function opErrorForApiError(error: Pick<ApiError, 'code' | 'category'>, context: OcxContext): number {
  return own(file.codeOverrides, String(error.code))?.[context] ?? opErrorForCategory(error.category, context);
}

/**
 * The OCX return code for anything thrown by the library (or anything else) in a context.
 * ApiErrors go by Kiwoom code and category; other library errors by their class (identity, not
 * name), nearest class first (OrderUnknownError → TimeoutError, not NetworkError); unknown
 * throwables give OP_ERR_FAIL (-10).
 */
export function opErrorFor(error: unknown, context: OcxContext): number {
  if (error instanceof ApiError) return opErrorForApiError(error, context);
  if (error instanceof KiwoomError) {
    for (let proto: object | null = Object.getPrototypeOf(error); proto !== null && proto !== KiwoomError.prototype; proto = Object.getPrototypeOf(proto)) {
      const row = ROW_BY_PROTOTYPE.get(proto);
      if (row !== undefined) return row[context];
    }
  }
  return opErrorForCategory('unknown', context);
}

/** The OCX message for a code (`시세조회 과부하`), or an empty string for unknown codes. */
export function opErrorMessage(code: number): string {
  return getOpError(code)?.message ?? '';
}
