/**
 * Runs a {@link createBridge} bridge over this process's stdin/stdout. stdout is reserved for
 * protocol lines: console output is sent to stderr for the life of the process, so a stray
 * `console.log` in any layer cannot corrupt the stream the caller parses.
 */
import { createInterface } from 'node:readline';
import { Outbox, type OutboxOptions } from './outbox.js';
import { createBridge, type BridgeOptions, type BridgeTarget } from './server.js';
import { PROTOCOL_VERSION, type ReadyMessage } from './protocol.js';
import { StreamWorker } from './stream-relay.js';
import type { StreamAttach } from '../facade/quote-text.js';

/** Options of {@link runStdioBridge}. */
export interface StdioBridgeOptions {
  target: BridgeTarget & { cleanup?: () => unknown };
  methods: readonly string[];
  events: readonly string[];
  version: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Receives the output queue (tests and the bridge command read its counters). */
  onOutbox?: (outbox: Outbox) => void;
  /** Options of the output queue (its hold within a long turn). */
  outbox?: OutboxOptions;
  /** See {@link BridgeOptions.quotesAsText}. */
  quotesAsText?: BridgeOptions['quotesAsText'];
  /**
   * Runs the stream on a worker thread that owns fd 1 (./stream-relay.ts): `relayQuotes`
   * attaches the target's sessions to it (the APIServer's: `(a) => relayQuotes(server, a)`).
   * `output`, `onOutbox` and `quotesAsText` are then unused.
   */
  streamWorker?: { relayQuotes: (attach: StreamAttach) => void };
  /** Send console.log/info/debug to stderr (default true; tests that own the console pass false). */
  redirectConsole?: boolean;
}

/** Serves the bridge until the input ends, then cleans the target up. Resolves when done. */
export async function runStdioBridge(options: StdioBridgeOptions): Promise<void> {
  const output = options.output ?? process.stdout;
  const toStderr = (...args: unknown[]): void => {
    process.stderr.write(`${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`);
  };
  if (options.redirectConsole !== false) {
    console.log = toStderr;
    console.info = toStderr;
    console.debug = toStderr;
  }

  const ready: ReadyMessage = { ready: { protocol: PROTOCOL_VERSION, version: options.version, methods: [...options.methods], events: [...options.events], nodeFlags: [...process.execArgv] } };
  let out: Outbox | StreamWorker;
  let quotesAsText = options.quotesAsText;
  if (options.streamWorker !== undefined) {
    const { maxHoldMs, maxLineChars } = options.outbox ?? {};
    const worker = new StreamWorker({ ready: JSON.stringify(ready), outbox: { ...(maxHoldMs === undefined ? {} : { maxHoldMs }), ...(maxLineChars === undefined ? {} : { maxLineChars }) } });
    options.streamWorker.relayQuotes(worker.attach);
    out = worker;
    quotesAsText = undefined;
  } else {
    output.write(`${JSON.stringify(ready)}\n`);
    out = new Outbox(output, options.outbox);
    options.onOutbox?.(out);
  }
  const bridge = createBridge({ target: options.target, methods: options.methods, events: options.events, out, ...(quotesAsText === undefined ? {} : { quotesAsText }) });

  const pending = new Set<Promise<void>>();
  const lines = createInterface({ input: options.input ?? process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const p = bridge.handle(line).finally(() => pending.delete(p));
    pending.add(p);
  }
  await Promise.allSettled([...pending]);
  if (bridge.initialised) {
    try {
      await options.target.cleanup?.();
    } catch (err) {
      process.stderr.write(`bridge: cleanup failed: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  if (out instanceof StreamWorker) await out.end();
  else out.flush();
}
