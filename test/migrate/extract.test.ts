import { describe, expect, it } from 'vitest';
import { extractSites } from '../../src/migrate/extract.js';

const methods = new Set(['SendOrder', 'SetRealReg', 'CommRqData', 'SetInputValue', 'GetChejanData']);
const events = new Set(['OnReceiveChejanData', 'OnReceiveRealData']);
const scan = (text: string) => extractSites(text, methods, events);

describe('extractSites', () => {
  it('reads dynamicCall signatures and expands the list argument of SendOrder', () => {
    const [site] = scan(`x = self.ocx.dynamicCall(\n  "SendOrder(QString, QString, QString, int, QString, int, int, QString, QString)",\n  ["buy", "2000", acc, 1, "005930", 10, 0, "03", ""])\n`);
    expect(site).toMatchObject({ kind: 'call', name: 'SendOrder', line: 1, dynamic: true });
    expect(site?.args.map((a) => a.value ?? null)).toEqual(['buy', '2000', null, 1, '005930', 10, 0, '03', '']);
  });

  it('reads direct calls from Python, C# and TS alike, with their line numbers', () => {
    const sites = scan(`a\nself.kiwoom.SetRealReg("1", "005930", "10;15", "0")\naxKHOpenAPI1.CommRqData("q", "OPT10001", 0, "0101");\nocx.SetInputValue('종목코드', code);\n`);
    expect(sites.map((s) => [s.name, s.line])).toEqual([['SetRealReg', 2], ['CommRqData', 3], ['SetInputValue', 4]]);
    expect(sites[2]?.args[1]).toEqual({ text: 'code' });
  });

  it("ignores comments, strings and method definitions, by the language's own comment rules", () => {
    expect(extractSites(`# self.ocx.SendOrder("x")\ns = "ocx.CommRqData(1)"\ndef SendOrder(self, a):\n    pass\n`, methods, events, 'python')).toEqual([]);
    expect(scan(`// ocx.SetRealReg("1")\nconst s = "ocx.CommRqData(1)";\n/* ocx.GetChejanData(9203) */\n`)).toEqual([]);
    // Python's // is floor division and C#/TS's # is not a comment: the calls after them count.
    expect(extractSites(`n = q // 2; ocx.SetRealReg("1", c, "10", "0")\n`, methods, events, 'python').map((x) => x.name)).toEqual(['SetRealReg']);
    expect(scan(`this.#n = 1; ocx.SetRealReg("1", c, "10", "0");\n`).map((x) => x.name)).toEqual(['SetRealReg']);
  });

  it('resolves names bound once to a literal, and leaves the rest unresolved', () => {
    const sites = scan(`FIDS = "10;11"\nHOGA = "00"\nhoga = "03"\nhoga = "00"\nocx.SetRealReg("1", codes, FIDS, "0")\nocx.SendOrder("b", "1", acc, 1, c, 1, 100, hoga, "")\n`);
    expect(sites[0]?.args[2]?.value).toBe('10;11');
    expect(sites[1]?.args[7]?.value).toBeUndefined();
  });

  it('finds event hookups (PyQt connect, C# +=, emitter on)', () => {
    const sites = scan(`self.ocx.OnReceiveChejanData.connect(self.chejan)\nax.OnReceiveRealData += OnReal;\napi.on('OnReceiveRealData', f)\n`);
    expect(sites.map((s) => [s.kind, s.name, s.line])).toEqual([['event', 'OnReceiveChejanData', 1], ['event', 'OnReceiveRealData', 2], ['event', 'OnReceiveRealData', 3]]);
  });
});
