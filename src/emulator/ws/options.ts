/**
 * Tunables of the WebSocket side that the emulator's public options do not cover.
 */
import { CONDITION_PAGE_SIZE } from './data.js';

export interface WsSideOptions {
  /** Items allowed in one REG request (default 100; Kiwoom publishes no number). */
  maxItemsPerReg?: number;
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
}

export function resolveWsOptions(o: WsSideOptions, pingIntervalMs: number): Required<WsSideOptions> {
  return {
    maxItemsPerReg: o.maxItemsPerReg ?? 100,
    maxRealtimeConditions: o.maxRealtimeConditions ?? 10,
    maxMissedPings: o.maxMissedPings ?? 5,
    loginTimeoutMs: o.loginTimeoutMs ?? Math.max(2000, pingIntervalMs),
    conditionIntervalMs: o.conditionIntervalMs ?? 1000,
    conditionMarketTicks: o.conditionMarketTicks ?? 50,
    conditionPageSize: o.conditionPageSize ?? CONDITION_PAGE_SIZE,
    highWaterBytes: o.highWaterBytes ?? 16 * 1024 * 1024,
  };
}
