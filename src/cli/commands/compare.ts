/** `kiwoom-compat compare [scenario]`: one consumer scenario on two backends, diff of what it saw. */
import { writeFileSync } from 'node:fs';
import type { ApiInitOptions } from '../../facade/index.js';
import { compareBackends, type BackendSpec } from '../../compare/run.js';
import { loadScenario } from '../../compare/scenario.js';
import { toHtml, toText } from '../../compare/report.js';
import type { Command } from './command.js';
import { numberFlag, parseFlags, UsageError } from '../options.js';
import { cliLogger, LOG_HELP, LOG_OPTIONS } from '../logging.js';

const help = `usage: kiwoom-compat compare [scenario] [options]

Runs one consumer scenario on two backends and prints a diff of the normalised event streams
(what does not depend on timing or server-assigned numbers). Exit 0 when they match, 1 when
they diverge (or a side fails).

  scenario          a name in fixtures/scenarios/ (default legacy-consumer), a .json file
                    {"consumer":"legacy","options":{...}}, or a module exporting run(api),
                    called after api_init, resolving to {events, facts?}
  --a B, --b B      backends: local (the built-in emulator), mock (Kiwoom paper trading),
                    prod (Kiwoom production). Default: --a local --b mock
  --a-rest URL, --a-ws URL, --b-rest URL, --b-ws URL   endpoint overrides (a proxy, an emulator)
  --appkey K, --secretkey S   credentials for mock/prod, or KIWOOM_APPKEY / KIWOOM_SECRETKEY
  --query-rate N    queries per second on the mock domain (default Kiwoom's 1; raise it only
                    when the endpoints point at an emulator)
  --allow-prod-orders   required for prod: the scenario places a real order
  --report FILE     also write a side-by-side HTML report
${LOG_HELP}`;

const SIM = { local: [1, false], mock: [1, true], prod: [0, true] } as const;

async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    a: { type: 'string', default: 'local' },
    b: { type: 'string', default: 'mock' },
    'a-rest': { type: 'string' },
    'a-ws': { type: 'string' },
    'b-rest': { type: 'string' },
    'b-ws': { type: 'string' },
    appkey: { type: 'string' },
    secretkey: { type: 'string' },
    'query-rate': { type: 'string' },
    'allow-prod-orders': { type: 'boolean', default: false },
    report: { type: 'string' },
    ...LOG_OPTIONS,
  }, 1);
  const { logger } = cliLogger(values);
  const scenario = await loadScenario(positionals[0] ?? 'legacy-consumer');
  const queryRate = numberFlag(values, 'query-rate', { min: 0.1, max: 1000 });
  const backend = (side: 'a' | 'b'): BackendSpec => {
    const kind = values[side];
    if (kind !== 'local' && kind !== 'mock' && kind !== 'prod') throw new UsageError(`--${side} must be local, mock or prod, got "${kind}"`);
    if (kind === 'prod' && !values['allow-prod-orders']) throw new UsageError(`--${side} prod places a real order: pass --allow-prod-orders`);
    const [sim_no, use_rest] = SIM[kind];
    const rest = values[`${side}-rest`];
    const ws = values[`${side}-ws`];
    // An empty variable is as good as none (`KIWOOM_APPKEY= kiwoom-compat compare`).
    const appkey = values.appkey ?? (process.env.KIWOOM_APPKEY || undefined);
    const secretkey = values.secretkey ?? (process.env.KIWOOM_SECRETKEY || undefined);
    // Checked before either side runs: the local side would otherwise place its order first.
    if (use_rest && (appkey === undefined || secretkey === undefined)) {
      throw new UsageError(`--${side} ${kind} talks to Kiwoom and needs its app key and secret key: --appkey K --secretkey S, or KIWOOM_APPKEY / KIWOOM_SECRETKEY (nothing was run)`);
    }
    const init: ApiInitOptions = {
      sim_no,
      use_rest,
      logger,
      ...(use_rest && appkey !== undefined ? { appkey } : {}),
      ...(use_rest && secretkey !== undefined ? { secretkey } : {}),
      ...(rest === undefined && ws === undefined ? {} : { endpoints: { ...(rest === undefined ? {} : { rest }), ...(ws === undefined ? {} : { ws }) } }),
      ...(queryRate === undefined ? {} : { rest: { limits: { mockQuery: queryRate } } }),
    };
    return { label: `${kind}${rest === undefined ? '' : ` (${rest})`}`, init };
  };
  const a = backend('a');
  const b = backend('b');
  console.error(`compare ${scenario.name}: a = ${a.label}, b = ${b.label}${[a, b].some((s) => s.init.use_rest) ? ' (the scenario places one market order on each)' : ''}`);
  const result = await compareBackends(scenario, a, b, (s) => console.error(`  ${s.label}: ${s.error === undefined ? `${s.events.length} events` : `failed: ${s.error}`} in ${s.ms} ms`));
  console.log(toText(result));
  if (values.report !== undefined) {
    writeFileSync(values.report, toHtml(result));
    console.error(`report: ${values.report}`);
  }
  return result.diverged ? 1 : 0;
}

export const compare: Command = { summary: 'run one consumer scenario on two backends and diff the event streams', help, run };
