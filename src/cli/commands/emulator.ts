/** `kiwoom-compat emulator`: the emulator standalone, until Ctrl-C. */
import { parseArgs } from 'node:util';
import { startEmulator } from '../../emulator/index.js';
import type { EmulatorOptions } from '../../emulator/types.js';
import type { Command } from './command.js';

const help = `usage: kiwoom-compat emulator [--port N] [--seed N] [--rate N] [--mock]

Runs the built-in emulator on loopback and prints its REST and WebSocket URLs and the demo
credentials. Stops on Ctrl-C.
  --port N   port to listen on (default: a free one)
  --seed N   seed of the simulated market (same seed, same run; default 1)
  --rate N   REAL frames per second pushed over all subscriptions (default 20)
  --mock     enforce the mock domain's rules (KRX only, mock-unsupported APIs)`;

async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, seed: { type: 'string' }, rate: { type: 'string' }, mock: { type: 'boolean' } },
  });
  const options: EmulatorOptions = { mode: values.mock === true ? 'mock' : 'prod' };
  for (const [flag, key] of [['port', 'port'], ['seed', 'seed'], ['rate', 'realRate']] as const) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag} must be a non-negative integer, got "${raw}"`);
    options[key] = n;
  }
  const emu = await startEmulator(options);
  console.log(`kiwoom-compat emulator (${emu.mode} rules)
  REST       ${emu.restUrl}
  WebSocket  ${emu.wsUrl}/api/dostk/websocket
  appkey     ${emu.appkey}
  secretkey  ${emu.secretkey}
  account    ${emu.account}
(demo credentials of this local emulator only; Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emu.close();
  return 0;
}

export const emulator: Command = { summary: 'run the built-in emulator standalone', help, run };
