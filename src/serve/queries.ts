/**
 * The control API's read queries (a quote, the balance), shared by its routes and by the page's
 * live feed. Each is one TR done the OCX way through {@link query}.
 */
import { kiwoomNumber, magnitude } from '../numbers.js';
import { query, type ServeApi } from './ocx.js';

/** A number from an OCX string (`"+0071200"` → 71200, `" 0"` → 0, `"--36042"` → -36042, signs kept for changes). */
export const num = (s: string): number => kiwoomNumber(s) || 0;
/** The magnitude of an OCX number (Kiwoom signs prices by direction). */
export const abs = (s: string): number => magnitude(s);

/** Stock codes as the OCX takes them (KRX, or NXT/SOR with a suffix). */
export const STOCK_CODE = /^[0-9A-Z]{6}(_NX|_AL)?$/;

/** One quote as `GET /price/:code` answers it. */
export interface Quote {
  code: string;
  name: string;
  price: number;
  /** Change from the previous close, signed. */
  change: number;
  /** Change rate in percent, signed. */
  rate: number;
  volume: number;
}

/** The current quote of `code` (opt10001 → ka10001). */
export function readQuote(api: ServeApi, screen: string, code: string): Promise<Quote> {
  return query(api, 'opt10001', { 종목코드: code }, screen, (rq) => {
    const get = (item: string): string => api.GetCommData('opt10001', rq, 0, item).trim();
    return { code, name: get('종목명'), price: abs(get('현재가')), change: num(get('전일대비')), rate: num(get('등락율')), volume: abs(get('거래량')) };
  });
}

/** One holding of {@link Balance}. */
export interface Holding {
  code: string;
  name: string;
  qty: number;
  avgPrice: number;
  price: number;
  value: number;
  /** 평가손익, signed. */
  pnl: number;
  /** 수익률 in percent, signed. */
  rate: number;
}

/** The account's holdings and totals as `GET /balance` answers them. */
export interface Balance {
  account: string;
  totalPurchase: number;
  totalValue: number;
  totalPnl: number;
  holdings: Holding[];
}

/** Holdings and totals of `accno` (opw00018 → kt00018). */
export function readBalance(api: ServeApi, screen: string, accno: string): Promise<Balance> {
  const inputs = { 계좌번호: accno, 비밀번호: '', 비밀번호입력매체구분: '00', 조회구분: '1' };
  return query(api, 'opw00018', inputs, screen, (rq) => {
    const get = (i: number, item: string): string => api.GetCommData('opw00018', rq, i, item).trim();
    const holdings = Array.from({ length: api.GetRepeatCnt('opw00018', rq) }, (_v, i) => ({
      code: get(i, '종목번호').replace(/^A/, ''),
      name: get(i, '종목명'),
      qty: abs(get(i, '보유수량')),
      avgPrice: abs(get(i, '매입가')),
      price: abs(get(i, '현재가')),
      value: abs(get(i, '평가금액')),
      pnl: num(get(i, '평가손익')),
      rate: num(get(i, '수익률(%)')),
    }));
    return { account: accno, totalPurchase: abs(get(0, '총매입금액')), totalValue: abs(get(0, '총평가금액')), totalPnl: num(get(0, '총평가손익금액')), holdings };
  });
}
