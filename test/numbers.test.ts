/**
 * Kiwoom's numbers as the live servers write them (LIVE.md rows 6, 9, 10, 12, 25): a leading
 * space, a sign where the documentation shows none, zero padding and a doubled sign, read the
 * same way by every part of the library that turns them into numbers.
 */
import { describe, expect, test } from 'vitest';
import { direction } from '../src/cli/colour.js';
import { signed, unsigned, won } from '../src/cli/format.js';
import { ChejanBook } from '../src/facade/chejan.js';
import type { FidValues } from '../src/facade/events.js';
import { kiwoomNumber, magnitude, plainNumber } from '../src/numbers.js';

describe('the number readers', () => {
  test.each([
    [' 0', 0, 0, '0'],
    [' 269000', 269000, 269000, '269000'],
    ['-19', -19, 19, '-19'],
    ['+1', 1, 1, '1'],
    ['--36042', -36042, 36042, '-36042'],
    ['-000071200', -71200, 71200, '-71200'],
    ['+0001300', 1300, 1300, '1300'],
    ['-47.26', -47.26, 47.26, '-47.26'],
    ['-0', 0, 0, '0'],
    ['000000000100', 100, 100, '100'],
  ])('%j reads as %d (magnitude %d, text %j)', (text, value, abs, plain) => {
    expect(kiwoomNumber(text)).toBe(value);
    expect(magnitude(text)).toBe(abs);
    expect(plainNumber(text)).toBe(plain);
  });

  test.each(['', ' ', 'abc', '1,000', '12a', '--', undefined])('%j is not a number: NaN, magnitude 0, text as is', (text) => {
    expect(kiwoomNumber(text)).toBeNaN();
    expect(magnitude(text)).toBe(0);
    expect(plainNumber(text)).toBe(String(text ?? '').trim());
  });
});

describe('where the library reads them', () => {
  test('the CLI formats prices, amounts and changes from live text', () => {
    expect(unsigned(' 269000')).toBe(269000);
    expect(won('-000071200')).toBe('71,200');
    expect(signed('--36042')).toBe('-36,042');
    expect(signed(' 0')).toBe('0');
    expect(signed('+1')).toBe('+1');
    // A fall is blue, whatever the sign's spelling; a blank-padded zero is unchanged.
    expect(direction('--36042')).toBe(-1);
    expect(direction(' 0')).toBe(0);
    expect(direction(' +15')).toBe(1);
  });

  test('the chejan state machine reads quantities written with a leading space or a sign', () => {
    const out: [string, FidValues][] = [];
    const book = new ChejanBook((g, f) => out.push([g, f]), [9203, 913, 900, 902, 909, 915]);
    const f = (status: string, qty: string, open: string, fillNo = ''): FidValues => ({
      '9203': '0000001', '9001': '005930', '913': status, '900': qty, '902': open, '909': fillNo, '10010': ' 269000',
    });
    book.onOrderFrame(f('접수', ' 10', ' 10'));
    book.onOrderFrame(f('체결', ' 10', ' 6', '847463'));
    book.onOrderFrame(f('체결', '+10', '-0', '847464'));
    // Cumulative fills 4 then 10: the second fill is 6, computed from the signed and spaced text.
    expect(out.map(([, v]) => `${v['913']}:${v['915'] ?? ''}`)).toEqual(['접수:', '체결:4', '체결:6']);
    // What the program reads is the server's text.
    expect(out[0]?.[1]['10010']).toBe(' 269000');
  });
});
