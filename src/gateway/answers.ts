/**
 * What the gateway answers a client for each upstream outcome, in Kiwoom's own shapes, so that
 * the client's library reads it as it would read Kiwoom: a success with its paging headers;
 * Kiwoom's refusal envelope as Kiwoom sent it (429 for its rate limits); 1517 naming the field
 * for input the upstream client refused before sending; and, when the upstream outcome is not
 * known (a timeout, a dropped connection, an unreadable answer), an HTTP 5xx without an
 * envelope: a client reads that as "unknown", never as "not placed", and a query is retried.
 */
import { ApiError, OrderUnknownError, RateLimitError, ValidationError } from '../errors.js';
import { ApiReject, rejectEnvelope } from '../emulator/rest/envelope.js';
import type { Answer } from '../emulator/rest/http.js';
import type { CallResult } from '../rest/client.js';

/** The answer to a call that succeeded upstream. */
export function answerResult(apiId: string, result: CallResult): Answer {
  return {
    envelope: { status: 200, body: result.body },
    headers: { 'api-id': apiId, 'cont-yn': result.contYn, 'next-key': result.nextKey },
  };
}

/** The answer to a call that failed upstream or was refused before it was sent. */
export function answerError(apiId: string, error: unknown): Answer {
  const headers = { 'api-id': apiId, 'cont-yn': 'N', 'next-key': '' };
  if (error instanceof ApiError) {
    const status = error instanceof RateLimitError ? 429 : 200;
    return { envelope: { status, body: { return_code: error.returnCode, return_msg: error.kiwoomMessage } }, headers };
  }
  if (error instanceof ValidationError) {
    return { envelope: rejectEnvelope(new ApiReject('1517', [error.field ?? 'body', error.message])), headers };
  }
  // No envelope: the client must not read a Kiwoom code into an outcome nobody knows.
  const status = error instanceof OrderUnknownError ? 504 : 502;
  const message = error instanceof Error ? error.message : String(error);
  return { envelope: { status, body: { gateway_error: message } }, headers };
}
