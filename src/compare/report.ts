/** Text and HTML renderings of a comparison of two backends. */
import type { DiffLine } from './diff.js';
import type { NormalisedEvent } from './legacy-consumer.js';

/** One backend's side of a comparison. */
export interface Side {
  label: string;
  events: readonly NormalisedEvent[];
  facts: Record<string, unknown>;
  /** Set when the scenario failed on this backend. */
  error?: string;
  ms: number;
}

/** A finished comparison. */
export interface Comparison {
  scenario: string;
  a: Side;
  b: Side;
  diff: DiffLine<NormalisedEvent>[];
  /** Facts that differ: name → [a, b]. */
  facts: Record<string, [unknown, unknown]>;
  diverged: boolean;
}

const show = (e: NormalisedEvent): string => `${e[0]}(${e.slice(1).map((x) => JSON.stringify(x)).join(', ')})`;
const MARK = { same: ' ', a: '-', b: '+' } as const;

/** A unified-diff-like text: `-` only on a, `+` only on b; unchanged runs shortened. */
export function toText(c: Comparison): string {
  const out = [`scenario ${c.scenario}`, `--- a: ${c.a.label} (${c.a.events.length} events, ${c.a.ms} ms)`, `+++ b: ${c.b.label} (${c.b.events.length} events, ${c.b.ms} ms)`];
  for (const side of [c.a, c.b]) if (side.error !== undefined) out.push(`!!! ${side.label} failed: ${side.error}`);
  let same = 0;
  const flush = (): void => {
    if (same > 0) out.push(`  ... ${same} identical event${same === 1 ? '' : 's'}`);
    same = 0;
  };
  for (const d of c.diff) {
    if (d.side === 'same') {
      same += 1;
      continue;
    }
    flush();
    out.push(`${MARK[d.side]} ${show(d.item)}`);
  }
  flush();
  for (const [k, [va, vb]] of Object.entries(c.facts)) out.push(`fact ${k}: a ${JSON.stringify(va)} ≠ b ${JSON.stringify(vb)}`);
  out.push(c.diverged ? 'DIVERGED: the two backends gave the consumer different streams' : 'same: the consumer saw the same normalised stream on both backends');
  return out.join('\n');
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A self-contained HTML page: the two streams side by side, differences highlighted. */
export function toHtml(c: Comparison): string {
  const rows = c.diff
    .map((d) => {
      const text = esc(show(d.item));
      const [left, right] = d.side === 'same' ? [text, text] : d.side === 'a' ? [text, ''] : ['', text];
      return `<tr class="${d.side}"><td>${left}</td><td>${right}</td></tr>`;
    })
    .join('\n');
  const facts = Object.keys({ ...c.a.facts, ...c.b.facts })
    .map((k) => `<tr class="${k in c.facts ? 'a' : 'same'}"><th>${esc(k)}</th><td>${esc(JSON.stringify(c.a.facts[k]))}</td><td>${esc(JSON.stringify(c.b.facts[k]))}</td></tr>`)
    .join('\n');
  const errors = [c.a, c.b].filter((s) => s.error !== undefined).map((s) => `<p class="err">${esc(s.label)} failed: ${esc(s.error ?? '')}</p>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kiwoom-compat compare: ${esc(c.scenario)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:2px 6px;font-family:ui-monospace,monospace;font-size:12px;vertical-align:top;text-align:left}
tr.a td:first-child,tr.b td:last-child,tr.a td{background:#fdd}tr.b td{background:#dfd}.verdict{font-size:18px;font-weight:bold}.bad{color:#b00}.ok{color:#070}.err{color:#b00}
</style></head><body>
<h1>compare: ${esc(c.scenario)}</h1>
<p class="verdict ${c.diverged ? 'bad' : 'ok'}">${c.diverged ? 'Diverged' : 'Same normalised stream on both backends'}</p>
${errors}
<h2>Events</h2>
<table><tr><th>a: ${esc(c.a.label)} (${c.a.events.length} events)</th><th>b: ${esc(c.b.label)} (${c.b.events.length} events)</th></tr>
${rows}
</table>
<h2>Facts</h2>
<table><tr><th></th><th>a</th><th>b</th></tr>
${facts}
</table>
</body></html>
`;
}
