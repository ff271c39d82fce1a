/** The Kiwoom WebSocket as a long-lived session: `RealtimeSession` and its public types. */
export { RealtimeSession, type RealTextTap, type SessionState, type StreamRelay } from './session.js';
export type { PairRange, ScannedEntry } from './real-text.js';
export type { ControlReply } from './replies.js';
export { resolveWsUrl, WS_PATH } from './endpoint.js';
export type {
  BufferOptions,
  ConditionEvent,
  ConditionInfo,
  DisconnectInfo,
  RealEvent,
  RealtimeEvents,
  RealtimeSessionOptions,
  RealtimeStats,
  ReconnectOptions,
  SystemEvent,
  TokenSource,
} from './types.js';
