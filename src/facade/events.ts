/**
 * The OCX events, named and shaped as legacy consumers expect them. FID dictionaries are keyed
 * by FID string (`'10'`, `'9203'`) and keep the OCX string conventions (sign prefixes, HHMMSS,
 * `A`-prefixed codes in chejan 9001).
 */

/** A FID → value map. Treat as read-only. */
export type FidValues = Readonly<Record<string, string>>;

/**
 * OnReceiveRealData's third argument: the FID dictionary (`data['10']`, the `api_server`
 * sketch's dictFID) that is also the OCX's sRealData, a TAB-joined record in the real type's
 * FID order (`data.split('\t')`, `String(data)`). `typeof` says `'object'`.
 */
export type RealData = FidValues & string;

/**
 * OnReceiveChejanData's second argument: the FID dictionary that is also the OCX's nItemCnt
 * (`Number(x)` is the number of FIDs; arithmetic and comparisons use it).
 */
export type ChejanData = FidValues & number;

/** Event signatures of {@link APIServer}, with the OCX's arguments in the OCX's order. */
export interface APIServerEvents {
  /** 0 on success; -100 user info exchange failed, -101 server connection failed, -106 socket closed. */
  OnEventConnect: [errCode: number];
  /**
   * `prevNext` is `"2"` when more pages wait, `"0"` otherwise. The last four are unused, as in
   * the OCX (0 and empty strings).
   */
  OnReceiveTrData: [screen: string, rqname: string, trcode: string, recordName: string, prevNext: string, dataLength: number, errorCode: string, message: string, splmMsg: string];
  /** One REAL item: `code` is the item, `realType` the OCX name (`주식체결`), `data` both sRealData and the FID dictionary. */
  OnReceiveRealData: [code: string, realType: string, data: RealData];
  /**
   * gubun `"0"` 주문체결, `"1"` 잔고. `data` is the FID dictionary and the OCX's nItemCnt;
   * `fidList` is sFIdList (`"9201;9203;..."`). `GetChejanData(fid)` reads the same values
   * inside the handler.
   */
  OnReceiveChejanData: [gubun: string, data: ChejanData, fidList: string];
  OnReceiveMsg: [screen: string, rqname: string, trcode: string, msg: string];
  /** Futures/options investor data: Kiwoom REST has none, so it never fires (the OCX had stopped raising it too). */
  OnReceiveInvestRealData: [realKey: string];
  /** ret 1 when the condition list was loaded. */
  OnReceiveConditionVer: [ret: number, msg: string];
  /** `codeList` is `"005930;000660;"`; `next` is 0 (no continuation: every page is gathered). */
  OnReceiveTrCondition: [screen: string, codeList: string, condName: string, condIndex: number, next: number];
  /** type `"I"` entered, `"D"` left; the index is a string as in the OCX. */
  OnReceiveRealCondition: [code: string, type: string, condName: string, condIndex: string];
}

/** Names of every event, in the OCX's DispId order. */
export const EVENT_NAMES = [
  'OnReceiveTrData',
  'OnReceiveRealData',
  'OnReceiveMsg',
  'OnReceiveChejanData',
  'OnEventConnect',
  'OnReceiveInvestRealData',
  'OnReceiveRealCondition',
  'OnReceiveTrCondition',
  'OnReceiveConditionVer',
] as const satisfies readonly (keyof APIServerEvents)[];
