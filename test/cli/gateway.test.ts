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
import { RawClient } from '../gateway/helpers.js';
import { capture } from './capture.js';

const BIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;
let dir: string;
let child: ChildProcess;
let out = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiwoom-gateway-cli-'));
  child = spawn(process.execPath, [BIN, 'gateway', '--port', '0', '--clients', join(dir, 'clients.json'), '--client', 'alpha'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line: ${out}`)), 15_000);
    child.stdout!.on('data', () => {
      if (out.includes('Ctrl-C')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`gateway exited ${code}: ${out}`)));
  });
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

  it('stops on Ctrl-C with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
