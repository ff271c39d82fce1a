/**
 * Kiwoom's numbers as text, as the live servers send them: zero padding (`"-000071200"`), a
 * leading space (`" 0"`, `" 269000"`), a sign where the documentation shows none (`"-19"`),
 * and a doubled sign (`"--36042"`, ka20005 `pred_pre`). One reading for every place the library
 * turns such text into a number; what a program reads (GetCommRealData, GetCommData) stays as
 * the server sent it, as the OCX left it.
 */

const NUMBER = /^\s*([+-]*)\s*(\d+(?:\.\d+)?)\s*$/;

/** The signed value (`"--36042"` → -36042, `" 0"` → 0, `"+000071200"` → 71200); NaN when the text is not a number. */
export function kiwoomNumber(text: unknown): number {
  const m = NUMBER.exec(String(text ?? ''));
  if (m === null) return Number.NaN;
  const n = Number(m[2]);
  return (m[1] ?? '').includes('-') && n !== 0 ? -n : n;
}

/** The magnitude, for prices and quantities whose sign only says up or down (`"-000071200"` → 71200); 0 when not a number. */
export function magnitude(text: unknown): number {
  const n = kiwoomNumber(text);
  return Number.isNaN(n) ? 0 : Math.abs(n);
}

/**
 * The number without padding, blanks or repeated signs, as text: `"-000071200"` → `"-71200"`,
 * `" 269000"` → `"269000"`, `"--36042"` → `"-36042"`, `"+500"` → `"500"`; text that is not a
 * number comes back trimmed.
 */
export function plainNumber(text: unknown): string {
  const raw = String(text ?? '');
  const m = NUMBER.exec(raw);
  if (m === null) return raw.trim();
  const digits = m[2]!.replace(/^0+(?=\d)/, '');
  return (m[1] ?? '').includes('-') && Number(digits) !== 0 ? `-${digits}` : digits;
}
