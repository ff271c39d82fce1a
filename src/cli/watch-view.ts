/**
 * What `kiwoom-compat watch` shows, as lines that fit a terminal of a given size: a quote table
 * whose columns are chosen to fit the width (each line stays one screen row, so a redraw never
 * wraps), a trend sparkline per code, and the account under it, cut to the height. Pure: the
 * command feeds it state and the terminal's size, and draws what it returns.
 */
import stringWidth from 'string-width';
import type { Colors } from 'picocolors/types.js';
import { byDirection, direction } from './colour.js';
import { signed, unsigned, won } from './format.js';
import { kstClock } from './logging.js';

/** One watched code. */
export interface QuoteRow {
  code: string;
  name: string;
  /** The latest 주식체결 FIDs (10 price, 11 change, 12 rate, 13 volume, 20 time, 27/28 best ask/bid). */
  fids: Readonly<Record<string, string>> | undefined;
  /** Prices seen, oldest first (the view keeps as many as the trend column shows). */
  trend: number[];
  updates: number;
  /** When the latest trade arrived (ms); its row is bold while it is the newest news. */
  changedAt: number;
}

/** What one frame shows. */
export interface WatchState {
  rows: readonly QuoteRow[];
  /** Where the data comes from (`emulator`, `mock`, `production`). */
  domain: string;
  /** Lines under the table (holdings, open orders), already formatted without colour. */
  account: readonly string[];
  now: number;
}

/** Terminal size and styling. */
export interface ViewOptions {
  columns: number;
  rows: number;
  colors: Colors;
  /** A row whose trade is younger than this is bold (ms). */
  freshMs: number;
}

type Cell = (row: QuoteRow, c: Colors) => { text: string; style?: (s: string) => string };

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
  /** Lower shows first when the width runs out. */
  priority: number;
  cell: Cell;
}

/** Sparkline bars, lowest to highest. */
const BARS = '▁▂▃▄▅▆▇█';

/** `values` as a sparkline of at most `width` bars (the latest ones). */
export function sparkline(values: readonly number[], width: number): string {
  const recent = values.slice(-width);
  if (recent.length === 0) return '';
  const low = Math.min(...recent);
  const span = Math.max(...recent) - low;
  return recent.map((v) => BARS[span === 0 ? 3 : Math.round(((v - low) / span) * (BARS.length - 1))]).join('');
}

const hms = (s: string | undefined): string => (s === undefined || s.length < 6 ? '' : `${s.slice(0, 2)}:${s.slice(2, 4)}:${s.slice(4, 6)}`);
const move = (row: QuoteRow): 1 | -1 | 0 => direction(row.fids?.['11']);
const coloured = (row: QuoteRow, c: Colors) => (s: string) => byDirection(s, move(row), c);

/** Columns in display order; the table keeps those of the best priority that fit. */
const COLUMNS: readonly Column[] = [
  { title: 'code', width: 6, align: 'left', priority: 0, cell: (r) => ({ text: r.code }) },
  { title: 'name', width: 12, align: 'left', priority: 1, cell: (r) => ({ text: r.name }) },
  { title: 'price', width: 9, align: 'right', priority: 0, cell: (r, c) => ({ text: won(r.fids?.['10']), style: coloured(r, c) }) },
  { title: 'change', width: 8, align: 'right', priority: 2, cell: (r, c) => ({ text: signed(r.fids?.['11']), style: coloured(r, c) }) },
  { title: 'rate%', width: 7, align: 'right', priority: 2, cell: (r, c) => ({ text: signed(r.fids?.['12']), style: coloured(r, c) }) },
  { title: 'volume', width: 11, align: 'right', priority: 4, cell: (r) => ({ text: won(r.fids?.['13']) }) },
  {
    title: 'trend',
    width: 10,
    align: 'left',
    priority: 3,
    cell: (r, c) => {
      const first = r.trend.at(-10);
      const last = r.trend.at(-1);
      return { text: sparkline(r.trend, 10), style: (s) => byDirection(s, first === undefined || last === undefined ? 0 : direction(last - first), c) };
    },
  },
  { title: 'time', width: 8, align: 'left', priority: 5, cell: (r) => ({ text: hms(r.fids?.['20']) }) },
  { title: 'ask', width: 9, align: 'right', priority: 6, cell: (r) => ({ text: won(r.fids?.['27']) }) },
  { title: 'bid', width: 9, align: 'right', priority: 6, cell: (r) => ({ text: won(r.fids?.['28']) }) },
];

/** `text` cut or padded to exactly `width` terminal columns (Hangul is two wide). */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = stringWidth(ch);
    if (used + w > width) break;
    out += ch;
    used += w;
  }
  const pad = ' '.repeat(width - used);
  return align === 'right' ? pad + out : out + pad;
}

/** The columns that fit in `columns` terminal columns (one space between), in display order. */
export function columnsFor(columns: number): Column[] {
  // The last terminal column stays empty: writing into it leaves the cursor at a pending wrap.
  let room = columns - 1;
  const chosen = new Set<Column>();
  for (const col of [...COLUMNS].sort((a, b) => a.priority - b.priority)) {
    const need = col.width + (chosen.size === 0 ? 0 : 1);
    if (need > room) break;
    chosen.add(col);
    room -= need;
  }
  return COLUMNS.filter((c) => chosen.has(c));
}

/** The frame's lines: each at most `columns - 1` wide, at most `rows - 1` of them. */
export function renderWatch(state: WatchState, options: ViewOptions): string[] {
  const { colors: c } = options;
  const cols = columnsFor(options.columns);
  const width = options.columns - 1;
  const header = fit(`kiwoom-compat watch  ${kstClock(state.now).slice(0, 8)} KST  ${state.domain}  Ctrl-C to stop`, width).trimEnd();
  const titles = cols.map((col) => fit(col.title, col.width, col.align)).join(' ');
  const table = state.rows.map((row) => {
    if (row.fids === undefined) return `${fit(row.code, 6)} ${fit(row.name, 12)} ${c.dim('waiting for a trade')}`;
    const fresh = state.now - row.changedAt < options.freshMs;
    return cols
      .map((col) => {
        const { text, style } = col.cell(row, c);
        const cell = fit(text, col.width, col.align);
        const styled = style === undefined ? cell : style(cell);
        return fresh && col.title === 'price' ? c.bold(styled) : styled;
      })
      .join(' ');
  });
  const account = state.account.map((l) => fit(l, width).trimEnd());
  return [c.bold(header), c.dim(titles.trimEnd()), ...table, ...account].slice(0, Math.max(1, options.rows - 1));
}

/** Prices kept per code: as many as the widest trend column shows. */
export const TREND_LENGTH = 10;

/** Records one trade in a row. */
export function recordTrade(row: QuoteRow, fids: Readonly<Record<string, string>>, now: number): void {
  row.fids = fids;
  row.updates += 1;
  row.changedAt = now;
  row.trend.push(unsigned(fids['10']));
  if (row.trend.length > TREND_LENGTH) row.trend.shift();
}
