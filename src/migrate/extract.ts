/**
 * Finds OCX call sites in legacy source text by pattern: `dynamicCall("Name(...)", ...)` (PyQt),
 * `obj.Name(...)` (direct COM calls from Python, C#, TS) and event hookups
 * (`ocx.OnReceiveRealData.connect(...)`, `ax.OnReceiveChejanData += ...`). It knows only the
 * method and event names it is given; what a site means is decided elsewhere (./analyse.ts).
 */

/** One literal-or-not argument of a call. */
export interface Arg {
  /** The argument's source text, trimmed. */
  text: string;
  /** Its value when it is a string or number literal, or a name bound once to a literal in the file. */
  value?: string | number;
}

/** One place in a file where the OCX is used. */
export interface Site {
  kind: 'call' | 'event';
  /** OCX method or event name. */
  name: string;
  /** 1-based line of the name. */
  line: number;
  /** Character offset of the name in the file. */
  offset: number;
  /** Call arguments (after the dynamicCall signature string); empty for events. */
  args: Arg[];
  /** Whether the call went through `dynamicCall`. */
  dynamic: boolean;
}

/**
 * Scans one file's text.
 * @param methods OCX method names to look for.
 * @param events OCX event names to look for.
 */
export function extractSites(text: string, methods: ReadonlySet<string>, events: ReadonlySet<string>): Site[] {
  const masked = maskCommentsAndStrings(text);
  const constants = literalConstants(text, masked);
  const lineAt = lineIndex(text);
  const sites: Site[] = [];

  // Direct calls and dynamicCall: an identifier after a '.', followed by '('.
  for (const m of masked.matchAll(/\.\s*([A-Za-z_]\w*)\s*\(/g)) {
    const name = m[1] ?? '';
    const open = (m.index ?? 0) + m[0].length - 1;
    const nameAt = (m.index ?? 0) + m[0].indexOf(name);
    if (name === 'dynamicCall') {
      const args = splitArgs(text, masked, open, constants);
      const signature = args.shift();
      const called = typeof signature?.value === 'string' ? /^\s*(\w+)/.exec(signature.value)?.[1] : undefined;
      if (called === undefined || !methods.has(called)) continue;
      // Methods with more than 8 arguments take one list: dynamicCall("SendOrder(...)", [a, b, ...]).
      const only = args.length === 1 ? args[0] : undefined;
      const flat = only !== undefined && only.text.startsWith('[') ? listItems(only.text, constants) : args;
      sites.push({ kind: 'call', name: called, line: lineAt(nameAt), offset: nameAt, args: flat, dynamic: true });
    } else if (methods.has(name)) {
      sites.push({ kind: 'call', name, line: lineAt(nameAt), offset: nameAt, args: splitArgs(text, masked, open, constants), dynamic: false });
    }
  }
  // Event hookups: `.OnX.connect(`, `.OnX +=`, `on('OnX'` / `.connect(... 'OnX'`.
  for (const m of masked.matchAll(/\b(On[A-Z]\w*)\s*(?:\.\s*connect\s*\(|\+=)/g)) {
    const name = m[1] ?? '';
    if (events.has(name)) sites.push({ kind: 'event', name, line: lineAt(m.index ?? 0), offset: m.index ?? 0, args: [], dynamic: false });
  }
  for (const m of text.matchAll(/\bon\s*\(\s*['"](On[A-Z]\w*)['"]/g)) {
    const name = m[1] ?? '';
    if (events.has(name) && masked[m.index ?? 0] === text[m.index ?? 0]) {
      sites.push({ kind: 'event', name, line: lineAt(m.index ?? 0), offset: m.index ?? 0, args: [], dynamic: false });
    }
  }
  return sites.sort((a, b) => a.offset - b.offset);
}

/**
 * The text with comments blanked and string contents replaced by spaces (quotes kept), same
 * length, so that patterns never match inside either and offsets stay valid.
 */
export function maskCommentsAndStrings(text: string): string {
  const out = text.split('');
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '#' || (c === '/' && next === '/')) {
      while (i < text.length && text[i] !== '\n') out[i++] = ' ';
    } else if (c === '/' && next === '*') {
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] !== '\n') out[i] = ' ';
        i += 1;
      }
      out[i] = ' ';
      out[i + 1] = ' ';
      i += 2;
    } else if (c === '"' || c === "'" || c === '`') {
      const close = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += close.length;
      while (i < text.length && !text.startsWith(close, i)) {
        if (close.length === 1 && c !== '`' && text[i] === '\n') break; // unterminated: stop at the line end
        if (text[i] === '\\') out[i++] = ' ';
        if (i < text.length && text[i] !== '\n') out[i] = ' ';
        i += 1;
      }
      i += close.length;
    } else {
      i += 1;
    }
  }
  return out.join('');
}

/** Arguments of the call whose '(' is at `open`, split at top-level commas. */
function splitArgs(text: string, masked: string, open: number, constants: ReadonlyMap<string, string>): Arg[] {
  const args: Arg[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < masked.length; i += 1) {
    const c = masked[i];
    if (c === '(' || c === '[' || c === '{') depth += 1;
    else if (c === ')' || c === ']' || c === '}') {
      depth -= 1;
      if (depth === 0) {
        push(text.slice(start, i));
        break;
      }
    } else if (c === ',' && depth === 1) {
      push(text.slice(start, i));
      start = i + 1;
    }
  }
  return args;

  function push(raw: string): void {
    const t = raw.trim();
    if (t !== '') args.push(toArg(t, constants));
  }
}

/** Items of a list literal `[a, "b", 3]`. */
function listItems(list: string, constants: ReadonlyMap<string, string>): Arg[] {
  const inner = `(${list.slice(1, -1)})`;
  return splitArgs(inner, maskCommentsAndStrings(inner), 0, constants);
}

function toArg(text: string, constants: ReadonlyMap<string, string>): Arg {
  const str = /^[rRuUbB@]?(["'`])([\s\S]*)\1$/.exec(text);
  if (str !== null && !str[2]?.includes(str[1] ?? '')) return { text, value: str[2] ?? '' };
  if (/^-?\d+$/.test(text)) return { text, value: Number(text) };
  const bound = constants.get(text);
  return bound === undefined ? { text } : { text, value: bound };
}

/**
 * Names bound exactly once in the file to a plain string literal (`REAL_FIDS = "10;11"`,
 * `const string Hoga = "03";`), so that call arguments naming them can be checked.
 */
function literalConstants(text: string, masked: string): Map<string, string> {
  const seen = new Map<string, string | null>();
  for (const m of masked.matchAll(/([A-Za-z_]\w*)\s*(?::\s*\w+\s*)?=(?!=)\s*/g)) {
    const name = m[1] ?? '';
    const after = (m.index ?? 0) + m[0].length;
    const lit = /^(["'])([^"'\n]*)\1\s*(?:;|\n|$)/.exec(text.slice(after, after + 400));
    const prev = seen.get(name);
    seen.set(name, lit === null || prev !== undefined ? null : (lit[2] ?? ''));
  }
  const out = new Map<string, string>();
  for (const [k, v] of seen) if (v !== null) out.set(k, v);
  return out;
}

/** offset → 1-based line number. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
