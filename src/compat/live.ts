/**
 * The live WebSocket limits and refusal codes (`compat/live.json`, from recordings of Kiwoom's
 * live service): what the session keeps under, what the emulator enforces, and
 * what a gateway must enforce for the union of its clients.
 */
import { loadTable } from './load.js';

/** One refusal the live server sends on the WebSocket. */
export interface LiveCode {
  /** The 6-digit `return_code`. */
  rc: number;
  /** The server's text (`exact`), or a paraphrase where the recordings do not quote it. */
  message: string;
  exact: boolean;
}

/** The live WebSocket's limits. */
export interface LiveWsLimits {
  /** REG and REMOVE messages per connection in any one-second window. */
  regPerSecond: number;
  /** Distinct items per connection over every group, whatever the types; item "" holds no slot. */
  itemsPerConnection: number;
  /** Distinct items in one REG group. */
  itemsPerGroup: number;
  codes: {
    /** A frame other than LOGIN before the LOGIN answer (100013): dropped, the socket stays open. */
    loginFirst: LiveCode;
    /** Past `regPerSecond` (105110). */
    regRate: LiveCode;
    /** Past `itemsPerConnection` (105115). */
    connectionCap: LiveCode;
    /** Past `itemsPerGroup` (105118). */
    groupCap: LiveCode;
  };
}

/** The live limits and codes. */
export const LIVE_WS: Readonly<LiveWsLimits> = loadTable<{ websocket: LiveWsLimits }>('live.json').websocket;
