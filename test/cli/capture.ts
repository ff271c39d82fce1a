import { stripVTControlCharacters } from 'node:util';
import { vi } from 'vitest';

/**
 * Runs fn while capturing console.log / console.error lines, without colour codes: picocolors turns
 * colour on wherever `CI` is set, even when stdout is not a terminal.
 */
export async function capture<T>(fn: () => Promise<T>): Promise<{ result: T; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    const result = await fn();
    return { result, out: stripVTControlCharacters(out.join('\n')), err: stripVTControlCharacters(err.join('\n')) };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}
