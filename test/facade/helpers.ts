/** Backends the facade tests run on: the in-process emulator, and an emulator playing the mock domain. */
import { emulatorOf, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { APIServer } from '../../src/facade/index.js';
import type { ApiInitOptions } from '../../src/facade/index.js';

export type BackendName = 'emulator' | 'mock-domain';

export interface Backend {
  name: BackendName;
  api: APIServer;
  /** The emulator behind this APIServer (in-process, or the one standing in for the mock domain). */
  emu: Emulator;
  close(): Promise<void>;
}

/** Options every test uses: quiet logs, fast reconnects. */
const COMMON = { log_level: 'silent', realtime: { reconnect: { initialDelayMs: 20, maxDelayMs: 200 } } } as const;

/** A fresh APIServer on the named backend, after api_init (not connected). */
export async function openBackend(name: BackendName, extra: Partial<ApiInitOptions> = {}): Promise<Backend> {
  const api = new APIServer();
  if (name === 'emulator') {
    await api.api_init({ sim_no: 1, use_rest: false, ...COMMON, ...extra });
    const emu = emulatorOf(api);
    if (emu === undefined) throw new Error('use_rest false should start an in-process emulator');
    return { name, api, emu, close: () => api.cleanup() };
  }
  const emu = await startEmulator({ mode: 'mock', ...extra.emulator });
  await api.api_init({
    sim_no: 1,
    use_rest: true,
    appkey: emu.appkey,
    secretkey: emu.secretkey,
    endpoints: { rest: emu.restUrl, ws: emu.wsUrl },
    // The stand-in serves 5/s per api-id; the real mock domain's 1/s would only slow the tests.
    ...COMMON,
    ...extra,
    rest: { ...extra.rest, limits: { mockQuery: 5, ...extra.rest?.limits } },
  });
  return {
    name,
    api,
    emu,
    close: async () => {
      await api.cleanup();
      await emu.close();
    },
  };
}

export const BACKENDS: readonly BackendName[] = ['emulator', 'mock-domain'];

/** A backend after CommConnect, with its first account. */
export interface LoggedIn extends Backend {
  accno: string;
}

/** openBackend, then CommConnect (which must answer 0), with the account it lists first. */
export async function loggedIn(name: BackendName, extra: Partial<ApiInitOptions> = {}): Promise<LoggedIn> {
  const b = await openBackend(name, extra);
  const rc = await b.api.CommConnect();
  if (rc !== 0) throw new Error(`CommConnect answered ${rc} on ${name}`);
  return { ...b, accno: b.api.GetLoginInfo('ACCNO').split(';')[0] ?? '' };
}

/** Resolves with the args of the first matching event, rejects after ms. */
export function nextEvent<A extends unknown[]>(api: APIServer, event: string, pick: (...args: A) => boolean = () => true, ms = 5000): Promise<A> {
  return new Promise((resolve, reject) => {
    const on = (...args: unknown[]): void => {
      if (!pick(...(args as A))) return;
      clearTimeout(timer);
      api.off(event as never, on as never);
      resolve(args as A);
    };
    const timer = setTimeout(() => {
      api.off(event as never, on as never);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    api.on(event as never, on as never);
  });
}
