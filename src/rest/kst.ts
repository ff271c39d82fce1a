/**
 * Korea Standard Time timestamps. Kiwoom writes instants as `YYYYMMDDHHMMSS` in KST (UTC+9,
 * no daylight saving). The parse goes through Date.UTC so the host's time zone cannot matter.
 * This module has no imports on purpose: a test runs it in child processes under several TZ values.
 */

const KST_OFFSET_HOURS = 9;
const KST_TIMESTAMP = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/**
 * Epoch milliseconds of a KST `YYYYMMDDHHMMSS` timestamp, or undefined when it is not one,
 * including an impossible date or time (`20240231…`, `…246000`).
 */
export function parseKstTimestamp(text: string): number | undefined {
  const match = KST_TIMESTAMP.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number, number, number, number, number, number,
  ];
  const epochMs = Date.UTC(year, month - 1, day, hour - KST_OFFSET_HOURS, minute, second);
  // Date.UTC rolls out-of-range fields over (31 February becomes 2 March) and reads years below
  // 100 as 19xx: a timestamp is valid only when it reads back as itself.
  return formatKstTimestamp(epochMs) === text ? epochMs : undefined;
}

/** The KST `YYYYMMDDHHMMSS` text of an instant (the inverse of {@link parseKstTimestamp}). */
export function formatKstTimestamp(epochMs: number): string {
  const kst = new Date(epochMs + KST_OFFSET_HOURS * 3_600_000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return (
    pad(kst.getUTCFullYear(), 4) + pad(kst.getUTCMonth() + 1) + pad(kst.getUTCDate()) +
    pad(kst.getUTCHours()) + pad(kst.getUTCMinutes()) + pad(kst.getUTCSeconds())
  );
}
