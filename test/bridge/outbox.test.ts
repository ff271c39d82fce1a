import { describe, expect, it } from 'vitest';
import { Outbox } from '../../src/bridge/outbox.js';
import { StoppingSink } from './stopping-sink.js';

/** An outbox whose end-of-turn flush runs when the test says, on a clock the test moves (`clock.ms`). */
function manual(options: { maxLineChars?: number; maxHoldMs?: number } = {}) {
  const sink = new StoppingSink();
  const clock = { ms: 0 };
  let pending: (() => void) | undefined;
  let scheduled = 0;
  const outbox = new Outbox(sink, {
    ...options,
    now: () => clock.ms,
    defer: (f) => {
      scheduled++;
      pending = f;
    },
  });
  const endTurn = (): void => {
    const f = pending;
    pending = undefined;
    f?.();
  };
  return { sink, outbox, endTurn, clock, scheduled: () => scheduled };
}

const quote = (code: string, price: number): string => `1\t${code}\t${price}`;
const chejan = (n: number): string => JSON.stringify({ event: 'OnReceiveChejanData', args: ['0', { '9203': String(n) }] });

describe('bridge outbox', () => {
  it('writes what one event-loop turn produced as one line, in order', () => {
    const { sink, outbox, endTurn } = manual();
    outbox.push('{"id":1,"result":0}');
    outbox.pushQuote('005930|주식체결', quote('005930', 100));
    outbox.pushQuote('005930|주식체결', quote('005930', 101));
    outbox.push(chejan(1));
    expect(sink.lines).toEqual([]);
    endTurn();
    expect(sink.lines).toEqual([[{ id: 1, result: 0 }, ['005930', 1, '100'], ['005930', 1, '101'], JSON.parse(chejan(1))]]);
    expect(outbox.coalesced).toBe(0);
  });

  it('writes the messages of a long turn once the oldest has waited maxHoldMs, not only at the end of the turn (the first quote of a burst does not wait for its last)', () => {
    const { sink, outbox, endTurn, clock, scheduled } = manual({ maxHoldMs: 1 });
    outbox.pushQuote('A', quote('A', 1));
    clock.ms = 0.6;
    outbox.pushQuote('B', quote('B', 1));
    expect(sink.lines).toEqual([]);
    clock.ms = 1.0; // A has waited 1 ms: this push writes A, B and itself
    outbox.pushQuote('C', quote('C', 1));
    expect(sink.lines).toEqual([[['A', 1, '1'], ['B', 1, '1'], ['C', 1, '1']]]);
    // The hold restarts from the next message; the turn's end writes the rest.
    clock.ms = 1.5;
    outbox.push(chejan(1));
    clock.ms = 2.4;
    outbox.pushQuote('A', quote('A', 2));
    expect(sink.lines).toHaveLength(1);
    endTurn();
    expect(sink.lines).toEqual([[['A', 1, '1'], ['B', 1, '1'], ['C', 1, '1']], [JSON.parse(chejan(1)), ['A', 1, '2']]]);
    // One end-of-turn flush was scheduled for the whole turn, not one per early line.
    expect(scheduled()).toBe(1);
    endTurn();
    expect(sink.lines).toHaveLength(2);
  });

  it('keeps the messages of a short turn to its end, however long the outbox was idle before', () => {
    const { sink, outbox, endTurn, clock } = manual({ maxHoldMs: 1 });
    clock.ms = 50;
    outbox.pushQuote('A', quote('A', 1));
    outbox.pushQuote('B', quote('B', 1));
    expect(sink.lines).toEqual([]);
    endTurn();
    clock.ms = 80;
    outbox.pushQuote('C', quote('C', 1));
    expect(sink.lines).toHaveLength(1);
    endTurn();
    expect(sink.lines).toEqual([[['A', 1, '1'], ['B', 1, '1']], [['C', 1, '1']]]);
  });

  it('holds everything while the reader is behind, merges waiting quotes in place, and never merges or drops anything else', () => {
    const { sink, outbox, endTurn, scheduled } = manual();
    sink.full = true;
    outbox.pushQuote('A', quote('A', 1));
    endTurn(); // this line is taken, but the reader is now behind
    expect(outbox.blocked).toBe(true);
    expect(scheduled()).toBe(1);
    outbox.pushQuote('A', quote('A', 2));
    outbox.push(chejan(1));
    outbox.pushQuote('B', quote('B', 1));
    outbox.pushQuote('A', quote('A', 3)); // merges into the waiting A (2): it keeps its place before the chejan
    outbox.push(chejan(2));
    outbox.pushQuote('B', quote('B', 2));
    outbox.push('{"id":9,"result":0}');
    endTurn();
    expect(sink.lines).toHaveLength(1);
    expect(outbox.waiting).toBe(5);
    expect(outbox.coalesced).toBe(2);
    // While the reader is behind, a push schedules no flush: the drain writes what waits.
    expect(scheduled()).toBe(1);
    sink.drain();
    expect(sink.messages.slice(1)).toEqual([{ coalesced: 2 }, ['A', 1, '3'], JSON.parse(chejan(1)), ['B', 1, '2'], JSON.parse(chejan(2)), { id: 9, result: 0 }]);
    expect(outbox.blocked).toBe(false);
    // Caught up: quotes flow one by one again.
    outbox.pushQuote('A', quote('A', 4));
    outbox.pushQuote('A', quote('A', 5));
    endTurn();
    expect(sink.messages.slice(-2)).toEqual([['A', 1, '4'], ['A', 1, '5']]);
  });

  it('stays bounded under a flood of quotes while the reader does not read, and delivers every order event after', () => {
    const { sink, outbox, endTurn, clock } = manual();
    sink.full = true;
    outbox.push(chejan(0));
    endTurn();
    for (let i = 1; i <= 200_000; i++) {
      clock.ms += 0.01; // 5 ms a turn: the hold does not write past a reader that is behind
      outbox.pushQuote(`C${i % 100}`, quote(`C${i % 100}`, i));
      if (i % 10_000 === 0) outbox.push(chejan(i / 10_000));
      if (i % 1_000 === 0) endTurn();
    }
    expect(outbox.waiting).toBeLessThanOrEqual(120);
    expect(outbox.coalesced).toBe(200_000 - 100);
    sink.drain();
    const events = sink.messages.filter((m) => !Array.isArray(m) && (m as { event?: string }).event === 'OnReceiveChejanData');
    expect(events.map((e) => (e as { args: [string, Record<string, string>] }).args[1]['9203'])).toEqual(Array.from({ length: 21 }, (_, i) => String(i)));
    const quotes = sink.messages.filter(Array.isArray) as string[][];
    expect(quotes).toHaveLength(100);
    expect(quotes.every((q) => Number(q[2]) > 199_000)).toBe(true);
  });

  it('merges a quote into one of its key that was already waiting when the reader fell behind (left over from a split backlog)', () => {
    const { sink, outbox, endTurn } = manual({ maxLineChars: 15 }); // 3 quotes a line
    for (const code of ['A', 'B', 'C', 'D', 'E', 'F']) outbox.pushQuote(code, quote(code, 1));
    outbox.pushQuote('E', quote('E', 2)); // the reader keeps up: not merged
    sink.full = true;
    endTurn(); // A, B, C are taken and the reader is behind; D, E (1), F, E (2) wait
    expect(sink.lines).toHaveLength(1);
    outbox.pushQuote('F', quote('F', 2)); // into F (1), which waited from before the reader fell behind
    outbox.pushQuote('E', quote('E', 3)); // into the latest waiting E, E (2), not the older E (1)
    outbox.pushQuote('G', quote('G', 1));
    outbox.pushQuote('G', quote('G', 2));
    outbox.pushQuote('A', quote('A', 2)); // A (1) was written: this one waits on its own
    expect(outbox.coalesced).toBe(3);
    expect(outbox.waiting).toBe(6);
    sink.drain();
    const [report, ...quotes] = sink.messages.slice(3) as [unknown, ...string[][]];
    expect(report).toEqual({ coalesced: 3 });
    expect(quotes.map((q) => `${q[0]}${q[2]}`)).toEqual(['D1', 'E1', 'F2', 'E3', 'G2', 'A2']);
  });

  it('falling behind a second time, merges nothing into a quote written after the first', () => {
    const { sink, outbox, endTurn } = manual();
    sink.full = true;
    outbox.pushQuote('A', quote('A', 1));
    endTurn(); // taken; the reader is behind
    outbox.pushQuote('A', quote('A', 2)); // waits
    sink.drain(); // A (2) is written: the reader caught up
    sink.full = true;
    outbox.push(chejan(1));
    endTurn(); // behind again, nothing waiting
    outbox.pushQuote('A', quote('A', 3));
    expect(outbox.coalesced).toBe(0);
    sink.drain();
    expect(sink.messages.filter(Array.isArray).map((q) => `${(q as string[])[0]}${(q as string[])[2]}`)).toEqual(['A1', 'A2', 'A3']);
  });

  it('splits a large backlog into lines of bounded size, and stops at the first line the reader could not take', () => {
    const { sink, outbox, endTurn } = manual({ maxLineChars: 1_000 });
    for (let i = 0; i < 100; i++) outbox.push(chejan(i));
    sink.full = true;
    endTurn();
    expect(sink.lines).toHaveLength(1);
    sink.drain();
    expect(sink.lines.length).toBeGreaterThan(3);
    expect(sink.lines.every((l) => JSON.stringify(l).length < 1_200)).toBe(true);
    expect(sink.messages).toEqual(Array.from({ length: 100 }, (_, i) => JSON.parse(chejan(i))));
  });
  it('a backlog of many thousand messages, drained a line at a time with the reader falling behind after each, arrives once each, in order, and merged quotes keep their places', () => {
    const { sink, outbox, endTurn } = manual({ maxLineChars: 2_000 });
    sink.full = true;
    outbox.push(chejan(-1));
    endTurn(); // taken; the reader is behind
    for (let i = 0; i < 12_000; i++) {
      outbox.push(chejan(i));
      if (i % 1_000 === 0) outbox.pushQuote('A', quote('A', i)); // the first waits; the others merge into it
    }
    expect(outbox.coalesced).toBe(11);
    let lines = sink.lines.length;
    let drains = 0;
    while (outbox.waiting > 1) {
      sink.fullAfterOne = true; // each drain writes a line or two, then the reader is behind again
      sink.drain();
      drains++;
      expect(sink.lines.length).toBeGreaterThan(lines);
      lines = sink.lines.length;
      // The first A was written with the first line: this one waits at the end, taking each later one.
      outbox.pushQuote('A', quote('A', lines));
    }
    expect(drains).toBeGreaterThan(150); // the queue's written head was dropped on the way (every 4,096)
    sink.fullAfterOne = false;
    sink.drain();
    endTurn();
    expect(outbox.waiting).toBe(0);
    const messages = sink.messages;
    const chejans = messages.filter((m) => !Array.isArray(m) && (m as { event?: string }).event !== undefined);
    expect(chejans.map((e) => Number((e as { args: [string, Record<string, string>] }).args[1]['9203']))).toEqual(Array.from({ length: 12_001 }, (_, i) => i - 1));
    // The first A stood after chejan 0 with the values of the last one merged into it; the last one written carries the latest.
    const quotes = messages.filter(Array.isArray) as string[][];
    expect(quotes[0]).toEqual(['A', 1, '11000']);
    expect(messages[messages.indexOf(quotes[0]) - 1]).toEqual(JSON.parse(chejan(0)));
    expect(quotes.at(-1)).toEqual(['A', 1, String(lines)]);
    const later = quotes.slice(1).map((q) => Number(q[2]));
    expect(later).toEqual([...new Set(later)].sort((x, y) => x - y));
    // Every A pushed is written or counted as merged, none both.
    expect(outbox.coalesced).toBe(12 + drains - quotes.length);
  });

  it('with the default options, writes a turn at its end (setImmediate) and a long turn once the oldest message has waited 2 ms', async () => {
    const sink = new StoppingSink();
    const outbox = new Outbox(sink);
    outbox.pushQuote('A', quote('A', 1));
    outbox.push(chejan(1));
    expect(sink.lines).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.lines).toEqual([[['A', 1, '1'], JSON.parse(chejan(1))]]);
    // A busy turn of 3 ms: a push once the oldest waiting message has waited 2 ms writes what waits, itself included.
    const start = performance.now();
    outbox.pushQuote('B', quote('B', 1));
    while (performance.now() - start < 3) outbox.pushQuote('B', quote('B', 2));
    outbox.pushQuote('B', quote('B', 3));
    expect(sink.lines.length).toBeGreaterThan(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.messages.at(-1)).toEqual(['B', 1, '3']);
  });
});
