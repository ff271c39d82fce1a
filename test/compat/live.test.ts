import { describe, expect, it } from 'vitest';
import { buildLive } from '../../scripts/compat/live.mjs';
import { loadSources } from '../../scripts/compat/sources.mjs';
import { LIVE_WS } from '../../src/compat/live.js';

describe('compat/live.json: the live WebSocket limits and codes', () => {
  it('holds the figures and 6-digit codes LIVE.md records', () => {
    expect(LIVE_WS.regPerSecond).toBe(5);
    expect(LIVE_WS.itemsPerConnection).toBe(200);
    expect(Object.fromEntries(Object.entries(LIVE_WS.codes).map(([k, c]) => [k, c.rc]))).toEqual({
      loginFirst: 100013,
      regRate: 105110,
      connectionCap: 105115,
      groupCap: 105118,
    });
  });

  it('refuses a fixture copy that drifted from LIVE.md', () => {
    const sources = loadSources();
    const drift = (edit: (f: typeof sources.liveLimits) => void): (() => unknown) => () => {
      const copy = structuredClone(sources.liveLimits);
      edit(copy);
      return buildLive({ ...sources, liveLimits: copy });
    };
    expect(drift((f) => (f.codes[1]!.rc = 105111))).toThrow(/105111 is not in LIVE.md row 3/);
    expect(drift((f) => (f.codes[0]!.message = '로그인 먼저'))).toThrow(/exact message/);
    expect(drift((f) => (f.limits[1]!.quote = '300 items per connection'))).toThrow(/not in LIVE.md row 3/);
    expect(drift((f) => (f.limits[0]!.row = 99))).toThrow(/row 99, which does not exist/);
  });
});
