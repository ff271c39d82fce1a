/**
 * Colour the way a Korean trader reads it: a rise is red, a fall is blue (the opposite of the
 * US convention), unchanged is plain. picocolors decides whether colour is on: off when stdout
 * is not a terminal and with NO_COLOR, on with FORCE_COLOR and wherever `CI` is set (CI logs show it).
 */
import pc from 'picocolors';
import type { Colors } from 'picocolors/types.js';
import { kiwoomNumber } from '../numbers.js';

/** Direction of a signed Kiwoom value (`"+300"`, `"-0.42"`, `"0"`, `" 0"`, `"--36042"`). */
export function direction(value: unknown): 1 | -1 | 0 {
  const n = kiwoomNumber(value);
  return Number.isNaN(n) || n === 0 ? 0 : n > 0 ? 1 : -1;
}

/** `text` in red for a rise, blue for a fall. */
export function byDirection(text: string, dir: 1 | -1 | 0, colors: Colors = pc): string {
  return dir > 0 ? colors.red(text) : dir < 0 ? colors.blue(text) : text;
}

/** picocolors, or a copy of it with colour forced on or off (tests, `--color`). */
export function colours(enabled?: boolean): Colors {
  return enabled === undefined ? pc : pc.createColors(enabled);
}
