import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'eventemitter3';
import { PassThrough } from 'node:stream';
import { createBridge } from '../../src/bridge/server.js';
import { runStdioBridge } from '../../src/bridge/stdio.js';
import { ValidationError } from '../../src/errors.js';
import { realTypeByOcxName } from '../../src/compat/real-types.js';
import { readLine, readRecord } from './protocol-lines.js';

/** A stand-in with OCX-shaped methods: enough to prove the protocol without a backend. */
class FakeServer extends EventEmitter {
  inputs: [string, string][] = [];
  cleaned = 0;
  ready = false;
  async api_init(opts: { sim_no: number }): Promise<void> {
    await new Promise((r) => setTimeout(r, 10));
    if (opts.sim_no === 0) throw new ValidationError('sim_no 0 needs use_rest', { field: 'use_rest' });
    this.ready = true;
  }
  async CommConnect(block: boolean): Promise<number> {
    await new Promise((r) => setTimeout(r, 5));
    this.emit('OnEventConnect', 0);
    return block ? 0 : 0;
  }
  SetInputValue(name: string, value: string): void {
    this.inputs.push([name, value]);
  }
  async CommRqData(rq: string, tr: string): Promise<number> {
    await new Promise((r) => setTimeout(r, 20));
    this.emit('OnReceiveTrData', '0101', rq, tr, '', '0');
    return 0;
  }
  GetLoginInfo(tag: string): string {
    if (tag === 'READY') return String(this.ready);
    return tag === 'ACCNO' ? '8000000011;' : '';
  }
  push(): void {
    this.emit('OnReceiveRealData', '005930', '주식체결', { '10': '+71200' });
  }
  cleanup(): void {
    this.cleaned += 1;
  }
}

function harness() {
  const target = new FakeServer();
  const out: unknown[] = [];
  const quoteKeys: string[] = [];
  const bridge = createBridge({
    target,
    methods: ['api_init', 'CommConnect', 'SetInputValue', 'CommRqData', 'GetLoginInfo', 'cleanup'],
    events: ['OnEventConnect', 'OnReceiveTrData', 'OnReceiveRealData', 'OnReceiveConditionVer'],
    out: {
      push: (text) => out.push(JSON.parse(text)),
      pushQuote: (key, text) => {
        quoteKeys.push(key);
        out.push(readRecord(text));
      },
    },
  });
  return { target, out: out as Record<string, unknown>[], quoteKeys, bridge };
}

describe('bridge protocol', () => {
  it('answers a call with its id and result, and writes events caused by the call before the reply', async () => {
    const { out, bridge } = harness();
    await bridge.handle('{"id":1,"method":"CommConnect","args":[true]}');
    expect(out).toEqual([{ event: 'OnEventConnect', args: [0], memo: { GetLoginInfo: expect.objectContaining({ ACCNO: '8000000011;', USER_ID: '' }) } }, { id: 1, result: 0 }]);
  });

  it('ships what the getters answer with the events that change it: the TR table, login info, the condition list', async () => {
    const { target, out } = harness();
    const table = { single: { 종목명: '삼성전자' }, fields: ['일자'], rows: [['20261125']] };
    Object.assign(target, { trSnapshot: (tr: string, rq: string) => (tr === 'opt10081' && rq === 'q' ? table : undefined), GetConditionNameList: () => '000^a;' });
    target.emit('OnReceiveTrData', '0101', 'q', 'opt10081', '', '0');
    target.emit('OnReceiveTrData', '0101', 'other', 'opt10081', '', '0');
    target.emit('OnEventConnect', -101);
    target.emit('OnReceiveConditionVer', 1, '');
    expect(out).toEqual([
      { event: 'OnReceiveTrData', args: ['0101', 'q', 'opt10081', '', '0'], tr: table },
      { event: 'OnReceiveTrData', args: ['0101', 'other', 'opt10081', '', '0'] },
      { event: 'OnEventConnect', args: [-101] },
      { event: 'OnReceiveConditionVer', args: [1, ''], memo: { GetConditionNameList: { '': '000^a;' } } },
    ]);
  });

  it('starts calls in line order and correlates out-of-order replies by id', async () => {
    const { target, out, bridge } = harness();
    const slow = bridge.handle('{"id":"a","method":"CommRqData","args":["q","opt10001",0,"0101"]}');
    const fast = bridge.handle('{"id":"b","method":"GetLoginInfo","args":["ACCNO"]}');
    bridge.handle('{"id":"c","method":"SetInputValue","args":["종목코드","005930"]}');
    await Promise.all([slow, fast]);
    expect(out.map((m) => m.id ?? m.event)).toEqual(['b', 'c', 'OnReceiveTrData', 'a']);
    expect(out.find((m) => m.id === 'b')).toEqual({ id: 'b', result: '8000000011;' });
    expect(out.find((m) => m.id === 'c')).toEqual({ id: 'c', result: null });
    expect(target.inputs).toEqual([['종목코드', '005930']]);
  });

  it('holds calls that follow api_init until it has finished, even when pipelined', async () => {
    const { out, bridge } = harness();
    await Promise.all([bridge.handle('{"id":1,"method":"api_init","args":[{"sim_no":1}]}'), bridge.handle('{"id":2,"method":"GetLoginInfo","args":["READY"]}')]);
    expect(out).toEqual([{ id: 1, result: null }, { id: 2, result: 'true' }]);
  });

  it('forwards quotes as code, schema and TAB-joined values in the OCX FID order, defining the schema once', async () => {
    const { target, out, quoteKeys } = harness();
    target.emit('OnReceiveRealData', '005930', '주식체결', { '10': '+71200', '20': '090001', '15': '+3' });
    target.emit('OnReceiveRealData', '000660', '주식체결', { '10': '-1000', '20': '090002' });
    const [schema, first, second] = out as [{ schema: number; real: string; fids: string[] }, unknown[], unknown[]];
    expect(out).toHaveLength(3);
    expect(schema.real).toBe('주식체결');
    expect((schema as unknown as { ocx: number }).ocx).toBe(realTypeByOcxName('주식체결')!.ocxFids.length);
    // The OCX's sRealData order for 주식체결 starts 20 (체결시간), 10 (현재가), 11, 12, 27, 28, 15 ...
    expect(schema.fids.slice(0, 3)).toEqual(['20', '10', '11']);
    const field = (row: unknown[], fid: string): string => String(row[2]).split('\t')[schema.fids.indexOf(fid)]!;
    expect(first.slice(0, 2)).toEqual(['005930', schema.schema]);
    expect([field(first, '10'), field(first, '20'), field(first, '15'), field(first, '11')]).toEqual(['+71200', '090001', '+3', '']);
    expect(String(first[2]).split('\t')).toHaveLength(schema.fids.length);
    expect([second[0], field(second, '10')]).toEqual(['000660', '-1000']);
    expect(quoteKeys).toEqual(['005930\u0000주식체결', '000660\u0000주식체결']);
  });

  it('widens the schema for a FID outside it, and sends a quote it cannot join as a plain event', async () => {
    const { target, out } = harness();
    target.emit('OnReceiveRealData', '005930', '주식체결', { '10': '+1' });
    target.emit('OnReceiveRealData', '005930', '주식체결', { '10': '+2', '77777': 'x' });
    target.emit('OnReceiveRealData', '005930', '주식체결', { '10': 'a\tb' });
    target.emit('OnReceiveRealData', '005930', '주식체결', { '10': 5 });
    // The compact form's separators: a line break or U+001E in a value or code would cut the line or the record.
    target.emit('OnReceiveRealData', '005930', '주식체결', { '10': 'a\nb' });
    target.emit('OnReceiveRealData', '005930', '주식체결', { '10': 'a\u001eb' });
    target.emit('OnReceiveRealData', '00\t5930', '주식체결', { '10': '+1' });
    const schemas = out.filter((m) => 'schema' in m) as unknown as { schema: number; fids: string[] }[];
    expect(schemas).toHaveLength(2);
    expect(schemas[1]!.fids.at(-1)).toBe('77777');
    expect(schemas[1]!.fids.slice(0, -1)).toEqual(schemas[0]!.fids);
    const wide = out[3] as unknown as unknown[];
    expect(wide[1]).toBe(schemas[1]!.schema);
    expect(String(wide[2]).split('\t').at(-1)).toBe('x');
    expect(out.slice(4)).toEqual([
      { event: 'OnReceiveRealData', args: ['005930', '주식체결', { '10': 'a\tb' }] },
      { event: 'OnReceiveRealData', args: ['005930', '주식체결', { '10': 5 }] },
      { event: 'OnReceiveRealData', args: ['005930', '주식체결', { '10': 'a\nb' }] },
      { event: 'OnReceiveRealData', args: ['005930', '주식체결', { '10': 'a\u001eb' }] },
      { event: 'OnReceiveRealData', args: ['00\t5930', '주식체결', { '10': '+1' }] },
    ]);
  });

  it('turns thrown errors into error replies naming the field', async () => {
    const { out, bridge } = harness();
    await bridge.handle('{"id":5,"method":"api_init","args":[{"sim_no":0}]}');
    expect(out).toEqual([{ id: 5, error: { name: 'ValidationError', message: 'sim_no 0 needs use_rest', field: 'use_rest' } }]);
  });

  it('refuses methods outside the list, bad JSON and malformed calls without touching the target', async () => {
    const { target, out, bridge } = harness();
    await bridge.handle('{"id":1,"method":"emit","args":["OnEventConnect",0]}');
    await bridge.handle('{"id":2,"method":"push"}');
    await bridge.handle('not json');
    await bridge.handle('{"method":"GetLoginInfo"}');
    await bridge.handle('{"id":3,"method":"SetInputValue","args":"x"}');
    expect(out.map((m) => [m.id, (m.error as { field?: string }).field])).toEqual([
      [1, 'method'],
      [2, 'method'],
      [null, 'line'],
      [null, 'id'],
      [3, 'args'],
    ]);
    expect(target.inputs).toEqual([]);
  });

  it('over stdio: says ready first, serves calls, and cleans up when input ends', async () => {
    const target = new FakeServer();
    const input = new PassThrough();
    const output = new PassThrough();
    const lines: unknown[] = [];
    output.on('data', (chunk: Buffer) => {
      for (const l of chunk.toString('utf8').split('\n')) if (l !== '') lines.push(readLine(l));
    });
    const done = runStdioBridge({ target, methods: ['api_init', 'GetLoginInfo'], events: ['OnEventConnect'], version: 'test', input, output, redirectConsole: false });
    input.write('{"id":1,"method":"api_init","args":[{"sim_no":1}]}\n{"id":2,"method":"GetLoginInfo","args":["ACCNO"]}\n');
    input.end();
    await done;
    expect(lines[0]).toEqual([{ ready: { protocol: 3, version: 'test', methods: ['api_init', 'GetLoginInfo'], events: ['OnEventConnect'], nodeFlags: process.execArgv } }]);
    expect(lines.slice(1).flat()).toEqual([{ id: 1, result: null }, { id: 2, result: '8000000011;' }]);
    expect(target.cleaned).toBe(1);
  });
});
