/**
 * 909 (체결번호) in either width: live writes it unpadded (`"847463"`), REST's cntr_no pads it
 * to 7 digits (`"0847463"`). The chejan book keys fills on the number without its padding.
 */
import { expect, test } from 'vitest';
import { ChejanBook } from '../../src/facade/chejan.js';
import type { FidValues } from '../../src/facade/events.js';

test('one fill seen as "847463" and again as "0847463" is delivered once, even when the repeat lacks 902', () => {
  const out: FidValues[] = [];
  const book = new ChejanBook((_g, f) => out.push(f), [9203, 913, 900, 902, 909, 915]);
  const fill = (no: string, open: string): FidValues => ({ '9203': '0121751', '9001': '005930', '913': '체결', '900': '10', '902': open, '909': no, '915': '4' });
  book.onOrderFrame({ '9203': '0121751', '9001': '005930', '913': '접수', '900': '10', '902': '10' });
  book.onOrderFrame(fill('847463', '6'));
  // A repeat whose 미체결수량 went missing: its quantities alone would count it as the whole order.
  book.onOrderFrame(fill('0847463', ''));
  book.onOrderFrame(fill('847464', '0'));
  expect(out.map((f) => `${f['913']}:${f['909'] ?? ''}`)).toEqual(['접수:', '체결:847463', '체결:847464']);
});
