import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'eventemitter3';
import { PassThrough } from 'node:stream';
import { createBridge } from '../../src/bridge/server.js';
import { runStdioBridge } from '../../src/bridge/stdio.js';
import { ValidationError } from '../../src/errors.js';

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
  const out: Record<string, unknown>[] = [];
  const bridge = createBridge({
    target,
    methods: ['api_init', 'CommConnect', 'SetInputValue', 'CommRqData', 'GetLoginInfo', 'cleanup'],
    events: ['OnEventConnect', 'OnReceiveTrData', 'OnReceiveRealData'],
    write: (line) => out.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { target, out, bridge };
}

describe('bridge protocol', () => {
  it('answers a call with its id and result, and writes events caused by the call before the reply', async () => {
    const { out, bridge } = harness();
    await bridge.handle('{"id":1,"method":"CommConnect","args":[true]}');
    expect(out).toEqual([{ event: 'OnEventConnect', seq: 1, args: [0] }, { id: 1, result: 0 }]);
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

  it('forwards events with FID dictionaries and a running seq', async () => {
    const { target, out } = harness();
    target.push();
    target.push();
    expect(out).toEqual([
      { event: 'OnReceiveRealData', seq: 1, args: ['005930', '주식체결', { '10': '+71200' }] },
      { event: 'OnReceiveRealData', seq: 2, args: ['005930', '주식체결', { '10': '+71200' }] },
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
    const lines: Record<string, unknown>[] = [];
    output.on('data', (chunk: Buffer) => {
      for (const l of chunk.toString('utf8').split('\n')) if (l !== '') lines.push(JSON.parse(l) as Record<string, unknown>);
    });
    const done = runStdioBridge({ target, methods: ['api_init', 'GetLoginInfo'], events: ['OnEventConnect'], version: 'test', input, output, redirectConsole: false });
    input.write('{"id":1,"method":"api_init","args":[{"sim_no":1}]}\n{"id":2,"method":"GetLoginInfo","args":["ACCNO"]}\n');
    input.end();
    await done;
    expect(lines[0]).toEqual({ ready: { protocol: 1, version: 'test', methods: ['api_init', 'GetLoginInfo'], events: ['OnEventConnect'], nodeFlags: process.execArgv } });
    expect(lines.slice(1)).toEqual([{ id: 1, result: null }, { id: 2, result: '8000000011;' }]);
    expect(target.cleaned).toBe(1);
  });
});
