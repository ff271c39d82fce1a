/**
 * A REAL frame read without building its values: the entries' type, name, item and where each
 * entry's `values` object lies in the frame's text. For a reader that needs the values as text
 * (the Python bridge's compact records) a frame costs a scan instead of a `JSON.parse` that
 * builds a 40- to 160-key object per entry, which nobody in Node reads there.
 *
 * Only the plain shape is taken: `{"trnm":"REAL","data":[{"type":..,"name":..,"item":..,"values":{..}}]}`
 * in any key order, with spaces, string values, and no backslash or control character anywhere
 * in the frame (so every string's text is its value, and none holds a TAB or line break).
 * Anything else (an escape, a number, another key, a truncated frame) answers undefined and the
 * frame takes the ordinary path, which parses it and counts what is malformed.
 */

import { isAscii } from 'node:buffer';

/**
 * Where a scan found the pairs of one entry's values: pair i (from ≤ i < to) at `pairs[4 * i]`
 * (its key's opening quote), `+ 1` (the key's closing quote), `+ 2` and `+ 3` (the value's).
 * Why: a reader that copies the values (the bridge's record) would otherwise walk the pairs
 * again, and that walk was 14% of the bridge's time. `pairs` is the scanner's own array, reused:
 * valid until the next scan.
 */
export interface PairRange {
  pairs: Int32Array;
  from: number;
  to: number;
}

/** One entry of a scanned REAL frame; `values` is `text.slice(start, end)`, a JSON object of strings whose pairs lie as its {@link PairRange} says. */
export interface ScannedEntry extends PairRange {
  type: string;
  /** As scanned: from `scanRealBytes` a Korean name is its UTF-8 bytes read as Latin-1; `utf8Name` gives it back. */
  name: string;
  item: string;
  start: number;
  end: number;
}

/**
 * The entries of a REAL frame in the plain shape, or undefined (not REAL, or not plain).
 * Every string of an entry's `values` is checked to be escape-free, so its text is its value.
 * Each entry says where its value pairs lie ({@link PairRange}), valid until the next scan.
 */
export function scanRealFrame(text: string): ScannedEntry[] | undefined {
  if (NOT_PLAIN.test(text)) return undefined;
  // A pair takes at least 6 characters ("":"",): a frame holds fewer than length / 6 pairs, 4 numbers each.
  if (recorded.pairs.length < text.length) recorded.pairs = new Int32Array(text.length);
  recorded.pairCount = 0;
  const s = new Scanner(text);
  if (!s.take('{')) return undefined;
  let trnm: string | undefined;
  let entries: ScannedEntry[] | undefined;
  do {
    const key = s.string();
    if (key === undefined || !s.take(':')) return undefined;
    if (key === 'trnm' && trnm === undefined) trnm = s.string();
    else if (key === 'data' && entries === undefined) entries = s.entries();
    else return undefined;
    // A value that did not scan: this frame is not plain.
    if ((key === 'trnm' ? trnm : entries) === undefined) return undefined;
  } while (s.take(','));
  if (!s.take('}') || !s.atEnd() || trnm !== 'REAL' || entries === undefined) return undefined;
  return entries;
}

/** The pairs the scan in progress found, 4 numbers a pair (see {@link PairRange}); grown per frame as needed. */
const recorded = { pairs: new Int32Array(4_096), pairCount: 0 };

/** A REAL frame's bytes read as text: the text and its entries (see {@link scanRealBytes}). */
export interface ScannedFrame {
  text: string;
  entries: ScannedEntry[];
}

/**
 * {@link scanRealFrame} on a frame's bytes read as Latin-1 (a character a byte), or undefined
 * when the frame is not plain REAL or an entry's type, item or values is not ASCII.
 *
 * Why Latin-1: decoding UTF-8 cost 1.9 µs an entry against 0.25, and Kiwoom's names (주식체결)
 * make the decoded frame a two-byte string, so that every value cut from it, the record joined
 * from them and the line written took two bytes a character: the whole text path cost 15.2 µs
 * an entry against 11.3 read this way. A UTF-8 sequence's bytes are all above 0x7f, so the
 * frame's structure (quotes, colons, escapes) reads the same; and where the entries' types,
 * items and values are ASCII their Latin-1 text is their value. Only `name` may be Korean: it is
 * read back as UTF-8 where it is used ({@link utf8Name}).
 */
export function scanRealBytes(data: Buffer): ScannedFrame | undefined {
  // A frame without "REAL" (PING, a control reply, SYSTEM) is declined undecoded: its reader decodes it as UTF-8 once.
  if (data.indexOf(REAL) < 0) return undefined;
  const text = data.toString('latin1');
  const entries = scanRealFrame(text);
  if (entries === undefined) return undefined;
  for (const e of entries) if (!ASCII.test(e.type) || !ASCII.test(e.item) || !isAscii(data.subarray(e.start, e.end))) return undefined;
  return { text, entries };
}

/** An entry's name scanned from Latin-1 text, as the UTF-8 it was sent in. */
export function utf8Name(name: string): string {
  return ASCII.test(name) ? name : Buffer.from(name, 'latin1').toString();
}

const ASCII = /^[\u0000-\u007f]*$/;

/** The bytes every REAL frame holds: its trnm's value. */
const REAL = Buffer.from('"REAL"');

/** A backslash (an escape), or a character JSON allows only escaped or as whitespace (Kiwoom sends none). */
const NOT_PLAIN = /[\\\u0000-\u001f]/;

const QUOTE = 0x22;
const COLON = 0x3a;

class Scanner {
  #at = 0;
  constructor(private readonly text: string) {}

  #skip(): void {
    while (this.text.charCodeAt(this.#at) === 0x20) this.#at++;
  }

  /** Consumes `c` (after whitespace) when it is next. */
  take(c: string): boolean {
    this.#skip();
    if (this.text[this.#at] !== c) return false;
    this.#at++;
    return true;
  }

  atEnd(): boolean {
    this.#skip();
    return this.#at === this.text.length;
  }

  /** A string's content (the frame holds no escape); undefined when no string starts here. */
  string(): string | undefined {
    const end = this.#stringEnd();
    if (end === undefined) return undefined;
    const value = this.text.slice(this.#at + 1, end);
    this.#at = end + 1;
    return value;
  }

  /** Steps over a string without copying it; false when none starts here. */
  #skipString(): boolean {
    const end = this.#stringEnd();
    if (end === undefined) return false;
    this.#at = end + 1;
    return true;
  }

  /** Index of the closing quote of the string starting here (after spaces). */
  #stringEnd(): number | undefined {
    this.#skip();
    if (this.text.charCodeAt(this.#at) !== 0x22) return undefined;
    const end = this.text.indexOf('"', this.#at + 1);
    return end < 0 ? undefined : end;
  }

  /** `[entry, ...]` */
  entries(): ScannedEntry[] | undefined {
    if (!this.take('[')) return undefined;
    const out: ScannedEntry[] = [];
    if (this.take(']')) return out;
    do {
      const entry = this.#entry();
      if (entry === undefined) return undefined;
      out.push(entry);
    } while (this.take(','));
    return this.take(']') ? out : undefined;
  }

  #entry(): ScannedEntry | undefined {
    if (!this.take('{')) return undefined;
    const e: Partial<ScannedEntry> = {};
    do {
      const key = this.string();
      if (key === undefined || !this.take(':')) return undefined;
      if (key === 'values' && e.start === undefined) {
        this.#skip();
        e.start = this.#at;
        e.from = recorded.pairCount;
        if (!this.#values()) return undefined;
        e.end = this.#at;
        e.to = recorded.pairCount;
      } else if ((key === 'type' || key === 'name' || key === 'item') && e[key] === undefined) {
        const v = this.string();
        if (v === undefined) return undefined;
        e[key] = v;
      } else {
        return undefined;
      }
    } while (this.take(','));
    if (!this.take('}') || e.type === undefined || e.item === undefined || e.start === undefined) return undefined;
    return { type: e.type, name: e.name ?? '', item: e.item, start: e.start, end: e.end as number, pairs: recorded.pairs, from: e.from as number, to: e.to as number };
  }

  /** `{"fid": "value", ...}`; true when well formed. */
  #values(): boolean {
    if (!this.take('{')) return false;
    if (this.take('}')) return true;
    do {
      if (!this.#pair()) return false;
    } while (this.take(','));
    return this.take('}');
  }

  /** `"fid":"value"`: the compact form Kiwoom sends, checked by position, else token by token with spaces; its quotes' positions are recorded. */
  #pair(): boolean {
    const t = this.text;
    const at = this.#at;
    const keyEnd = t.charCodeAt(at) === QUOTE ? t.indexOf('"', at + 1) : -1;
    if (keyEnd > 0 && t.charCodeAt(keyEnd + 1) === COLON && t.charCodeAt(keyEnd + 2) === QUOTE) {
      const valueEnd = t.indexOf('"', keyEnd + 3);
      if (valueEnd < 0) return false;
      this.#at = valueEnd + 1;
      this.#recordPair(at, keyEnd, keyEnd + 2, valueEnd);
      return true;
    }
    this.#skip();
    const keyStart = this.#at;
    if (!this.#skipString()) return false;
    const spacedKeyEnd = this.#at - 1;
    if (!this.take(':')) return false;
    this.#skip();
    const valueStart = this.#at;
    if (!this.#skipString()) return false;
    this.#recordPair(keyStart, spacedKeyEnd, valueStart, this.#at - 1);
    return true;
  }

  #recordPair(keyStart: number, keyEnd: number, valueStart: number, valueEnd: number): void {
    const p = recorded.pairs;
    const i = 4 * recorded.pairCount++;
    p[i] = keyStart;
    p[i + 1] = keyEnd;
    p[i + 2] = valueStart;
    p[i + 3] = valueEnd;
  }
}
