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

/** `"-000000000654000"` → `"-654,000"`: keeps the sign Kiwoom uses for gains and losses. */
export function signedWon(value: unknown): string {
  const text = String(value ?? '');
  return `${text.startsWith('-') ? '-' : ''}${won(text)}`;
}
