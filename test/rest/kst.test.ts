import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { formatKstTimestamp, parseKstTimestamp } from '../../src/rest/kst.js';

/** src/rest/kst.ts as plain JS, so a child `node` can run the very same parse. */
const kstModuleJs = ts.transpileModule(readFileSync(new URL('../../src/rest/kst.ts', import.meta.url), 'utf8'), {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
}).outputText;

/** Parse `text` in a child process whose TZ is `tz`; returns the epoch ms and the child's local offset. */
function parseInChild(tz: string, text: string): { parsed: number; localOffsetMin: number } {
  const script = `
    const mod = await import('data:text/javascript;base64,${Buffer.from(kstModuleJs).toString('base64')}');
    console.log(JSON.stringify({ parsed: mod.parseKstTimestamp(${JSON.stringify(text)}), localOffsetMin: new Date(2024, 10, 7).getTimezoneOffset() }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TZ: tz } });
  return JSON.parse(out.toString()) as { parsed: number; localOffsetMin: number };
}

describe('KST expires_dt', () => {
  it('reads YYYYMMDDHHMMSS as Korea time (UTC+9)', () => {
    expect(parseKstTimestamp('20241107083713')).toBe(Date.parse('2024-11-06T23:37:13Z'));
    expect(parseKstTimestamp('20250101000000')).toBe(Date.parse('2024-12-31T15:00:00Z'));
  });

  it('gives the same instant whatever the host time zone (child processes with TZ=UTC and TZ=America/New_York)', () => {
    const expected = Date.parse('2024-11-06T23:37:13Z');
    const utc = parseInChild('UTC', '20241107083713');
    const newYork = parseInChild('America/New_York', '20241107083713');
    // The children really ran in different zones...
    expect(utc.localOffsetMin).toBe(0);
    expect(newYork.localOffsetMin).toBe(300);
    // ...and still agree on the instant.
    expect(utc.parsed).toBe(expected);
    expect(newYork.parsed).toBe(expected);
  });

  it('refuses text that is not a KST timestamp', () => {
    for (const bad of ['', '2024110708371', '20241307083713', '2024-11-07 08:37', '20241107246000']) {
      expect(parseKstTimestamp(bad)).toBeUndefined();
    }
  });

  it('refuses impossible dates and times instead of rolling them over', () => {
    for (const bad of ['20240231120000', '20230229000000', '20240431000000', '20241300000000', '20240001000000', '20240100000000', '20241107240000', '20241107236000', '20241107235960', '00991231000000']) {
      expect(parseKstTimestamp(bad), bad).toBeUndefined();
    }
    // The edges that exist are read.
    expect(parseKstTimestamp('20240229235959')).toBe(Date.parse('2024-02-29T14:59:59Z'));
    expect(parseKstTimestamp('20241231235959')).toBe(Date.parse('2024-12-31T14:59:59Z'));
    expect(parseKstTimestamp('20240101000000')).toBe(Date.parse('2023-12-31T15:00:00Z'));
  });

  it('formats the inverse', () => {
    expect(formatKstTimestamp(Date.parse('2024-11-06T23:37:13Z'))).toBe('20241107083713');
  });
});
