/**
 * The narrow surface the facade uses of the wire clients. `KiwoomRest` and `RealtimeSession`
 * satisfy these structurally; keeping the facade on these few members is what lets its
 * translation modules be read (and tested) without the transport.
 */
import type { ConditionEvent, ConditionInfo, RealEvent } from '../realtime/types.js';

/** One REST answer. */
export interface RestAnswer {
  body: Record<string, unknown>;
  contYn: 'Y' | 'N';
  nextKey: string;
}

/** What the facade needs of `KiwoomRest`. */
export interface RestPort {
  call(apiId: string, body: Record<string, unknown>, options?: { contYn?: 'Y' | 'N'; nextKey?: string }): Promise<RestAnswer>;
  /** Every page, with list fields concatenated (`pages`: the answers, one per request). */
  collect(apiId: string, body: Record<string, unknown>, options?: { maxPages?: number }): Promise<{ body: Record<string, unknown>; truncated: boolean; pages: readonly unknown[] }>;
}

/** What the facade needs of `RealtimeSession`. */
export interface RealtimePort {
  register(grpNo: string, items: string[], types: string[], refresh?: boolean): Promise<void>;
  remove(grpNo: string, items: string[], types: string[]): Promise<void>;
  conditions(): Promise<ConditionInfo[]>;
  search(seq: string, options: { realtime: boolean }): Promise<string[]>;
  stopSearch(seq: string): Promise<void>;
}

export type { ConditionEvent, ConditionInfo, RealEvent };
