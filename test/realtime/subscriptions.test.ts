/**
 * The subscription book on its own: what a session sends (REG/REMOVE blocks) to bring the
 * server from what it acknowledged to what the program wants, which REAL entries pass, and how
 * the live caps count. The session tests drive the same through a socket; these pin each rule.
 */
import { describe, expect, it } from 'vitest';
import { SubscriptionBook } from '../../src/realtime/subscriptions.js';

/** Acknowledge every block of the group's diff, as a server that accepts everything would. */
function ackAll(book: SubscriptionBook, grp: string): void {
  const { add, remove } = book.diff(grp);
  for (const block of remove) book.acknowledge(grp, block, false);
  for (const block of add) book.acknowledge(grp, block, true);
}

describe('what is sent', () => {
  it('items with the same types go in one REG block, in the order asked; other type sets in their own', () => {
    const book = new SubscriptionBook(100);
    book.want('1', ['005930', '000660'], ['0D', '0B'], false);
    book.want('1', ['035420'], ['0B'], false);
    expect(book.diff('1')).toEqual({
      add: [
        { item: ['005930', '000660'], type: ['0B', '0D'] },
        { item: ['035420'], type: ['0B'] },
      ],
      remove: [],
    });
  });

  it('a block holds at most chunkSize items', () => {
    const book = new SubscriptionBook(2);
    book.want('1', ['000001', '000002', '000003', '000004', '000005'], ['0B'], false);
    expect(book.diff('1').add.map((b) => b.item)).toEqual([['000001', '000002'], ['000003', '000004'], ['000005']]);
    // A multiple of chunkSize: no empty block after the last full one.
    book.unwant('1', ['000005']);
    expect(book.diff('1').add.map((b) => b.item)).toEqual([['000001', '000002'], ['000003', '000004']]);
  });

  it('what the server acknowledged is not sent again; after a reconnect (nothing acknowledged) everything is', () => {
    const book = new SubscriptionBook(100);
    book.want('1', ['005930'], ['0B'], false);
    ackAll(book, '1');
    expect(book.diff('1')).toEqual({ add: [], remove: [] });
    book.want('1', ['005930'], ['0B', '0D'], false);
    expect(book.diff('1')).toEqual({ add: [{ item: ['005930'], type: ['0D'] }], remove: [] });
    book.resetAcknowledged();
    expect(book.diff('1')).toEqual({ add: [{ item: ['005930'], type: ['0B', '0D'] }], remove: [] });
  });

  it('a pair no longer wanted but acknowledged is REMOVEd; once its REMOVE is acknowledged, nothing is left to send', () => {
    const book = new SubscriptionBook(100);
    book.want('1', ['005930', '000660'], ['0B', '0D'], false);
    ackAll(book, '1');
    book.unwant('1', ['000660'], ['0D']);
    expect(book.diff('1')).toEqual({ add: [], remove: [{ item: ['000660'], type: ['0D'] }] });
    ackAll(book, '1');
    expect(book.diff('1')).toEqual({ add: [], remove: [] });
    expect(book.snapshot()).toEqual({ '1': { '005930': ['0B', '0D'], '000660': ['0B'] } });
  });

  it('replace drops the group\'s other registrations, and only that group\'s', () => {
    const book = new SubscriptionBook(100);
    book.want('1', ['005930'], ['0B'], false);
    book.want('2', ['000660'], ['0B'], false);
    ackAll(book, '1');
    ackAll(book, '2');
    book.want('1', ['035420'], ['0B'], true);
    expect(book.diff('1')).toEqual({ add: [{ item: ['035420'], type: ['0B'] }], remove: [{ item: ['005930'], type: ['0B'] }] });
    expect(book.diff('2')).toEqual({ add: [], remove: [] });
    expect(book.snapshot()).toEqual({ '1': { '035420': ['0B'] }, '2': { '000660': ['0B'] } });
  });

  it('a group removed while registered stays listed until its REMOVE is acknowledged', () => {
    const book = new SubscriptionBook(100);
    book.want('1', ['005930'], ['0B'], false);
    book.want('2', ['000660'], ['0B'], false);
    ackAll(book, '1');
    book.unwant('1');
    expect(book.snapshot()).toEqual({ '2': { '000660': ['0B'] } });
    expect(book.groups().sort()).toEqual(['1', '2']);
    ackAll(book, '1');
    expect(book.groups()).toEqual(['2']);
    expect(book.diff('1')).toEqual({ add: [], remove: [] });
  });

  it('unwant with types only stops those types for every item of the group; an unknown group or item changes nothing', () => {
    const book = new SubscriptionBook(100);
    book.want('1', ['005930', '000660'], ['0B', '0D'], false);
    book.unwant('9');
    book.unwant('1', ['111111']);
    book.unwant('1', undefined, ['0D']);
    expect(book.snapshot()).toEqual({ '1': { '005930': ['0B'], '000660': ['0B'] } });
  });

  it('the snapshot lists types sorted and drops an item once it has no type left', () => {
    const book = new SubscriptionBook(100);
    book.want('1', ['005930'], ['0D', '0B', '0A'], false);
    expect(book.snapshot()).toEqual({ '1': { '005930': ['0A', '0B', '0D'] } });
    book.unwant('1', ['005930'], ['0A', '0B', '0D']);
    expect(book.snapshot()).toEqual({});
  });
});

describe('which REAL entries pass', () => {
  it('a wanted type and item pass; another item or type does not', () => {
    const book = new SubscriptionBook(100);
    book.want('1', ['005930'], ['0B'], false);
    expect(book.accepts('0B', '005930')).toBe(true);
    expect(book.accepts('0B', '000660')).toBe(false);
    expect(book.accepts('0D', '005930')).toBe(false);
  });

  it('an account-level registration (item "") takes every item of its type', () => {
    const book = new SubscriptionBook(100);
    book.want('1', [''], ['00'], false);
    expect(book.accepts('00', '005930')).toBe(true);
    expect(book.accepts('0B', '005930')).toBe(false);
  });

  it('a pair two groups want keeps passing until neither wants it', () => {
    const book = new SubscriptionBook(100);
    book.want('1', ['005930'], ['0B'], false);
    book.want('2', ['005930'], ['0B'], false);
    book.want('2', ['005930'], ['0B'], false); // asked twice in one group counts once
    book.unwant('1');
    expect(book.accepts('0B', '005930')).toBe(true);
    book.unwant('2', ['005930']);
    expect(book.accepts('0B', '005930')).toBe(false);
  });

  it('acknowledgements do not make a pair pass: only what is wanted does', () => {
    const book = new SubscriptionBook(100);
    book.want('1', ['005930'], ['0B'], false);
    ackAll(book, '1');
    book.unwant('1');
    expect(book.accepts('0B', '005930')).toBe(false);
    book.acknowledge('1', { item: ['000660'], type: ['0B'] }, true);
    expect(book.accepts('0B', '000660')).toBe(false);
  });

  it('replacing a group stops the pairs it dropped', () => {
    const book = new SubscriptionBook(100);
    book.want('1', ['005930'], ['0B'], false);
    book.want('1', ['000660'], ['0B'], true);
    expect(book.accepts('0B', '005930')).toBe(false);
    expect(book.accepts('0B', '000660')).toBe(true);
  });
});

describe('how the live caps count', () => {
  it('distinct items per group and per connection, whatever the types; item "" holds no slot', () => {
    const book = new SubscriptionBook(100);
    book.want('1', ['005930', '000660', ''], ['0B', '0D', '00'], false);
    book.want('2', ['005930', '035420'], ['0A'], false);
    expect(book.countsWith('1', [], false)).toEqual({ group: 2, connection: 3 });
    expect(book.countsWith('1', ['000660', '051910', ''], false)).toEqual({ group: 3, connection: 4 });
    expect(book.countsWith('3', ['005930'], false)).toEqual({ group: 1, connection: 3 });
  });

  it('with replace the group\'s present items are not counted', () => {
    const book = new SubscriptionBook(100);
    book.want('1', ['005930', '000660'], ['0B'], false);
    book.want('2', ['035420'], ['0B'], false);
    expect(book.countsWith('1', ['051910'], true)).toEqual({ group: 1, connection: 2 });
    expect(book.countsWith('2', ['051910'], true)).toEqual({ group: 1, connection: 3 });
  });
});
