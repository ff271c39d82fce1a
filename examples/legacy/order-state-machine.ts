/**
 * An order followed through chejan the way koapy's order handler follows it: a limit buy rests,
 * is cancelled, and the flow ends on the original order's update that carries 819 = "1".
 */
import type { APIServer } from '../../src/index.js';

export async function main(ocx: APIServer, log: (line: string) => void): Promise<void> {
  const connected = new Promise<number>((resolve) => ocx.once('OnEventConnect', resolve));
  ocx.CommConnect();
  await connected;
  const accno = ocx.GetLoginInfo('ACCNO').split(';')[0] ?? '';
  let orderNo = '';
  ocx.on('OnReceiveTrData', (scrNo, rqName, trCode, recordName) => {
    if (rqName === '매수') orderNo = ocx.GetCommData(trCode, recordName, 0, '주문번호').trim();
  });
  const steps: string[] = [];
  const ended = new Promise<void>((resolve) => {
    ocx.on('OnReceiveChejanData', (sGubun, nItemCnt, sFIdList) => {
      const fids = sFIdList.replace(/;$/, '').split(';').map(Number);
      if (fids.length !== Number(nItemCnt)) throw new Error('nItemCnt does not match sFIdList');
      const v = new Map(fids.map((fid) => [fid, ocx.GetChejanData(fid).trim()]));
      if (sGubun !== '0') return;
      steps.push(`${v.get(9203) === orderNo ? '원주문' : '취소주문'} ${v.get(913)} 미체결 ${v.get(902)}`);
      if (v.get(9203) === orderNo && ocx.GetChejanData(819) === '1') resolve();
    });
  });
  const base = parseInt(ocx.GetMasterLastPrice('005930'), 10);
  const price = Math.floor((base * 0.8) / 100) * 100;
  await ocx.SendOrder('매수', '2000', accno, 1, '005930', 3, price, '00', '');
  await ocx.SendOrder('취소', '2000', accno, 3, '005930', 0, 0, '00', orderNo);
  await ended;
  for (const s of steps) log(s);
}
