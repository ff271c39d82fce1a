/** The REST wire client and its types. */
export {
  KiwoomRest,
  type BatchOptions,
  type CallOptions,
  type CallResult,
  type CollectResult,
  type KiwoomRestEvents,
  type PagesOptions,
  type RateLimitedInfo,
  type UntypedKiwoomRest,
} from './client.js';
export type { RestEndpoints, RestApiId, RestRequest, RestResponse } from './endpoints.js';
export type { BatchItem } from './batch.js';
export { type CacheOptions, type KiwoomRestOptions, type RateLimitOptions, type TimeoutOptions } from './options.js';
export type { ThrottleInfo } from './rate-limiter.js';
export type { JsonBody } from './response.js';
export type { TokenInfo } from './token-manager.js';
export { classifyFailure, embeddedCode, kiwoomErrorInfo, type KiwoomErrorInfo, type KiwoomFailure } from './kiwoom-errors.js';
export { formatKstTimestamp, parseKstTimestamp } from './kst.js';
