/**
 * Runs a {@link createBridge} bridge over this process's stdin/stdout. stdout is reserved for
 * protocol lines: console output is sent to stderr for the life of the process, so a stray
 * `console.log` in any layer cannot corrupt the stream the caller parses.
 */
import { createInterface } from 'node:readline';
import { Outbox, type OutboxOptions } from './outbox.js';
import { createBridge, type BridgeOptions, type BridgeTarget } from './server.js';
import { PROTOCOL_VERSION, type ReadyMessage } from './protocol.js';

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
  output.write(`${JSON.stringify(ready)}\n`);
  const outbox = new Outbox(output, options.outbox);
  options.onOutbox?.(outbox);
  const bridge = createBridge({ target: options.target, methods: options.methods, events: options.events, out: outbox, ...(options.quotesAsText === undefined ? {} : { quotesAsText: options.quotesAsText }) });

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
  outbox.flush();
}
