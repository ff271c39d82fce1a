/**
 * `kiwoom-compat gateway` as a user runs it: the built bin in front of the built-in emulator,
 * a client pair issued at start, `gateway status`, `issue` and `revoke` against it, Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateway } from '../../src/cli/commands/gateway.js';
import type { GatewayStatus } from '../../src/gateway/index.js';
import { Client } from '../emulator-ws/harness.js';
import { RawClient, sleep } from '../gateway/helpers.js';
import { capture } from './capture.js';

const BIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;
let dir: string;
let child: ChildProcess;
let out = '';

/** The built bin's gateway in front of its emulator, once it printed its ready line. */
async function startBin(args: string[]): Promise<{ child: ChildProcess; out: () => string }> {
  const proc = spawn(process.execPath, [BIN, 'gateway', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  proc.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line: ${text}`)), 15_000);
    proc.stdout!.on('data', () => {
      if (text.includes('Ctrl-C')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => reject(new Error(`gateway exited ${code}: ${text}`)));
  });
  return { child: proc, out: () => text };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiwoom-gateway-cli-'));
  const started = await startBin(['--clients', join(dir, 'clients.json'), '--client', 'alpha']);
  child = started.child;
  out = started.out();
}, 20_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const state = (): string[] => ['--state', join(dir, 'gateway.json')];

describe('kiwoom-compat gateway', () => {
  it('prints where to point programs and the new pair once, and keeps pairs in a 0600 file', async () => {
    const rest = /REST\s+(\S+)/.exec(out)![1]!;
    const pair = /new pair alpha\s+appkey (\S+)\s+secretkey (\S+)/.exec(out)!;
    expect(out).toContain('/api/dostk/websocket');
    expect(statSync(join(dir, 'clients.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'gateway.json')).mode & 0o777).toBe(0o600);
    const token = await RawClient.issueToken(rest, { appkey: pair[1]!, secretkey: pair[2]! });
    expect(token.length).toBeGreaterThan(20);
  });

  it('shows the status, issues and revokes pairs through the admin endpoints', async () => {
    const issued = await capture(() => gateway.run(['issue', 'beta', ...state()]));
    expect(issued.out).toMatch(/^beta\s+appkey gw\w+\s+secretkey \S+/);
    const status = await capture(() => gateway.run(['status', ...state()]));
    expect(status.out).toMatch(/upstream\s+open, 0 reconnects, 0\/200 items/);
    expect(status.out).toMatch(/^alpha\s+0 session\(s\)/m);
    expect(status.out).toMatch(/^beta\s+0 session\(s\)/m);
    const json = await capture(() => gateway.run(['status', '--json', ...state()]));
    expect(JSON.parse(json.out)).toMatchObject({ upstream: { state: 'open' }, clients: [{ name: 'alpha' }, { name: 'beta' }] });
    expect((await capture(() => gateway.run(['revoke', 'beta', ...state()]))).out).toContain('beta: revoked');
    await expect(gateway.run(['revoke', 'beta', ...state()])).rejects.toThrow(/no client named "beta"/);
    await expect(gateway.run(['status', '--url', /REST\s+(\S+)/.exec(out)![1]!, '--admin-token', 'wrong'])).rejects.toThrow(/admin token required/);
  });

  it('keeps a departed program\'s registrations upstream for --release-grace seconds (default 10), and lets them go at once with 0', async () => {
    /** Items held upstream just after a program registered one and dropped its socket without REMOVE. */
    async function heldAfterDrop(gw: { out: () => string }, stateFile: string): Promise<{ items: number; lingering: number }> {
      const rest = /REST\s+(\S+)/.exec(gw.out())![1]!;
      const ws = /WS\s+(\S+)/.exec(gw.out())![1]!;
      const pair = /new pair alpha\s+appkey (\S+)\s+secretkey (\S+)/.exec(gw.out())!;
      const client = await Client.login(ws, await RawClient.issueToken(rest, { appkey: pair[1]!, secretkey: pair[2]! }));
      expect(await client.request({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: ['005930'], type: ['0B'] }] })).toMatchObject({ return_code: 0 });
      client.close();
      await sleep(300);
      const status = JSON.parse((await capture(() => gateway.run(['status', '--json', '--state', stateFile]))).out) as GatewayStatus;
      return { items: status.upstream.items, lingering: status.upstream.lingering };
    }
    expect(await heldAfterDrop({ out: () => out }, join(dir, 'gateway.json'))).toEqual({ items: 1, lingering: 1 });

    const dir0 = mkdtempSync(join(tmpdir(), 'kiwoom-gateway-cli-'));
    const gw0 = await startBin(['--clients', join(dir0, 'clients.json'), '--client', 'alpha', '--release-grace', '0']);
    try {
      expect(await heldAfterDrop(gw0, join(dir0, 'gateway.json'))).toEqual({ items: 0, lingering: 0 });
    } finally {
      gw0.child.kill('SIGKILL');
      rmSync(dir0, { recursive: true, force: true });
    }
    await expect(gateway.run(['--release-grace', 'soon'])).rejects.toThrow(/--release-grace must be a number of at least 0, got "soon"/);
  }, 30_000);

  it('stops on Ctrl-C with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
