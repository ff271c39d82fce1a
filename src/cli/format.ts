/** Small formatters for readable terminal output. Kiwoom sends numbers as signed, zero-padded strings. */
import { kiwoomNumber, magnitude } from '../numbers.js';

/** `"-000071200"` → 71200, `"--36042"` → 36042 (the sign is a direction marker, so it is dropped). */
export function unsigned(value: unknown): number {
  return magnitude(value);
}

/** 71200 → `"71,200"` */
export function won(value: unknown): string {
  return unsigned(value).toLocaleString('en-US');
}

/** One labelled output line: `label    text`. */
export function line(label: string, text: string): string {
  return `${label.padEnd(9)}${text}`;
}

/** `"+0001300"` → `"+1,300"`, `"-0.42"` → `"-0.42"`, `"--36042"` → `"-36,042"`: a change with its sign and thousands separators. */
export function signed(value: unknown): string {
  const text = String(value ?? '').trim();
  const n = kiwoomNumber(text);
  if (Number.isNaN(n)) return '';
  const decimals = /\.(\d+)$/.exec(text)?.[1]?.length ?? 0;
  const body = Math.abs(n).toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return n === 0 ? body : `${n < 0 ? '-' : '+'}${body}`;
}
