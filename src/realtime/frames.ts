/**
 * Frame-level helpers: the control trnm values, reply checks, and the counter of malformed
 * frames (counted per kind, logged once per kind so that a garbling peer cannot flood logs).
 */
import type { Logger } from 'pino';
import { LIVE_WS } from '../compat/live.js';
import { ApiError, AuthError, RateLimitError } from '../errors.js';
import { scrubFor } from '../log.js';
import type { ControlReply } from './replies.js';

/** Replies that answer a request of ours. */
export const CONTROL_TRNM: ReadonlySet<string> = new Set(['LOGIN', 'REG', 'REMOVE', 'CNSRLST', 'CNSRREQ', 'CNSRCLR']);

/** api-ids of the condition messages, for error metadata. */
export const CONDITION_API_ID = { CNSRLST: 'ka10171', oneShot: 'ka10172', realtime: 'ka10173', CNSRCLR: 'ka10174' } as const;

/** Longest excerpt of a bad frame put in the log. */
const SAMPLE_CHARS = 60;

export class BadFrames {
  readonly counts: Record<string, number> = {};

  constructor(private readonly log: Logger) {}

  count(kind: string, sample?: string): void {
    const n = (this.counts[kind] ?? 0) + 1;
    this.counts[kind] = n;
    if (n === 1) {
      this.log.warn(
        // Scrubbed whole, then cut: a token cut in half would no longer be recognised.
        { kind, sample: sample === undefined ? undefined : scrubFor(this.log, sample).slice(0, SAMPLE_CHARS) },
        'malformed WebSocket frame ignored (logged once per kind; see stats().badFrames)',
      );
    }
  }
}

/** The reply's return_code as a number (the server sends numbers; some captures show strings). */
export function returnCodeOf(reply: ControlReply): number {
  const rc = reply.return_code;
  if (rc === undefined || rc === '') return 0;
  const n = Number(rc);
  return Number.isNaN(n) ? -1 : n;
}

/** `[CODE=8005, ...]` inside a WebSocket message, else the return_code. */
function embeddedCode(message: string, returnCode: number): number {
  const m = /CODE=(\d+)/.exec(message);
  return m?.[1] !== undefined ? Number(m[1]) : returnCode;
}

/** The error of a refused request: AuthError for LOGIN, RateLimitError for the REG rate (105110), ApiError otherwise. */
export function replyError(reply: ControlReply, apiId?: string): ApiError {
  const returnCode = returnCodeOf(reply);
  const kiwoomMessage = typeof reply.return_msg === 'string' ? reply.return_msg : '';
  const code = embeddedCode(kiwoomMessage, returnCode);
  const message = `${reply.trnm} refused by Kiwoom (return_code ${returnCode}): ${kiwoomMessage || 'no message'}`;
  if (reply.trnm === 'LOGIN') {
    return new AuthError(message, { apiId, code, returnCode, category: 'auth', kiwoomMessage });
  }
  if (returnCode === LIVE_WS.codes.regRate.rc) {
    return new RateLimitError(message, { apiId, code, returnCode, category: 'rate-limit', kiwoomMessage });
  }
  return new ApiError(message, { apiId, code, returnCode, category: 'input', kiwoomMessage });
}
