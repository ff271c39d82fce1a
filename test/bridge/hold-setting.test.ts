/**
 * The outbox's hold within a busy turn (src/bridge/outbox.ts) is a setting of the bridge:
 * runStdioBridge takes it as an option, and `bridge --stdio` reads KIWOOM_BRIDGE_MAX_HOLD_MS
 * (how bench/python-realtime.mjs compares holds within one run), refusing a value that is not a
 * number of ms before it says ready.
 */
import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runStdioBridge } from '../../src/bridge/stdio.js';
import type { OutboxOptions } from '../../src/bridge/outbox.js';
import { readLine } from './protocol-lines.js';

/** Serves three calls given in one chunk (so their replies come in one turn) on a clock that moves 5 ms a reading; returns the lines after the ready line. */
async function linesOfOneTurn(outbox: OutboxOptions): Promise<unknown[][]> {
  const target = { on: () => undefined, Echo: (x: number) => x };
  const input = new PassThrough();
  const output = new PassThrough();
  const lines: unknown[][] = [];
  output.on('data', (chunk: Buffer) => {
    for (const l of chunk.toString('utf8').split('\n')) if (l !== '') lines.push(readLine(l));
  });
  let t = 0;
  const done = runStdioBridge({ target, methods: ['Echo'], events: [], version: 'test', input, output, redirectConsole: false, outbox: { ...outbox, now: () => (t += 5) } });
  input.end('{"id":1,"method":"Echo","args":[1]}\n{"id":2,"method":"Echo","args":[2]}\n{"id":3,"method":"Echo","args":[3]}\n');
  await done;
  return lines.slice(1);
}

describe('the bridge outbox hold setting', () => {
  it("runStdioBridge passes its outbox options on: a hold longer than the turn keeps the turn's replies in one line, the default 2 ms writes once the oldest has waited", async () => {
    const ids = (lines: unknown[][]): unknown[][] => lines.map((line) => line.map((m) => (m as { id: number }).id));
    expect(ids(await linesOfOneTurn({ maxHoldMs: 100 }))).toEqual([[1, 2, 3]]);
    expect(ids(await linesOfOneTurn({}))).toEqual([[1, 2], [3]]);
  });

  it('bridge --stdio refuses a KIWOOM_BRIDGE_MAX_HOLD_MS that is not a number of ms, naming it, before saying ready', () => {
    for (const bad of ['-1', 'soon']) {
      const run = spawnSync(process.execPath, ['dist/cli/main.js', 'bridge', '--stdio'], { env: { ...process.env, KIWOOM_BRIDGE_MAX_HOLD_MS: bad }, input: '', encoding: 'utf8' });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain(`KIWOOM_BRIDGE_MAX_HOLD_MS must be a number of ms, 0 or more, got "${bad}"`);
      expect(run.stdout).not.toContain('"ready"');
    }
  });
});
