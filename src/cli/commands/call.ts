/** `kiwoom-compat call <api-id> [json]`: one REST call against a chosen backend, printed as JSON. */
import { parseArgs } from 'node:util';
import { KiwoomRest, type JsonBody } from '../../rest/index.js';
import { startEmulator } from '../../emulator/index.js';
import { getApi } from '../../registry/index.js';
import { BACKEND_HELP, BACKEND_OPTIONS, credentials, simNoOf } from '../backend-flags.js';
import type { Command } from './command.js';

const help = `usage: kiwoom-compat call <api-id> [json-body] [options]

${BACKEND_HELP}
  --all-pages       follow cont-yn/next-key and print every page
  --max-pages N     page cap with --all-pages (default 50)
  --allow-prod-orders  required to send an order api-id to production`;

async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...BACKEND_OPTIONS,
      'all-pages': { type: 'boolean', default: false },
      'max-pages': { type: 'string', default: '50' },
      'allow-prod-orders': { type: 'boolean', default: false },
    },
  });
  const [apiId, json] = positionals;
  if (apiId === undefined) throw new Error('an api-id is required, e.g. `kiwoom-compat call ka10001 \'{"stk_cd":"005930"}\'`');
  const api = getApi(apiId);
  if (api === undefined) throw new Error(`unknown api-id "${apiId}"`);
  let body: JsonBody;
  try {
    // The client refuses a non-object body with a ValidationError naming it, so no check here.
    body = json === undefined ? {} : (JSON.parse(json) as JsonBody);
  } catch {
    throw new Error(`json-body is not valid JSON: ${json}`);
  }
  const simNo = simNoOf(values);
  if (![0, 1, 2, 3].includes(simNo)) throw new Error(`--sim-no must be 0, 1, 2 or 3, got "${values['sim-no']}"`);
  const useRest = values['use-rest'];
  if (!useRest && simNo === 0) throw new Error('sim-no 0 without --use-rest asks for the OCX, which does not exist here: pass --use-rest for production, or sim-no 1..3 for the emulator');
  if (useRest && simNo === 0 && api.category === 'order' && !values['allow-prod-orders']) {
    throw new Error(`${apiId} is an order and --sim-no 0 is production: pass --allow-prod-orders to send real orders`);
  }

  const emu = useRest || values.endpoint !== undefined ? undefined : await startEmulator();
  const { appkey = emu?.appkey, secretkey = emu?.secretkey } = credentials(values);
  if (appkey === undefined || secretkey === undefined) throw new Error('credentials needed: --appkey/--secretkey or KIWOOM_APPKEY/KIWOOM_SECRETKEY');
  const baseUrl = values.endpoint ?? emu?.restUrl;
  const rest = new KiwoomRest({ appkey, secretkey, simNo, ...(baseUrl === undefined ? {} : { baseUrl }) });
  const domain = emu !== undefined ? 'emulator' : baseUrl ?? (simNo === 0 ? 'PRODUCTION' : 'mock domain');
  if (api.category === 'order') console.error(`[${domain}] sending order ${apiId}`);
  try {
    if (values['all-pages']) {
      const maxPages = Number(values['max-pages']);
      let n = 0;
      for await (const page of rest.untyped.pages(apiId, body, { maxPages })) {
        n += 1;
        console.error(`page ${n}${page.contYn === 'Y' ? ' (more)' : ''}`);
        console.log(JSON.stringify(page.body, null, 2));
      }
    } else {
      const res = await rest.untyped.call(apiId, body);
      console.log(JSON.stringify(res.body, null, 2));
    }
    return 0;
  } finally {
    await rest.close();
    await emu?.close();
  }
}

export const call: Command = { summary: 'call one api-id and print the JSON answer', help, run };
