/**
 * Subscriptions as desired state. What the user wants (group → item → types) is kept apart
 * from what the server acknowledged on the current socket; the difference between the two
 * is what gets sent, so a reconnect (acknowledged state emptied) restores everything and a
 * repeated call sends nothing.
 */

/** item → types. */
type Book = Map<string, Set<string>>;

/** One REG/REMOVE `data` element: every item in it gets every type in it. */
export interface RegBlock {
  item: string[];
  type: string[];
}

/** What to send to bring one group from acknowledged to desired. */
export interface GroupDiff {
  add: RegBlock[];
  remove: RegBlock[];
}

/** Distinct items a group and the whole connection hold, as the live caps count them. */
export interface ItemCounts {
  group: number;
  connection: number;
}

export class SubscriptionBook {
  readonly #desired = new Map<string, Book>();
  readonly #acked = new Map<string, Book>();
  /** type → item → how many groups want the pair: the REAL hot path's filter. */
  readonly #wanted = new Map<string, Map<string, number>>();

  constructor(private readonly chunkSize: number) {}

  /** Want every item × type in `grp`; `replace` drops the group's other registrations. */
  want(grp: string, items: readonly string[], types: readonly string[], replace: boolean): void {
    if (replace) this.unwant(grp);
    addPairs(group(this.#desired, grp), items, types, this.#count);
  }

  /** Stop wanting item × type in `grp`; `undefined` items or types mean all of them. */
  unwant(grp: string, items?: readonly string[], types?: readonly string[]): void {
    removePairs(this.#desired, grp, items, types, this.#count);
  }

  /**
   * Whether a REAL entry belongs to a wanted registration. Account-level (00, 04) and
   * market-wide registrations have item "" and take every item of their type.
   */
  accepts(type: string, item: string): boolean {
    const items = this.#wanted.get(type);
    return items !== undefined && (items.has(item) || items.has(''));
  }

  /** The wanted pairs as type → items (item "" for every item of the type). */
  wanted(): [string, string[]][] {
    return [...this.#wanted].map(([type, items]) => [type, [...items.keys()]]);
  }

  /**
   * Distinct items (item "" holds no slot, types do not matter) the group and the connection
   * would want after adding `items` to `grp` (after dropping its others, with `replace`).
   */
  countsWith(grp: string, items: readonly string[], replace: boolean): ItemCounts {
    const inGroup = new Set<string>();
    const all = new Set<string>();
    for (const [g, book] of this.#desired) {
      if (g === grp && replace) continue;
      for (const item of book.keys()) {
        if (item === '') continue;
        all.add(item);
        if (g === grp) inGroup.add(item);
      }
    }
    for (const item of items) {
      if (item === '') continue;
      all.add(item);
      inGroup.add(item);
    }
    return { group: inGroup.size, connection: all.size };
  }

  readonly #count = (type: string, item: string, delta: 1 | -1): void => {
    let items = this.#wanted.get(type);
    if (!items) this.#wanted.set(type, (items = new Map()));
    const n = (items.get(item) ?? 0) + delta;
    if (n > 0) items.set(item, n);
    else items.delete(item);
  };

  /** The server accepted a REG (`added`) or a REMOVE of these pairs. */
  acknowledge(grp: string, block: RegBlock, added: boolean): void {
    if (added) addPairs(group(this.#acked, grp), block.item, block.type, noCount);
    else removePairs(this.#acked, grp, block.item, block.type, noCount);
  }

  /** The new socket has no registrations. */
  resetAcknowledged(): void {
    this.#acked.clear();
  }

  /** Groups that are wanted or still registered. */
  groups(): string[] {
    return [...new Set([...this.#desired.keys(), ...this.#acked.keys()])];
  }

  /** Messages that turn the group's acknowledged state into its desired state. */
  diff(grp: string): GroupDiff {
    const desired = this.#desired.get(grp) ?? new Map<string, Set<string>>();
    const acked = this.#acked.get(grp) ?? new Map<string, Set<string>>();
    return { add: this.#blocks(minus(desired, acked)), remove: this.#blocks(minus(acked, desired)) };
  }

  /** The desired state: group → item → sorted types. */
  snapshot(): Record<string, Record<string, string[]>> {
    return toPlain(this.#desired);
  }

  /** Items sharing the same type set go in one block, cut to `chunkSize` items. */
  #blocks(pairs: Book): RegBlock[] {
    const byTypes = new Map<string, { types: string[]; items: string[] }>();
    for (const [item, types] of pairs) {
      const sorted = [...types].sort();
      const key = sorted.join(',');
      let entry = byTypes.get(key);
      if (!entry) byTypes.set(key, (entry = { types: sorted, items: [] }));
      entry.items.push(item);
    }
    const blocks: RegBlock[] = [];
    for (const { types, items } of byTypes.values()) {
      for (let i = 0; i < items.length; i += this.chunkSize) {
        blocks.push({ item: items.slice(i, i + this.chunkSize), type: types });
      }
    }
    return blocks;
  }
}

function group(books: Map<string, Book>, grp: string): Book {
  let book = books.get(grp);
  if (!book) books.set(grp, (book = new Map()));
  return book;
}

/** Told of every pair that enters or leaves a book. */
type PairCounter = (type: string, item: string, delta: 1 | -1) => void;

const noCount: PairCounter = () => {};

function addPairs(book: Book, items: readonly string[], types: readonly string[], count: PairCounter): void {
  for (const item of items) {
    let set = book.get(item);
    if (!set) book.set(item, (set = new Set()));
    for (const type of types) {
      if (set.has(type)) continue;
      set.add(type);
      count(type, item, 1);
    }
  }
}

function removePairs(books: Map<string, Book>, grp: string, items: readonly string[] | undefined, types: readonly string[] | undefined, count: PairCounter): void {
  const book = books.get(grp);
  if (!book) return;
  for (const item of items ?? [...book.keys()]) {
    const set = book.get(item);
    if (!set) continue;
    for (const type of types ?? [...set]) if (set.delete(type)) count(type, item, -1);
    if (set.size === 0) book.delete(item);
  }
  if (book.size === 0) books.delete(grp);
}

function minus(a: Book, b: Book): Book {
  const out: Book = new Map();
  for (const [item, types] of a) {
    const other = b.get(item);
    const rest = other ? [...types].filter((t) => !other.has(t)) : [...types];
    if (rest.length > 0) out.set(item, new Set(rest));
  }
  return out;
}

function toPlain(books: Map<string, Book>): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const [grp, book] of books) {
    const items: Record<string, string[]> = {};
    for (const [item, types] of book) items[item] = [...types].sort();
    out[grp] = items;
  }
  return out;
}
