/**
 * A burst of REAL data from a running emulator, batched as live frames are (1-3 entries each),
 * for the tests that check every consumer path receives each entry once.
 */
import { expect } from 'vitest';
import type { Emulator } from '../src/emulator/index.js';

/**
 * Pushes at `rate` frames/s until more than `minEntries` entries went out, stops, and returns
 * how many entries were sent, having checked that the frames carried more than one on average.
 */
export async function batchedBurst(emu: Emulator, rate: number, minEntries: number): Promise<number> {
  const before = emu.stats();
  emu.setRate(rate);
  await expect.poll(() => emu.stats().realEntries - before.realEntries, { timeout: 5_000 }).toBeGreaterThan(minEntries);
  emu.setRate(0);
  await new Promise((r) => setTimeout(r, 100));
  const after = emu.stats();
  const entries = after.realEntries - before.realEntries;
  expect(entries).toBeGreaterThan((after.realFrames - before.realFrames) * 1.5);
  return entries;
}
