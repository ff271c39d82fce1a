/**
 * Order codes (`compat/orders.json`): SendOrder's nOrderType and sHogaGb, SendOrderCredit's
 * sCreditGb, mapped to REST order api-ids, request keys and `trde_tp`; KRX tick sizes.
 */
import { loadTable, own } from './load.js';

/** What an order row does. */
export interface OrderTypeSpec {
  /** `신규매수`, `매도정정`, ... */
  name: string;
  apiId: string;
  side: 'buy' | 'sell';
  action: 'new' | 'modify' | 'cancel';
}

/** One sHogaGb code. */
export interface HogaSpec {
  /** `지정가`, `시장가`, ... */
  name: string;
  en: string;
  /** The REST `trde_tp` value (`00` → `0`). */
  trdeTp: string;
  /** True when the order needs a price (limit-type); false when the price is sent empty. */
  needsPrice: boolean;
  /** Whether the mock (모의투자) server accepts it. */
  mock: boolean;
}

/** One sCreditGb code of SendOrderCredit. */
export interface CreditGbSpec {
  name: string;
  side: 'buy' | 'sell';
  apiId: string;
  /** `crd_deal_tp` for credit sells. */
  crdDealTp?: string;
  /** Loan date rule: none, required from the caller, or a fixed value. */
  loanDate: string;
}

/** One price band: ticks of `tick` won below `below` (null: no upper bound). */
export interface TickBand {
  below: number | null;
  tick: number;
}

/** Request keys by order action. */
export interface OrderRequestKeys {
  qty: string;
  price?: string;
  tradeType?: string;
  conditionPrice?: string;
  originalOrderNo?: string;
}

interface OrdersFile {
  orderTypes: Record<string, OrderTypeSpec>;
  creditOrderTypes: Record<string, OrderTypeSpec>;
  unsupportedOrderTypes: Record<string, string>;
  creditGb: Record<string, CreditGbSpec>;
  requestKeys: Record<OrderTypeSpec['action'], OrderRequestKeys>;
  hoga: Record<string, HogaSpec>;
  tradeTypes: Record<string, string>;
  restOnlyTradeTypes: Record<string, string>;
  tickSizes: { stock: TickBand[]; etp: TickBand[] };
}

/** The order table. */
export const ORDERS: Readonly<OrdersFile> = loadTable<OrdersFile>('orders.json');

/** SendOrder's nOrderType (1..6), or undefined for 7/8 (program trading) and unknown codes. */
export function getOrderType(nOrderType: number | string): OrderTypeSpec | undefined {
  return own(ORDERS.orderTypes, String(nOrderType));
}

/** SendOrderCredit's nOrderType (1..6) on the credit order api-ids. */
export function getCreditOrderType(nOrderType: number | string): OrderTypeSpec | undefined {
  return own(ORDERS.creditOrderTypes, String(nOrderType));
}

/** SendOrderCredit's sCreditGb (`03`, `33`, `99`). */
export function getCreditGb(code: string): CreditGbSpec | undefined {
  return own(ORDERS.creditGb, code);
}

/** The sHogaGb code (`00`, `03`, ..., `81`), or undefined. */
export function getHoga(sHogaGb: string): HogaSpec | undefined {
  return own(ORDERS.hoga, sHogaGb);
}

/** Request keys for an order action (`ord_qty`/`ord_uv`, `mdfy_qty`/`mdfy_uv`, `cncl_qty`). */
export function orderRequestKeys(action: OrderTypeSpec['action']): OrderRequestKeys {
  return ORDERS.requestKeys[action];
}

/**
 * The KRX tick size for a price. `etp` covers ETF, ETN and ELW (flat 5 won); everything else
 * listed on KOSPI, KOSDAQ or KONEX uses the `stock` bands.
 */
export function tickSize(price: number, kind: 'stock' | 'etp' = 'stock'): number {
  const bands = ORDERS.tickSizes[kind];
  const band = bands.find((b) => b.below === null || price < b.below) ?? bands[bands.length - 1];
  return band?.tick ?? 1;
}

/** Whether a limit price sits on a valid tick. */
export function isOnTick(price: number, kind: 'stock' | 'etp' = 'stock'): boolean {
  return Number.isInteger(price) && price > 0 && price % tickSize(price, kind) === 0;
}
