/**
 * The market clock: advances the most active stocks a few trades per second, so quotes,
 * REAL pushes and resting orders move without anyone asking.
 */
import type { EmulatorStateImpl } from './index.js';
import { deriveRng } from './prng.js';

/** How many of the largest listings the clock moves. */
const ACTIVE = 20;

/** Starts the clock; returns its stop function. 0 trades per second starts nothing. */
export function startTicker(state: EmulatorStateImpl, tradesPerSecond: number): () => void {
  if (!(tradesPerSecond > 0)) return () => {};
  const active = [...state.master]
    .sort((a, b) => b.prevClose * b.listed - a.prevClose * a.listed)
    .slice(0, ACTIVE)
    .map((s) => s.code);
  const rng = deriveRng(state.seed, 'ticker');
  const timer = setInterval(() => state.tick(rng.pick(active)), 1000 / tradesPerSecond);
  timer.unref();
  return () => clearInterval(timer);
}
