/**
 * A watch list as older programs build it: CommKwRqData for the quotes, read with the deprecated
 * CommGetData (the only TR getter of several popular programs), KOA_Functions for order
 * warnings, and a futures probe that falls back when the product is not there.
 */
import type { APIServer } from '../../src/index.js';

export async function main(ocx: APIServer, log: (line: string) => void): Promise<void> {
  await ocx.CommConnect();
  const watch = ['005930', '000660', '069500'];
  ocx.on('OnReceiveTrData', (_scrNo, rqName, trCode) => {
    if (rqName !== '관심종목') return;
    for (let i = 0; i < ocx.GetRepeatCnt(trCode, rqName); i++) {
      const code = ocx.CommGetData(trCode, '', rqName, i, '종목코드').trim();
      const price = Math.abs(parseInt(ocx.CommGetData(trCode, '', rqName, i, '현재가'), 10));
      const warned = ocx.KOA_Functions('IsOrderWarningStock', code) === '0' ? '' : ' 투자유의';
      log(`${code} ${ocx.GetMasterCodeName(code)} 시장${ocx.GetMarketType(code)} ${price}원${warned}`);
    }
  });
  await ocx.CommKwRqData(watch.join(';'), 0, watch.length, 0, '관심종목', '0301');
  let why = '';
  ocx.on('OnReceiveMsg', (_scrNo, _rqName, _trCode, msg) => void (why = msg));
  const futures = ocx.GetFutureList();
  log(futures === '' ? `선물 없음: ${why}` : `선물 ${futures.split(';').length - 1}종목`);
}
