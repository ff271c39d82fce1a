/**
 * The gateway on loopback in front of a real emulator, and the three kinds of client the
 * tests point at it: APIServer through `endpoints`, a RealtimeSession through `baseUrl`, and a
 * raw client written against the protocol (fetch for REST, the emulator tests' raw `ws` client).
 */
import { pino } from 'pino';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { APIServer } from '../../src/facade/index.js';
import { startGateway, type ClientCredential, type Gateway, type GatewayOptions } from '../../src/gateway/index.js';
import { KiwoomRest } from '../../src/rest/index.js';
import { RealtimeSession } from '../../src/realtime/index.js';
import { Client } from '../emulator-ws/harness.js';

export interface Rig {
  emu: Emulator;
  gw: Gateway;
  close(): Promise<void>;
}

/** Fast reconnects so that an upstream drop heals in tens of ms. */
export const FAST_RECONNECT = { reconnect: { initialDelayMs: 20, maxDelayMs: 200 } } as const;

/** An emulator (Kiwoom's budgets: 5/s per api-id) and a gateway logged in to it. */
export async function startRig(emulator: EmulatorOptions = {}, gateway: Partial<GatewayOptions> = {}): Promise<Rig> {
  const emu = await startEmulator({ seed: 3, realRate: 200, ...emulator });
  const gw = await startGateway({
    appkey: emu.appkey,
    secretkey: emu.secretkey,
    simNo: 1,
    endpoints: { rest: emu.restUrl, ws: emu.wsUrl },
    // The emulator plays production's budgets (5/s queries), not the mock domain's 1/s.
    rest: { mock: false },
    realtime: FAST_RECONNECT,
    logger: pino({ level: 'silent' }),
    // A crashed client's share leaves at once unless a test is about the grace period.
    releaseGraceMs: 0,
    ...gateway,
  });
  return {
    emu,
    gw,
    async close() {
      await gw.close();
      await emu.close();
    },
  };
}

/** An APIServer logged in through the gateway with `client`'s pair. */
export async function openApi(gw: Gateway, client: ClientCredential): Promise<APIServer> {
  const api = new APIServer();
  await api.api_init({
    sim_no: 1,
    use_rest: true,
    appkey: client.appkey,
    secretkey: client.secretkey,
    endpoints: { rest: gw.restUrl, ws: gw.wsUrl },
    log_level: 'silent',
    // The gateway shares the production budget; the client need not hold itself to the mock domain's 1/s.
    rest: { limits: { mockQuery: 5 } },
    realtime: FAST_RECONNECT,
  });
  const rc = await api.CommConnect(true);
  if (rc !== 0) throw new Error(`CommConnect through the gateway failed: ${rc} ${api.GetLastError()?.message ?? ''}`);
  return api;
}

/** A KiwoomRest + RealtimeSession pair pointed at the gateway with `baseUrl`. */
export async function openSession(gw: Gateway, client: ClientCredential): Promise<{ rest: KiwoomRest; rt: RealtimeSession }> {
  const rest = new KiwoomRest({ appkey: client.appkey, secretkey: client.secretkey, simNo: 1, baseUrl: gw.restUrl, mock: false });
  const rt = new RealtimeSession({ rest, ...FAST_RECONNECT });
  await rt.connect();
  return { rest, rt };
}

/** A client written against the protocol alone: fetch for REST, a raw WebSocket for the rest. */
export class RawClient {
  constructor(
    readonly restUrl: string,
    readonly token: string,
    readonly ws: Client,
  ) {}

  static async open(gw: Gateway, client: ClientCredential): Promise<RawClient> {
    const token = await RawClient.issueToken(gw.restUrl, client);
    const ws = await Client.login(`${gw.wsUrl}/api/dostk/websocket`, token);
    return new RawClient(gw.restUrl, token, ws);
  }

  static async issueToken(restUrl: string, client: Pick<ClientCredential, 'appkey' | 'secretkey'>): Promise<string> {
    const res = await fetch(`${restUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=UTF-8' },
      body: JSON.stringify({ grant_type: 'client_credentials', appkey: client.appkey, secretkey: client.secretkey }),
    });
    const body = (await res.json()) as { token?: string; return_msg?: string };
    if (typeof body.token !== 'string') throw new Error(`no token: ${body.return_msg ?? res.status}`);
    return body.token;
  }

  /** One REST call: the HTTP status and the JSON body. */
  async call(apiId: string, path: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${this.restUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=UTF-8', 'api-id': apiId, authorization: `Bearer ${this.token}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  /** REG and its reply. */
  reg(grp: string, items: string[], types: string[], refresh = '1'): Promise<Record<string, unknown>> {
    return this.ws.request({ trnm: 'REG', grp_no: grp, refresh, data: [{ item: items, type: types }] });
  }

  remove(grp: string, items: string[], types: string[]): Promise<Record<string, unknown>> {
    return this.ws.request({ trnm: 'REMOVE', grp_no: grp, data: [{ item: items, type: types }] });
  }
}

/** Every `type|item` the emulator's one session holds, over its groups. */
export function upstreamPairs(emu: Emulator): string[] {
  const held = emu.wsHeld();
  if (held.length !== 1) throw new Error(`the emulator holds ${held.length} sessions, not one`);
  return [...new Set(Object.values(held[0]!.groups).flat())].sort();
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds; throws naming `what` after `ms`. */
export async function waitFor(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}
