/**
 * KOA_Functions(name, param): the OCX's extension entry point, as a table of sub-command →
 * handler. Every handler answers at once from what the facade holds (the master loaded at
 * login, the login's domain, the sector table); a sub-command with nothing behind it answers
 * `""` and the caller says so on OnReceiveMsg.
 */
import { MARKETS, sectorName } from '../compat/markets.js';
import type { Master } from './master.js';

/** What the handlers read. */
export interface KoaContext {
  master: Master;
  /** GetLoginInfo("GetServerGubun"). */
  serverGubun(): string;
  /** SetConditionSearchFlag: whether OnReceiveTrCondition lists `code^price`. */
  setConditionPrices(on: boolean): void;
}

type Handler = (ctx: KoaContext, param: string) => string;

/** GetUpjongCode(market): `"0,001,종합(KOSPI)|0,002,대형주|..."`: the sectors whose code starts with the market digit. */
function upjongCode(market: string): string {
  const m = market.trim();
  if (!Object.hasOwn(MARKETS.upjongMarkets, m)) return '';
  return Object.entries(MARKETS.sectors)
    .filter(([code]) => code.startsWith(m))
    .map(([code, name]) => `${m},${code},${name}|`)
    .join('');
}

/** The sub-commands the OCX documents, each answered as the OCX answered it. */
export const KOA_HANDLERS: Readonly<Record<string, Handler>> = {
  // No account password exists on REST (the token authorises account TRs): nothing to show.
  ShowAccountWindow: () => '',
  GetServerGubun: (ctx) => ctx.serverGubun(),
  GetMasterStockInfo: (ctx, code) => ctx.master.stockInfo(code),
  SetConditionSearchFlag: (ctx, flag) => {
    const f = flag.trim();
    if (f === 'AddPrice' || f === 'DelPrice') ctx.setConditionPrices(f === 'AddPrice');
    return '';
  },
  GetUpjongCode: (_ctx, market) => upjongCode(market),
  GetUpjongNameByCode: (_ctx, code) => sectorName(code.trim()) ?? '',
  IsOrderWarningETF: (ctx, code) => (ctx.master.entry(code) === undefined ? '' : ctx.master.field(code, 'orderWarning') === '1' ? '1' : '0'),
  IsOrderWarningStock: (ctx, code) => (ctx.master.entry(code) === undefined ? '' : ctx.master.field(code, 'orderWarning') || '0'),
  GetMasterListedStockCntEx: (ctx, code) => ctx.master.listedCount(code),
  GetStockMarketKind: (ctx, code) => ctx.master.marketKind(code),
};

/** The handler of a sub-command, undefined for one the OCX never had. */
export function koaHandler(name: string): Handler | undefined {
  return Object.hasOwn(KOA_HANDLERS, name) ? KOA_HANDLERS[name] : undefined;
}
