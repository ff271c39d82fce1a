/** The OCX facade: `APIServer` and its public types. */
export { APIServer, type LastError } from './api-server.js';
export type { ApiInitOptions, LogLevel, RestTuning } from './connection.js';
export type { MasterOptions } from './master-load.js';
export type { OrderOutcome } from './orders.js';
export type { SettleOptions } from './settle.js';
export type { OrderType, SimNo } from './literals.js';
export { EVENT_NAMES, type APIServerEvents, type ChejanData, type FidValues, type RealData } from './events.js';
