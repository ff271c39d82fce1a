/** Small formatters for readable terminal output. Kiwoom sends numbers as signed, zero-padded strings. */

/** `"-000071200"` → 71200 (the sign is a direction marker, so it is dropped). */
export function unsigned(value: unknown): number {
  const n = Number(String(value ?? '').replace(/^[+-]/, ''));
  return Number.isFinite(n) ? n : 0;
}

/** 71200 → `"71,200"` */
export function won(value: unknown): string {
  return unsigned(value).toLocaleString('en-US');
}

/** One labelled output line: `label    text`. */
export function line(label: string, text: string): string {
  return `${label.padEnd(9)}${text}`;
}

/** `"+0001300"` → `"+1,300"`, `"-0.42"` → `"-0.42"`: a change with its sign and thousands separators. */
export function signed(value: unknown): string {
  const text = String(value ?? '').trim();
  const n = Number(text.replace(/^[+-]/, ''));
  if (!Number.isFinite(n) || text === '') return '';
  const decimals = /\.(\d+)$/.exec(text)?.[1]?.length ?? 0;
  const body = n.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return n === 0 ? body : `${text.startsWith('-') ? '-' : '+'}${body}`;
}
