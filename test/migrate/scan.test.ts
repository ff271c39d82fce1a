import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanProject, type ScanResult } from '../../src/migrate/scan.js';
import { toMarkdown } from '../../src/migrate/report.js';
import { compatTables } from '../../src/migrate/compat-tables.js';
import { migrate } from '../../src/cli/commands/migrate.js';

const FIXTURE = 'fixtures/legacy-project';
const result = scanProject(FIXTURE, compatTables());
/** The finding of the call that starts on `line` or, for a call spread over lines, closest above it. */
const at = (r: ScanResult, file: string, line: number) => {
  const f = r.findings.filter((x) => x.file === file && x.line <= line && x.line >= line - 2).at(-1);
  if (f === undefined) throw new Error(`no finding at ${file}:${line}`);
  return f;
};
const lineOf = (file: string, needle: string): number =>
  readFileSync(join(FIXTURE, file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('migrate scan on the fixture legacy project', () => {
  it('reads Python, C# and TS files', () => {
    expect(result.filesScanned).toBe(4);
    expect(new Set(result.findings.map((f) => f.file))).toEqual(new Set(['api_server.py', 'strategy.py', 'csharp/Trader.cs', 'ts/ocx-client.ts']));
  });

  it('maps TR queries to api-ids and Korean input/output names to keys, across continuation', () => {
    const rq = at(result, 'api_server.py', lineOf('api_server.py', '"opt10081", 2,'));
    expect(rq.maps).toContain('ka10081');
    expect(rq.notes.join()).toContain('next-key');
    expect(at(result, 'api_server.py', lineOf('api_server.py', '"기준일자", base_date')).maps).toContain('base_dt');
    expect(at(result, 'api_server.py', lineOf('api_server.py', '"총수익률(%)"')).maps).toContain('kt00018 response key tot_prft_rt');
    expect(at(result, 'csharp/Trader.cs', lineOf('csharp/Trader.cs', 'OPT10001')).maps).toContain('ka10001');
    expect(at(result, 'ts/ocx-client.ts', lineOf('ts/ocx-client.ts', "'틱범위'")).maps).toContain('ka10080');
  });

  it('marks what cannot work: a TR without a REST twin, an unknown Korean name', () => {
    const unsupported = result.findings.filter((f) => f.severity === 'unsupported').map((f) => `${f.file}:${f.line}`);
    expect(unsupported).toEqual([
      `api_server.py:${lineOf('api_server.py', '"opt10071", 0')}`,
      `api_server.py:${lineOf('api_server.py', '"매입메모"')}`,
    ]);
    expect(at(result, 'strategy.py', lineOf('strategy.py', 'CommKwRqData')).severity).toBe('ok');
    expect(at(result, 'api_server.py', lineOf('api_server.py', '"opt10071", 0')).notes.join()).toContain('no REST twin');
  });

  it('maps orders to api-ids and hoga codes to trde_tp, and flags what the mock domain refuses', () => {
    expect(at(result, 'api_server.py', lineOf('api_server.py', '["sell", "2000"')).maps).toBe('REST kt10001 trde_tp 3 (시장가)');
    expect(at(result, 'api_server.py', lineOf('api_server.py', '["cancel"')).maps).toContain('kt10003');
    const afterHours = at(result, 'api_server.py', lineOf('api_server.py', '["after"'));
    expect(afterHours.severity).toBe('check');
    expect(afterHours.notes.join()).toContain('"62"');
    expect(at(result, 'api_server.py', lineOf('api_server.py', '["buy", "2000"')).notes.join()).toContain('sHogaGb is computed at run time');
  });

  it('names SetRealReg FIDs and chejan FIDs REST does not deliver, and NXT codes', () => {
    const reg = at(result, 'strategy.py', lineOf('strategy.py', 'SetRealReg'));
    expect(reg.maps).toContain('0B (주식체결)');
    expect(reg.notes.join()).toContain('FID 822');
    expect(reg.notes.join()).toContain('000660_NX');
    expect(at(result, 'api_server.py', lineOf('api_server.py', '"", "215;20;214"')).maps).toBe('WebSocket REG 0s (장시작시간)');
    expect(at(result, 'api_server.py', lineOf('api_server.py', 'GetChejanData(int)", 25')).notes.join()).toContain('FID 25');
    expect(at(result, 'api_server.py', lineOf('api_server.py', 'GetChejanData(int)", 9203')).severity).toBe('ok');
  });

  it('reads KOA_Functions sub-commands: each says where its answer comes from', () => {
    const gubun = at(result, 'api_server.py', lineOf('api_server.py', '"GetServerGubun", ""'));
    expect(gubun.severity).toBe('ok');
    expect(gubun.change).toContain('paper trading');
    const kind = at(result, 'api_server.py', lineOf('api_server.py', '"GetStockMarketKind"'));
    expect(kind.severity).toBe('ok');
    expect(kind.change).toContain('ka10099 marketCode');
  });

  it('reports event handlers with their new source', () => {
    const ev = at(result, 'api_server.py', lineOf('api_server.py', 'OnReceiveChejanData.connect'));
    expect(ev).toMatchObject({ kind: 'event', severity: 'ok' });
    expect(ev.maps).toContain('00');
  });

  it('renders Markdown with a must-change list and file:line per site', () => {
    const md = toMarkdown(result);
    expect(md).toContain('## Must change');
    expect(md).toContain(`\`api_server.py:${lineOf('api_server.py', '"opt10071", 0')}\``);
    expect(md).toContain('| REST ka10081 (주식일봉차트조회요청) |');
  });

  it('runs as `kiwoom-compat migrate scan` writing JSON or Markdown, and --strict fails on unsupported sites', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scan-'));
    expect(await migrate.run(['scan', FIXTURE, '--format', 'json', '--out', join(dir, 'r.json')])).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as ScanResult;
    expect(json.summary).toEqual(result.summary);
    expect(await migrate.run(['scan', FIXTURE, '--out', join(dir, 'r.md')])).toBe(0);
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toContain('# OCX migration scan');
    expect(await migrate.run(['scan', FIXTURE, '--strict', '--out', join(dir, 'r2.md')])).toBe(1);
    await expect(migrate.run(['scan', FIXTURE, '--format', 'xml'])).rejects.toThrow(/--format/);
  });
});
