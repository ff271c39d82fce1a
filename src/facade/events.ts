/**
 * The OCX events, named and shaped as legacy consumers expect them. `fids` objects are keyed by
 * FID string (`'10'`, `'9203'`) and keep the OCX string conventions (sign prefixes, HHMMSS,
 * `A`-prefixed codes in chejan 9001).
 */

/** A FID → value map as delivered to OnReceiveRealData / OnReceiveChejanData. Treat as read-only. */
export type FidValues = Readonly<Record<string, string>>;

/** Event signatures of {@link APIServer}. */
export interface APIServerEvents {
  /** 0 on success; -100 user info exchange failed, -101 server connection failed, -106 socket closed. */
  OnEventConnect: [errCode: number];
  /** `prevNext` is `"2"` when more pages wait, `"0"` otherwise. */
  OnReceiveTrData: [screen: string, rqname: string, trcode: string, recordName: string, prevNext: string];
  /** One REAL item: `code` is the item, `realType` the OCX name (`주식체결`). */
  OnReceiveRealData: [code: string, realType: string, fids: FidValues];
  /** gubun `"0"` 주문체결, `"1"` 잔고. `GetChejanData(fid)` reads the same values inside the handler. */
  OnReceiveChejanData: [gubun: string, fids: FidValues];
  OnReceiveMsg: [screen: string, rqname: string, trcode: string, msg: string];
  /** ret 1 when the condition list was loaded. */
  OnReceiveConditionVer: [ret: number, msg: string];
  /** `codeList` is `"005930;000660;"`; `next` is 0 (no continuation: every page is gathered). */
  OnReceiveTrCondition: [screen: string, codeList: string, condName: string, condIndex: number, next: number];
  /** type `"I"` entered, `"D"` left; the index is a string as in the OCX. */
  OnReceiveRealCondition: [code: string, type: string, condName: string, condIndex: string];
}

/** Names of every event, in the order the OCX documents them. */
export const EVENT_NAMES = [
  'OnEventConnect',
  'OnReceiveTrData',
  'OnReceiveRealData',
  'OnReceiveChejanData',
  'OnReceiveMsg',
  'OnReceiveConditionVer',
  'OnReceiveTrCondition',
  'OnReceiveRealCondition',
] as const satisfies readonly (keyof APIServerEvents)[];
