/**
 * Korea-time (UTC+9, no DST) formatting of the emulator's clock.
 */

const KST_OFFSET_MS = 9 * 3600_000;

/** Calendar parts of an instant in Korea time. */
function kstParts(ms: number): { y: number; mo: number; d: number; h: number; mi: number; s: number; wd: number } {
  const t = new Date(ms + KST_OFFSET_MS);
  return {
    y: t.getUTCFullYear(),
    mo: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
    s: t.getUTCSeconds(),
    wd: t.getUTCDay(),
  };
}

const p2 = (n: number): string => String(n).padStart(2, '0');

/** YYYYMMDD in Korea time. */
export function kstDate(ms: number): string {
  const t = kstParts(ms);
  return `${t.y}${p2(t.mo)}${p2(t.d)}`;
}

/** HHMMSS in Korea time. */
export function kstTime(ms: number): string {
  const t = kstParts(ms);
  return `${p2(t.h)}${p2(t.mi)}${p2(t.s)}`;
}

/** YYYYMMDDHHMMSS in Korea time (the format of `expires_dt`). */
export function kstDateTime(ms: number): string {
  return kstDate(ms) + kstTime(ms);
}

/** Epoch ms of Korea-time midnight starting the given YYYYMMDD. */
export function kstMidnight(yyyymmdd: string): number {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  return Date.UTC(y, m - 1, d) - KST_OFFSET_MS;
}

/** True for Monday..Friday of a YYYYMMDD (holidays are not modelled). */
export function isWeekday(yyyymmdd: string): boolean {
  const wd = new Date(kstMidnight(yyyymmdd) + KST_OFFSET_MS).getUTCDay();
  return wd !== 0 && wd !== 6;
}

/** The YYYYMMDD `days` calendar days before (negative: after) the given one. */
export function shiftDate(yyyymmdd: string, days: number): string {
  return kstDate(kstMidnight(yyyymmdd) - days * 86_400_000 + 3600_000);
}
