/** `kiwoom-compat bridge --stdio`: the APIServer facade as a child process speaking protocol lines (src/bridge/protocol.ts). */
import { readFileSync } from 'node:fs';
import { APIServer } from '../../facade/index.js';
import { EVENT_NAMES } from '../../facade/events.js';
import { OCX_API_METHODS } from '../../compat/ocx-api.js';
import { runStdioBridge } from '../../bridge/stdio.js';
import { readQuotesAsText, relayQuotes } from '../../facade/quote-text.js';
import type { BridgeTarget } from '../../bridge/server.js';
import type { StreamAttach } from '../../facade/quote-text.js';
import type { Command } from './command.js';
import { parseFlags, UsageError } from '../options.js';

const help = `usage: kiwoom-compat bridge --stdio

Runs the APIServer facade and speaks lines on stdin/stdout (the Python drop-in in
compat/python uses it). Calls in, one JSON object per line: {"id":1,"method":"SendOrder","args":[...]}
Out: the first line is {"ready":{...}}; every later line holds messages in order, as records
joined by U+001E, each a JSON object or (starting with a digit) a compact quote:
  {"id":1,"result":0} or {"id":1,"error":{"name","message","field"}}   a reply
  {"event":"OnReceiveChejanData","args":[...]}                       an event
  {"schema":3,"real":"주식체결","fids":[...],"ocx":38}, then 3\t005930\tv\tv...   a quote
  {"coalesced":12}                                    quotes merged while the reader was behind
The first call is usually api_init({sim_no, use_rest, ...}). Logs go to stderr. When stdin
closes the bridge calls cleanup() and exits. See MIGRATION.md ("The bridge").

  --allow-prod-orders   let SendOrder/SendOrderCredit reach production (use_rest with sim_no 0);
                        KIWOOM_ALLOW_PROD_ORDERS=1 does the same (the Python drop-in passes its
                        environment to the bridge). Without it such orders are refused, nothing sent.

Environment: KIWOOM_BRIDGE_MAX_HOLD_MS, the longest a message waits within a busy turn before
its line is written (default 2; see src/bridge/outbox.ts). KIWOOM_BRIDGE_WORKER=1 reads the
WebSocket and writes the output on a worker thread (src/bridge/stream-relay.ts); the lines are the same.`;

const ORDER_METHODS = new Set(['SendOrder', 'SendOrderCredit']);

/**
 * The facade as the bridge exposes it: orders to production are refused unless allowed, so
 * that a legacy program switched to use_rest with sim_no 0 by mistake cannot trade real money.
 */
function guardProductionOrders(server: APIServer, allowed: boolean): APIServer {
  if (allowed) return server;
  return new Proxy(server, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof name !== 'string' || !ORDER_METHODS.has(name) || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (target.domain === 'production') {
          throw new Error(`${name}: orders to production need an explicit yes: start the bridge with --allow-prod-orders or set KIWOOM_ALLOW_PROD_ORDERS=1; nothing was sent`);
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** The methods a bridge caller may invoke: the OCX's 58, GetLastError, and the life cycle. */
export function bridgeMethods(server: object): string[] {
  const names = ['api_init', 'cleanup', 'GetLastError', ...Object.keys(OCX_API_METHODS)];
  return names.filter((name) => typeof (server as Record<string, unknown>)[name] === 'function');
}

/** KIWOOM_BRIDGE_MAX_HOLD_MS as a number of ms, or undefined when unset. */
function holdFromEnv(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0) throw new UsageError(`KIWOOM_BRIDGE_MAX_HOLD_MS must be a number of ms, 0 or more, got "${raw}"`);
  return ms;
}

async function run(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { stdio: { type: 'boolean', default: false }, 'allow-prod-orders': { type: 'boolean', default: false } });
  if (!values.stdio) throw new UsageError('only the stdio transport exists: run `kiwoom-compat bridge --stdio`');
  const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  const allowed = values['allow-prod-orders'] || process.env.KIWOOM_ALLOW_PROD_ORDERS === '1';
  const server = guardProductionOrders(new APIServer(), allowed);
  const maxHoldMs = holdFromEnv(process.env.KIWOOM_BRIDGE_MAX_HOLD_MS);
  const streamWorker = process.env.KIWOOM_BRIDGE_WORKER === '1' ? { relayQuotes: (attach: StreamAttach) => relayQuotes(server, attach) } : undefined;
  await runStdioBridge({
    target: server as unknown as BridgeTarget & { cleanup(): unknown },
    methods: bridgeMethods(server),
    events: EVENT_NAMES,
    version,
    outbox: maxHoldMs === undefined ? {} : { maxHoldMs },
    quotesAsText: (reader) => readQuotesAsText(server, reader),
    ...(streamWorker === undefined ? {} : { streamWorker }),
  });
  return 0;
}

export const bridge: Command = { summary: 'run the APIServer facade over protocol lines on stdio (bridge --stdio)', help, run };
