/**
 * Quotes read as text, for a reader outside Node (the Python bridge): OnReceiveRealData's values
 * go to it as the frame's JSON text instead of a FID dictionary raised on the APIServer, so the
 * bridge writes its compact record without a values object being built per quote. Kept off the
 * APIServer's own face: only the bridge asks for it, and a program using the APIServer in Node
 * sees OnReceiveRealData as ever.
 */
import type { RealtimeSession } from '../realtime/index.js';
import type { PairRange } from '../realtime/real-text.js';
import type { FidValues } from './events.js';
import type { RealData } from './real-data.js';

/**
 * Takes one quote: its code, the OCX real-type name, and its values as `text.slice(start, end)`
 * (a JSON object of strings free of escapes and control characters), and where the frame's scan
 * found their pairs (valid during the call). Answers a function that decodes the values later
 * (kept as the code's latest quote, for GetCommRealData and 잔고 events), or false to decline
 * the quote: it is then raised as OnReceiveRealData as usual.
 *
 * Why a decoder and not the values' text: a slice of the frame's text keeps the whole frame
 * alive, and the latest quote of every code held a frame each through young-generation
 * collections, which copied them all (about half a megabyte at 5,000 quotes a second).
 */
export type QuoteTextReader = (code: string, realType: string, text: string, start: number, end: number, pairs: PairRange) => (() => FidValues) | false;

const readers = new WeakMap<object, QuoteTextReader>();

/** Attaches a session to a reader of its stream on another thread (the bridge's stream worker: src/bridge/stream-relay.ts). */
export type StreamAttach = (session: Pick<RealtimeSession, 'relayStream' | 'countRelayed' | 'realIdle'>, real: Pick<RealData, 'remember'>) => void;

const relays = new WeakMap<object, StreamAttach>();

/** Has `api`'s sessions, from its next CommConnect's on, read by `attach`'s relay instead of a text reader. */
export function relayQuotes(api: object, attach: StreamAttach): void {
  relays.set(api, attach);
}

/** Sends `api`'s quotes to `reader` as text, from its next CommConnect's session on. */
export function readQuotesAsText(api: object, reader: QuoteTextReader): void {
  readers.set(api, reader);
}

/**
 * Wires a session's plain REAL frames to `api`'s text reader, if it has one: a quote is handed
 * over and kept in `real` as the reader's decoder (GetCommRealData and 잔고 events decode it if they ask);
 * order (00) and balance (04) frames, and what the reader declines, take the ordinary path.
 */
export function tapQuotes(api: object, rt: Pick<RealtimeSession, 'tapRealText' | 'relayStream' | 'countRelayed' | 'realIdle'>, real: Pick<RealData, 'remember' | 'realTypeName'>): void {
  const relay = relays.get(api);
  if (relay !== undefined) return relay(rt, real);
  const reader = readers.get(api);
  if (reader === undefined) return;
  rt.tapRealText((e, text) => {
    if (e.type === '00' || e.type === '04') return false;
    const name = real.realTypeName(e.type);
    if (name === undefined) return false;
    const values = reader(e.item, name, text, e.start, e.end, e);
    if (values === false) return false;
    real.remember(e.type, e.item, values);
    return true;
  });
}
