/**
 * What a TR handler receives and returns, and the helpers the stateful handlers share.
 */
import type { ApiSpec } from '../../../registry/index.js';
import type { Quote, StockInfo } from '../../types.js';
import type { EmulatorStateImpl } from '../../state/index.js';
import { ApiReject } from '../envelope.js';
import { sampleRecord, sampleResponse } from '../values.js';

/** One TR request after the server's checks (api-id, token, budget, required fields). */
export interface TrContext {
  api: ApiSpec;
  body: Record<string, unknown>;
  /** The account the token belongs to. */
  account: string;
  /** The request's `next-key` when it asked for a further page (`cont-yn: Y`), else undefined. */
  nextKey: string | undefined;
  state: EmulatorStateImpl;
}

/** A handler's answer: the fields (return_code is added by the server) and the next page's key. */
export interface TrAnswer {
  fields: Record<string, unknown>;
  nextKey?: string;
  message?: string;
}

export type TrHandler = (ctx: TrContext) => TrAnswer;

/** A request field as a trimmed string ('' when absent). */
export function str(ctx: TrContext, key: string): string {
  const v = ctx.body[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '';
}

/** The documented response with sample values, for handlers to overwrite with live ones. */
export function base(ctx: TrContext): Record<string, unknown> {
  return sampleResponse(ctx.api, ctx.state.nowMs());
}

/** Keeps the top-level keys the API documents, in the given order: live values may be computed for more. */
export function documented(ctx: TrContext, fields: Record<string, unknown>): Record<string, unknown> {
  const keys = new Set(ctx.api.response.filter((f) => f.list === undefined).map((f) => f.key));
  return Object.fromEntries(Object.entries(fields).filter(([k]) => keys.has(k)));
}

/** The stock a `stk_cd`-style field names (exchange suffix `_NX`/`_AL` and a leading `A` allowed); 1902 otherwise. */
export function stockOf(ctx: TrContext, key = 'stk_cd'): { stock: StockInfo; quote: Quote } {
  const raw = str(ctx, key);
  const code = raw.replace(/^A(?=\d{6})/, '').replace(/_(NX|AL)$/, '');
  const stock = ctx.state.stock(code);
  const quote = ctx.state.quote(code);
  if (!stock || !quote) throw new ApiReject('1902', [raw]);
  return { stock, quote };
}

/** Kiwoom's exchange suffix of a code field: '' (KRX), `_NX` or `_AL`. */
export function suffixOf(ctx: TrContext, key = 'stk_cd'): string {
  return /_(NX|AL)$/.exec(str(ctx, key))?.[0] ?? '';
}

/**
 * The `next-key` of the page starting at `offset`: an opaque 17-digit cursor as live sends
 * (`00120260727120700`), here `001` + a fixed date + the offset, so that a
 * client that computes keys instead of echoing them fails here as it would live.
 */
const cursor = (offset: number): string => `00120240830${String(offset).padStart(6, '0')}`;
const CURSOR = /^00120240830(\d{6})$/;

/** Where the page a request asks for starts: 0, or the offset its `next-key` cursor names (1517 for any other key). */
export function pageOffset(ctx: TrContext): number {
  if (ctx.nextKey === undefined) return 0;
  const m = CURSOR.exec(ctx.nextKey);
  if (m === null) throw new ApiReject('1517', ['next-key', ctx.nextKey]);
  return Number(m[1]);
}

/**
 * Rows of one page: `size` rows from the cursor `next-key` names, and the cursor of the next
 * page. `rows` may stop one row past the page: that row only says a next page exists.
 */
export function page<T>(ctx: TrContext, rows: readonly T[], size: number): { rows: T[]; nextKey?: string } {
  const offset = pageOffset(ctx);
  const slice = rows.slice(offset, offset + size);
  const end = offset + slice.length;
  return end < rows.length ? { rows: slice, nextKey: cursor(end) } : { rows: slice };
}

/** A list record with the list's documented keys: live values where given, example values elsewhere. */
export function record(ctx: TrContext, list: string, live: Record<string, string>): Record<string, string> {
  const out = sampleRecord(ctx.api, list, ctx.state.nowMs());
  for (const k of Object.keys(out)) if (k in live) out[k] = live[k] as string;
  return out;
}
