/** Plain-text tables for benchmark output: columns padded to the widest cell, numbers right-aligned. */

/**
 * Print `rows` (objects) as a table with the given columns.
 * @param {Array<Record<string, unknown>>} rows
 * @param {Array<string | { key: string, label?: string, format?: (v: unknown) => string }>} columns
 */
export function printTable(rows, columns) {
  const cols = columns.map((c) => (typeof c === 'string' ? { key: c, label: c } : { label: c.key, ...c }));
  const cell = (col, row) => {
    const v = row[col.key];
    if (col.format) return col.format(v);
    if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(2);
    return v === undefined || v === null ? '' : String(v);
  };
  const body = rows.map((row) => cols.map((col) => cell(col, row)));
  const widths = cols.map((col, i) => Math.max(col.label.length, ...body.map((r) => r[i].length)));
  const numeric = cols.map((col) => rows.every((row) => typeof row[col.key] === 'number' || row[col.key] === undefined));
  const line = (cells) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log(line(cols.map((c) => c.label)));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of body) console.log(line(r));
}

/** p50 / p95 / max of a list of numbers (nearest-rank). */
export function percentiles(values) {
  const s = [...values].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  return { p50: at(50), p95: at(95), max: s.at(-1) };
}

/** `1234567` → `"1,234,567"`. */
export function fmt(n) {
  return Math.round(n).toLocaleString('en-US');
}

/** Megabytes with one decimal. */
export function mb(bytes) {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}
