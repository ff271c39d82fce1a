/**
 * Diff of two normalised event streams (longest common subsequence), for `compare`: which
 * events both backends produced, and which only one did, in order.
 */

/** One line of the diff: `same` in both, `a` only in the first stream, `b` only in the second. */
export interface DiffLine<T> {
  side: 'same' | 'a' | 'b';
  item: T;
}

/** The diff of `a` and `b`, items compared by `key`. */
export function diffStreams<T>(a: readonly T[], b: readonly T[], key: (item: T) => string = (x) => JSON.stringify(x)): DiffLine<T>[] {
  const ka = a.map(key);
  const kb = b.map(key);
  // lcs[i][j]: length of the LCS of ka[i..] and kb[j..]
  const lcs = Array.from({ length: ka.length + 1 }, () => new Array<number>(kb.length + 1).fill(0));
  for (let i = ka.length - 1; i >= 0; i -= 1) {
    for (let j = kb.length - 1; j >= 0; j -= 1) {
      const row = lcs[i] as number[];
      row[j] = ka[i] === kb[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const out: DiffLine<T>[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && ka[i] === kb[j]) {
      out.push({ side: 'same', item: a[i] as T });
      i += 1;
      j += 1;
    } else if (j < b.length && (i >= a.length || (lcs[i]?.[j + 1] ?? 0) >= (lcs[i + 1]?.[j] ?? 0))) {
      out.push({ side: 'b', item: b[j] as T });
      j += 1;
    } else {
      out.push({ side: 'a', item: a[i] as T });
      i += 1;
    }
  }
  return out;
}

/** Whether a diff has any line that is not in both streams. */
export const diverges = <T>(diff: readonly DiffLine<T>[]): boolean => diff.some((d) => d.side !== 'same');
