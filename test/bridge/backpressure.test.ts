/**
 * `bridge --stdio` honours backpressure: while its reader does not read, the bridge stops
 * writing and quotes for a code and real type merge into the waiting one (counted and
 * reported), and no reply, order, chejan or TR event is lost. That the merging bounds memory is
 * proven on the outbox itself (outbox.test.ts, 200,000 quotes); the bridge's RSS over a 20 s
 * pause is a benchmark figure (bench/python-bridge.mjs), since this process also runs the
 * emulator and its RSS follows GC timing more than the backlog.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { readLine } from './protocol-lines.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.each([
  ['', {}],
  [' with the stream worker', { KIWOOM_BRIDGE_WORKER: '1' }],
])('bridge --stdio backpressure%s', (_name, env) => {
  it('a reader that stops reading for 2 s (more, up to 5 times, until the bridge has filled the pipe) under 20,000 quotes/s: quotes coalesced, the order and its events all arrive', async () => {
    const child = spawn(process.execPath, ['--optimize-for-size', 'dist/cli/main.js', 'bridge', '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ...env } });
    const messages: unknown[] = [];
    const waiting = new Map<number, (m: Record<string, unknown>) => void>();
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      for (const m of readLine(line)) {
        messages.push(m);
        const id = (m as { id?: number }).id;
        if (id !== undefined) waiting.get(id)?.(m as Record<string, unknown>);
      }
    });
    let nextId = 0;
    const send = (method: string, ...args: unknown[]): Promise<Record<string, unknown>> => {
      const id = ++nextId;
      child.stdin.write(`${JSON.stringify({ id, method, args })}\n`);
      return new Promise((resolve) => waiting.set(id, resolve));
    };
    try {
      await send('api_init', { sim_no: 1, use_rest: false, log_level: 'silent', emulator: { realRate: 20_000, pingIntervalMs: 60_000 } });
      expect((await send('CommConnect', true)).result).toBe(0);
      const accno = String((await send('GetLoginInfo', 'ACCNO')).result).split(';')[0];
      const codes = String((await send('GetCodeListByMarket', '0')).result).split(';').filter(Boolean).slice(0, 100);
      expect((await send('SetRealReg', '1000', codes.join(';'), '10;41', '0')).result).toBe(0);
      await sleep(500);

      // The reader stops; an order goes in meanwhile.
      const received = messages.length;
      const stop = (): void => {
        lines.pause();
        child.stdout.pause();
      };
      const start = (): void => {
        child.stdout.resume();
        lines.resume();
      };
      const merged = (): boolean => messages.slice(received).some((m) => typeof (m as { coalesced?: unknown }).coalesced === 'number');
      stop();
      await sleep(300);
      child.stdin.write(`${JSON.stringify({ id: 1000, method: 'SendOrder', args: ['bp-buy', '2000', accno, 1, '005930', 1, 0, '03', ''] })}\n`);
      const order = new Promise<Record<string, unknown>>((resolve) => waiting.set(1000, resolve));
      await sleep(2_000);
      start();
      // On a starved machine (load 12) the bridge did not fill the pipe in 2 s: stop reading
      // again until it has, a few times at most, rather than ask less of it.
      for (let pause = 1; pause < 5 && !merged(); pause++) {
        await sleep(200);
        if (merged()) break;
        stop();
        await sleep(2_000);
        start();
      }

      expect((await order).result).toBe(0);
      const after = messages.slice(received) as Record<string, unknown>[];
      const chejanOf = (): string[] =>
        (messages.slice(received) as { event?: string; args?: unknown[] }[]).filter((m) => m.event === 'OnReceiveChejanData').map((m) => (m.args![1] as Record<string, string>)['913']!);
      // The bridge works through what the flood left in its socket first; on a loaded machine
      // (three test files at a time) that took more than 10 s, so allow 30.
      for (let i = 0; i < 300 && !chejanOf().includes('체결'); i++) await sleep(100);
      after.push(...(messages.slice(received + after.length) as Record<string, unknown>[]));
      const coalesced = Math.max(0, ...after.map((m) => (typeof m.coalesced === 'number' ? m.coalesced : 0)));
      const events = after.filter((m) => typeof m.event === 'string') as { event: string; args: unknown[] }[];
      const tr = events.find((e) => e.event === 'OnReceiveTrData' && e.args[1] === 'bp-buy');
      const chejan = events.filter((e) => e.event === 'OnReceiveChejanData').map((e) => (e.args[1] as Record<string, string>)['913']);
      expect(tr, 'the order answer (OnReceiveTrData) was lost').toBeDefined();
      expect(chejan).toEqual(expect.arrayContaining(['접수', '체결']));
      // The flood went on while the reader was away, and was merged, not queued (how much depends
      // on the machine's load; the outbox's own test measures the bound under 200,000 quotes).
      expect(coalesced).toBeGreaterThan(0);
    } finally {
      child.stdin.end();
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }, 60_000);
});
