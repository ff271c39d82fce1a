/** A sink for the bridge's Outbox that takes lines until told it is full, like a pipe whose reader stopped. */
import { expect } from 'vitest';
import { readLine } from './protocol-lines.js';

export class StoppingSink {
  lines: unknown[][] = [];
  full = false;
  #drain: (() => void) | undefined;
  /** The reader falls behind again after each line it takes. */
  fullAfterOne = false;
  write(chunk: string): boolean {
    expect(chunk.endsWith('\n')).toBe(true);
    expect(chunk.slice(0, -1)).not.toContain('\n');
    this.lines.push(readLine(chunk.slice(0, -1)));
    const took = !this.full;
    if (this.fullAfterOne) this.full = true;
    return took;
  }
  once(_event: 'drain', listener: () => void): void {
    this.#drain = listener;
  }
  /** The reader caught up. */
  drain(): void {
    this.full = false;
    const d = this.#drain;
    this.#drain = undefined;
    d?.();
  }
  get messages(): unknown[] {
    return this.lines.flat();
  }
}
