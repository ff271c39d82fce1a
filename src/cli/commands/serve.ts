/** `kiwoom-compat serve --http`: the local control API (quote, order, balance, open orders) and its page over one logged-in APIServer. */
import { APIServer } from '../../facade/index.js';
import { isLoopback } from '../../hosts.js';
import { startServe } from '../../serve/http.js';
import { MAX_WATCHED } from '../../serve/live.js';
import { readBalance, STOCK_CODE } from '../../serve/queries.js';
import { BACKEND_HELP, BACKEND_OPTIONS, apiInitOptions, simNoOf } from '../backend-flags.js';
import type { Command } from './command.js';
import { numberFlag, parseFlags, UsageError } from '../options.js';
import { cliLogger, LOG_HELP, LOG_OPTIONS } from '../logging.js';

const help = `usage: kiwoom-compat serve --http [options]

A small HTTP API in front of one logged-in APIServer, protected by a bearer token printed at
start, and a page for a person at / (log in with the token): watched quotes live, positions
and P&L, open orders with cancel buttons, the last orders, fills and messages, in Korea time.
  GET  /price/:code   quote (opt10001 → ka10001)
  POST /orders        {"side":"buy","code":"005930","qty":1,"price":0,"hoga":"03"} (SendOrder's checks):
                      201 with the 주문번호; 202 when the answer was lost (never resent)
  GET  /orders/:id    what became of it: placed (주문번호) / not-placed / ambiguous / unknown
  DELETE /orders/:no  cancel an open order ({"qty":N} for part of it)
  PATCH  /orders/:no  modify an open order: {"price":P} or {"price":P,"qty":N}
  GET  /balance       holdings and totals (opw00018 → kt00018)
  GET  /orders        open orders (opt10075 → ka10075)
  GET  /events        the page's live feed (server-sent events: snapshot, quote, account, event, watch)
  GET  /watch         watched codes; PUT /watch/:code adds one, DELETE /watch/:code removes it
Tokens with Kiwoom are refreshed automatically before they expire; no daily restart is needed.

  --port N          default 8719 (0: any free port)
  --host H          default 127.0.0.1; anything but loopback needs --allow-remote
  --allow-remote    allow a non-loopback bind (orders can be placed by whoever holds the token)
  --watch CODES     codes the page watches from the start, comma-separated, repeatable
                    (default: the account's holdings)
${BACKEND_HELP}
${LOG_HELP}
  --allow-prod-orders          required with --use-rest --sim-no 0
  --token T         use this bearer token instead of a random one`;

async function run(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    http: { type: 'boolean', default: false },
    port: { type: 'string', default: '8719' },
    host: { type: 'string', default: '127.0.0.1' },
    'allow-remote': { type: 'boolean', default: false },
    watch: { type: 'string', multiple: true },
    ...BACKEND_OPTIONS,
    ...LOG_OPTIONS,
    'allow-prod-orders': { type: 'boolean', default: false },
    token: { type: 'string' },
  });
  if (!values.http) throw new UsageError('only the HTTP transport exists: run `kiwoom-compat serve --http`');
  const port = numberFlag(values, 'port', { min: 0, max: 65535, integer: true })!;
  const watch = values.watch?.flatMap((list) => list.split(',')).map((c) => c.trim()).filter((c) => c !== '');
  const bad = watch?.find((c) => !STOCK_CODE.test(c));
  if (bad !== undefined) throw new UsageError(`--watch: "${bad}" is not a stock code (6 characters, e.g. 005930)`);
  const { logger } = cliLogger(values);
  if (values['use-rest'] && simNoOf(values) === 0 && !values['allow-prod-orders']) {
    throw new UsageError('--sim-no 0 is production and the control API places orders: pass --allow-prod-orders');
  }
  const api = new APIServer();
  await api.api_init({ ...apiInitOptions(values), logger });
  const ret = await api.CommConnect(true);
  if (ret !== 0) {
    await api.cleanup();
    throw new Error(`login failed: ${ret} ${api.GetLastError()?.message ?? ''}`);
  }
  const domain = api.domain ?? 'unknown';
  const accno = api.GetLoginInfo('ACCNO').split(';')[0] ?? '';
  const server = await (async () => {
    // The holdings are a default, not a request: one the feed cannot watch (not in the stock
    // master, past the feed's bound) is left out rather than stopping the server.
    const held = watch === undefined ? (await readBalance(api, '9100', accno)).holdings.map((h) => h.code).filter((c) => STOCK_CODE.test(c) && api.GetMasterCodeName(c.replace(/_(NX|AL)$/, '')) !== '').slice(0, MAX_WATCHED) : [];
    return startServe({ api, domain, host: values.host, port, allowRemote: values['allow-remote'], watch: watch ?? held, ...(values.token === undefined ? {} : { token: values.token }) });
  })().catch(async (err: unknown) => {
    await api.cleanup();
    throw err;
  });
  if (!isLoopback(values.host)) {
    console.error(`warning: serving on ${values.host}, beyond this machine: anyone who can reach it and holds the token can place orders; the token travels in clear text over HTTP`);
  }
  // Listening before the token line: whoever reads it may stop the server at once.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log(`kiwoom-compat serve: ${server.url} (orders go to: ${domain}, account ${accno})`);
  console.log(`token: ${server.token}`);
  console.log(`page:  ${server.url}/ (log in with the token)`);
  console.log(`try:   curl -H "Authorization: Bearer ${server.token}" ${server.url}/price/005930`);
  await stopped;
  await server.close();
  await api.cleanup();
  return 0;
}

export const serve: Command = { summary: 'local HTTP control API and page: quotes, orders, balance, open orders (serve --http)', help, run };
