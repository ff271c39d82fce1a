/**
 * Defaults of legacy TR inputs (`compat/tr-defaults.json`): the inputs Kiwoom REST requires that
 * a legacy program may leave unset, the value sent in their place (`{today}`: the Korea-time
 * date) and why.
 */
import { loadTable, own } from './load.js';

/** The value an unset input gets, and why. */
export interface TrInputDefault {
  value: string;
  why: string;
}

const file = loadTable<{ trs: Record<string, Record<string, TrInputDefault>> }>('tr-defaults.json');

/** The defaults of a TR's inputs by Korean input name (empty when none). */
export function trInputDefaults(trCode: string): Readonly<Record<string, TrInputDefault>> {
  return own(file.trs, trCode.toLowerCase()) ?? {};
}
