/**
 * The Python drop-in through the gateway: `api_init(use_rest=True, endpoints=...)` with a key
 * pair the gateway issued, beside a TypeScript APIServer on the same login.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIServer } from '../../src/facade/index.js';
import { openApi, startRig, type Rig } from './helpers.js';

let rig: Rig;
let ts: APIServer;

beforeAll(async () => {
  rig = await startRig({ realRate: 100 });
  // Its login also fills the day cache of the master, which the Python side's login then reads.
  ts = await openApi(rig.gw, rig.gw.clients.issue('ts'));
}, 30_000);

afterAll(async () => {
  await ts.cleanup();
  await rig.close();
});

const SCRIPT = `
import json, sys, threading
from kiwoom_compat import APIServer
seen = threading.Event()
codes = set()
api = APIServer()
def on_real(code, rtype, data):
    codes.add(code)
    seen.set()
api.on("OnReceiveRealData", on_real)
api.api_init(sim_no=1, use_rest=True, appkey=sys.argv[1], secretkey=sys.argv[2], endpoints={"rest": sys.argv[3], "ws": sys.argv[4]}, log_level="error")
rc = api.CommConnect()
reg = api.SetRealReg("1000", "000660", "10", "0")
seen.wait(10)
print(json.dumps({"connect": rc, "reg": reg, "accno": api.GetLoginInfo("ACCNO"), "codes": sorted(codes)}))
api.cleanup()
`;

function runPython(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn('python3', ['-c', SCRIPT, ...args], { cwd: 'compat/python' });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('the Python drop-in through the gateway', () => {
  it('logs in with its issued pair, streams what it registered, and shares the one upstream session', async () => {
    const pair = rig.gw.clients.issue('python');
    const run = await runPython([pair.appkey, pair.secretkey, rig.gw.restUrl, rig.gw.wsUrl]);
    expect(run.code, run.err.slice(-2000)).toBe(0);
    const result = JSON.parse(run.out.trim().split('\n').at(-1)!) as { connect: number; reg: number; accno: string; codes: string[] };
    expect(result).toMatchObject({ connect: 0, reg: 0, codes: ['000660'] });
    expect(result.accno).toContain(rig.emu.account);
    expect(rig.emu.stats().wsSessions).toBe(1);
    expect(rig.gw.status().clients.find((c) => c.name === 'python')!.logins).toBe(1);
    expect(ts.GetConnectState()).toBe(1);
  }, 60_000);
});
