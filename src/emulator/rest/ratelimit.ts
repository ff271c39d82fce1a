/**
 * Sliding-window request budgets, per api-id and global, as Kiwoom enforces them.
 */

/**
 * The window is slightly shorter than a second so that a client spacing its requests at
 * exactly the budget (5 per second) never trips it on arrival jitter.
 */
const WINDOW_MS = 900;

export class SlidingWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly nowMs: () => number) {}

  /** Records a request under `key` unless `limit` requests already arrived in the window. */
  take(key: string, limit: number): boolean {
    const now = this.nowMs();
    const list = (this.hits.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    if (list.length >= limit) {
      this.hits.set(key, list);
      return false;
    }
    list.push(now);
    this.hits.set(key, list);
    return true;
  }
}
