/**
 * The OCX knowledge as data: typed access to the generated `compat/*.json` tables
 * (`npm run generate` rebuilds them from the reference fixtures).
 */
export * from './chejan.js';
export * from './fids.js';
export * from './live.js';
export * from './markets.js';
export * from './ocx-api.js';
export * from './op-errors.js';
export * from './orders.js';
export * from './real-types.js';
export * from './tr-defaults.js';
export * from './tr-map.js';
