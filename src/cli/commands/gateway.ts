/**
 * `kiwoom-compat gateway`: one Kiwoom login shared by many local programs (src/gateway), and
 * `gateway status | issue | revoke` against a running one through its admin endpoints.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { startGateway, type GatewayStatus } from '../../gateway/index.js';
import { BACKEND_HELP, BACKEND_OPTIONS, apiInitOptions, simNoOf } from '../backend-flags.js';
import { isLoopback } from '../../hosts.js';
import { line } from '../format.js';
import type { Command } from './command.js';
import { numberFlag, parseFlags, UsageError } from '../options.js';

const help = `usage: kiwoom-compat gateway [options]          run the gateway until Ctrl-C
       kiwoom-compat gateway status [--json]        what a running gateway holds
       kiwoom-compat gateway issue NAME [--shared]  a key pair for one more program
       kiwoom-compat gateway revoke NAME            withdraw a program's key pair now

Holds the one REST token and the one WebSocket session of an app key and serves many programs
that speak Kiwoom's own protocol to it: each points its REST base URL and WebSocket URL at the
gateway and logs in with a key pair the gateway issued (never the Kiwoom keys). Subscriptions
are shared, each program receives what it registered, and the rate budget is shared fairly.

  --port N          default 8720 (0: any free port)
  --host H          default 127.0.0.1; anything but loopback needs --tls-cert and --tls-key
  --tls-cert F / --tls-key F   PEM files: serve HTTPS and WSS
  --client NAME     make sure a key pair exists for NAME (repeatable); new pairs are printed once
  --shared          with --client: one pair every program may share (told apart by token)
  --clients FILE    key pairs, mode 0600 (default ~/.config/kiwoom-compat/gateway-clients.json)
  --state FILE      where the URL and admin token go for \`gateway status\` (default beside --clients)
  --release-grace S seconds a program's registrations stay upstream after it went away without
                    REMOVE, so a restart takes them back without a new REG (default 10; 0: at once)
${BACKEND_HELP}
  without --use-rest the gateway fronts a built-in emulator (to try it without an account)

status, issue, revoke:
  --state FILE      as above; or --url URL and --admin-token T`;

/** ~/.config/kiwoom-compat (XDG_CONFIG_HOME, %APPDATA% on Windows). */
function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32' && env['APPDATA']) return join(env['APPDATA'], 'kiwoom-compat');
  return join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'kiwoom-compat');
}

interface GatewayState {
  url: string;
  adminToken: string;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    port: { type: 'string', default: '8720' },
    host: { type: 'string', default: '127.0.0.1' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    client: { type: 'string', multiple: true },
    shared: { type: 'boolean', default: false },
    clients: { type: 'string' },
    state: { type: 'string' },
    'release-grace': { type: 'string', default: '10' },
    ...BACKEND_OPTIONS,
  });
  const port = numberFlag(values, 'port', { min: 0, max: 65_535, integer: true })!;
  const releaseGraceMs = numberFlag(values, 'release-grace', { min: 0 })! * 1000;
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  if (!isLoopback(values.host) && values['tls-cert'] === undefined) {
    throw new UsageError(`--host ${values.host} is not a loopback address: beyond this machine the gateway needs --tls-cert and --tls-key (whoever holds a pair can place orders)`);
  }
  const init = apiInitOptions(values);
  if (init.use_rest && (init.appkey === undefined || init.secretkey === undefined)) {
    throw new UsageError('--use-rest needs the Kiwoom keys the gateway logs in with: --appkey/--secretkey or KIWOOM_APPKEY/KIWOOM_SECRETKEY');
  }
  const clientsFile = values.clients ?? join(configDir(), 'gateway-clients.json');
  const stateFile = values.state ?? join(dirname(clientsFile), 'gateway.json');
  mkdirSync(dirname(clientsFile), { recursive: true, mode: 0o700 });
  let emu: Emulator | undefined;
  let upstream: { appkey: string; secretkey: string; endpoints: { rest?: string; ws?: string }; simNo: number; mock?: boolean };
  if (init.use_rest) {
    upstream = { appkey: init.appkey!, secretkey: init.secretkey!, endpoints: init.endpoints ?? {}, simNo: simNoOf(values) };
  } else {
    emu = await startEmulator({ mode: 'mock' });
    upstream = { appkey: emu.appkey, secretkey: emu.secretkey, endpoints: { rest: emu.restUrl, ws: emu.wsUrl }, simNo: simNoOf(values), mock: false };
  }
  const gw = await startGateway({
    appkey: upstream.appkey,
    secretkey: upstream.secretkey,
    simNo: upstream.simNo,
    endpoints: upstream.endpoints,
    ...(upstream.mock === undefined ? {} : { rest: { mock: upstream.mock } }),
    host: values.host,
    port,
    ...(values['tls-cert'] === undefined || values['tls-key'] === undefined
      ? {}
      : { tls: { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) } }),
    clientsFile,
    releaseGraceMs,
  }).catch(async (err: unknown) => {
    await emu?.close();
    throw err;
  });
  const known = new Set(gw.clients.list().map((c) => c.name));
  const issued = (values.client ?? []).filter((name) => !known.has(name)).map((name) => gw.clients.issue(name, { shared: values.shared }));
  writeFileSync(stateFile, `${JSON.stringify({ url: gw.restUrl, adminToken: gw.adminToken } satisfies GatewayState)}\n`, { mode: 0o600 });
  const upstreamName = emu !== undefined ? 'the built-in emulator' : upstream.simNo === 0 ? 'Kiwoom production' : 'Kiwoom paper trading (mock domain)';
  console.log(`kiwoom-compat gateway → ${upstreamName}
${line('REST', gw.restUrl)}
${line('WS', `${gw.wsUrl}/api/dostk/websocket`)}
${line('clients', gw.clients.list().map((c) => c.name).join(', ') || '(none yet: kiwoom-compat gateway issue NAME)')}
${line('pairs in', clientsFile)}`);
  for (const c of issued) console.log(`${line('new pair', c.name)}  appkey ${c.appkey}  secretkey ${c.secretkey}  (shown once; also in the file)`);
  console.log(`${line('status', `kiwoom-compat gateway status${values.state === undefined ? '' : ` --state ${stateFile}`}`)}\n(Ctrl-C to stop)`);
  await waitForSignal();
  await gw.close();
  await emu?.close();
  return 0;
}

/** One admin request to a running gateway. */
async function admin(method: 'GET' | 'POST', path: string, args: string[], body?: Record<string, unknown>): Promise<{ values: Record<string, unknown>; answer: Record<string, unknown> }> {
  const { values, positionals } = parseFlags(args, { state: { type: 'string' }, url: { type: 'string' }, 'admin-token': { type: 'string' }, json: { type: 'boolean', default: false }, shared: { type: 'boolean', default: false } }, 1);
  let state: Partial<GatewayState> = {};
  if (values.url === undefined || values['admin-token'] === undefined) {
    const file = values.state ?? join(configDir(), 'gateway.json');
    try {
      state = JSON.parse(readFileSync(file, 'utf8')) as GatewayState;
    } catch {
      throw new Error(`no running gateway found in ${file}: start one with \`kiwoom-compat gateway\`, or give --url and --admin-token`);
    }
  }
  const url = values.url ?? state.url;
  const token = values['admin-token'] ?? state.adminToken;
  const name = positionals[0];
  const payload = body === undefined ? undefined : { ...body, ...(name === undefined ? {} : { name }), ...(values.shared ? { shared: true } : {}) };
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json;charset=UTF-8' },
    ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
  }).catch((err: unknown) => {
    throw new Error(`the gateway at ${url} does not answer (${err instanceof Error ? err.message : String(err)})`);
  });
  const answer = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`the gateway refused: ${String(answer['return_msg'] ?? res.status)}`);
  return { values, answer };
}

function printStatus(s: GatewayStatus): void {
  const u = s.upstream;
  const b = s.budget;
  console.log(line('upstream', `${u.state}, ${u.reconnects} reconnects, ${u.items}/${u.itemsCap} items, ${Object.keys(u.conditions).length}/${u.conditionsCap} real-time conditions`));
  console.log(line('budget', `queries ${b.query.usedPerSec.toFixed(1)}/${b.query.ratePerSec} per s (${b.query.waiting} waiting), orders ${b.order.usedPerSec.toFixed(1)}/${b.order.ratePerSec} per s (${b.order.waiting} waiting)`));
  for (const c of s.clients) {
    const pairs = new Set(c.sessions.flatMap((x) => Object.values(x.subscriptions).flat())).size;
    const rest = Object.values(c.rest);
    const sum = (f: (r: (typeof rest)[number]) => number): number => rest.reduce((n, r) => n + f(r), 0);
    console.log(
      line(c.name, `${c.sessions.length} session(s), ${c.logins} logins, ${pairs} pairs, ${new Set(c.sessions.flatMap((x) => x.conditions)).size} conditions; ` +
        `served ${sum((r) => r.served.query)} queries / ${sum((r) => r.served.order)} orders, queued ${sum((r) => r.queued.query + r.queued.order)}, ` +
        `429 ${sum((r) => r.refused)}, joined ${sum((r) => r.joined)}`),
    );
  }
}

async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'status': {
      const { values, answer } = await admin('GET', '/gateway/status', rest);
      if (values['json'] === true) console.log(JSON.stringify(answer, null, 2));
      else printStatus(answer as unknown as GatewayStatus);
      return 0;
    }
    case 'issue': {
      const { answer } = await admin('POST', '/gateway/clients', rest, {});
      console.log(`${line(String(answer['name']), `appkey ${String(answer['appkey'])}  secretkey ${String(answer['secretkey'])}`)}`);
      return 0;
    }
    case 'revoke': {
      const { answer } = await admin('POST', '/gateway/clients/revoke', rest, {});
      console.log(`${String(answer['name'])}: revoked (its tokens stop working; its sessions were closed)`);
      return 0;
    }
    default:
      return serve(args);
  }
}

export const gateway: Command = { summary: 'share one Kiwoom login among many local programs', help, run };
