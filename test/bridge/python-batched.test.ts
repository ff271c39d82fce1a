/**
 * The Python drop-in on REAL frames of several entries (LIVE.md row 1; the emulator batches 1 to
 * 3 entries per frame as the live servers do): every entry the server pushed reaches the Python
 * program's OnReceiveRealData, once, whatever frame it came in (or is counted in `api.coalesced`
 * when the handlers fell behind and quotes were merged).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { batchedBurst } from '../batched-burst.js';

// The program: logs in to the emulator given on the command line, registers two codes, says
// "ready"; on "stop" (the stream has stopped) waits until no event came for 0.3 s and prints
// how many OnReceiveRealData it handled, per code, and how many quotes were merged because the
// handlers fell behind (a loaded machine; counted, never silent).
const PROGRAM = `
import collections, json, sys, time
sys.path.insert(0, "compat/python")
from kiwoom_compat import APIServer
opts = json.loads(sys.argv[1])
seen = collections.Counter()
class Program(APIServer):
    def OnReceiveRealData(self, code, rtype, data):
        seen[code] += 1
api = Program(loop="thread")
api.api_init(sim_no=1, use_rest=True, appkey=opts["appkey"], secretkey=opts["secretkey"], endpoints={"rest": opts["rest"], "ws": opts["ws"]}, log_level="error")
assert api.CommConnect(block=True) == 0
assert api.SetRealReg("1000", "005930;000660", "10;15;20", "0") == 0
print("ready", flush=True)
sys.stdin.readline()
last = -1
while sum(seen.values()) != last:
    last = sum(seen.values())
    time.sleep(0.3)
print(json.dumps({"seen": dict(seen), "coalesced": api.coalesced}), flush=True)
api.cleanup()
`;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ mode: 'mock', realRate: 0 });
});
afterAll(async () => {
  await emu.close();
});

test('every entry of batched REAL frames reaches OnReceiveRealData in Python once', async () => {
  expect(existsSync('dist/cli/main.js'), 'dist/cli/main.js is missing: run `npm run build` before `npm test`').toBe(true);
  const opts = { appkey: emu.appkey, secretkey: emu.secretkey, rest: emu.restUrl, ws: emu.wsUrl };
  const child = spawn('python3', ['-c', PROGRAM, JSON.stringify(opts)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => String((await lines.next()).value ?? '');

  expect(await next()).toBe('ready');
  const entries = await batchedBurst(emu, 800, 240);
  child.stdin.write('stop\n');
  const { seen, coalesced } = JSON.parse(await next()) as { seen: Record<string, number>; coalesced: number };
  expect(Object.keys(seen).sort()).toEqual(['000660', '005930']);
  expect(Object.values(seen).reduce((a, b) => a + b, 0) + coalesced).toBe(entries);
  expect(await exited).toBe(0);
}, 60_000);
