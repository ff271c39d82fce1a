import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REGISTRY_PATH, renderRegistry } from '../../scripts/gen-registry.mjs';
import { allApis, getApi } from '../../src/registry/index.js';

const byCategory = (category: string) => allApis().filter((a) => a.category === category);

describe('compat/registry.json', () => {
  it('is what the generator produces from the current spec (run `npm run generate` when this fails)', () => {
    const committed = readFileSync(new URL(`../../${REGISTRY_PATH}`, import.meta.url), 'utf8');
    expect(committed === renderRegistry()).toBe(true);
  });

  it('passes the generators\' --check mode, as CI runs it', () => {
    const cwd = fileURLToPath(new URL('../../', import.meta.url));
    for (const script of ['scripts/gen-registry.mjs', 'scripts/gen-compat.mjs']) {
      const run = spawnSync(process.execPath, [script, '--check'], { cwd, encoding: 'utf8' });
      expect(run.status, `${script}: ${run.stdout}${run.stderr}`).toBe(0);
      expect(run.stdout).toBe('');
    }
  });

  it('lists every documented api-id by family', () => {
    expect(byCategory('auth').map((a) => a.id)).toEqual(['au10001', 'au10002']);
    const rest = allApis().filter((a) => a.transport === 'rest' && a.category !== 'auth');
    // 183 in the latest workbook, plus ka10009 which is kept as removed.
    expect(rest.filter((a) => a.status === 'current')).toHaveLength(183);
    expect(rest.filter((a) => a.status === 'removed').map((a) => a.id)).toEqual(['ka10009']);
    const ws = byCategory('websocket');
    expect(ws.filter((a) => a.id.startsWith('ka')).map((a) => a.id)).toEqual(['ka10171', 'ka10172', 'ka10173', 'ka10174']);
    expect(ws.filter((a) => !a.id.startsWith('ka'))).toHaveLength(19);
    expect(ws.every((a) => a.transport === 'websocket' && a.path === '/api/dostk/websocket')).toBe(true);
  });

  it('puts exactly the cash, credit and gold orders in the order budget', () => {
    const orders = byCategory('order').map((a) => a.id);
    const expected = ['kt10000', 'kt10001', 'kt10002', 'kt10003', 'kt10006', 'kt10007', 'kt10008', 'kt10009',
      'kt50000', 'kt50001', 'kt50002', 'kt50003'];
    expect(orders).toEqual(expected);
  });

  it('gives every REST api-id a Kiwoom path', () => {
    for (const api of allApis().filter((a) => a.transport === 'rest')) {
      expect(api.path, api.id).toMatch(/^\/(api\/dostk|oauth2)\/[a-z]+$/);
    }
  });

  it('keeps ka10009 as removed and everything else current', () => {
    expect(getApi('ka10009')?.status).toBe('removed');
    expect(allApis().filter((a) => a.status === 'removed').map((a) => a.id)).toEqual(['ka10009']);
  });

  it('describes ka10001 as the stock-info TR with a required stock code', () => {
    const api = getApi('ka10001');
    expect(api?.path).toBe('/api/dostk/stkinfo');
    expect(api?.name).toBe('주식기본정보요청');
    expect(api?.legacy).toEqual(['OPT10001']);
    expect(api?.request.find((f) => f.key === 'stk_cd')).toMatchObject({ required: true, name: '종목코드', length: 20 });
  });

  it('marks the repeated records of ka10081 with their list key', () => {
    const api = getApi('ka10081');
    const list = api?.response.find((f) => f.key === 'stk_dt_pole_chart_qry');
    expect(list?.type).toBe('LIST');
    const rows = api?.response.filter((f) => f.list === 'stk_dt_pole_chart_qry').map((f) => f.key);
    expect(rows).toEqual(expect.arrayContaining(['dt', 'open_pric', 'high_pric', 'low_pric', 'cur_prc', 'trde_qty']));
    expect(api?.response.find((f) => f.key === 'stk_cd')?.list).toBeUndefined();
  });

  it('records mock support and legacy TR codes from the spec', () => {
    expect(getApi('kt10000')?.mock).toBe('yes');
    expect(getApi('ka01690')?.mock).toBe('no');
    expect(getApi('ka10050')?.legacy).toEqual(['OPT10050', 'OPT30008']);
    expect(allApis().filter((a) => a.legacy.length > 0)).toHaveLength(112);
  });

  it('returns undefined for unknown or inherited ids', () => {
    expect(getApi('ka99999')).toBeUndefined();
    expect(getApi('toString')).toBeUndefined();
  });
});
