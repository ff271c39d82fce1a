import { LIVE_WS } from '../../compat/live.js';
import { CONDITION_PAGE_SIZE } from './data.js';

/**
 * Tunables of the WebSocket side that the emulator's public options do not cover. The REG
 * limits default to the live servers' (compat/live.json); tests may widen them where the limit
 * is not what they exercise.
 */
export interface WsSideOptions {
  /** REG and REMOVE messages per session in any one second; beyond it rc 105110 (default: live, 5). */
  regPerSecond?: number;
  /** Distinct items per session over every group, item "" not counted; beyond it rc 105115 (default: live, 200). */
  itemsPerConnection?: number;
  /** Distinct items in one group; beyond it rc 105118 (default: live, 200). */
  itemsPerGroup?: number;
  /** The LOGIN answer leaves this long after the LOGIN (live: about 20 ms); frames sent meanwhile get rc 100013. */
  loginDelayMs?: number;
  /** Real-time condition searches per session (default 10, the 이용약관 limit). */
  maxRealtimeConditions?: number;
  /** Unanswered PINGs after which the session is closed with R10002 (default 5). */
  maxMissedPings?: number;
  /** A socket that has not logged in after this many ms gets R10004 (default: max(2000, ping interval)). */
  loginTimeoutMs?: number;
  /** How often real-time conditions are re-evaluated, ms (default 1000). */
  conditionIntervalMs?: number;
  /** Stocks advanced one trade per condition round while real-time conditions run (default 50). */
  conditionMarketTicks?: number;
  /** Rows per one-shot condition-search page (default: compat/emulator/conditions.json pageSize). */
  conditionPageSize?: number;
  /** Stop pushing REAL frames to a socket whose send buffer holds more than this (default 16 MiB). */
  highWaterBytes?: number;
  /** 0D (호가잔량) entries per second per registered item and session at most (default: live, about 3.6). */
  orderBookPerSecond?: number;
  /** Time between two VIs (1h), each on another stock, while anyone registered 1h (default 5000; live: about 60 a day). */
  viIntervalMs?: number;
  /** Time from a VI's trigger frame to its release frame (default 120_000, live's 2-minute auction). */
  viDurationMs?: number;
}

/** Live throttles 0D to about 3.6 entries per second per item (measured in the NXT after-market). */
const LIVE_ORDER_BOOK_PER_SECOND = 3.6;

export function resolveWsOptions(o: WsSideOptions, pingIntervalMs: number): Required<WsSideOptions> {
  return {
    regPerSecond: o.regPerSecond ?? LIVE_WS.regPerSecond,
    itemsPerConnection: o.itemsPerConnection ?? LIVE_WS.itemsPerConnection,
    itemsPerGroup: o.itemsPerGroup ?? LIVE_WS.itemsPerGroup,
    loginDelayMs: o.loginDelayMs ?? 20,
    maxRealtimeConditions: o.maxRealtimeConditions ?? 10,
    maxMissedPings: o.maxMissedPings ?? 5,
    loginTimeoutMs: o.loginTimeoutMs ?? Math.max(2000, pingIntervalMs),
    conditionIntervalMs: o.conditionIntervalMs ?? 1000,
    conditionMarketTicks: o.conditionMarketTicks ?? 50,
    conditionPageSize: o.conditionPageSize ?? CONDITION_PAGE_SIZE,
    highWaterBytes: o.highWaterBytes ?? 16 * 1024 * 1024,
    orderBookPerSecond: o.orderBookPerSecond ?? LIVE_ORDER_BOOK_PER_SECOND,
    viIntervalMs: o.viIntervalMs ?? 5_000,
    viDurationMs: o.viDurationMs ?? 120_000,
  };
}
