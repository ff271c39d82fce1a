import { describe, expect, it } from 'vitest';
import { resolveBackend } from '../src/backend.js';
import { ValidationError } from '../src/errors.js';

describe('sim_no and use_rest choose the backend as the DESIGN table says', () => {
  it('use_rest with sim_no 0 is production, 1..3 the paper-trading domain', () => {
    expect(resolveBackend(0, true)).toEqual({ kind: 'kiwoom', domain: 'production', restUrl: 'https://api.kiwoom.com', wsUrl: 'wss://api.kiwoom.com:10000' });
    for (const simNo of [1, 2, 3]) {
      expect(resolveBackend(simNo, true)).toEqual({ kind: 'kiwoom', domain: 'mock', restUrl: 'https://mockapi.kiwoom.com', wsUrl: 'wss://mockapi.kiwoom.com:10000' });
    }
  });

  it('endpoints override the hosts (tests, a proxy)', () => {
    expect(resolveBackend(1, true, { rest: 'http://127.0.0.1:9', ws: 'ws://127.0.0.1:9' })).toMatchObject({ restUrl: 'http://127.0.0.1:9', wsUrl: 'ws://127.0.0.1:9' });
  });

  it('use_rest false with sim_no 1..3 is the built-in emulator', () => {
    expect(resolveBackend(2, false)).toEqual({ kind: 'emulator', domain: 'emulator' });
  });

  it('use_rest false with sim_no 0 says the OCX does not exist here and to set use_rest', () => {
    expect(() => resolveBackend(0, false)).toThrow(ValidationError);
    expect(() => resolveBackend(0, false)).toThrow(/OCX, which does not exist on this platform: set use_rest/);
  });

  it('a sim_no outside 0..3 names the field', () => {
    for (const bad of [-1, 4, 1.5, Number.NaN]) {
      expect(() => resolveBackend(bad, true)).toThrow(expect.objectContaining({ field: 'sim_no' }));
    }
  });
});
