/**
 * The stream worker's frames and output (src/bridge/stream-writer.ts), in-process: quote frames
 * written as compact records, everything else handed to the main thread, and every frame after
 * it until its output is back, so that nothing is written ahead of an earlier frame's output; the main thread's output kept in
 * order; a stopped reader holding memory to one waiting quote per code and type.
 */
import { describe, expect, it } from 'vitest';
import { StreamWriter } from '../../src/bridge/stream-writer.js';
import type { FromWorker } from '../../src/bridge/stream-relay.js';
import { StoppingSink } from './stopping-sink.js';

function writer() {
  const sink = new StoppingSink();
  const posted: FromWorker[] = [];
  let pending: (() => void) | undefined;
  const w = new StreamWriter(sink, { defer: (f) => (pending = f), maxHoldMs: 1_000, now: () => 0 }, (m) => posted.push(m));
  const endTurn = (): void => {
    const f = pending;
    pending = undefined;
    f?.();
  };
  w.wanted([
    ['0B', ['005930', '000660']],
    ['00', ['']],
    ['02', ['']],
  ]);
  return { sink, posted, w, endTurn };
}

const frame = (data: object[]): Buffer => Buffer.from(JSON.stringify({ trnm: 'REAL', data }));
const quote = (item: string, price: string): object => ({ type: '0B', name: '주식체결', item, values: { '10': price } });
const order = (no: string): object => ({ type: '00', name: '주문체결', item: '', values: { '9203': no, '913': '접수' } });
const chejanEvent = (no: string): string => JSON.stringify({ event: 'OnReceiveChejanData', args: ['0', { '9203': no }] });

/** The messages a reader sees, quotes as "code price", events by name, schemas left out. */
function seen(sink: StoppingSink): string[] {
  return sink.messages.flatMap((m) => {
    if (Array.isArray(m)) return [`${m[0] as string} ${(m[2] as string).split('\t').filter(Boolean).join(' ')}`];
    const o = m as { event?: string; id?: number; schema?: number; coalesced?: number };
    if (o.schema !== undefined || o.coalesced !== undefined) return [];
    return [o.event ?? `reply ${o.id}`];
  });
}

describe('the stream worker writer', () => {
  it('writes a frame of wanted quotes itself and reports what the main thread keeps (values, counts)', async () => {
    const { sink, posted, w, endTurn } = writer();
    w.frame(1, frame([quote('005930', '+100'), quote('000660', '+200')]));
    endTurn();
    expect(seen(sink)).toEqual(['005930 +100', '000660 +200']);
    expect(posted.filter((m) => m.t === 'frame')).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(posted).toEqual([{ t: 'seen', frames: 1, entries: 2, remember: ['0B', '005930', '{"10":"+100"}', '0B', '000660', '{"10":"+200"}'] }]);
  });

  it("hands over a frame with an order entry, and every frame after it until the main thread's output for it is back", () => {
    const { sink, posted, w, endTurn } = writer();
    w.frame(1, frame([quote('005930', '+100')]));
    w.frame(1, frame([order('0000001')]));
    w.frame(1, frame([quote('005930', '+101')]));
    endTurn();
    expect(posted.filter((m) => m.t === 'frame').map((m) => (m as { seq: number }).seq)).toEqual([1, 2]);
    expect(seen(sink)).toEqual(['005930 +100']);
    // The main thread raised both frames' events, then acknowledged them.
    w.output([
      ['p', chejanEvent('0000001')],
      ['r', '005930', '주식체결', { '10': '+101' }],
      ['a', 2],
    ]);
    w.frame(1, frame([quote('005930', '+102')]));
    endTurn();
    expect(posted.filter((m) => m.t === 'frame')).toHaveLength(2);
    expect(seen(sink)).toEqual(['005930 +100', 'OnReceiveChejanData', '005930 +101', '005930 +102']);
  });

  it('keeps wire order when the main thread acknowledges two handed-over frames at once, after both outputs (a fill never ahead of the quote before it)', () => {
    const { sink, posted, w, endTurn } = writer();
    w.frame(1, frame([order('0000001')]));
    w.frame(1, frame([quote('005930', '+100')]));
    w.frame(1, frame([order('0000002'), quote('005930', '+101')]));
    w.frame(1, frame([{ type: '02', name: '조건검색', item: '005930', values: { '841': '4', '843': 'I' } }]));
    endTurn();
    // The condition entry is the facade's too, even where "02" is wanted.
    expect(posted.filter((m) => m.t === 'frame').map((m) => (m as { seq: number }).seq)).toEqual([1, 2, 3, 4]);
    // What the main thread posts when it handled all four in one turn: their output in wire order, then the acknowledgements.
    w.output([
      ['p', chejanEvent('0000001')],
      ['r', '005930', '주식체결', { '10': '+100' }],
      ['p', chejanEvent('0000002')],
      ['r', '005930', '주식체결', { '10': '+101' }],
      ['p', JSON.stringify({ event: 'OnReceiveRealCondition', args: ['005930', 'I', '조건', '4'] })],
      ['p', '{"id":7,"result":0}'],
      ['a', 1],
      ['a', 2],
      ['a', 3],
      ['a', 4],
    ]);
    w.frame(1, frame([quote('005930', '+102')]));
    endTurn();
    expect(seen(sink)).toEqual(['OnReceiveChejanData', '005930 +100', 'OnReceiveChejanData', '005930 +101', 'OnReceiveRealCondition', 'reply 7', '005930 +102']);
  });

  it('reports the quotes it wrote before it hands a frame over (a balance event raised there reads the latest values)', () => {
    const { posted, w } = writer();
    w.frame(1, frame([quote('005930', '+100')]));
    w.frame(1, frame([{ type: '04', name: '잔고', item: '005930', values: { '9001': 'A005930' } }]));
    expect(posted.map((m) => m.t)).toEqual(['seen', 'frame']);
    expect(posted[0]).toMatchObject({ remember: ['0B', '005930', '{"10":"+100"}'] });
  });

  it('a PING is handed over alone, the quotes after it written here (it has no output); an unwanted item is handed over (the session drops it)', () => {
    const { sink, posted, w, endTurn } = writer();
    w.frame(1, Buffer.from('{"trnm":"PING"}'));
    w.frame(1, frame([quote('005930', '+100')]));
    w.frame(1, frame([quote('035720', '+300')]));
    endTurn();
    expect(posted.filter((m) => m.t === 'frame')).toEqual([
      { t: 'frame', id: 1, seq: 0, text: '{"trnm":"PING"}' },
      { t: 'frame', id: 1, seq: 1, text: JSON.stringify({ trnm: 'REAL', data: [quote('035720', '+300')] }) },
    ]);
    expect(seen(sink)).toEqual(['005930 +100']);
    w.wanted([['0B', ['']]]);
    w.output([['a', 1]]);
    w.frame(1, frame([quote('035720', '+301')]));
    endTurn();
    expect(seen(sink)).toEqual(['005930 +100', '035720 +301']);
  });

  it("encodes the main thread's OnReceiveRealData with the same schema numbers as its own quotes", () => {
    const { sink, w, endTurn } = writer();
    w.frame(1, frame([quote('005930', '+100')]));
    w.output([['r', '005930', '주식호가잔량', { '41': '+100' }]]);
    w.output([['r', '005930', '주식체결', { '10': '+101' }]]);
    endTurn();
    const schemas = sink.messages.filter((m) => !Array.isArray(m)).map((m) => (m as { schema: number; real: string }).schema);
    expect(new Set(schemas).size).toBe(schemas.length);
    const quotes = sink.messages.filter(Array.isArray) as [string, number, string][];
    expect(quotes.map((q) => q[1])).toEqual([schemas[0], schemas[1], schemas[0]]);
  });

  it('a stopped reader: quotes merge into one waiting quote per code and type (counted), events wait in order, all of it held or not', () => {
    const { sink, w, endTurn } = writer();
    w.frame(1, frame([quote('005930', '+1')]));
    endTurn();
    sink.full = true;
    w.frame(1, frame([quote('005930', '+2')]));
    endTurn();
    // The reader is behind now; 20,000 quotes for two codes, with a handed-over order frame in the middle.
    for (let i = 0; i < 10_000; i++) w.frame(1, frame([quote('005930', `+${i}`), quote('000660', `-${i}`)]));
    w.frame(1, frame([order('0000009')]));
    w.output([
      ['p', chejanEvent('0000009')],
      ['a', 1],
    ]);
    for (let i = 0; i < 10_000; i++) w.frame(1, frame([quote('005930', `+${i}`), quote('000660', `-${i}`)]));
    endTurn();
    expect(w.outbox.waiting).toBeLessThanOrEqual(3);
    expect(w.outbox.coalesced).toBe(39_998);
    sink.drain();
    const after = seen(sink).slice(2);
    expect(after).toEqual(['005930 +9999', '000660 -9999', 'OnReceiveChejanData']);
  });
});
