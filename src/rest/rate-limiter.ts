/**
 * Layered token buckets shaped like the server's limits: per api-id, per category (query,
 * order), global, and the mock domain's query budget. A request takes one token from every
 * layer it belongs to, atomically. Requests wait in one queue, orders ahead of queries; a
 * request whose own buckets are ready is not held up by one whose buckets are not. Nobody
 * fails for being fast; only the optional queue bound refuses work.
 */
import { QueueFullError, TimeoutError } from '../errors.js';
import type { ResolvedLimits } from './options.js';

/** Which budgets a request draws from. */
export type LimitedCategory = 'query' | 'order';

/** Emitted when a request has to wait for a budget. */
export interface ThrottleInfo {
  apiId: string;
  category: LimitedCategory;
  /** The estimated wait when the request was queued, ms. */
  waitMs: number;
  /** The bucket that held it up: `api:ka10001`, `category:query`, `global`, `mock:query`. */
  bucket: string;
  /** Requests waiting, this one included. */
  queued: number;
}

/**
 * Timers fire a little late, and a bucket capped at exactly `burst` would lose that lateness on
 * every grant (about 1-3% of the budget at 5-10/s). Letting it hold this fraction of a token
 * more gives the lateness back, so the long-run rate is the configured one; the cost is that
 * one gap may be this fraction of an interval shorter than 1/rate.
 */
const LATENESS_CREDIT = 0.05;

/** A token bucket: `rate` tokens per ms, at most `burst` (+ lateness credit) stored, optionally blocked until a time. */
class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private blockedUntil = 0;

  constructor(
    readonly name: string,
    private readonly ratePerMs: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Ms until a token is available (0 = now). */
  waitMs(now: number): number {
    if (now < this.blockedUntil) return this.blockedUntil - now;
    this.refill(now);
    return this.tokens >= 1 ? 0 : (1 - this.tokens) / this.ratePerMs;
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }

  /** Release nothing until `until`, then start from a single token (after a server 429). */
  block(until: number): void {
    if (until <= this.blockedUntil) return;
    this.blockedUntil = until;
    this.tokens = Math.min(1, this.burst);
    this.updatedAt = until;
  }

  private refill(now: number): void {
    if (now <= this.updatedAt) return;
    this.tokens = Math.min(this.burst + LATENESS_CREDIT, this.tokens + (now - this.updatedAt) * this.ratePerMs);
    this.updatedAt = now;
  }
}

interface Waiter {
  apiId: string;
  category: LimitedCategory;
  buckets: TokenBucket[];
  enqueuedAt: number;
  resolve: (waitedMs: number) => void;
  reject: (error: Error) => void;
  cleanup: () => void;
}

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  limits: ResolvedLimits;
  isMock: boolean;
  now?: () => number;
  onThrottle?: (info: ThrottleInfo) => void;
}

export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  /** Requests waiting now. */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Wait for a token of every layer the request belongs to. Resolves with the ms waited.
   * Rejects with QueueFullError when the bound is reached, TimeoutError when `signal` aborts.
   */
  acquire(apiId: string, category: LimitedCategory, signal?: AbortSignal): Promise<number> {
    if (signal?.aborted === true) return Promise.reject(abortError(apiId));
    const buckets = this.bucketsFor(apiId, category);
    const now = this.now();
    if (this.queue.length === 0 && buckets.every((b) => b.waitMs(now) === 0)) {
      for (const bucket of buckets) bucket.take(now);
      return Promise.resolve(0);
    }
    const { maxQueue } = this.options.limits;
    if (maxQueue !== undefined && this.queue.length >= maxQueue) {
      return Promise.reject(
        new QueueFullError(`${apiId}: request queue is full (${maxQueue} waiting); slow down or raise limits.maxQueue`, {
          apiId,
        }),
      );
    }
    return new Promise<number>((resolve, reject) => {
      const onAbort = () => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(abortError(apiId));
      };
      const waiter: Waiter = {
        apiId,
        category,
        buckets,
        enqueuedAt: now,
        resolve,
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.enqueue(waiter);
      const slowest = maxBy(buckets, (b) => b.waitMs(now));
      this.options.onThrottle?.({
        apiId,
        category,
        waitMs: Math.ceil(slowest.wait),
        bucket: slowest.item.name,
        queued: this.queue.length,
      });
      this.pump();
    });
  }

  /** Hold every request of `apiId` for `ms` (the server said 429). */
  block(apiId: string, ms: number): void {
    this.bucket(`api:${apiId}`, this.rateFor(apiId)).block(this.now() + ms);
  }

  /** Stop the timer and fail every waiting request (client closing). */
  close(reason: Error): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.queue.splice(0)) {
      waiter.cleanup();
      waiter.reject(reason);
    }
  }

  private enqueue(waiter: Waiter): void {
    // Orders go ahead of every waiting query, behind earlier orders.
    const position =
      waiter.category === 'order' ? this.queue.findIndex((w) => w.category !== 'order') : this.queue.length;
    this.queue.splice(position < 0 ? this.queue.length : position, 0, waiter);
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = this.now();
    let nextWake = Infinity;
    for (let i = 0; i < this.queue.length; ) {
      const waiter = this.queue[i]!;
      const wait = Math.max(...waiter.buckets.map((b) => b.waitMs(now)));
      if (wait > 0) {
        nextWake = Math.min(nextWake, wait);
        i++;
        continue;
      }
      for (const bucket of waiter.buckets) bucket.take(now);
      this.queue.splice(i, 1);
      waiter.cleanup();
      waiter.resolve(now - waiter.enqueuedAt);
    }
    if (this.queue.length > 0) this.timer = setTimeout(() => this.pump(), Math.max(1, Math.ceil(nextWake)));
  }

  private bucketsFor(apiId: string, category: LimitedCategory): TokenBucket[] {
    const { limits, isMock } = this.options;
    const layers: Array<[string, number]> = [
      [`api:${apiId}`, this.rateFor(apiId)],
      [`category:${category}`, limits[category]],
      ['global', limits.global],
    ];
    if (isMock && category === 'query') layers.push(['mock:query', limits.mockQuery]);
    return layers.map(([name, rate]) => this.bucket(name, rate));
  }

  private rateFor(apiId: string): number {
    return this.options.limits.perApiIdOverrides?.[apiId] ?? this.options.limits.perApiId;
  }

  private bucket(name: string, ratePerSec: number): TokenBucket {
    let bucket = this.buckets.get(name);
    if (bucket === undefined) {
      const { burst, safetyFactor } = this.options.limits;
      bucket = new TokenBucket(name, (ratePerSec * safetyFactor) / 1000, burst, this.now());
      this.buckets.set(name, bucket);
    }
    return bucket;
  }
}

function abortError(apiId: string): TimeoutError {
  return new TimeoutError(`${apiId}: request aborted while waiting for the rate limit`, { apiId, phase: 'abort' });
}

function maxBy<T extends object>(items: readonly T[], score: (item: T) => number): { item: T; wait: number } {
  let best = { item: items[0]!, wait: score(items[0]!) };
  for (const item of items.slice(1)) {
    const wait = score(item);
    if (wait > best.wait) best = { item, wait };
  }
  return best;
}
