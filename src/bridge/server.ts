/**
 * The bridge engine: reads call lines, invokes the target's methods, queues replies and
 * forwards the target's events. Transport-free (lines in, messages out) so that it runs over
 * stdio in the CLI (through an {@link Outbox}) and over plain arrays in tests. Protocol:
 * ./protocol.ts.
 */
import { ValidationError } from '../errors.js';
import type { CallMessage, ErrorBody, ReplyMessage } from './protocol.js';
import type { QuoteTextReader } from '../facade/quote-text.js';
import { QuoteEncoder, quoteKey } from './quotes.js';
import { stateFor } from './state.js';

/** What the bridge drives: an object with OCX-named methods and an `on(event, listener)`. */
export interface BridgeTarget {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** Options of {@link createBridge}. */
export interface BridgeOptions {
  target: BridgeTarget;
  /** Method names callers may invoke; anything else is refused (no `on`, `emit`, internals). */
  methods: readonly string[];
  /** Events forwarded to the caller. */
  events: readonly string[];
  /** Where messages go, in order (an {@link Outbox} over stdio). */
  out: BridgeOutput;
  /**
   * Offers a reader of quotes as text (the APIServer's: `(r) => readQuotesAsText(server, r)`):
   * quotes then reach the compact form from the frame's text, without a FID dictionary.
   */
  quotesAsText?: (reader: QuoteTextReader) => void;
}

/** The ordered message stream a bridge writes to (JSON texts). */
export interface BridgeOutput {
  /** A message that is never merged or dropped: replies, and every event but quotes. */
  push(text: string): void;
  /** A quote for `key` (code and real type), which may be merged into a waiting one for the same key. */
  pushQuote(key: string, text: string): void;
  /** When present, OnReceiveRealData's arguments are encoded there (the stream worker's encoder) instead of here. */
  realData?(code: unknown, name: unknown, values: unknown): void;
}

/** A running bridge. */
export interface Bridge {
  /** Handles one input line; resolves when its reply has been written. */
  handle(line: string): Promise<void>;
  /** Whether `api_init` has been called (and so `cleanup` is owed). */
  readonly initialised: boolean;
}

/** Methods whose completion later calls wait for. */
const BARRIERS = new Set(['api_init', 'cleanup']);
const REAL_DATA = 'OnReceiveRealData';
const noop = (): void => undefined;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * OnReceiveRealData's arguments written to `out`: a compact quote (after its schema, if new,
 * through `define`, which pushes to `out`) where they can be one, else the event.
 */
export function writeRealData(out: BridgeOutput, quotes: QuoteEncoder, define: (text: string) => void, code: unknown, name: unknown, values: unknown): void {
  const compact = typeof code === 'string' && typeof name === 'string' && isRecord(values) ? quotes.encode(code, name, values, define) : undefined;
  if (compact !== undefined) out.pushQuote(quoteKey(code as string, name as string), compact);
  else out.push(JSON.stringify({ event: REAL_DATA, args: [code, name, values] }));
}

/** Wires a target to the protocol. */
export function createBridge({ target, methods, events, out, quotesAsText }: BridgeOptions): Bridge {
  const allowed = new Set(methods);
  let initialised = false;
  let gate: Promise<unknown> = Promise.resolve();
  const quotes = new QuoteEncoder();
  const define = (text: string): void => out.push(text);
  quotesAsText?.((code, name, text, start, end, pairs) => {
    const record = quotes.encodeText(code, name, text, start, end, define, pairs);
    out.pushQuote(quoteKey(code, name), record);
    return () => quotes.decode(record) ?? {};
  });
  for (const event of events) {
    if (event === REAL_DATA) {
      const realData = out.realData?.bind(out);
      target.on(event, (code: unknown, name: unknown, values: unknown) => (realData ? realData(code, name, values) : writeRealData(out, quotes, define, code, name, values)));
      continue;
    }
    target.on(event, (...args: unknown[]) => out.push(JSON.stringify({ event, args, ...stateFor(target as unknown as Record<string, unknown>, event, args) })));
  }
  const reply = (msg: ReplyMessage): void => out.push(JSON.stringify(msg, (_k, v: unknown) => (v === undefined ? null : v)));

  return {
    get initialised() {
      return initialised;
    },
    async handle(line) {
      if (line.trim() === '') return;
      let call: CallMessage;
      try {
        call = parseCall(line);
      } catch (err) {
        reply({ id: idOf(line), error: errorBody(err) });
        return;
      }
      try {
        if (!allowed.has(call.method)) throw new ValidationError(`unknown method "${call.method}"`, { field: 'method' });
        const fn = (target as unknown as Record<string, unknown>)[call.method];
        if (typeof fn !== 'function') throw new ValidationError(`method "${call.method}" is not available`, { field: 'method' });
        if (call.method === 'api_init') initialised = true;
        // Calls start in line order; api_init and cleanup are barriers: what follows them
        // starts once they have finished (CommConnect right after api_init must see its session).
        const started = gate.then(() => fn.apply(target, call.args ?? []) as unknown);
        if (BARRIERS.has(call.method)) gate = started.then(noop, noop);
        const result = await started;
        reply({ id: call.id, result: result ?? null });
      } catch (err) {
        reply({ id: call.id, error: errorBody(err) });
      }
    },
  };
}

function parseCall(line: string): CallMessage {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    throw new ValidationError('the line is not JSON', { field: 'line' });
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) throw new ValidationError('a call must be a JSON object', { field: 'line' });
  const { id, method, args } = msg as Record<string, unknown>;
  if (typeof id !== 'number' && typeof id !== 'string') throw new ValidationError('a call needs an "id" (number or string)', { field: 'id' });
  if (typeof method !== 'string') throw new ValidationError('a call needs a "method" (string)', { field: 'method' });
  if (args !== undefined && !Array.isArray(args)) throw new ValidationError('"args" must be an array', { field: 'args' });
  return { id, method, ...(args === undefined ? {} : { args: args as unknown[] }) };
}

/** The id of a line we could not take as a call, when it has a usable one. */
function idOf(line: string): number | string | null {
  try {
    const id = (JSON.parse(line) as { id?: unknown }).id;
    return typeof id === 'number' || typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

/** An error as the protocol carries it: name, message and the fields our error tree defines. */
export function errorBody(err: unknown): ErrorBody {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const body: ErrorBody = { name: err.name, message: err.message };
  const e = err as unknown as Record<string, unknown>;
  if (typeof e.code === 'number') body.code = e.code;
  if (typeof e.field === 'string') body.field = e.field;
  if (typeof e.category === 'string') body.category = e.category;
  if (typeof e.apiId === 'string') body.apiId = e.apiId;
  return body;
}
