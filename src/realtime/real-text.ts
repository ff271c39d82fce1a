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

/** One entry of a scanned REAL frame; `values` is `text.slice(start, end)`, a JSON object of strings. */
export interface ScannedEntry {
  type: string;
  name: string;
  item: string;
  start: number;
  end: number;
}

/**
 * The entries of a REAL frame in the plain shape, or undefined (not REAL, or not plain).
 * Every string of an entry's `values` is checked to be escape-free, so its text is its value.
 */
export function scanRealFrame(text: string): ScannedEntry[] | undefined {
  if (NOT_PLAIN.test(text)) return undefined;
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
        if (!this.#values()) return undefined;
        e.end = this.#at;
      } else if ((key === 'type' || key === 'name' || key === 'item') && e[key] === undefined) {
        const v = this.string();
        if (v === undefined) return undefined;
        e[key] = v;
      } else {
        return undefined;
      }
    } while (this.take(','));
    if (!this.take('}') || e.type === undefined || e.item === undefined || e.start === undefined) return undefined;
    return { type: e.type, name: e.name ?? '', item: e.item, start: e.start, end: e.end as number };
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

  /** `"fid":"value"`: the compact form Kiwoom sends, checked by position, else token by token with spaces. */
  #pair(): boolean {
    const t = this.text;
    const at = this.#at;
    const keyEnd = t.charCodeAt(at) === QUOTE ? t.indexOf('"', at + 1) : -1;
    if (keyEnd > 0 && t.charCodeAt(keyEnd + 1) === COLON && t.charCodeAt(keyEnd + 2) === QUOTE) {
      const valueEnd = t.indexOf('"', keyEnd + 3);
      if (valueEnd < 0) return false;
      this.#at = valueEnd + 1;
      return true;
    }
    return this.#skipString() && this.take(':') && this.#skipString();
  }
}
