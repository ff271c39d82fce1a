import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { KiwoomRest } from '../../src/rest/index.js';
import { diffStreams } from '../../src/compare/diff.js';
import { compare } from '../../src/cli/commands/compare.js';

describe('diffStreams', () => {
  it('keeps common events in order and marks the rest by side', () => {
    const d = diffStreams(['a', 'b', 'c', 'd'], ['a', 'c', 'x', 'd']).map((l) => `${l.side}:${l.item}`);
    expect(d).toEqual(['same:a', 'a:b', 'same:c', 'b:x', 'same:d']);
    expect(diffStreams([], ['y']).map((l) => l.side)).toEqual(['b']);
  });
});

describe('kiwoom-compat compare', () => {
  let emu: Emulator;
  let out: string[];
  beforeEach(async () => {
    // b: an emulator playing Kiwoom's mock domain, reached over REST like the real one.
    emu = await startEmulator({ mode: 'mock' });
    out = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await emu.close();
  });
  const args = () => ['legacy-consumer', '--b', 'mock', '--b-rest', emu.restUrl, '--b-ws', emu.wsUrl, '--appkey', emu.appkey, '--secretkey', emu.secretkey, '--query-rate', '5'];

  it('finds no divergence between the local simulation and the mock domain for the legacy consumer', async () => {
    expect(await compare.run(args())).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/^--- a: local \(\d+ events/m);
    expect(text).toContain('same: the consumer saw the same normalised stream on both backends');
    expect(text).not.toMatch(/^[-+] On/m);
  }, 60_000);

  it('catches a seeded divergence (the mock account already holds 5 more shares), exits 1 and writes the HTML report', async () => {
    const rest = new KiwoomRest({ appkey: emu.appkey, secretkey: emu.secretkey, baseUrl: emu.restUrl, simNo: 1 });
    await rest.call('kt10000', { dmst_stex_tp: 'KRX', stk_cd: '005930', ord_qty: '5', ord_uv: '', trde_tp: '3' });
    await rest.close();
    const report = join(mkdtempSync(join(tmpdir(), 'compare-')), 'report.html');
    expect(await compare.run([...args(), '--report', report])).toBe(1);
    const text = out.join('\n');
    expect(text).toMatch(/^- OnReceiveChejanData\("1", "A005930", "0*101"\)/m);
    expect(text).toMatch(/^\+ OnReceiveChejanData\("1", "A005930", "0*106"\)/m);
    expect(text).toContain('DIVERGED');
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('Diverged');
    expect(html).toMatch(/<tr class="a"><td>OnReceiveChejanData\(&#34;1&#34;/);
  }, 60_000);

  it('runs a scenario module (fixtures/scenarios/*.mjs) and compares its own events and facts', async () => {
    expect(await compare.run(['fixtures/scenarios/quote-and-balance.mjs', '--b', 'local'])).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/^scenario quote-and-balance$/m);
    expect(text).toMatch(/^--- a: local \(2 events/m);
    expect(text).toContain('same: the consumer saw the same normalised stream');
  }, 60_000);

  it('refuses production without --allow-prod-orders and unknown scenarios', async () => {
    await expect(compare.run(['--b', 'prod'])).rejects.toThrow(/--allow-prod-orders/);
    await expect(compare.run(['no-such-scenario'])).rejects.toThrow(/not found/);
  });
});
