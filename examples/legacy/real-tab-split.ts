/** sRealData split on TAB by FID position, as koapy's fast path reads it; GetCommRealData with the real type. */
import type { APIServer } from '../../src/index.js';

/** The first FIDs of 주식체결 in the control's order (the program's own copy of nkrealtime.dat). */
const 주식체결 = [20, 10, 11, 12, 27, 28, 15, 13, 14, 16, 17, 18, 25, 26];

export async function main(ocx: APIServer, log: (line: string) => void): Promise<void> {
  const connected = new Promise<number>((resolve) => ocx.once('OnEventConnect', resolve));
  ocx.CommConnect();
  await connected;
  const ticks: string[] = [];
  const done = new Promise<void>((resolve) => {
    ocx.on('OnReceiveRealData', (sJongmokCode, sRealType, sRealData) => {
      if (sRealType !== '주식체결' || ticks.length >= 3) return;
      const f = sRealData.split('\t');
      const time = f[주식체결.indexOf(20)];
      const price = Math.abs(parseInt(f[주식체결.indexOf(10)] ?? '', 10));
      const volume = parseInt(f[주식체결.indexOf(15)] ?? '', 10);
      // C# programs pass the real type, not the code: the control answered from the event.
      const same = Math.abs(parseInt(ocx.GetCommRealData(sRealType, 10), 10)) === price;
      ticks.push(`${sJongmokCode} ${time} ${price} ${volume > 0 ? '매수' : '매도'}체결 ${same ? '일치' : '불일치'}`);
      if (ticks.length === 3) resolve();
    });
  });
  await ocx.SetRealReg('1000', '005930', '10;15;20', '0');
  await done;
  await ocx.DisconnectRealData('1000');
  for (const t of ticks) log(t);
}
