/**
 * The flags that pick a backend, shared by every command that talks to one: the same names,
 * defaults, help text and credential lookup everywhere.
 */
import type { ApiInitOptions, SimNo } from '../facade/index.js';

/** parseArgs option specs. */
export const BACKEND_OPTIONS = {
  'sim-no': { type: 'string', default: '1' },
  'use-rest': { type: 'boolean', default: false },
  endpoint: { type: 'string' },
  'ws-endpoint': { type: 'string' },
  appkey: { type: 'string' },
  secretkey: { type: 'string' },
} as const;

/** Help lines for {@link BACKEND_OPTIONS}. */
export const BACKEND_HELP = `  --sim-no N        0 production, 1..3 paper trading (default 1)
  --use-rest        talk to Kiwoom (default: the built-in emulator, sim-no 1..3)
  --endpoint URL    REST base URL override; --ws-endpoint URL for the WebSocket
  --appkey K / --secretkey S   or KIWOOM_APPKEY / KIWOOM_SECRETKEY`;

/** Parsed values of {@link BACKEND_OPTIONS}. */
export interface BackendValues {
  'sim-no': string;
  'use-rest': boolean;
  endpoint?: string | undefined;
  'ws-endpoint'?: string | undefined;
  appkey?: string | undefined;
  secretkey?: string | undefined;
}

/** App key and secret key from the flags, else the environment. */
export function credentials(values: BackendValues): { appkey?: string; secretkey?: string } {
  const appkey = values.appkey ?? process.env.KIWOOM_APPKEY;
  const secretkey = values.secretkey ?? process.env.KIWOOM_SECRETKEY;
  return { ...(appkey === undefined ? {} : { appkey }), ...(secretkey === undefined ? {} : { secretkey }) };
}

/** `sim-no` as a number; api_init and resolveBackend check its range. */
export function simNoOf(values: BackendValues): number {
  return Number(values['sim-no']);
}

/** api_init options for the chosen backend. */
export function apiInitOptions(values: BackendValues): ApiInitOptions {
  return {
    // api_init checks the range and names the field; the flag's text is not a SimNo until then.
    sim_no: simNoOf(values) as SimNo,
    use_rest: values['use-rest'],
    ...credentials(values),
    endpoints: {
      ...(values.endpoint === undefined ? {} : { rest: values.endpoint }),
      ...(values['ws-endpoint'] === undefined ? {} : { ws: values['ws-endpoint'] }),
    },
  };
}
