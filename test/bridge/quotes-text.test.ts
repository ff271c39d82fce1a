/**
 * The compact record from a quote's JSON text (the bridge's path for quotes read as text) is the
 * record the FID-dictionary path writes: same schema, same values in the same places.
 */
import { expect, test } from 'vitest';
import { QuoteEncoder } from '../../src/bridge/quotes.js';
import { REAL_TYPES, realTypeByOcxName } from '../../src/compat/real-types.js';
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

/** The schema message and the record one encoder writes for a quote given as a dictionary. */
function fromDictionary(encoder: QuoteEncoder, code: string, type: string, values: Record<string, unknown>): { schemas: Schema[]; record: string | undefined } {
  const schemas: Schema[] = [];
  const record = encoder.encode(code, type, values, (s) => schemas.push(JSON.parse(s) as Schema));
  return { schemas, record };
}

interface Schema {
  schema: number;
  real: string;
  fids: string[];
  ocx: number;
}

test('a code or value the compact form cannot carry (TAB, line break, record separator, not a string) makes the quote a plain event', () => {
  for (const code of ['00\t5930', '005930\n', '00\r5930', '005930\u001e']) {
    expect(fromDictionary(new QuoteEncoder(), code, TYPE, { '10': '+70000' }).record).toBeUndefined();
  }
  for (const value of ['+7\t0000', '+70000\n', '\r', 'a\u001eb', 70_000, null]) {
    expect(fromDictionary(new QuoteEncoder(), '005930', TYPE, { '10': value }).record).toBeUndefined();
  }
  // The same encoder goes on with the next quote that can ride compact.
  const encoder = new QuoteEncoder();
  expect(fromDictionary(encoder, '00\t5930', TYPE, { '10': '1' }).record).toBeUndefined();
  expect(fromDictionary(encoder, '005930', TYPE, { '10': '1' }).record).toMatch(/^\d+\t005930\t/);
});

test('every real type: the schema starts with the OCX FIDs in sRealData order, then those REST adds once each, and `ocx` counts the OCX ones', () => {
  const encoder = new QuoteEncoder();
  for (const spec of Object.values(REAL_TYPES)) {
    const { schemas } = fromDictionary(encoder, '005930', spec.ocxName, {});
    const ocx = spec.ocxFids.map(String);
    const restOnly = spec.fids.map(String).filter((f) => !ocx.includes(f));
    expect(schemas).toEqual([{ schema: expect.any(Number), real: spec.ocxName, fids: [...ocx, ...restOnly], ocx: ocx.length }]);
  }
  // 주식호가잔량: REST adds FIDs the OCX never had, so sRealData is a prefix of the record.
  expect(REAL_TYPES['0D']!.fids.length).toBeGreaterThan(REAL_TYPES['0D']!.ocxFids.length);
});

test('schema numbers are positive and distinct, and each record starts with its schema\'s number (the Python reader tells records from JSON by a leading digit)', () => {
  const encoder = new QuoteEncoder();
  const numbers: number[] = [];
  for (const spec of Object.values(REAL_TYPES)) {
    const { schemas, record } = fromDictionary(encoder, '005930', spec.ocxName, { '10': '1' });
    const id = schemas.at(-1)!.schema;
    expect(record!.split('\t')[0]).toBe(String(id));
    numbers.push(id);
  }
  expect(numbers.every((n) => Number.isInteger(n) && n > 0)).toBe(true);
  expect(new Set(numbers).size).toBe(numbers.length);
});

test('a quote of a real type the tables lack gets a schema of its own FIDs, in the order it sent them', () => {
  const encoder = new QuoteEncoder();
  const { schemas, record } = fromDictionary(encoder, '005930', '새실시간', { '900': 'a', '10': 'b' });
  expect(schemas.at(-1)).toEqual({ schema: expect.any(Number), real: '새실시간', fids: ['10', '900'], ocx: 0 });
  expect(record).toBe(`${schemas.at(-1)!.schema}\t005930\tb\ta`);
});

test('a dictionary with FIDs both in and outside the schema widens it by the new ones only, once each', () => {
  const encoder = new QuoteEncoder();
  const first = fromDictionary(encoder, '005930', TYPE, { '10': '1' }).schemas[0]!;
  const { schemas, record } = fromDictionary(encoder, '005930', TYPE, { '10': '2', '20': '093000', '9001': 'x', '9002': 'y' });
  expect(schemas).toHaveLength(1);
  expect(schemas[0]!.fids).toEqual([...first.fids, '9001', '9002']);
  const values = record!.split('\t').slice(2);
  expect(values).toHaveLength(schemas[0]!.fids.length);
  expect([values[schemas[0]!.fids.indexOf('10')], values.at(-2), values.at(-1)]).toEqual(['2', 'x', 'y']);
});

test('every real type\'s FIDs, each with its own value, land in their own places from text as from the dictionary', () => {
  for (const spec of Object.values(REAL_TYPES)) {
    const values = Object.fromEntries([...spec.ocxFids, ...spec.fids].map((f) => [String(f), `${spec.code}:${f}`]));
    const { fromObject, fromText } = both(values);
    expect(fromText).toEqual(fromObject);
  }
});

test('keys near the numeric lookup\'s edges ("", "0", leading zeros, signs, letters, 65535/65536) each keep their own value', () => {
  const keys = ['', '0', '1', '7', '9', '10', '11', '72', '010', '0010', '1-', '-1', 'x', '99999', '65535', '65536'];
  const values = Object.fromEntries(keys.map((k, i) => [k, `value${i}`]));
  const encoder = new QuoteEncoder();
  const out: string[] = [];
  const text = JSON.stringify(values);
  out.push(encoder.encodeText('005930', TYPE, text, 0, text.length, (s) => out.push(s)));
  const fids = (JSON.parse(out.at(-2)!) as Schema).fids;
  const record = out.at(-1)!.split('\t').slice(2);
  for (const k of keys) expect([k, record[fids.indexOf(k)]]).toEqual([k, values[k]]);
});

test('a code outside Latin-1 and wide values with FIDs absent before them read back whole, each in its place', () => {
  // 20 (the first FID) absent, 10 wide, 11 narrow: the wide path must skip the absent one alone.
  const { fromObject, fromText } = both({ '10': '삼성', '11': '+5', '12': '0.1' });
  expect(fromText).toEqual(fromObject);
  const encoder = new QuoteEncoder();
  const text = '{"10":"+70000"}';
  const record = encoder.encodeText('삼성전자', TYPE, text, 0, text.length, () => undefined);
  expect(record.split('\t')[1]).toBe('삼성전자');
  expect(record.split('\t')).toContain('+70000');
});

test('decode gives back a record\'s values by FID (the empty ones left out), and nothing for a record another encoder wrote', () => {
  const encoder = new QuoteEncoder();
  const text = JSON.stringify({ '10': '+70000', '20': '093000', '15': '', '9001': 'wide' });
  const record = encoder.encodeText('005930', TYPE, text, 0, text.length, () => undefined);
  expect(encoder.decode(record)).toEqual({ '10': '+70000', '20': '093000', '9001': 'wide' });
  expect(new QuoteEncoder().decode(record)).toBeUndefined();
  expect(encoder.decode(`${record}\textra`)).toBeUndefined();
});
