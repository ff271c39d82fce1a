/**
 * The scanner against its idiom corpus (fixtures/migrate-corpus): every marked site found
 * (recall), nothing unmarked reported (precision), both printed.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { compatTables } from '../../src/migrate/compat-tables.js';
import { scanProject } from '../../src/migrate/scan.js';

const ROOT = new URL('../../fixtures/migrate-corpus/', import.meta.url).pathname;

/** `file:line:name` for every `site:` marker of the corpus. */
function expectedSites(files: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const file of files) {
    readFileSync(`${ROOT}${file}`, 'utf8').split('\n').forEach((line, i) => {
      const m = /(?:#|\/\/)\s*site:\s*(.+)$/.exec(line);
      for (const name of m?.[1]?.split(',') ?? []) out.add(`${file}:${i + 1}:${name.trim()}`);
    });
  }
  return out;
}

test('the scanner finds every site of the idiom corpus and nothing else', () => {
  const result = scanProject(ROOT, compatTables());
  const files = ['alias_calls.py', 'runtime_signatures.py', 'pyqt_signals.py', 'floor_division.py', 'cybos_mixed.py', 'waits.py', 'checks.py', 'Trader.cs', 'client.ts', 'sketch_server.py'];
  const expected = expectedSites(files);
  const found = new Set(result.findings.map((f) => `${f.file}:${f.line}:${f.kind === 'wait' ? 'wait' : f.name}`));
  const hits = [...found].filter((s) => expected.has(s));
  const recall = hits.length / expected.size;
  const precision = found.size === 0 ? 0 : hits.length / found.size;
  console.log(`migrate scan on fixtures/migrate-corpus (${files.length} files, ${expected.size} marked sites): recall ${(recall * 100).toFixed(1)}% (${hits.length}/${expected.size}), precision ${(precision * 100).toFixed(1)}% (${hits.length}/${found.size})`);
  expect({ missed: [...expected].filter((s) => !found.has(s)), extra: [...found].filter((s) => !expected.has(s)) }).toEqual({ missed: [], extra: [] });
  expect(result.filesScanned).toBe(files.length);
});

test('per site, not just "ok": inputs REST requires, refused screens, FIDs REST never sends, waits, other brokers', () => {
  const result = scanProject(ROOT, compatTables());
  const at = (file: string, name: string): (typeof result.findings)[number] => {
    const f = result.findings.find((x) => x.file === file && (x.name === name || (x.kind === 'wait' && name === 'wait')));
    if (f === undefined) throw new Error(`no ${name} finding in ${file}`);
    return f;
  };
  const rq = at('checks.py', 'CommRqData');
  expect(rq.severity).toBe('check');
  expect(rq.notes.join(' ')).toMatch(/REST requires "종목코드"/);
  expect(rq.notes.join(' ')).toMatch(/수정주가구분 = 0/);
  expect(at('checks.py', 'SetRealReg')).toMatchObject({ severity: 'unsupported' });
  expect(at('checks.py', 'SetRealReg').notes.join(' ')).toMatch(/screen "12345" is refused/);
  expect(at('checks.py', 'GetCommRealData').notes.join(' ')).toMatch(/FID 822/);
  expect(at('checks.py', 'GetChejanData').notes.join(' ')).toMatch(/FID 949/);
  const wait = at('waits.py', 'wait');
  expect(wait).toMatchObject({ kind: 'wait', severity: 'check' });
  expect(wait.change).toMatch(/returns after the handlers/);
  expect(result.findings.filter((f) => f.file === 'cybos_mixed.py').map((f) => f.name)).toEqual(['SetInputValue', 'CommRqData']);
});
