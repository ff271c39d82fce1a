/**
 * Many codes through one api-id with bounded concurrency. Each code gets its own outcome, so
 * one bad code (unknown stock, a validation error) does not sink the others.
 */

/** The outcome for one code. */
export type BatchItem<T> = { code: string; ok: true; value: T } | { code: string; ok: false; error: Error };

/** Run `task` for every code, at most `concurrency` at once; results in input order. */
export async function runBatch<T>(
  codes: readonly string[],
  concurrency: number,
  task: (code: string) => Promise<T>,
): Promise<Array<BatchItem<T>>> {
  const results = new Array<BatchItem<T>>(codes.length);
  let next = 0;
  const worker = async () => {
    while (next < codes.length) {
      const index = next++;
      const code = codes[index]!;
      try {
        results[index] = { code, ok: true, value: await task(code) };
      } catch (error) {
        results[index] = { code, ok: false, error: error instanceof Error ? error : new Error(String(error)) };
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(concurrency), codes.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
