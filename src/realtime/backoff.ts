/** Reconnect delays: exponential growth, a cap, and jitter so that many clients do not return in step. */
import type { ReconnectOptions } from './types.js';

export type ResolvedBackoff = Required<ReconnectOptions>;

export const DEFAULT_BACKOFF: ResolvedBackoff = { initialDelayMs: 500, maxDelayMs: 30_000, factor: 2, jitter: 0.5 };

/** Delay before reconnect attempt `attempt` (1-based). `random` is injectable for tests. */
export function backoffDelay(b: ResolvedBackoff, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(b.maxDelayMs, b.initialDelayMs * b.factor ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - b.jitter * random()));
}
