/**
 * Opt-in cache of query answers, with a TTL per api-id. Keyed by api-id, the body in a
 * key-order-independent form and the continuation key. Callers get copies, so a caller that
 * edits a result cannot corrupt the next caller's.
 */

interface Entry<T> {
  value: T;
  expiresAt: number;
}

export class ResponseCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs: Record<string, number>,
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  /** Whether answers of `apiId` are cached at all. */
  covers(apiId: string): boolean {
    return (this.ttlMs[apiId] ?? 0) > 0;
  }

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return structuredClone(entry.value);
  }

  set(apiId: string, key: string, value: T): void {
    const ttl = this.ttlMs[apiId] ?? 0;
    if (ttl <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value: structuredClone(value), expiresAt: this.now() + ttl });
    // Map keeps insertion order: the first key is the oldest.
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The cache key of one request. */
export function cacheKey(apiId: string, body: unknown, contYn: string, nextKey: string): string {
  return `${apiId}\u0000${stableJson(body)}\u0000${contYn}\u0000${nextKey}`;
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` give the same key. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}
