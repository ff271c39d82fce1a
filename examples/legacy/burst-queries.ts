/** A loop that fires CommRqData faster than the OCX allowed and pairs answers with requests by order. */
import type { APIServer } from '../../src/index.js';

const CODES = ['005930', '000660', '035720', '005380', '035420', '000270', '068270', '105560', '055550', '005490'];

export async function main(ocx: APIServer, log: (line: string) => void): Promise<void> {
  await ocx.CommConnect();
  const answers: string[] = [];
  ocx.on('OnReceiveTrData', (scrNo, rqName, trCode) => {
    if (rqName.startsWith('시세')) answers.push(ocx.GetCommData(trCode, rqName, 0, '종목코드').trim());
  });
  const sent: Promise<number>[] = [];
  for (const code of CODES) {
    ocx.SetInputValue('종목코드', code);
    sent.push(ocx.CommRqData(`시세${code}`, 'opt10001', 0, '0200'));
  }
  const codes = await Promise.all(sent);
  log(`반환 ${codes.join(',')}`);
  log(`순서 ${answers.every((code, i) => code === CODES[i]) ? '요청 순' : '뒤섞임'} ${answers.length}건`);
}
