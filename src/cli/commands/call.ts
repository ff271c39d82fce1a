/** `kiwoom-compat call <api-id> [json]`: one REST call against a chosen backend, printed as JSON. */
import { KiwoomRest, type JsonBody } from '../../rest/index.js';
import { NetworkError } from '../../errors.js';
import { startEmulator } from '../../emulator/index.js';
import { allApis, getApi, type ApiSpec } from '../../registry/index.js';
import { getTrMapping } from '../../compat/tr-map.js';
import { BACKEND_HELP, BACKEND_OPTIONS, credentials, simNoOf } from '../backend-flags.js';
import { numberFlag, parseFlags, UsageError } from '../options.js';
import type { Command } from './command.js';

const help = `usage: kiwoom-compat call <api-id> [json-body] [options]
       kiwoom-compat call --list [filter]      api-ids and names (filter: part of either)
       kiwoom-compat call <api-id> --help      the api-id's request fields

The api-id is Kiwoom's (ka10001, any case) or a legacy TR code (opt10001), whose Korean input
names are accepted as body keys too ('{"종목코드":"005930"}').

${BACKEND_HELP}
  --all-pages       follow cont-yn/next-key; prints one JSON document per line, a page each
  --max-pages N     page cap with --all-pages (default 50)
  --allow-prod-orders  required to send an order api-id to production`;

/** The api-id for what the user typed: an api-id in any case, or a legacy TR code through the TR map. */
export function resolveApi(typed: string): { api: ApiSpec; inputs: Readonly<Record<string, string>> } {
  const api = getApi(typed.toLowerCase());
  if (api !== undefined) return { api, inputs: {} };
  const tr = getTrMapping(typed);
  const mapped = tr === undefined ? undefined : getApi(tr.apiId);
  if (tr !== undefined && mapped !== undefined) return { api: mapped, inputs: tr.inputs };
  throw new UsageError(`unknown api-id "${typed}" (kiwoom-compat call --list shows them)`);
}

/** `call --list [filter]`: one line per REST api-id, filtered on id, name or legacy TR code. */
export function listApis(filter = ''): string[] {
  const needle = filter.toLowerCase();
  return allApis()
    .filter((a) => a.transport === 'rest' && a.category !== 'auth')
    .filter((a) => needle === '' || [a.id, a.name, ...a.legacy].some((s) => s.toLowerCase().includes(needle)))
    .map((a) => `${a.id.padEnd(8)} ${a.category.padEnd(6)} ${a.name}${a.legacy.length > 0 ? `  (${a.legacy.join(', ').toLowerCase()})` : ''}`);
}

/** `call <api-id> --help`: the request fields as a table a person reads. */
export function describeApi(api: ApiSpec): string {
  const fields = api.request.filter((f) => f.list === undefined);
  const rows = fields.map((f) => `  ${f.key.padEnd(16)} ${(f.required ? 'required' : 'optional').padEnd(9)} ${`${f.type}${f.length === undefined ? '' : `(${f.length})`}`.padEnd(11)} ${f.name}`);
  return [
    `${api.id}  ${api.name}  (POST ${api.path}, ${api.category}${api.legacy.length > 0 ? `; legacy ${api.legacy.join(', ').toLowerCase()}` : ''})`,
    '',
    fields.length === 0 ? '  no request fields: kiwoom-compat call ' + api.id : `  ${'key'.padEnd(16)} ${''.padEnd(9)} ${'type'.padEnd(11)} name`,
    ...rows,
  ].join('\n');
}

/**
 * The body as the api-id takes it: Korean input names of the legacy TR renamed to their REST
 * keys. Every missing required field is named in one error; unknown keys are returned to warn about.
 */
export function prepareBody(api: ApiSpec, body: JsonBody, inputs: Readonly<Record<string, string>>): { body: JsonBody; unknown: string[] } {
  const renamed: JsonBody = {};
  for (const [key, value] of Object.entries(body)) renamed[Object.hasOwn(inputs, key) ? inputs[key]! : key] = value;
  const fields = api.request.filter((f) => f.list === undefined);
  const missing = fields.filter((f) => f.required && (renamed[f.key] === undefined || renamed[f.key] === null));
  if (missing.length > 0) {
    throw new UsageError(`${api.id}: missing required field${missing.length === 1 ? '' : 's'} ${missing.map((f) => `${f.key} (${f.name})`).join(', ')} (kiwoom-compat call ${api.id} --help)`);
  }
  const known = new Set(fields.map((f) => f.key));
  return { body: renamed, unknown: Object.keys(renamed).filter((k) => !known.has(k)) };
}

function parseBody(json: string | undefined): JsonBody {
  if (json === undefined) return {};
  let body: unknown;
  try {
    body = JSON.parse(json);
  } catch {
    throw new UsageError(`json-body is not valid JSON: ${json}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new UsageError(`json-body must be a JSON object, got ${json}`);
  return body as JsonBody;
}

async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    ...BACKEND_OPTIONS,
    list: { type: 'boolean', default: false },
    'all-pages': { type: 'boolean', default: false },
    'max-pages': { type: 'string', default: '50' },
    'allow-prod-orders': { type: 'boolean', default: false },
  }, 2);
  if (values.list) {
    for (const row of listApis(positionals[0])) console.log(row);
    return 0;
  }
  const [typed, json] = positionals;
  if (typed === undefined) throw new UsageError('an api-id is required, e.g. `kiwoom-compat call ka10001 \'{"stk_cd":"005930"}\'`');
  const { api, inputs } = resolveApi(typed);
  if (api.transport !== 'rest' || api.category === 'auth') throw new UsageError(`${api.id} is ${api.transport === 'rest' ? 'the token endpoint, which every call uses by itself' : 'WebSocket-only'}: not a REST call`);
  const maxPages = numberFlag(values, 'max-pages', { min: 1, integer: true })!;
  const simNo = simNoOf(values);
  if (![0, 1, 2, 3].includes(simNo)) throw new UsageError(`--sim-no must be 0, 1, 2 or 3, got "${values['sim-no']}"`);
  const useRest = values['use-rest'];
  if (!useRest && simNo === 0) throw new UsageError('sim-no 0 without --use-rest asks for the OCX, which does not exist here: pass --use-rest for production, or sim-no 1..3 for the emulator');
  if (useRest && simNo === 0 && api.category === 'order' && !values['allow-prod-orders']) {
    throw new UsageError(`${api.id} is an order and --sim-no 0 is production: pass --allow-prod-orders to send real orders`);
  }
  const { body, unknown } = prepareBody(api, parseBody(json), inputs);
  for (const key of unknown) console.error(`warning: ${api.id} has no request field "${key}"; sent as given (kiwoom-compat call ${api.id} --help)`);

  const emu = useRest || values.endpoint !== undefined ? undefined : await startEmulator();
  const { appkey = emu?.appkey, secretkey = emu?.secretkey } = credentials(values);
  if (appkey === undefined || secretkey === undefined) throw new UsageError('credentials needed: --appkey/--secretkey or KIWOOM_APPKEY/KIWOOM_SECRETKEY');
  const baseUrl = values.endpoint ?? emu?.restUrl;
  const rest = new KiwoomRest({ appkey, secretkey, simNo, ...(baseUrl === undefined ? {} : { baseUrl }) });
  const domain = emu !== undefined ? 'emulator' : baseUrl ?? (simNo === 0 ? 'PRODUCTION' : 'mock domain');
  if (api.category === 'order') console.error(`[${domain}] sending order ${api.id}`);
  try {
    if (values['all-pages']) {
      // One JSON document per line (JSON Lines), so `jq` and friends read the stream as it comes.
      let n = 0;
      for await (const page of rest.untyped.pages(api.id, body, { maxPages })) {
        n += 1;
        console.error(`page ${n}${page.contYn === 'Y' ? ' (more)' : ''}`);
        console.log(JSON.stringify(page.body));
      }
    } else {
      const res = await rest.untyped.call(api.id, body);
      console.log(JSON.stringify(res.body, null, 2));
    }
    return 0;
  } catch (err) {
    if (err instanceof NetworkError) throw new Error(`could not reach ${rest.baseUrl}: ${err.message}`, { cause: err });
    throw err;
  } finally {
    await rest.close();
    await emu?.close();
  }
}

export const call: Command = {
  summary: 'call one api-id (or legacy TR code) and print the JSON answer; call --list',
  help,
  run,
  helpFor: (args) => {
    const typed = args.find((a) => !a.startsWith('-'));
    return typed === undefined ? undefined : describeApi(resolveApi(typed).api);
  },
};
