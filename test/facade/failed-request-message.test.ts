/**
 * A request the server refuses is reported once: one OnReceiveMsg with the server's text, as the
 * OCX sent one message per request; the call returns the OCX code and GetLastError names it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from './helpers.js';

describe('a failed CommRqData', () => {
  let b: Backend;
  beforeAll(async () => {
    b = await openBackend('emulator');
    expect(await b.api.CommConnect()).toBe(0);
  });
  afterAll(async () => b.close());

  it('gives one OnReceiveMsg with the server text; the code comes back and GetLastError has it', async () => {
    const msgs: string[][] = [];
    b.api.on('OnReceiveMsg', (...args) => msgs.push(args));
    b.api.SetInputValue('종목코드', '999999');
    const code = await b.api.CommRqData('unknown', 'opt10001', 0, '0101');
    expect(code).toBe(-202);
    expect(msgs).toHaveLength(1);
    const [screen, rqname, trcode, msg] = msgs[0]!;
    expect([screen, rqname, trcode]).toEqual(['0101', 'unknown', 'opt10001']);
    expect(msg).toMatch(/1902.*종목코드=999999/);
    expect(b.api.GetLastError()).toMatchObject({ method: 'CommRqData', code: -202 });
  });
});
