/** kiwoom-compat: the Kiwoom OpenAPI+ programming surface on Kiwoom's REST + WebSocket API. */
export * from './errors.js';
export { KIWOOM_HOSTS } from './hosts.js';
export * from './rest/index.js';
export { createLogger, componentLogger, REDACT_PATHS, REDACTED, type CreateLoggerOptions, type Logger } from './log.js';
export {
  RealtimeSession,
  type SessionState,
  type RealtimeSessionOptions,
  type RealtimeEvents,
  type RealtimeStats,
  type RealEvent,
  type ConditionEvent,
  type ConditionInfo,
  type DisconnectInfo,
  type SystemEvent,
  type BufferOptions,
  type ReconnectOptions,
  type TokenSource,
  type RealTextTap,
  type ScannedEntry,
  type PairRange,
} from './realtime/index.js';
export { APIServer, EVENT_NAMES, type LastError, type ApiInitOptions, type OrderType, type SimNo, type LogLevel, type RestTuning, type APIServerEvents, type ChejanData, type FidValues, type RealData } from './facade/index.js';
