/**
 * Ranking TRs (ka10027 등락률상위, ka10030 당일거래량상위, ka10032 거래대금상위) ranked from
 * the live market, as compat/emulator/rankings.json describes them.
 */
import type { Quote, StockInfo } from '../../types.js';
import { loadEmulatorData } from '../../data.js';
import { signed } from '../../state/pricing.js';
import { page, record, str, type TrContext, type TrHandler } from './common.js';
import { priceFields } from './quote.js';

interface RankingSpec {
  list: string;
  sortParam?: string;
  orders: Record<string, string>;
}
const table = loadEmulatorData<{ pageSize: number; markets: Record<string, string[]>; rankings: Record<string, RankingSpec> }>('rankings');

interface Entry {
  stock: StockInfo;
  quote: Quote;
}

const rate = (e: Entry): number => (e.quote.price - e.quote.prevClose) / e.quote.prevClose;
const diff = (e: Entry): number => e.quote.price - e.quote.prevClose;

/** How each named order ranks, and which stocks it keeps. */
const ORDERS: Record<string, { keep: (e: Entry) => boolean; compare: (a: Entry, b: Entry) => number }> = {
  rateDesc: { keep: (e) => diff(e) > 0, compare: (a, b) => rate(b) - rate(a) },
  diffDesc: { keep: (e) => diff(e) > 0, compare: (a, b) => diff(b) - diff(a) },
  rateAsc: { keep: (e) => diff(e) < 0, compare: (a, b) => rate(a) - rate(b) },
  diffAsc: { keep: (e) => diff(e) < 0, compare: (a, b) => diff(a) - diff(b) },
  flat: { keep: (e) => diff(e) === 0, compare: (a, b) => b.quote.volume - a.quote.volume },
  volumeDesc: { keep: () => true, compare: (a, b) => b.quote.volume - a.quote.volume },
  turnoverDesc: { keep: () => true, compare: (a, b) => b.quote.volume / b.stock.listed - a.quote.volume / a.stock.listed },
  valueDesc: { keep: () => true, compare: (a, b) => b.quote.value - a.quote.value },
};

function row(ctx: TrContext, list: string, e: Entry, rank: number): Record<string, string> {
  const q = e.quote;
  const sumAsk = q.askQtys.reduce((a, b) => a + b, 0);
  const sumBid = q.bidQtys.reduce((a, b) => a + b, 0);
  return record(ctx, list, {
    ...priceFields(e.stock, q),
    stk_cls: '0',
    sel_req: String(sumAsk),
    buy_req: String(sumBid),
    now_trde_qty: String(q.volume),
    trde_amt: String(Math.round(q.value / 1_000_000)),
    trde_tern_rt: ((q.volume / e.stock.listed) * 100).toFixed(2),
    now_rank: String(rank),
    pred_rank: String(rank),
    sel_bid: signed(q.askPrices[0] ?? 0, q.prevClose),
    buy_bid: signed(q.bidPrices[0] ?? 0, q.prevClose),
    cnt: '1',
  });
}

function ranking(spec: RankingSpec): TrHandler {
  return (ctx) => {
    const markets = table.markets[str(ctx, 'mrkt_tp')] ?? [];
    const order = ORDERS[spec.orders[spec.sortParam ? str(ctx, spec.sortParam) : ''] ?? ''];
    const entries: Entry[] = [];
    if (order) {
      for (const stock of ctx.state.master) {
        const quote = ctx.state.quote(stock.code);
        if (quote && markets.includes(stock.market) && order.keep({ stock, quote })) entries.push({ stock, quote });
      }
      entries.sort((a, b) => order.compare(a, b) || a.stock.code.localeCompare(b.stock.code));
    }
    const ranked = entries.map((e, i) => ({ e, rank: i + 1 }));
    const { rows, nextKey } = page(ctx, ranked, table.pageSize);
    return {
      fields: { [spec.list]: rows.map((r) => row(ctx, spec.list, r.e, r.rank)) },
      ...(nextKey !== undefined ? { nextKey } : {}),
    };
  };
}

export const rankingHandlers: Record<string, TrHandler> = Object.fromEntries(
  Object.entries(table.rankings).map(([id, spec]) => [id, ranking(spec)]),
);
