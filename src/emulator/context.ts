/**
 * What the emulator's HTTP side hands to its WebSocket side: shared state, the token store
 * (a WebSocket LOGIN checks the same tokens as REST), the options and the counters.
 */
import type { EmulatorOptions, EmulatorState, EmulatorStats } from './types.js';

/** Result of checking a token. */
export type TokenCheck =
  | { ok: true; appkey: string; account: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

/** Token store shared by REST and WebSocket. */
export interface TokenVerifier {
  verify(token: string): TokenCheck;
}

/** Fault switches the WebSocket side reads; the REST side owns the object, the WS side consumes it. */
export interface WsFaultSwitches {
  /** Frames still to garble (decremented by the WS side as it sends). */
  garbleFrames: number;
  /** Date.now() until which nothing is sent. */
  stallUntil: number;
  /** LOGINs still to reject. */
  rejectLogins: number;
  /** End every session this long after its LOGIN answer: abruptly, or with SYSTEM R10002 (a server that will not keep a session). */
  dropAfterLogin?: { ms: number; with: 'close' | 'R10002' } | undefined;
  /** REMOVEs still to apply without an answer (Infinity: every one). */
  withholdRemoveAcks?: number;
}

export interface EmulatorContext {
  readonly state: EmulatorState;
  readonly tokens: TokenVerifier;
  readonly options: Required<Pick<EmulatorOptions, 'seed' | 'mode' | 'realRate' | 'pingIntervalMs'>> & EmulatorOptions;
  readonly stats: EmulatorStats;
  readonly wsFaults: WsFaultSwitches;
}
