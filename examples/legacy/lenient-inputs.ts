/** What legacy code leaves loose, and the OCX let pass. */
import type { APIServer } from '../../src/index.js';

export async function main(ocx: APIServer, log: (line: string) => void): Promise<void> {
  await ocx.CommConnect();
  const accno = ocx.GetLoginInfo('ACCNO').split(';')[0] ?? '';
  ocx.on('OnReceiveTrData', (scrNo, rqName, trCode) => {
    if (rqName === '잔고') log(`잔고 화면 ${scrNo}: 총매입 ${parseInt(ocx.GetCommData(trCode, rqName, 0, '총매입금액'), 10)} 종목 ${ocx.GetRepeatCnt(trCode, rqName)}`);
  });
  // No 조회구분, a 3-digit screen, the account as a config file kept it (zero-padded).
  ocx.SetInputValue('계좌번호', `00${accno}`);
  ocx.SetInputValue('비밀번호', '');
  log(`잔고 요청 ${await ocx.CommRqData('잔고', 'opw00018', 0, '101')}`);
  // A market order with the last price still in the price argument.
  log(`시장가 매수 ${await ocx.SendOrder('시장가', '102', `00${accno}`, 1, '005930', 1, 70000, '03', '')}`);
}
