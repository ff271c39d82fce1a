/**
 * Finds OCX sites in legacy source text by pattern. It knows only the method and event names
 * it is given; what a site means is decided elsewhere (./analyse.ts). What it reads:
 *
 * - calls: `obj.Name(...)` (direct COM calls from Python, C#, TS), and signature strings handed
 *   to `dynamicCall` or to anything that forwards one: an alias (`self.call = self.dynamicCall`,
 *   `k = ocx.dynamicCall`) or a helper whose body passes its parameter to `dynamicCall`. The
 *   signature may be built at run time (`'GetLoginInfo("%s")' % tag`, `.format`, f-strings);
 * - events: `ocx.OnX.connect(...)` (also `OnX[str, ...]`), PyQt4's `SIGNAL("OnX(int)")`, C#'s
 *   `OnX +=`, emitters' `on('OnX', ...)`, and `def OnX(self, ...)` in the `api_server` sketch's
 *   style when nothing else hooks that event up;
 * - waits: `QEventLoop` `.exec_()` and `pythoncom.PumpWaitingMessages()`.
 *
 * Comments and strings are masked by the file's own rules (Python `#`, where `//` is floor
 * division; C#/TS `//` and `/* *\/`), except the code inside f-strings, template literals and C#
 * interpolations, which is code. Calls on other brokers' COM objects (Daishin CYBOS
 * `CpUtil.*`, `CpSysDib.*`, `CpTrade.*`, eBest `XA_*`) are never sites.
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
  kind: 'call' | 'event' | 'wait';
  /** OCX method or event name; for a wait, `QEventLoop.exec_` or `PumpWaitingMessages`. */
  name: string;
  /** 1-based line of the name. */
  line: number;
  /** Character offset of the name in the file. */
  offset: number;
  /** Call arguments (after the dynamicCall signature string); empty for events and waits. */
  args: Arg[];
  /** Whether the call went through a signature string (`dynamicCall` or a forwarder). */
  dynamic: boolean;
}

/** Comment and string rules: Python's, or the C family's (C#, TypeScript, JavaScript). */
export type Language = 'python' | 'c';

/** The language of a file by its name. */
export function languageOf(file: string): Language {
  return /\.pyw?$/i.test(file) ? 'python' : 'c';
}

/** ProgIDs and type libraries of other brokers' controls: calls on objects made from them are not Kiwoom's. */
const OTHER_BROKERS = /^(?:Cp(?:Util|SysDib|Trade|Dib|Foreign|Indexes)\b|CP\w*Lib\b|DsCbo1|Dscbo1|DSCBO1Lib|XA_|XAQuery|XAReal|XASession|ITGExpert|YuantaAPI)/i;

/**
 * Scans one file's text.
 * @param methods OCX method names to look for.
 * @param events OCX event names to look for.
 * @param language the file's comment and string rules (default: the C family's).
 */
export function extractSites(text: string, methods: ReadonlySet<string>, events: ReadonlySet<string>, language: Language = 'c'): Site[] {
  const masked = maskCommentsAndStrings(text, language);
  const constants = literalConstants(text, masked);
  const lineAt = lineIndex(text);
  const code = (at: number): boolean => masked[at] === text[at];
  const sites: Site[] = [];
  const forwarders = signatureForwarders(masked, language);
  const foreign = foreignReceivers(text, masked);

  for (const m of masked.matchAll(/(\.\s*)?\b([A-Za-z_]\w*)\s*\(/g)) {
    const dotted = m[1] !== undefined;
    const name = m[2] ?? '';
    const at = (m.index ?? 0) + m[0].indexOf(name, dotted ? m[1]?.length : 0);
    const open = (m.index ?? 0) + m[0].length - 1;
    if (forwarders.has(name) && !isDefinition(masked, m.index ?? 0)) {
      const args = splitArgs(text, masked, open, constants);
      const signature = args.shift();
      const called = signatureName(signature);
      if (called === undefined || !methods.has(called)) continue;
      // Methods with more than 8 arguments take one list: dynamicCall("SendOrder(...)", [a, b, ...]).
      const only = args.length === 1 ? args[0] : undefined;
      const flat = only !== undefined && only.text.startsWith('[') ? listItems(only.text, constants) : args.length === 0 ? inlineArgs(signature) : args;
      sites.push({ kind: 'call', name: called, line: lineAt(at), offset: at, args: flat, dynamic: true });
    } else if (dotted && methods.has(name) && !foreign.has(receiverOf(masked, m.index ?? 0))) {
      const args = splitArgs(text, masked, open, constants);
      // CYBOS's SetInputValue takes an index first; Kiwoom's takes the Korean input name.
      if (name === 'SetInputValue' && typeof args[0]?.value === 'number') continue;
      sites.push({ kind: 'call', name, line: lineAt(at), offset: at, args, dynamic: false });
    }
  }

  const hooked = new Set<string>();
  const event = (name: string, at: number): void => {
    if (!events.has(name)) return;
    hooked.add(name);
    sites.push({ kind: 'event', name, line: lineAt(at), offset: at, args: [], dynamic: false });
  };
  // `.OnX.connect(`, `.OnX[str, str].connect(`, `OnX +=`
  for (const m of masked.matchAll(/\b(On[A-Z]\w*)\s*(?:\[[^\]\n]*\]\s*)?(?:\.\s*connect\s*\(|\+=)/g)) event(m[1] ?? '', m.index ?? 0);
  // api.on('OnX', f), PyQt4 SIGNAL("OnX(int)")
  for (const m of text.matchAll(/\b(?:on|once|addListener|SIGNAL)\s*\(\s*['"](On[A-Z]\w*)\s*['"(]/g)) {
    if (code(m.index ?? 0)) event(m[1] ?? '', (m.index ?? 0) + m[0].indexOf(m[1] ?? ''));
  }
  // The api_server sketch: a subclass overrides methods named after the events.
  if (language === 'python') {
    for (const m of masked.matchAll(/^[ \t]*def\s+(On[A-Z]\w*)\s*\(\s*self\b/gm)) {
      const name = m[1] ?? '';
      if (!hooked.has(name) && events.has(name)) sites.push({ kind: 'event', name, line: lineAt((m.index ?? 0) + m[0].indexOf(name)), offset: (m.index ?? 0) + m[0].indexOf(name), args: [], dynamic: false });
    }
  }

  for (const w of waits(masked)) sites.push({ kind: 'wait', name: w.name, line: lineAt(w.at), offset: w.at, args: [], dynamic: false });
  return sites.sort((a, b) => a.offset - b.offset);
}

/** `def f(`, `function f(`, or a C#/TS method declaration `Type f(`: not a call. */
function isDefinition(masked: string, at: number): boolean {
  const before = masked.slice(Math.max(0, at - 40), at);
  return /(?:\bdef|\bfunction|\b(?:void|string|object|int|bool|var|async|public|private|protected|static))\s+$/.test(before);
}

/** The last identifier of the receiver before the `.` at `dot` (`self.objChart.` → `objChart`). */
function receiverOf(masked: string, dot: number): string {
  return /([A-Za-z_]\w*)\s*$/.exec(masked.slice(Math.max(0, dot - 80), dot))?.[1] ?? '';
}

/**
 * Names that take an OCX signature string first: `dynamicCall`, its aliases
 * (`self.call = self.ocx.dynamicCall`), and helpers that hand a parameter to it as the signature.
 */
function signatureForwarders(masked: string, language: Language): Set<string> {
  const out = new Set(['dynamicCall']);
  for (const m of masked.matchAll(/([A-Za-z_][\w.]*)\s*=\s*[A-Za-z_][\w.]*\.\s*dynamicCall\b\s*(?![\w(])/g)) {
    out.add(/(\w+)$/.exec(m[1] ?? '')?.[1] ?? '');
  }
  const defs = language === 'python' ? /^([ \t]*)def\s+([A-Za-z_]\w*)\s*\(([^)]*)\)/gm : /()\b([A-Za-z_]\w*)\s*\(([^)]*)\)\s*(?::\s*[\w<>[\]| ]+)?\s*(?:=>|\{)/g;
  for (const m of masked.matchAll(defs)) {
    const params = (m[3] ?? '').split(',').map((p) => /^\s*\*{0,2}([A-Za-z_]\w*)/.exec(p.replace(/^\s*(?:string|object|params)\s+/, ''))?.[1]).filter((p): p is string => p !== undefined && p !== 'self');
    const start = (m.index ?? 0) + m[0].length;
    const body = language === 'python' ? pythonBody(masked, start, (m[1] ?? '').length) : masked.slice(start, start + 800);
    if (params.some((p) => new RegExp(`\\bdynamicCall\\s*\\(\\s*\\*?${p}\\b`).test(body))) out.add(m[2] ?? '');
  }
  out.delete('');
  return out;
}

/** The lines of a Python function body: everything indented deeper than its `def`. */
function pythonBody(masked: string, from: number, indent: number): string {
  const lines = masked.slice(from).split('\n');
  const body: string[] = [lines[0] ?? ''];
  for (const line of lines.slice(1)) {
    if (line.trim() !== '' && (/^[ \t]*/.exec(line)?.[0].length ?? 0) <= indent) break;
    body.push(line);
  }
  return body.join('\n');
}

/** The OCX method a signature argument names: `"GetLoginInfo(QString)"`, `'GetLoginInfo("%s")' % tag`, `f"GetMasterCodeName(\"{c}\")"`. */
function signatureName(arg: Arg | undefined): string | undefined {
  if (arg === undefined) return undefined;
  const source = typeof arg.value === 'string' ? arg.value : /^[rRbBuUfF]{0,2}(["'`])([\s\S]*)$/.exec(arg.text)?.[2];
  return source === undefined ? undefined : /^\s*([A-Za-z_]\w*)\s*\(/.exec(source)?.[1];
}

/** Arguments written inside the signature itself (`"GetLoginInfo(\"ACCNO\")"`), when they are literals. */
function inlineArgs(signature: Arg | undefined): Arg[] {
  const inner = typeof signature?.value === 'string' ? /\((.*)\)\s*$/.exec(signature.value)?.[1] : undefined;
  if (inner === undefined || /^\s*(?:(?:QString|int|long|bool|double|QVariant|const\s+QString&?)\s*,?\s*)*$/.test(inner)) return [];
  const wrapped = `(${inner})`;
  return splitArgs(wrapped, maskCommentsAndStrings(wrapped, 'c'), 0, new Map());
}

/** Names bound to another broker's COM object (`objChart = win32com.client.Dispatch("CpSysDib.StockChart")`, `new CPUTILLib.CpStockCode()`). */
function foreignReceivers(text: string, masked: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/([A-Za-z_][\w.]*)\s*=\s*[\w.]*(?:Dispatch\w*|CreateObject|GetActiveObject)\s*\(\s*["']([^"']+)["']/g)) {
    if (masked[m.index ?? 0] === text[m.index ?? 0] && OTHER_BROKERS.test(m[2] ?? '')) out.add(/(\w+)$/.exec(m[1] ?? '')?.[1] ?? '');
  }
  for (const m of masked.matchAll(/([A-Za-z_][\w.]*)\s*=\s*new\s+([A-Za-z_][\w.]*)\s*\(/g)) {
    if (OTHER_BROKERS.test(m[2] ?? '')) out.add(/(\w+)$/.exec(m[1] ?? '')?.[1] ?? '');
  }
  out.delete('');
  return out;
}

/** `loop.exec_()` on a QEventLoop (or `QEventLoop().exec_()`), and `PumpWaitingMessages()`. */
function waits(masked: string): { name: string; at: number }[] {
  const loops = new Set<string>();
  for (const m of masked.matchAll(/([A-Za-z_][\w.]*)\s*=\s*(?:[\w.]*\.)?QEventLoop\s*\(/g)) loops.add(/(\w+)$/.exec(m[1] ?? '')?.[1] ?? '');
  const out: { name: string; at: number }[] = [];
  for (const m of masked.matchAll(/(?:\bQEventLoop\s*\([^)]*\)|([A-Za-z_]\w*))\s*\.\s*exec_?\s*\(/g)) {
    if (m[1] === undefined || loops.has(m[1])) out.push({ name: 'QEventLoop.exec_', at: m.index ?? 0 });
  }
  for (const m of masked.matchAll(/\bPumpWaitingMessages\s*\(/g)) out.push({ name: 'PumpWaitingMessages', at: m.index ?? 0 });
  return out;
}

/**
 * The text with comments blanked and string contents replaced by spaces (quotes kept), same
 * length, so that patterns never match inside either and offsets stay valid. The code inside
 * f-strings, template literals and C# interpolations stays (its own strings masked in turn).
 */
export function maskCommentsAndStrings(text: string, language: Language = 'c'): string {
  const out = text.split('');
  code(0, undefined);
  return out.join('');

  /** Masks from `i` until an unmatched `close` brace (or the end); returns where it stopped. */
  function code(i: number, close: '}' | undefined): number {
    let depth = 0;
    while (i < text.length) {
      const c = text[i];
      const next = text[i + 1];
      if (close !== undefined) {
        if (c === '{') depth += 1;
        else if (c === '}' && depth-- === 0) return i;
      }
      if (language === 'python' ? c === '#' : c === '/' && next === '/') {
        while (i < text.length && text[i] !== '\n') out[i++] = ' ';
      } else if (language === 'c' && c === '/' && next === '*') {
        while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) {
          if (text[i] !== '\n') out[i] = ' ';
          i += 1;
        }
        out[i] = ' ';
        out[i + 1] = ' ';
        i += 2;
      } else if (c === '"' || c === "'" || c === '`') {
        i = string(i);
      } else {
        i += 1;
      }
    }
    return i;
  }

  /** Masks the string whose opening quote is at `i`; returns the index after it. */
  function string(i: number): number {
    const c = text[i] ?? '"';
    const prefix = /[A-Za-z$@]*$/.exec(text.slice(Math.max(0, i - 3), i))?.[0] ?? '';
    const interpolated = c === '`' || (language === 'python' ? /[fF]/.test(prefix) : prefix.includes('$'));
    const verbatim = language === 'c' && prefix.includes('@');
    const close = language === 'python' && text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
    i += close.length;
    while (i < text.length && !text.startsWith(close, i)) {
      const ch = text[i];
      if (close.length === 1 && c !== '`' && !verbatim && ch === '\n') return i; // unterminated: stop at the line end
      if (verbatim && ch === '"' && text[i + 1] === '"') {
        out[i] = ' ';
        out[i + 1] = ' ';
        i += 2;
        continue;
      }
      if (ch === '\\' && !verbatim) {
        out[i++] = ' ';
        if (i < text.length && text[i] !== '\n') out[i] = ' ';
        i += 1;
        continue;
      }
      const opens = c === '`' ? ch === '$' && text[i + 1] === '{' : interpolated && ch === '{';
      if (opens) {
        if (c !== '`' && text[i + 1] === '{') {
          out[i] = ' ';
          out[i + 1] = ' ';
          i += 2;
          continue;
        }
        const start = c === '`' ? i + 2 : i + 1;
        i = code(start, '}') + 1;
        continue;
      }
      if (ch !== '\n') out[i] = ' ';
      i += 1;
    }
    return i + close.length;
  }
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
