import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../../src/realtime/backoff.js';

describe('reconnect backoff', () => {
  it('grows exponentially up to the cap', () => {
    const none = (): number => 0;
    expect([1, 2, 3, 4, 10, 20].map((a) => backoffDelay(DEFAULT_BACKOFF, a, none))).toEqual([500, 1000, 2000, 4000, 30_000, 30_000]);
  });
  it('removes up to `jitter` of the delay at random, never going negative', () => {
    expect(backoffDelay(DEFAULT_BACKOFF, 3, () => 1)).toBe(1000);
    expect(backoffDelay({ ...DEFAULT_BACKOFF, jitter: 1 }, 3, () => 1)).toBe(0);
  });
});
