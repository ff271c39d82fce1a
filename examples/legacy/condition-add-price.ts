/** Condition search with KOA_Functions("SetConditionSearchFlag", "AddPrice"). */
import type { APIServer } from '../../src/index.js';

export async function main(ocx: APIServer, log: (line: string) => void): Promise<void> {
  const connected = new Promise<number>((resolve) => ocx.once('OnEventConnect', resolve));
  ocx.CommConnect();
  await connected;
  const loaded = new Promise<number>((resolve) => ocx.once('OnReceiveConditionVer', (lRet) => resolve(lRet)));
  ocx.GetConditionLoad();
  if ((await loaded) !== 1) throw new Error('conditions not loaded');
  const conditions = ocx.GetConditionNameList().split(';').filter(Boolean).map((c) => c.split('^'));
  const [index, name] = conditions[0] ?? [];
  ocx.KOA_Functions('SetConditionSearchFlag', 'AddPrice');
  const result = new Promise<string>((resolve) => ocx.once('OnReceiveTrCondition', (scrNo, codeList) => resolve(codeList)));
  await ocx.SendCondition('0150', name ?? '', Number(index), 0);
  const hits = (await result).split(';').filter(Boolean).map((item) => item.split('^'));
  log(`${name}: ${hits.length}종목`);
  for (const [code, price] of hits.slice(0, 3)) log(`${code} ${ocx.GetMasterCodeName(code ?? '')} ${Number(price)}원`);
}
