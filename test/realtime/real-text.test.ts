/**
 * scanRealFrame: a plain REAL frame's entries without parsing their values, and undefined for
 * anything that must take the ordinary (JSON.parse) path.
 */
import { describe, expect, it, vi } from 'vitest';
import { scanRealBytes, scanRealFrame, utf8Name } from '../../src/realtime/real-text.js';

const values = (text: string, e: { start: number; end: number }): unknown => JSON.parse(text.slice(e.start, e.end));

describe('scanRealFrame', () => {
  it('reads each entry\'s type, name, item and where its values lie, as JSON.parse would', () => {
    const frame = {
      trnm: 'REAL',
      data: [
        { type: '0B', name: '주식체결', item: '005930', values: { '20': '093000', '10': '+71200', '15': '+10' } },
        { type: '0D', name: '주식호가잔량', item: '000660', values: {} },
      ],
    };
    const text = JSON.stringify(frame);
    const entries = scanRealFrame(text);
    expect(entries?.map(({ type, name, item }) => ({ type, name, item }))).toEqual([
      { type: '0B', name: '주식체결', item: '005930' },
      { type: '0D', name: '주식호가잔량', item: '000660' },
    ]);
    expect(entries?.map((e) => values(text, e))).toEqual(frame.data.map((d) => d.values));
  });

  it('takes keys in any order and spaces between tokens (values first, as Kiwoom sends them)', () => {
    const text = ' { "data" : [ { "values" : { "10" : "-500" , "27" : "" } , "item" : "005930" , "type" : "0B" } ] , "trnm" : "REAL" } ';
    const [e] = scanRealFrame(text) ?? [];
    expect(e).toMatchObject({ type: '0B', name: '', item: '005930' });
    expect(values(text, e!)).toEqual({ '10': '-500', '27': '' });
  });

  it('reads an empty data list as no entries', () => {
    expect(scanRealFrame('{"trnm":"REAL","data":[]}')).toEqual([]);
  });

  it.each([
    ['another trnm', '{"trnm":"PING","data":[]}'],
    ['no trnm', '{"data":[]}'],
    ['no data', '{"trnm":"REAL"}'],
    ['a trnm that is not a string', '{"trnm":1,"data":[]}'],
    ['an escape in a value', '{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":{"10":"a\\"b"}}]}'],
    ['a \\u escape in a name', '{"trnm":"REAL","data":[{"type":"0B","name":"\\uc8fc","item":"005930","values":{}}]}'],
    ['a raw TAB in a value', '{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":{"10":"a\tb"}}]}'],
    ['a line break between tokens', '{"trnm":"REAL",\n"data":[]}'],
    ['a number value', '{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":{"10":71200}}]}'],
    ['a null value', '{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":{"10":null}}]}'],
    ['values that are not an object', '{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":"x"}]}'],
    ['an entry without values', '{"trnm":"REAL","data":[{"type":"0B","item":"005930"}]}'],
    ['an entry without item', '{"trnm":"REAL","data":[{"type":"0B","values":{}}]}'],
    ['an entry without type', '{"trnm":"REAL","data":[{"item":"005930","values":{}}]}'],
    ['an item that is not a string', '{"trnm":"REAL","data":[{"type":"0B","item":5930,"values":{}}]}'],
    ['another key in an entry', '{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":{},"seq":"1"}]}'],
    ['a repeated key in an entry', '{"trnm":"REAL","data":[{"type":"0B","type":"0D","item":"005930","values":{}}]}'],
    ['another key at the top', '{"trnm":"REAL","data":[],"x":"1"}'],
    ['a repeated data', '{"trnm":"REAL","data":[],"data":[]}'],
    ['an entry that is not an object', '{"trnm":"REAL","data":["x"]}'],
    ['data that is not a list', '{"trnm":"REAL","data":{}}'],
    ['a truncated frame', '{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":{"10":"1"'],
    ['a truncated string', '{"trnm":"REAL","data":[{"type":"0B","item":"0059'],
    ['a missing colon', '{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":{"10" "1"}}]}'],
    ['a trailing comma in values', '{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":{"10":"1",}}]}'],
    ['text after the frame', '{"trnm":"REAL","data":[]}x'],
    ['not an object', '["REAL"]'],
    ['a repeated trnm', '{"trnm":"REAL","trnm":"REAL","data":[]}'],
    ['entries under another key', '{"trnm":"REAL","items":[]}'],
    ['a key without a value, then data', '{"trnm":"REAL","data":,"data":[]}'],
    ['a key without its opening quote', '{"trnm":"REAL","data":[{"type":"0B",Xitem":"005930","values":{}}]}'],
    ['a repeated values in an entry', '{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":{},"values":{}}]}'],
    ['another key without a value in an entry', '{"trnm":"REAL","data":[{"type":"0B","seq":,"item":"005930","values":{}}]}'],
    ['values without a value', '{"trnm":"REAL","data":[{"type":"0B","values":,"item":"005930"}]}'],
    ['a FID without a value', '{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":{"10":}}]}'],
    ['a FID without a value, its entry unclosed', '{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":{"10":}]}'],
    ['a FID without a colon', '{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":{"10"}}]}'],
    ['a spaced FID without a value', '{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":{"10" :}}]}'],
    ['a FID that is not a string', '{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":{ :"1"}}]}'],
    ['a truncated value', '{"trnm":"REAL","data":[{"type":"0B","item":"005930","values":{"10":"1'],
  ])('answers undefined for %s', (_what, text) => {
    expect(scanRealFrame(text)).toBeUndefined();
  });
});

describe('scanRealBytes (a frame read as Latin-1)', () => {
  const bytes = (frame: unknown): Buffer => Buffer.from(JSON.stringify(frame));

  it('finds the same entries as the UTF-8 text, with values, type and item as sent, and the Korean name read back as UTF-8', () => {
    const frame = {
      trnm: 'REAL',
      data: [
        { type: '0B', name: '주식체결', item: '005930', values: { '20': '093000', '10': '+71200' } },
        { type: '0D', name: '주식호가잔량', item: '000660_NX', values: { '41': '71300', '61': '120' } },
      ],
    };
    const scanned = scanRealBytes(bytes(frame));
    expect(scanned?.entries.map(({ type, item, name }) => ({ type, item, name: utf8Name(name) }))).toEqual(frame.data.map(({ type, item, name }) => ({ type, item, name })));
    expect(scanned?.entries.map((e) => values(scanned.text, e))).toEqual(frame.data.map((d) => d.values));
  });

  it.each([
    ['a value that is not ASCII', { type: '0B', name: '주식체결', item: '005930', values: { '302': '삼성전자' } }],
    ['an item that is not ASCII', { type: '0B', name: '주식체결', item: '삼성', values: { '10': '1' } }],
    ['a type that is not ASCII', { type: '체결', name: '주식체결', item: '005930', values: { '10': '1' } }],
  ])('declines a frame with %s (it takes the UTF-8 path)', (_what, entry) => {
    expect(scanRealBytes(bytes({ trnm: 'REAL', data: [{ type: '0B', name: '주식체결', item: '000660', values: { '10': '1' } }, entry] }))).toBeUndefined();
  });

  it('declines what scanRealFrame declines', () => {
    expect(scanRealBytes(bytes({ trnm: 'PING' }))).toBeUndefined();
  });

  it('declines a frame that is not REAL without decoding it (its reader decodes it once, as UTF-8), and still scans a spaced REAL frame', () => {
    for (const frame of [{ trnm: 'PING', data: [{ values: { '10': '1' } }] }, { trnm: 'REG', return_code: 0 }, { trnm: 'SYSTEM', code: 'R10002', message: '재접속' }]) {
      const data = bytes(frame);
      const decode = vi.spyOn(data, 'toString');
      expect(scanRealBytes(data)).toBeUndefined();
      expect(decode).not.toHaveBeenCalled();
    }
    const spaced = Buffer.from('{ "trnm" : "REAL" , "data" : [ { "type" : "0B" , "item" : "005930" , "values" : { "10" : "1" } } ] }');
    expect(scanRealBytes(spaced)?.entries.map((e) => e.item)).toEqual(['005930']);
  });
});
