/**
 * Number and time formats of Kiwoom's REAL values: prices carry a sign against the previous
 * close (`+60700`, `-60000`, `60300` when unchanged), differences carry their own sign, rates
 * have two decimals, times are HHMMSS.
 */

function abs(n: number, decimals: number): string {
  const a = Math.abs(n);
  return decimals === 0 ? String(Math.round(a)) : a.toFixed(decimals);
}

/** A level signed by its position against `base` (the previous close). */
export function vsBase(value: number, base: number, decimals = 0): string {
  const sign = value > base ? '+' : value < base ? '-' : '';
  return sign + abs(value, decimals);
}

/** A difference signed by itself; zero has no sign. */
export function signed(n: number, decimals = 0): string {
  const text = abs(n, decimals);
  if (Number(text) === 0) return text;
  return (n > 0 ? '+' : '-') + text;
}

/** Plain unsigned number. */
export function plain(n: number, decimals = 0): string {
  return decimals === 0 ? String(Math.round(n)) : n.toFixed(decimals);
}

/** Percentage change of `value` against `base`, signed, two decimals. */
export function rate(value: number, base: number): string {
  return base === 0 ? '0.00' : signed(((value - base) / base) * 100, 2);
}

/** 전일대비기호 (FID 25): 1 상한, 2 상승, 3 보합, 4 하한, 5 하락. */
export function signCode(price: number, base: number, upper: number, lower: number): string {
  if (upper > 0 && price >= upper) return '1';
  if (lower > 0 && price <= lower) return '4';
  return price > base ? '2' : price < base ? '5' : '3';
}

/** Condition-search one-shot format: sign and zero padding to 9 characters (`000075000`, `-00000100`). */
export function pad9(n: number): string {
  const digits = String(Math.round(Math.abs(n)));
  return n < 0 ? '-' + digits.padStart(8, '0') : digits.padStart(9, '0');
}

function toSeconds(hhmmss: string): number {
  return Number(hhmmss.slice(0, 2)) * 3600 + Number(hhmmss.slice(2, 4)) * 60 + Number(hhmmss.slice(4, 6));
}

function fromSeconds(total: number): string {
  const s = ((total % 86_400) + 86_400) % 86_400;
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  return [hh, mm, s % 60].map((n) => String(n).padStart(2, '0')).join('');
}

/** Seconds from `from` until `to` (0 when `to` is not later), as HHMMSS. */
export function remaining(from: string, to: string): string {
  return fromSeconds(Math.max(0, toSeconds(to) - toSeconds(from)));
}
