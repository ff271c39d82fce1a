/**
 * The FID dictionary (`compat/fids.json`): every FID a delivered real type or chejan list
 * carries, with the KOA Korean name the OCX used.
 */
import { loadTable, own } from './load.js';

/** One FID. */
export interface FidInfo {
  /** KOA Korean name (`현재가`); null for the few FIDs KOA never named. */
  name: string | null;
  /** Reviewed English gloss, when one exists. */
  en?: string;
  /** The REST WebSocket's name for it, when it differs from the KOA name. */
  rest?: string;
}

const file = loadTable<{ fids: Record<string, FidInfo> }>('fids.json');

/** Every known FID by number (as a string key). */
export const FIDS: Readonly<Record<string, FidInfo>> = file.fids;

/** The FID's entry, or undefined when it is not one the REST API or chejan can carry. */
export function getFid(fid: number | string): FidInfo | undefined {
  return own(FIDS, String(fid));
}

/** The FID's Korean name, or undefined. */
export function fidName(fid: number | string): string | undefined {
  return getFid(fid)?.name ?? undefined;
}
