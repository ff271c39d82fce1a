/**
 * A bridge in this process connected to a fresh emulator for one test file: the emulator starts
 * and the bridge's api_init and CommConnect run before the file's tests, cleanup after them.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { Bridge } from '../../src/bridge/server.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

/** A reply line of the bridge's output. */
interface Reply {
  id?: number;
  result?: unknown;
}

/** The file's emulator (once its tests run) and a call that answers the bridge's reply from `lines`. */
export interface BridgeOnEmulator {
  emu(): Emulator;
  call(id: number, method: string, ...args: unknown[]): Promise<unknown>;
}

/** Registers the file's beforeAll/afterAll; `lines` is where the bridge's output puts its messages. */
export function bridgeOnEmulator(bridge: Bridge, lines: readonly Reply[]): BridgeOnEmulator {
  let emu: Emulator | undefined;
  const call = async (id: number, method: string, ...args: unknown[]): Promise<unknown> => {
    await bridge.handle(JSON.stringify({ id, method, args }));
    return lines.find((l) => l.id === id)?.result;
  };
  beforeAll(async () => {
    emu = await startEmulator({ mode: 'mock', realRate: 0 });
    await call(1, 'api_init', {
      sim_no: 1,
      use_rest: true,
      appkey: emu.appkey,
      secretkey: emu.secretkey,
      endpoints: { rest: emu.restUrl, ws: emu.wsUrl },
      log_level: 'silent',
      rest: { limits: { mockQuery: 5 } },
    });
    expect(await call(2, 'CommConnect', true)).toBe(0);
  });
  afterAll(async () => {
    await call(99, 'cleanup');
    await emu?.close();
  });
  return {
    emu: () => {
      if (emu === undefined) throw new Error('the emulator starts in beforeAll');
      return emu;
    },
    call,
  };
}
