/**
 * The flags that pick a backend, shared by every command that talks to one: the same names,
 * defaults, help text and credential lookup everywhere.
 */
import { readFileSync } from 'node:fs';
import type { ApiInitOptions, SimNo } from '../facade/index.js';

/** parseArgs option specs. */
export const BACKEND_OPTIONS = {
  'sim-no': { type: 'string', default: '1' },
  'use-rest': { type: 'boolean', default: false },
  endpoint: { type: 'string' },
  'ws-endpoint': { type: 'string' },
  appkey: { type: 'string' },
  secretkey: { type: 'string' },
  'appkey-file': { type: 'string' },
  'secretkey-file': { type: 'string' },
} as const;

/** Help lines for {@link BACKEND_OPTIONS}. */
export const BACKEND_HELP = `  --sim-no N        0 production, 1..3 paper trading (default 1)
  --use-rest        talk to Kiwoom (default: the built-in emulator, sim-no 1..3)
  --endpoint URL    REST base URL override; --ws-endpoint URL for the WebSocket
  --appkey-file F / --secretkey-file F   read the keys from files (or KIWOOM_APPKEY /
                    KIWOOM_SECRETKEY; --appkey K / --secretkey S work but every local user can
                    read a command line)`;

/** Parsed values of {@link BACKEND_OPTIONS}. */
export interface BackendValues {
  'sim-no': string;
  'use-rest': boolean;
  endpoint?: string | undefined;
  'ws-endpoint'?: string | undefined;
  appkey?: string | undefined;
  secretkey?: string | undefined;
  'appkey-file'?: string | undefined;
  'secretkey-file'?: string | undefined;
}

/**
 * One key: from its flag (with a warning: any local user can read a process's command line in
 * /proc/PID/cmdline or `ps`), else its file, else the environment.
 */
function key(values: BackendValues, name: 'appkey' | 'secretkey', warn: (message: string) => void): string | undefined {
  const file = values[`${name}-file`];
  const env = name === 'appkey' ? 'KIWOOM_APPKEY' : 'KIWOOM_SECRETKEY';
  if (values[name] !== undefined) {
    warn(`warning: --${name} on the command line is readable by every user of this machine (ps, /proc/PID/cmdline); use ${env} or --${name}-file`);
    return values[name];
  }
  if (file !== undefined) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new Error(`--${name}-file ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return process.env[env];
}

/** App key and secret key from the flags, their files, else the environment. */
export function credentials(values: BackendValues, warn: (message: string) => void = (m) => console.error(m)): { appkey?: string; secretkey?: string } {
  const appkey = key(values, 'appkey', warn);
  const secretkey = key(values, 'secretkey', warn);
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
