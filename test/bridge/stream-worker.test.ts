/**
 * `bridge --stdio` with its stream on a worker thread (KIWOOM_BRIDGE_WORKER=1,
 * src/bridge/stream-relay.ts), as a process on the emulator: the protocol the Python side reads
 * is the same (ready line first, compact quotes after their schema, replies and events), an
 * order's events arrive, the session's control (REG, REMOVE, PING) still works through the
 * worker's socket, and at stdin's end the bridge cleans up, writes what waits and exits, its
 * worker ended.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { readLine, type QuoteRecord } from './protocol-lines.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('bridge --stdio with the stream worker', () => {
  it('streams quotes, answers calls, delivers an order’s events, stops quotes at SetRealRemove, and exits 0 at stdin’s end', async () => {
    const child = spawn(process.execPath, ['dist/cli/main.js', 'bridge', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, KIWOOM_BRIDGE_WORKER: '1' } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const lines: string[] = [];
    const messages: unknown[] = [];
    const waiting = new Map<number, (m: { result?: unknown; error?: unknown }) => void>();
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      for (const m of readLine(line)) {
        messages.push(m);
        const id = (m as { id?: number }).id;
        if (id !== undefined) waiting.get(id)?.(m as { result?: unknown });
      }
    });
    let nextId = 0;
    const call = (method: string, ...args: unknown[]): Promise<unknown> => {
      const id = ++nextId;
      child.stdin.write(`${JSON.stringify({ id, method, args })}\n`);
      return new Promise((resolve) => waiting.set(id, (m) => resolve(m.error ?? m.result)));
    };
    const quotes = (): QuoteRecord[] => messages.filter(Array.isArray) as QuoteRecord[];
    try {
      // The emulator PINGs every 200 ms and ends a session that leaves 3 unanswered (R10002); the session warns of any reconnect.
      await call('api_init', { sim_no: 1, use_rest: false, log_level: 'warn', emulator: { realRate: 2_000, pingIntervalMs: 200, websocket: { maxMissedPings: 3 } } });
      expect(await call('CommConnect', true)).toBe(0);
      const accno = String(await call('GetLoginInfo', 'ACCNO')).split(';')[0];
      const codes = String(await call('GetCodeListByMarket', '0')).split(';').filter(Boolean).slice(0, 20);
      expect(await call('SetRealReg', '1000', codes.join(';'), '10;41', '0')).toBe(0);
      for (let i = 0; i < 50 && quotes().length < 200; i++) await sleep(50);
      expect(quotes().length).toBeGreaterThanOrEqual(200);
      // Every quote's schema came before it, and names its codes' real types.
      const schemas = new Map<number, string>();
      for (const m of messages) {
        const s = m as { schema?: number; real?: string };
        if (s.schema !== undefined) schemas.set(s.schema, s.real!);
        if (Array.isArray(m)) expect(schemas.has((m as QuoteRecord)[1])).toBe(true);
      }
      expect(new Set(quotes().map((q) => q[0]))).toEqual(new Set(codes));
      expect(String(await call('GetCommRealData', codes[0], '10'))).toMatch(/^[-+]?\d+$/);

      expect(await call('SendOrder', 'w-buy', '2000', accno, 1, '005930', 1, 0, '03', '')).toBe(0);
      const chejan = (): string[] => (messages as { event?: string; args?: unknown[] }[]).filter((m) => m.event === 'OnReceiveChejanData' && m.args![0] === '0').map((m) => (m.args![1] as Record<string, string>)['913']!);
      for (let i = 0; i < 100 && !chejan().includes('체결'); i++) await sleep(50);
      expect(chejan()).toEqual(expect.arrayContaining(['접수', '체결']));

      // PINGs were answered through the worker's socket: a second more of them (5) and the server has not
      // dropped the session, and it never reconnected.
      await sleep(1_000);
      expect(stderr).not.toMatch(/R10002|reconnect/i);
      expect(await call('GetConnectState')).toBe(1);
      expect(await call('SetRealRemove', 'ALL', 'ALL')).toBe(0);
      const atRemove = quotes().length;
      await sleep(300);
      expect(quotes().length).toBe(atRemove);
    } finally {
      child.stdin.end();
    }
    // The worker wrote what waited and ended: the process exits by itself, 0 (a bridge still up 10 s later is killed, and fails).
    const stuck = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(stuck);
    expect(code, 'the bridge did not exit within 10 s of its stdin ending').toBe(0);
    expect(lines[0]).toMatch(/^\{"ready":/);
    expect(stderr).not.toMatch(/stream worker failed|R10002|reconnect/i);
  }, 30_000);

  it('writes its output to a file when stdout is redirected to one (not a pipe), and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-worker-'));
    const out = join(dir, 'out.txt');
    const fd = openSync(out, 'w');
    try {
      const child = spawn(process.execPath, ['dist/cli/main.js', 'bridge', '--stdio'], { stdio: ['pipe', fd, 'pipe'], env: { ...process.env, KIWOOM_BRIDGE_WORKER: '1' } });
      let stderr = '';
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      const calls = [
        ['api_init', { sim_no: 1, use_rest: false, log_level: 'silent' }],
        ['GetLoginInfo', 'USER_ID'],
      ];
      child.stdin!.end(calls.map(([method, ...args], i) => `${JSON.stringify({ id: i + 1, method, args })}\n`).join(''));
      expect(await exited, stderr).toBe(0);
      const messages = readFileSync(out, 'utf8').split('\n').filter(Boolean).flatMap(readLine);
      expect(messages[0]).toHaveProperty('ready');
      expect(messages.filter((m) => (m as { id?: number }).id !== undefined).map((m) => (m as { id: number }).id)).toEqual([1, 2]);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);
});
