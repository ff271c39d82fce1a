/** CommConnect, then everything the OCX answered at once after login. */
import type { APIServer } from '../../src/index.js';

export async function main(ocx: APIServer, log: (line: string) => void): Promise<void> {
  const connected = new Promise<number>((resolve) => ocx.once('OnEventConnect', resolve));
  ocx.CommConnect();
  if ((await connected) !== 0) throw new Error('login failed');
  const accounts = ocx.GetLoginInfo('ACCNO').split(';').slice(0, -1);
  log(`계좌 ${accounts.length}개: ${accounts.join(',')} 서버 ${ocx.GetLoginInfo('GetServerGubun') === '1' ? '모의' : '실'}`);
  const kospi = ocx.GetCodeListByMarket('0').split(';').slice(0, -1);
  log(`코스피 ${kospi.length}종목, 첫 종목: ` + ocx.GetMasterCodeName(kospi[0] ?? ''));
  log('종목: ' + ocx.GetMasterCodeName('005930') + ' 상장주식 ' + ocx.GetMasterListedStockCnt('005930') + ' 전일가 ' + parseInt(ocx.GetMasterLastPrice('005930'), 10));
  log('감리 ' + ocx.GetMasterConstruction('005930') + ' 상태 ' + ocx.GetMasterStockState('005930').split('|').join(','));
  log('시장 ' + ocx.KOA_Functions('GetStockMarketKind', '069500') + ' ' + ocx.KOA_Functions('GetMasterStockInfo', '005930'));
  const [theme] = ocx.GetThemeGroupList(1).split(';');
  const [themeCode, themeName] = (theme ?? '').split('|');
  log(`테마 ${themeName}: ` + ocx.GetThemeGroupCode(themeCode ?? '').split(';').map((c) => c.slice(1)).join(','));
}
