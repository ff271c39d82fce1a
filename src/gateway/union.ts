/**
 * Reference-counted subscriptions: which clients hold each (type, item) pair, and where the
 * union sits upstream. The upstream registers a pair when its first holder takes it and
 * removes it when its last holder lets go; each item has one upstream group, groups filled
 * up to the per-group cap. Item "" (account events, market-wide types) holds no slot, as live.
 */

/** One (type, item) pair. */
export interface Pair {
  type: string;
  item: string;
}

/** A pair with the upstream group it belongs to. */
export interface Placed extends Pair {
  grp: string;
}

/** The live caps the union stays under. */
export interface UnionCaps {
  itemsPerConnection: number;
  itemsPerGroup: number;
}

/** `type|item`, the key of a pair everywhere in the gateway. */
export const pairKey = (type: string, item: string): string => `${type}|${item}`;

interface Held {
  pair: Pair;
  by: Set<unknown>;
}

export class SubscriptionUnion<H> {
  private readonly held = new Map<string, Held>();
  /** item → pairs of the union with that item. */
  private readonly itemPairs = new Map<string, number>();
  /** item → its upstream group. */
  private readonly itemGroup = new Map<string, string>();
  /** upstream group → items that hold a slot in it. */
  private readonly groupSlots = new Map<string, number>();

  constructor(private readonly caps: UnionCaps) {}

  /** Items holding a slot upstream. */
  get items(): number {
    let n = 0;
    for (const item of this.itemPairs.keys()) if (item !== '') n++;
    return n;
  }

  /** Whether the union with `pairs` added stays within the per-connection cap. */
  fits(pairs: readonly Pair[]): boolean {
    const fresh = new Set<string>();
    for (const p of pairs) if (p.item !== '' && !this.itemPairs.has(p.item)) fresh.add(p.item);
    return this.items + fresh.size <= this.caps.itemsPerConnection;
  }

  /** Holders of a pair, or undefined when nobody holds it. */
  holders(key: string): ReadonlySet<H> | undefined {
    return this.held.get(key)?.by as ReadonlySet<H> | undefined;
  }

  /** `holder` holds `pairs` from now on; returns those the union did not hold yet. */
  acquire(holder: H, pairs: readonly Pair[]): Placed[] {
    const fresh: Placed[] = [];
    for (const pair of pairs) {
      const key = pairKey(pair.type, pair.item);
      let h = this.held.get(key);
      if (!h) {
        this.held.set(key, (h = { pair: { type: pair.type, item: pair.item }, by: new Set() }));
        fresh.push({ ...h.pair, grp: this.place(pair.item) });
      }
      h.by.add(holder);
    }
    return fresh;
  }

  /** `holder` lets go of `pairs`; returns those nobody holds any more. */
  release(holder: H, pairs: readonly Pair[]): Placed[] {
    const gone: Placed[] = [];
    for (const pair of pairs) {
      const key = pairKey(pair.type, pair.item);
      const h = this.held.get(key);
      if (!h || !h.by.delete(holder) || h.by.size > 0) continue;
      this.held.delete(key);
      gone.push({ ...h.pair, grp: this.unplace(pair.item) });
    }
    return gone;
  }

  /** The upstream groups: grp → `type|item` keys, sorted. */
  groups(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [key, h] of this.held) (out[this.itemGroup.get(h.pair.item)!] ??= []).push(key);
    for (const keys of Object.values(out)) keys.sort();
    return out;
  }

  /** The item's group, giving a new item the first group with a free slot. */
  private place(item: string): string {
    const n = this.itemPairs.get(item) ?? 0;
    this.itemPairs.set(item, n + 1);
    const known = this.itemGroup.get(item);
    if (known !== undefined) return known;
    let g = 1;
    if (item !== '') while ((this.groupSlots.get(String(g)) ?? 0) >= this.caps.itemsPerGroup) g++;
    const grp = String(g);
    if (item !== '') this.groupSlots.set(grp, (this.groupSlots.get(grp) ?? 0) + 1);
    this.itemGroup.set(item, grp);
    return grp;
  }

  private unplace(item: string): string {
    const grp = this.itemGroup.get(item)!;
    const n = (this.itemPairs.get(item) ?? 1) - 1;
    if (n > 0) {
      this.itemPairs.set(item, n);
      return grp;
    }
    this.itemPairs.delete(item);
    this.itemGroup.delete(item);
    if (item !== '') this.groupSlots.set(grp, (this.groupSlots.get(grp) ?? 1) - 1);
    return grp;
  }
}
