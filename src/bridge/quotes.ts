/**
 * OnReceiveRealData in the bridge's compact form: `3\t005930\tv\tv\t...`, a schema number, the
 * code and the values of a real type joined by TAB in the OCX's sRealData order, after a schema
 * message that names the real type and its FIDs once:
 * `{"schema": 3, "real": "주식체결", "fids": ["20", "10", ...], "ocx": 38}`
 * (`ocx`: how many leading FIDs make the OCX's sRealData; the rest are what REST adds).
 *
 * Why: the reader splits a short string instead of decoding a 40- to 160-key object (or even a
 * JSON string) per quote, several times cheaper in Python, and the values are the OCX's own
 * sRealData argument. A schema starts from the type's OCX FIDs (compat/real-types.json `ocxFids`,
 * so positions match the OCX's), then the FIDs REST adds; a frame carrying a FID outside it gets
 * a new, wider schema. A FID the frame lacks reads "". A value that is not a string, or a code or
 * value holding a TAB, a line break or the record separator, cannot ride in the joined form:
 * that quote goes as a plain event instead.
 */
import { realTypeByOcxName } from '../compat/real-types.js';
import type { PairRange } from '../realtime/real-text.js';

interface Schema {
  id: number;
  fids: string[];
  /** FID → its position, for values read from text. */
  index: Map<string, number>;
  /** The same for FIDs that are numbers up to {@link MAX_NUMERIC_FID}, read from the text's digits without a key string (-1: none). */
  byNumber: Int32Array;
  /** The FIDs as property keys, numbers where they can be: V8 keeps a frame's FID keys as indexed elements, read faster by number. */
  keys: (number | string)[];
  /** How many leading FIDs make the OCX's sRealData (the rest are what REST adds). */
  ocx: number;
}

/** The key a quote merges under while the reader is behind (its code and OCX real type): the `key` of the outbox's `pushQuote` (./outbox.ts). */
export function quoteKey(code: string, realType: string): string {
  return `${code}\u0000${realType}`;
}

/** Encodes quotes; one per bridge, since schema numbers are per output stream. */
export class QuoteEncoder {
  readonly #byName = new Map<string, Schema>();
  readonly #byId: Schema[] = [];
  #nextId = 1;

  /**
   * The compact message for one quote, or undefined when it must go as a plain event.
   * `define` receives a schema message to write first (before this quote) when one is needed.
   */
  encode(code: string, name: string, values: Readonly<Record<string, unknown>>, define: (text: string) => void): string | undefined {
    let schema = this.#byName.get(name) ?? this.#define(name, ...baseFids(name), define);
    if (UNSAFE.test(code)) return undefined;
    let joined = join(schema.keys, values);
    if (joined === undefined) return undefined;
    // Object.keys is the cheapest count of a frame's values (a for-in costs twice as much).
    if (joined.present !== Object.keys(values).length) {
      const wider = [...schema.fids, ...Object.keys(values).filter((k) => !schema.fids.includes(k))];
      schema = this.#define(name, wider, schema.ocx, define);
      joined = join(schema.keys, values);
      if (joined === undefined) return undefined;
    }
    return `${schema.id}\t${code}\t${joined.text}`;
  }

  /**
   * The compact message for one quote whose values are `text.slice(start, end)`: a JSON object
   * of strings with no escape or control character (a REAL frame scanned by
   * scanRealFrame). The values are copied from the text in schema order: no object is built.
   * `pairs`, where the scan found the values' pairs (its entry), saves walking them again.
   */
  encodeText(code: string, name: string, text: string, start: number, end: number, define: (text: string) => void, pairs?: PairRange): string {
    let schema = this.#byName.get(name) ?? this.#define(name, ...baseFids(name), define);
    if (!locateValues(schema, text, start, end, pairs)) {
      const extra = [...new Set(keysOf(text, start, end))].filter((k) => !schema.index.has(k));
      schema = this.#define(name, [...schema.fids, ...extra], schema.ocx, define);
      locateValues(schema, text, start, end, pairs);
    }
    return writeRecord(`${schema.id}\t${code}\t`, text, schema.fids.length);
  }

  /**
   * The values of a record this encoder wrote, by FID; undefined for a record it did not write.
   * An empty value is left out: the record cannot tell a FID the frame sent as "" from one it
   * did not send, and GetCommRealData reads "" for either.
   */
  decode(record: string): Record<string, string> | undefined {
    const [id = '', , ...values] = record.split('\t');
    const schema = this.#byId[Number(id)];
    if (schema === undefined || values.length !== schema.fids.length) return undefined;
    const out: Record<string, string> = {};
    values.forEach((v, i) => {
      if (v !== '') out[schema.fids[i]!] = v;
    });
    return out;
  }

  #define(name: string, fids: string[], ocx: number, define: (text: string) => void): Schema {
    const schema = { id: this.#nextId++, fids, index: new Map(fids.map((f, i) => [f, i])), byNumber: byNumber(fids), keys: fids.map((f) => (/^(0|[1-9]\d{0,8})$/.test(f) ? Number(f) : f)), ocx };
    this.#byName.set(name, schema);
    this.#byId[schema.id] = schema;
    define(JSON.stringify({ schema: schema.id, real: name, fids, ocx }));
    return schema;
  }
}

/** The OCX's FIDs of a real type in sRealData order, then the ones REST adds; and how many are the OCX's. */
function baseFids(name: string): [string[], number] {
  const spec = realTypeByOcxName(name);
  if (spec === undefined) return [[], 0];
  const fids = spec.ocxFids.map(String);
  for (const f of spec.fids) if (!spec.ocxFids.includes(f)) fids.push(String(f));
  // A type the OCX never had: its sRealData is REST's own order (as the facade's string face).
  return [fids, spec.ocxFids.length > 0 ? spec.ocxFids.length : fids.length];
}

/** Characters the compact form cannot carry in a code or value: its separators. */
const UNSAFE = /[\t\n\r\u001e]/;
/** The same, but TAB (each value is checked for TAB on its own, as the join would hide one). */
const UNSAFE_IN_JOINED = /[\n\r\u001e]/;

function join(keys: readonly (number | string)[], values: Readonly<Record<string, unknown>>): { text: string; present: number } | undefined {
  const parts = new Array<string>(keys.length);
  let present = 0;
  for (let i = 0; i < keys.length; i++) {
    const v = values[keys[i]!];
    if (v === undefined) {
      parts[i] = '';
      continue;
    }
    if (typeof v !== 'string' || v.includes('\t')) return undefined;
    parts[i] = v;
    present++;
  }
  const text = parts.join('\t');
  return UNSAFE_IN_JOINED.test(text) ? undefined : { text, present };
}

/** Numeric FIDs above this are looked up by their text (Kiwoom's run to 4 digits). */
const MAX_NUMERIC_FID = 0xffff;

function byNumber(fids: readonly string[]): Int32Array {
  const table = new Int32Array(MAX_NUMERIC_FID + 1).fill(-1);
  fids.forEach((f, i) => {
    const n = fidNumber(f, 0, f.length);
    if (n >= 0) table[n] = i;
  });
  return table;
}

/** The FID `text.slice(from, to)` as a number when it is one's canonical form up to MAX_NUMERIC_FID, else -1. */
function fidNumber(text: string, from: number, to: number): number {
  if (to - from < 1 || to - from > 5 || (to - from > 1 && text.charCodeAt(from) === 0x30)) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n <= MAX_NUMERIC_FID ? n : -1;
}

/** The quotes' offsets of the pair {@link nextPair} found last: key start, key end, value start, value end. */
const pair = new Int32Array(4);

/** Finds the first `"key":"value"` pair at or after `at` and before `end` into {@link pair}; false when none is left. */
function nextPair(text: string, at: number, end: number): boolean {
  const keyStart = text.indexOf('"', at);
  if (keyStart < 0 || keyStart >= end) return false;
  const keyEnd = text.indexOf('"', keyStart + 1);
  const valueStart = text.indexOf('"', keyEnd + 1);
  pair[0] = keyStart;
  pair[1] = keyEnd;
  pair[2] = valueStart;
  pair[3] = text.indexOf('"', valueStart + 1);
  return true;
}

/**
 * Where each value of the quote being encoded lies in its text, by schema position: value i is
 * `text.slice(located[2 * i], located[2 * i + 1])`, absent when `located[2 * i]` is -1. Why
 * positions and not the values: the record is then copied from the text a byte at a time into
 * {@link record}, where slicing each value and joining them cost a string per value and two
 * per quote (3.5 of the 7.4 KB the bridge allocated per quote at 5,000 a second, and so most
 * of its young-generation collections).
 */
let located = new Int32Array(2 * 256);
/** The record being written, as Latin-1 bytes (grown as records need). */
let record = Buffer.allocUnsafe(8_192);

/**
 * Locates the values of a scanned `{"fid": "value", ...}` in schema positions (see
 * {@link located}); false when it holds a FID outside the schema. The pairs' positions come
 * from the scan when given, else from a walk.
 */
function locateValues(schema: Schema, text: string, start: number, end: number, scanned: PairRange | undefined): boolean {
  const n = schema.fids.length;
  if (located.length < 2 * n) located = new Int32Array(4 * n);
  located.fill(-1, 0, 2 * n);
  if (scanned !== undefined) {
    const p = scanned.pairs;
    for (let i = 4 * scanned.from; i < 4 * scanned.to; i += 4) if (!place(schema, text, p[i]! + 1, p[i + 1]!, p[i + 2]! + 1, p[i + 3]!)) return false;
    return true;
  }
  for (let at = start + 1; nextPair(text, at, end); at = pair[3]! + 1) if (!place(schema, text, pair[0]! + 1, pair[1]!, pair[2]! + 1, pair[3]!)) return false;
  return true;
}

/** Records that the value `text.slice(valueStart, valueEnd)` goes in its FID's schema position; false when the FID is outside the schema. */
function place(schema: Schema, text: string, keyStart: number, keyEnd: number, valueStart: number, valueEnd: number): boolean {
  const n = fidNumber(text, keyStart, keyEnd);
  const at = n >= 0 ? schema.byNumber[n] : schema.index.get(text.slice(keyStart, keyEnd));
  if (at === undefined || at < 0) return false;
  located[2 * at] = valueStart;
  located[2 * at + 1] = valueEnd;
  return true;
}

/** `head`, then the `count` located values joined by TAB (an absent one as ""). */
function writeRecord(head: string, text: string, count: number): string {
  let size = head.length + count;
  for (let i = 0; i < count; i++) if (located[2 * i]! >= 0) size += located[2 * i + 1]! - located[2 * i]!;
  if (record.length < size) record = Buffer.allocUnsafe(2 * size);
  let at = 0;
  // Any character above 0xff cannot be a byte of the record: such a text takes the slices.
  let chars = 0;
  for (let c = 0; c < head.length; c++) chars |= record[at++] = head.charCodeAt(c);
  for (let i = 0; i < count; i++) {
    if (i > 0) record[at++] = 0x09;
    const from = located[2 * i]!;
    if (from < 0) continue;
    const to = located[2 * i + 1]!;
    for (let c = from; c < to; c++) chars |= record[at++] = text.charCodeAt(c);
  }
  return chars <= 0xff ? record.toString('latin1', 0, at) : joinSlices(head, text, count);
}

/** What {@link writeRecord} writes, from slices (for a text holding characters above 0xff). */
function joinSlices(head: string, text: string, count: number): string {
  const parts = new Array<string>(count);
  for (let i = 0; i < count; i++) parts[i] = located[2 * i]! < 0 ? '' : text.slice(located[2 * i], located[2 * i + 1]);
  return head + parts.join('\t');
}

/** The keys of a scanned values object, in order (read once per new schema: a walk). */
function keysOf(text: string, start: number, end: number): string[] {
  const keys: string[] = [];
  for (let at = start + 1; nextPair(text, at, end); at = pair[3]! + 1) keys.push(text.slice(pair[0]! + 1, pair[1]!));
  return keys;
}
