/** The api_server sketch's forms: list arguments, an empty FID list, FID dictionaries in the handlers. */
import type { APIServer } from '../../src/index.js';

export async function main(ocx: APIServer, log: (line: string) => void): Promise<void> {
  await ocx.CommConnect();
  const prices = new Map<string, number>();
  const done = new Promise<void>((resolve) => {
    ocx.on('OnReceiveRealData', (code, rtype, dictFID) => {
      if (rtype === '주식체결') prices.set(code, Math.abs(parseInt(dictFID['10'] ?? '', 10)));
      if (prices.size === 2) resolve();
    });
  });
  await ocx.SetRealReg('5100', ['005930', '000660'], [], '0');
  await done;
  await ocx.SetRealRemove('5100', 'ALL');
  for (const [code, price] of [...prices].sort()) log(`${code} ${price}`);
}
