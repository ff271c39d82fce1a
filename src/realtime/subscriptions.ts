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

export class SubscriptionBook {
  readonly #desired = new Map<string, Book>();
  readonly #acked = new Map<string, Book>();

  constructor(private readonly chunkSize: number) {}

  /** Want every item × type in `grp`; `replace` drops the group's other registrations. */
  want(grp: string, items: readonly string[], types: readonly string[], replace: boolean): void {
    if (replace) this.#desired.delete(grp);
    addPairs(group(this.#desired, grp), items, types);
  }

  /** Stop wanting item × type in `grp`; `undefined` items or types mean all of them. */
  unwant(grp: string, items?: readonly string[], types?: readonly string[]): void {
    removePairs(this.#desired, grp, items, types);
  }

  /** The server accepted a REG (`added`) or a REMOVE of these pairs. */
  acknowledge(grp: string, block: RegBlock, added: boolean): void {
    if (added) addPairs(group(this.#acked, grp), block.item, block.type);
    else removePairs(this.#acked, grp, block.item, block.type);
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

  /** What the server acknowledged on the current socket, same shape as {@link snapshot}. */
  acknowledged(): Record<string, Record<string, string[]>> {
    return toPlain(this.#acked);
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

function addPairs(book: Book, items: readonly string[], types: readonly string[]): void {
  for (const item of items) {
    let set = book.get(item);
    if (!set) book.set(item, (set = new Set()));
    for (const type of types) set.add(type);
  }
}

function removePairs(books: Map<string, Book>, grp: string, items?: readonly string[], types?: readonly string[]): void {
  const book = books.get(grp);
  if (!book) return;
  for (const item of items ?? [...book.keys()]) {
    const set = book.get(item);
    if (!set) continue;
    if (types) for (const type of types) set.delete(type);
    else set.clear();
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
