/** opt10081 read row by row in OnReceiveTrData, continued while sPrevNext is "2". */
import type { APIServer } from '../../src/index.js';

export async function main(ocx: APIServer, log: (line: string) => void): Promise<void> {
  await ocx.CommConnect();
  const rows: { date: string; close: number }[] = [];
  let next = '0';
  let table: string[][] = [];
  ocx.on('OnReceiveTrData', (scrNo, rqName, trCode, recordName, prevNext) => {
    if (rqName !== '일봉') return;
    const count = ocx.GetRepeatCnt(trCode, recordName);
    for (let i = 0; i < count; i++) {
      rows.push({ date: ocx.GetCommData(trCode, rqName, i, '일자').trim(), close: Math.abs(parseInt(ocx.GetCommData(trCode, rqName, i, '현재가'), 10)) });
    }
    if (table.length === 0) table = ocx.GetCommDataEx(trCode, recordName);
    next = prevNext;
  });
  for (let page = 0; page < 3; page++) {
    ocx.SetInputValue('종목코드', '005930');
    ocx.SetInputValue('기준일자', '');
    ocx.SetInputValue('수정주가구분', '1');
    await ocx.CommRqData('일봉', 'opt10081', page === 0 ? 0 : 2, '0101');
    if (next !== '2') break;
  }
  log(`${rows.length}일, 최근 ${rows[0]?.date} ${rows[0]?.close}, 가장 오래된 ${rows.at(-1)?.date}`);
  log(`GetCommDataEx ${table.length}행 × ${table[0]?.length ?? 0}열, 첫 행 일자 ${table[0]?.[4]}`);
}
