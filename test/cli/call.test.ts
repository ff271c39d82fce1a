import { describe, expect, it } from 'vitest';
import { call, describeApi, listApis, prepareBody, resolveApi } from '../../src/cli/commands/call.js';
import { startEmulator } from '../../src/emulator/index.js';
import { getApi } from '../../src/registry/index.js';
import { capture } from './capture.js';

describe('kiwoom-compat call', () => {
  it('prints the JSON answer of one api-id from the built-in emulator', async () => {
    const { result, out } = await capture(() => call.run(['ka10001', '{"stk_cd":"005930"}']));
    expect(result).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ stk_cd: '005930', stk_nm: '삼성전자', return_code: 0 });
  });

  it('takes a legacy TR code with its Korean input names, and api-ids in any case', async () => {
    const legacy = await capture(() => call.run(['OPT10001', '{"종목코드":"005930"}']));
    expect(JSON.parse(legacy.out)).toMatchObject({ stk_cd: '005930', stk_nm: '삼성전자' });
    expect(resolveApi('KA10001').api.id).toBe('ka10001');
    expect(resolveApi('opt10081')).toMatchObject({ api: { id: 'ka10081' }, inputs: { 종목코드: 'stk_cd' } });
    expect(() => resolveApi('ka99999')).toThrow(/unknown api-id "ka99999" \(kiwoom-compat call --list/);
  });

  it('--all-pages prints one JSON document per line (JSON Lines), a page each', async () => {
    const emu = await startEmulator();
    try {
      const { result, out, err } = await capture(() =>
        call.run(['ka10081', '{"stk_cd":"005930","base_dt":"20261125","upd_stkpc_tp":"1"}', '--all-pages', '--max-pages', '2',
          '--endpoint', emu.restUrl, '--appkey', emu.appkey, '--secretkey', emu.secretkey]),
      );
      expect(result).toBe(0);
      expect(err).toMatch(/page 1 \(more\)\npage 2/);
      const pages = out.split('\n').map((l) => JSON.parse(l) as { stk_dt_pole_chart_qry: unknown[] });
      expect(pages).toHaveLength(2);
      for (const page of pages) expect(page.stk_dt_pole_chart_qry.length).toBeGreaterThan(0);
    } finally {
      await emu.close();
    }
  });

  it('--list lists the REST api-ids with their names, filtered on id, name or legacy code', () => {
    const all = listApis();
    expect(all.length).toBeGreaterThan(150);
    expect(all.some((l) => l.startsWith('au10001'))).toBe(false);
    expect(listApis('주식일봉')).toEqual([expect.stringMatching(/^ka10081 +query +주식일봉차트조회요청 +\(opt10081\)$/)]);
    expect(listApis('OPT10081')).toHaveLength(1);
  });

  it('<api-id> --help lists the request fields: key, required, type, Korean name', () => {
    const text = describeApi(getApi('ka10081')!);
    expect(text).toMatch(/^ka10081 {2}주식일봉차트조회요청 {2}\(POST \/api\/dostk\/chart, query; legacy opt10081\)/);
    expect(text).toMatch(/^ {2}base_dt +required +String\(8\) +기준일자$/m);
    expect(call.helpFor?.(['opt10081'])).toBe(text);
  });

  it('names every missing required field in one error, and returns unknown fields to warn about', async () => {
    const api = getApi('ka10081')!;
    expect(() => prepareBody(api, { stk_cd: '005930' }, {})).toThrow(/missing required fields base_dt \(기준일자\), upd_stkpc_tp \(수정주가구분\)/);
    expect(prepareBody(api, { stk_cd: '005930', base_dt: '20261125', upd_stkpc_tp: '1', bogus: '1' }, {}).unknown).toEqual(['bogus']);
    const { err } = await capture(() => call.run(['ka10001', '{"stk_cd":"005930","stk_cdd":"1"}']));
    expect(err).toMatch(/warning: ka10001 has no request field "stk_cdd"/);
  });

  it('names the URL it could not reach', async () => {
    await expect(call.run(['ka10001', '{"stk_cd":"005930"}', '--endpoint', 'http://127.0.0.1:9', '--appkey', 'k', '--secretkey', 's'])).rejects.toThrow(/^could not reach http:\/\/127\.0\.0\.1:9: /);
  });

  it('refuses bad input with a message naming it, before any request', async () => {
    await expect(call.run(['ka99999'])).rejects.toThrow(/unknown api-id "ka99999"/);
    await expect(call.run(['ka10001', '{oops'])).rejects.toThrow(/json-body is not valid JSON/);
    await expect(call.run(['ka10001', '[1]'])).rejects.toThrow(/json-body must be a JSON object/);
    await expect(call.run(['ka10001', '{"stk_cd":"005930"}', '--sim-no', '7'])).rejects.toThrow(/--sim-no must be 0, 1, 2 or 3/);
    await expect(call.run(['ka10001', '{"stk_cd":"005930"}', '--sim-no', '0'])).rejects.toThrow(/OCX, which does not exist here/);
    await expect(call.run(['ka10001', '{"stk_cd":"005930"}', '--max-pages', 'x'])).rejects.toThrow(/--max-pages must be an integer of at least 1, got "x"/);
    await expect(call.run(['ka10001', '{"stk_cd":"005930"}', '--bogus'])).rejects.toThrow(/Unknown option '--bogus'/);
    await expect(call.run(['kt10000', '{"dmst_stex_tp":"KRX","stk_cd":"005930","ord_qty":"1","trde_tp":"3"}', '--sim-no', '0', '--use-rest', '--appkey', 'k', '--secretkey', 's'])).rejects.toThrow(/--allow-prod-orders/);
  });
});
