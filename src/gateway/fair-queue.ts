/**
 * Per-client queues in front of the one upstream budget: orders ahead of queries, and within
 * each category the clients take turns (round robin), so a client that asks a lot waits for
 * its own requests, not for everyone's.
 */

/** Which upstream budget a request draws from. */
export type Category = 'order' | 'query';

interface Lane<T> {
  /** client → its waiting jobs, oldest first. Map order is the turn order. */
  readonly queues: Map<string, T[]>;
  size: number;
}

export class FairQueue<T> {
  private readonly lanes: Record<Category, Lane<T>> = {
    order: { queues: new Map(), size: 0 },
    query: { queues: new Map(), size: 0 },
  };

  /** Queues `job` at the back of `client`'s queue in `category`. */
  push(client: string, category: Category, job: T): void {
    const lane = this.lanes[category];
    let q = lane.queues.get(client);
    if (!q) lane.queues.set(client, (q = []));
    q.push(job);
    lane.size++;
  }

  /** The next job of `category`: the oldest of the client whose turn it is; that client goes to the back of the turn order. */
  shift(category: Category): { client: string; job: T } | undefined {
    const lane = this.lanes[category];
    for (const [client, q] of lane.queues) {
      const job = q.shift();
      lane.queues.delete(client);
      if (job === undefined) continue;
      lane.size--;
      if (q.length > 0) lane.queues.set(client, q);
      return { client, job };
    }
    return undefined;
  }

  /** Takes `job` out if it still waits (its client went away); true when it did. */
  remove(client: string, category: Category, job: T): boolean {
    const lane = this.lanes[category];
    const q = lane.queues.get(client);
    const i = q?.indexOf(job) ?? -1;
    if (q === undefined || i < 0) return false;
    q.splice(i, 1);
    lane.size--;
    if (q.length === 0) lane.queues.delete(client);
    return true;
  }

  /** Jobs waiting in `category`, all clients. */
  size(category: Category): number {
    return this.lanes[category].size;
  }

  /** Jobs `client` has waiting in `category`. */
  depth(client: string, category: Category): number {
    return this.lanes[category].queues.get(client)?.length ?? 0;
  }

  /** Clients with something waiting in `category`. */
  waitingClients(category: Category): number {
    return this.lanes[category].queues.size;
  }
}
