/**
 * OCX arguments as they arrive from any caller (TypeScript, the JSON bridge, a dynamicCall port):
 * strings stay strings, numbers may come as numeric strings. Anything else becomes a value the
 * checks that follow refuse with a message naming the argument, instead of a TypeError.
 */

/**
 * A string argument; numbers are accepted as their decimal text, anything else is `otherwise`
 * ("" by default; an argument for which "" means something, such as GetCodeListByMarket's
 * "every market", passes a value its check refuses).
 */
export function text(v: unknown, otherwise = ''): string {
  if (typeof v === 'string') return v;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : otherwise;
}

/** A numeric argument; a decimal string is parsed, anything else is NaN. */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  return typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : Number.NaN;
}

/**
 * A `;`-joined OCX list: a string as given, or a list (the `api_server` sketch passes
 * `['005930']` and `[]`) joined with `;`. Entries that are not strings or numbers become "?",
 * which the checks that follow refuse by name.
 */
export function list(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => text(x, '?')).join(';');
  return text(v);
}
