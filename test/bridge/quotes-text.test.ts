/**
 * The compact record from a quote's JSON text (the bridge's path for quotes read as text) is the
 * record the FID-dictionary path writes: same schema, same values in the same places.
 */
import { expect, test } from 'vitest';
import { QuoteEncoder } from '../../src/bridge/quotes.js';
import { realTypeByOcxName } from '../../src/compat/real-types.js';
import { scanRealFrame } from '../../src/realtime/real-text.js';

const TYPE = '주식체결';
const spec = realTypeByOcxName(TYPE)!;
/** A value per FID of the type, each its own so that a value in the wrong place shows. */
const full = Object.fromEntries(spec.fids.map((f, i) => [String(f), `v${f}-${i}`]));

function both(values: Record<string, string>, text = JSON.stringify(values)): { fromObject: string[]; fromText: string[] } {
  const fromObject: string[] = [];
  const fromText: string[] = [];
  const objects = new QuoteEncoder();
  const texts = new QuoteEncoder();
  fromObject.push(objects.encode('005930', TYPE, values, (s) => fromObject.push(s)) ?? 'plain');
  // Inside a longer text, as in a frame.
  const frame = `{"values":${text}}`;
  fromText.push(texts.encodeText('005930', TYPE, frame, 10, 10 + text.length, (s) => fromText.push(s)));
  return { fromObject, fromText };
}

test('a quote with every FID of its type reads the same from text as from its dictionary', () => {
  const { fromObject, fromText } = both(full);
  expect(fromText).toEqual(fromObject);
  const schema = JSON.parse(fromText[0]!) as { fids: string[] };
  const record = fromText[1]!.split('\t');
  expect(record[1]).toBe('005930');
  // An OCX FID that REST does not deliver reads "".
  expect(record.slice(2)).toEqual(schema.fids.map((f) => full[f] ?? ''));
});

test('a FID the quote lacks reads "" in its place; key order in the text does not matter', () => {
  const some = { '10': '+70000', '20': '093000', '15': '+3' };
  const { fromObject, fromText } = both(some, '{"15":"+3","10":"+70000","20":"093000"}');
  expect(fromText).toEqual(fromObject);
  const schema = JSON.parse(fromText[0]!) as { fids: string[] };
  const record = fromText[1]!.split('\t').slice(2);
  expect(record[schema.fids.indexOf('10')]).toBe('+70000');
  expect(record[schema.fids.indexOf('15')]).toBe('+3');
  expect(record.filter((v) => v !== '')).toHaveLength(3);
});

test('a FID outside the schema widens it once, at the end; the next quote uses the wider one', () => {
  const encoder = new QuoteEncoder();
  const out: string[] = [];
  const put = (text: string): number => out.push(encoder.encodeText('005930', TYPE, text, 0, text.length, (s) => out.push(s)));
  put('{"10":"1","9999":"stamp"}');
  put('{"9999":"again"}');
  put('{}');
  const [first, wide] = [JSON.parse(out[0]!), JSON.parse(out[1]!)] as { schema: number; fids: string[]; ocx: number }[];
  expect(wide!.fids).toEqual([...first!.fids, '9999']);
  expect(wide!.ocx).toBe(first!.ocx);
  expect(out).toHaveLength(5);
  const records = out.slice(2).map((r) => r.split('\t'));
  expect(records.map((r) => r[0])).toEqual([String(wide!.schema), String(wide!.schema), String(wide!.schema)]);
  expect(records[0]!.at(-1)).toBe('stamp');
  expect(records[0]![2 + wide!.fids.indexOf('10')]).toBe('1');
  expect(records[1]!.at(-1)).toBe('again');
  expect(records[2]!.slice(2).every((v) => v === '')).toBe(true);
});

test('keys that only look like FID numbers ("010", "-1", "99999") stay their own FIDs, as in the dictionary path', () => {
  const odd = { '10': 'ten', '010': 'zero-ten', '-1': 'minus', '99999': 'big', x: 'letter' };
  const { fromObject, fromText } = both(odd);
  const schemaOf = (out: string[]): string[] => (JSON.parse(out.find((s) => s.startsWith('{"schema"') && s.includes('"010"'))!) as { fids: string[] }).fids;
  const valueOf = (out: string[], fid: string): string | undefined => out.at(-1)!.split('\t')[2 + schemaOf(out).indexOf(fid)];
  for (const [fid, value] of Object.entries(odd)) {
    expect(valueOf(fromText, fid)).toBe(value);
    expect(valueOf(fromObject, fid)).toBe(value);
  }
});

test('a quote read with the pair positions its frame scan recorded gives the record a walk of its text gives, compact or spaced', () => {
  const compact = JSON.stringify({ '15': '+3', '10': '+70000', '20': '093000' });
  // Without FID 15: a range that reached back into the first entry's pairs would give it "+3".
  const spaced = '{ "10" : "-5" ,"20":  "093001" }';
  const text = `{"trnm":"REAL","data":[{"type":"0B","name":"${TYPE}","item":"005930","values":${compact}},{"values":${spaced},"type":"0B","item":"000660"}]}`;
  const records = (scan: boolean): string[] => {
    const out: string[] = [];
    const encoder = new QuoteEncoder();
    // Without the scan's pair range, encodeText walks the pairs.
    for (const e of scanRealFrame(text)!) out.push(encoder.encodeText(e.item, TYPE, text, e.start, e.end, (s) => out.push(s), scan ? e : undefined));
    return out;
  };
  const walked = records(false);
  expect(records(true)).toEqual(walked);
  const fids = (JSON.parse(walked[0]!) as { fids: string[] }).fids;
  const second = walked[2]!.split('\t').slice(2);
  expect([second[fids.indexOf('10')], second[fids.indexOf('20')], second[fids.indexOf('15')]]).toEqual(['-5', '093001', '']);
});

test('the same for a frame longer than any before it (the scan makes room for its pairs)', () => {
  const values = JSON.stringify({ ...full, ...Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [String(20_000 + i), `x${i}`])) });
  const text = `{"trnm":"REAL","data":[{"type":"0B","name":"${TYPE}","item":"005930","values":${values}}]}`;
  expect(text.length).toBeGreaterThan(16_384);
  const record = (scan: boolean): string => {
    const [e] = scanRealFrame(text)!;
    return new QuoteEncoder().encodeText(e!.item, TYPE, text, e!.start, e!.end, () => undefined, scan ? e : undefined);
  };
  expect(record(true)).toBe(record(false));
  expect(record(true).split('\t').at(-1)).toBe('x1999');
});

test('values outside ASCII read the same from text as from their dictionary, whether Latin-1 or wider', () => {
  for (const value of ['café', '삼성전자', 'a\u00ffb\u0100']) {
    const { fromObject, fromText } = both({ ...full, '10': value });
    expect(fromText).toEqual(fromObject);
    expect(fromText[1]!.split('\t')).toContain(value);
  }
});
