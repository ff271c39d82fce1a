/**
 * Kiwoom's answer envelopes: `return_code` as a small category number and the specific
 * code embedded in `return_msg`, as Kiwoom's REST reference shows them (tables in
 * compat/emulator/errors.json).
 */
import { loadEmulatorData } from '../data.js';
import type { RejectRule } from '../state/reject.js';

interface ErrorsFile {
  categories: Record<string, { returnCode: number; format: string }>;
  codes: Record<string, { category: string; text: string }>;
}
const table = loadEmulatorData<ErrorsFile>('errors');

/** Kiwoom's success text. */
export const OK_MESSAGE = '정상적으로 처리되었습니다';

/** An answer: HTTP status and JSON body. */
export interface Envelope {
  status: number;
  body: Record<string, unknown>;
}

/** A refusal with a documented code (`1511`, `8005`, ...) and the values of its {?} slots. */
export class ApiReject extends Error {
  constructor(
    readonly code: string,
    readonly params: readonly string[] = [],
  ) {
    super(code);
  }
}

function fill(text: string, params: readonly string[]): string {
  let i = 0;
  return text.replace(/\{\?\}/g, () => params[i++] ?? '');
}

function format(category: string, code: string, text: string): { returnCode: number; msg: string } {
  const c = table.categories[category];
  if (!c) throw new RangeError(`no error category ${category}`);
  return { returnCode: c.returnCode, msg: c.format.replace('{code}', code).replace('{text}', text) };
}

/** The envelope of a documented code; rate codes answer HTTP 429. */
export function rejectEnvelope(reject: ApiReject): Envelope {
  const entry = table.codes[reject.code];
  if (!entry) throw new RangeError(`no error code ${reject.code} in errors.json`);
  const { returnCode, msg } = format(entry.category, reject.code, fill(entry.text, reject.params));
  const status = reject.code === '1700' || reject.code === '1701' ? 429 : 200;
  return { status, body: { return_code: returnCode, return_msg: msg } };
}

/** The `[2000](RCnnnn:...)` envelope of a business rejection. */
export function businessEnvelope(rule: RejectRule): Envelope {
  const { returnCode, msg } = format('business', rule.code, rule.text);
  return { status: 200, body: { return_code: returnCode, return_msg: msg } };
}

/** A success body: the fields, then return_code 0 and the message. */
export function okEnvelope(fields: Record<string, unknown>, message = OK_MESSAGE): Envelope {
  return { status: 200, body: { ...fields, return_code: 0, return_msg: message } };
}
