/** `kiwoom-compat emulator`: the emulator standalone, until Ctrl-C. */
import { startEmulator } from '../../emulator/index.js';
import type { EmulatorOptions } from '../../emulator/types.js';
import type { Command } from './command.js';
import { numberFlag, parseFlags } from '../options.js';

const help = `usage: kiwoom-compat emulator [--port N] [--seed N] [--rate N] [--mock]

Runs the built-in emulator on loopback and prints its REST and WebSocket URLs and the demo
credentials. Stops on Ctrl-C.
  --port N   port to listen on (default: a free one)
  --seed N   seed of the simulated market (same seed, same run; default 1)
  --rate N   REAL frames per second pushed over all subscriptions (default 20)
  --mock     enforce the mock domain's rules (KRX only, mock-unsupported APIs)`;

async function run(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { port: { type: 'string' }, seed: { type: 'string' }, rate: { type: 'string' }, mock: { type: 'boolean' } });
  const options: EmulatorOptions = { mode: values.mock === true ? 'mock' : 'prod' };
  for (const [flag, key, max] of [['port', 'port', 65535], ['seed', 'seed', Number.MAX_SAFE_INTEGER], ['rate', 'realRate', 1_000_000]] as const) {
    const n = numberFlag(values, flag, { min: 0, max, integer: true });
    if (n !== undefined) options[key] = n;
  }
  const emu = await startEmulator(options);
  console.log(`kiwoom-compat emulator (${emu.mode} rules)
  REST       ${emu.restUrl}
  WebSocket  ${emu.wsUrl}/api/dostk/websocket
  appkey     ${emu.appkey}
  secretkey  ${emu.secretkey}
  account    ${emu.account}
(demo credentials of this local emulator only; Ctrl-C to stop)

try it from another terminal:
  kiwoom-compat call ka10001 '{"stk_cd":"005930"}' --endpoint ${emu.restUrl} --appkey ${emu.appkey} --secretkey ${emu.secretkey}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emu.close();
  return 0;
}

export const emulator: Command = { summary: 'run the built-in emulator standalone', help, run };
