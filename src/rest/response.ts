/**
 * Reading one HTTP answer: the envelope strictly (`return_code` number, `return_msg` string,
 * with the `returnCode`/`returnMsg` spelling some official examples use), the payload leniently.
 * The outcome says whether a failure may be retried and whether it was a token rejection.
 */
import { z } from 'zod';
import { HttpError, type KiwoomError } from '../errors.js';
import type { HttpResponse } from './http.js';
import { classifyFailure, failureToError } from './kiwoom-errors.js';

/** A JSON object body. */
export type JsonBody = Record<string, unknown>;

// Only the envelope is parsed strictly; the payload is passed through as sent (copying every
// field through a loose schema cost more CPU than the rest of the client per call).
const Envelope = z.object({ return_code: z.number().int(), return_msg: z.string() });

/** What one answer means. */
export type ResponseOutcome =
  | { ok: true; body: JsonBody; contYn: 'Y' | 'N'; nextKey: string }
  | { ok: false; error: KiwoomError; retry: boolean; reissueToken: boolean };

/** Interpret an answer to `apiId`. `scrub` removes known secrets from any server text quoted in an error, before it is cut. */
export function readResponse(apiId: string, response: HttpResponse, scrub: (text: string) => string): ResponseOutcome {
  const { status } = response;
  const json = parseJson(response.text);
  const body = json === undefined ? undefined : withEnvelopeAlias(json);
  const envelope = Envelope.safeParse(body === undefined ? undefined : { return_code: body['return_code'], return_msg: body['return_msg'] });

  if (status === 429 || (envelope.success && envelope.data.return_code !== 0)) {
    const returnCode = envelope.success ? envelope.data.return_code : 5;
    const failure = classifyFailure(returnCode, envelope.success ? envelope.data.return_msg : '', status);
    return {
      ok: false,
      error: failureToError(apiId, failure, scrub),
      retry: failure.retry,
      reissueToken: failure.reissueToken,
    };
  }
  if (status >= 500 || status < 200 || status >= 300 || !envelope.success || body === undefined) {
    // Scrubbed whole before any of it is cut to a snippet: half a secret is not recognisable.
    const text = scrub(response.text);
    const what = !envelope.success && status >= 200 && status < 300 ? describeBadBody(text, json) : describeBody(text);
    return {
      ok: false,
      error: new HttpError(`${apiId}: HTTP ${status}: ${what}`, { apiId, status }),
      retry: status >= 500,
      reissueToken: false,
    };
  }
  return {
    ok: true,
    body,
    contYn: response.headers.get('cont-yn')?.trim().toUpperCase() === 'Y' ? 'Y' : 'N',
    nextKey: response.headers.get('next-key')?.trim() ?? '',
  };
}

function parseJson(text: string): JsonBody | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonBody) : undefined;
  } catch {
    return undefined;
  }
}

/** ka10030 and ka10084's official examples spell the envelope `returnCode`/`returnMsg`. */
function withEnvelopeAlias(body: JsonBody): JsonBody {
  if ('return_code' in body || !('returnCode' in body)) return body;
  const { returnCode, returnMsg, ...rest } = body;
  return { ...rest, return_code: returnCode, return_msg: returnMsg ?? '' };
}

function describeBadBody(text: string, json: JsonBody | undefined): string {
  if (json === undefined) return describeBody(text);
  return `the body is JSON but lacks a valid envelope (return_code number, return_msg string): ${snippet(text)}`;
}

function describeBody(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'empty body';
  if (trimmed.startsWith('<')) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
    return `an HTML page${title ? ` "${title.slice(0, 80)}"` : ''} instead of JSON (Kiwoom's WAF answers some requests with an HTML block page)`;
  }
  if (parseJson(trimmed) === undefined) return `malformed JSON: ${snippet(trimmed)}`;
  return snippet(trimmed);
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}
