import { describe, expect, it } from 'vitest';
import { call } from '../../src/cli/commands/call.js';
import { startEmulator } from '../../src/emulator/index.js';
import { capture } from './capture.js';

describe('kiwoom-compat call', () => {
  it('prints the JSON answer of one api-id from the built-in emulator', async () => {
    const { result, out } = await capture(() => call.run(['ka10001', '{"stk_cd":"005930"}']));
    expect(result).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ stk_cd: '005930', stk_nm: '삼성전자', return_code: 0 });
  });

  it('follows continuation pages with --all-pages against an --endpoint', async () => {
    const emu = await startEmulator();
    try {
      const { result, out, err } = await capture(() =>
        call.run(['ka10081', '{"stk_cd":"005930","base_dt":"20261125","upd_stkpc_tp":"1"}', '--all-pages', '--max-pages', '2',
          '--endpoint', emu.restUrl, '--appkey', emu.appkey, '--secretkey', emu.secretkey]),
      );
      expect(result).toBe(0);
      expect(err).toMatch(/page 1 \(more\)\npage 2/);
      expect(out.split('\n{').length).toBe(2);
    } finally {
      await emu.close();
    }
  });

  it('refuses bad input with a message naming it, before any request', async () => {
    await expect(call.run(['ka99999'])).rejects.toThrow(/unknown api-id "ka99999"/);
    await expect(call.run(['ka10001', '{oops'])).rejects.toThrow(/json-body is not valid JSON/);
    await expect(call.run(['ka10001', '{}', '--sim-no', '7'])).rejects.toThrow(/--sim-no must be 0, 1, 2 or 3/);
    await expect(call.run(['ka10001', '{}', '--sim-no', '0'])).rejects.toThrow(/OCX, which does not exist here/);
    await expect(call.run(['kt10000', '{}', '--sim-no', '0', '--use-rest', '--appkey', 'k', '--secretkey', 's'])).rejects.toThrow(/--allow-prod-orders/);
  });
});
