/**
 * Stock master TRs: ka10099 종목정보 리스트 (a whole market in one answer, as live) and ka10100
 * 종목정보 조회.
 */
import type { StockInfo } from '../../types.js';
import { listingDate } from '../../state/master.js';
import { stockOf, str, type TrHandler } from './common.js';

/** What ka10099's mrkt_tp selects, and how a master row names its market. */
const MARKETS: Record<string, { codes: string[]; name: string }> = {
  '0': { codes: ['0'], name: '거래소' },
  '10': { codes: ['10'], name: '코스닥' },
  '8': { codes: ['8'], name: 'ETF' },
};

function masterRow(s: StockInfo): Record<string, string> {
  const cap = s.prevClose * s.listed;
  return {
    code: s.code,
    name: s.name,
    listCount: String(s.listed).padStart(16, '0'),
    auditInfo: '정상',
    regDay: listingDate(s.code),
    lastPrice: String(s.prevClose).padStart(8, '0'),
    state: '증거금20%|담보대출|신용가능',
    marketCode: s.market,
    marketName: MARKETS[s.market]?.name ?? '',
    upName: '',
    upSizeName: s.market === '8' ? '' : cap >= 10_000_000_000_000 ? '대형주' : cap >= 1_000_000_000_000 ? '중형주' : '소형주',
    companyClassName: '',
    orderWarning: '0',
    nxtEnable: s.market === '8' ? 'N' : 'Y',
  };
}

const ka10099: TrHandler = (ctx) => {
  const codes = MARKETS[str(ctx, 'mrkt_tp')]?.codes ?? [];
  const listed = ctx.state.master.filter((s) => codes.includes(s.market));
  const keys = ctx.api.response.filter((f) => f.list === 'list').map((f) => f.key);
  const records = listed.map((s) => {
    const r = masterRow(s);
    return Object.fromEntries(keys.map((k) => [k, r[k] ?? '']));
  });
  return { fields: { list: records } };
};

const ka10100: TrHandler = (ctx) => {
  const { stock } = stockOf(ctx);
  const r = masterRow(stock);
  return { fields: Object.fromEntries(ctx.api.response.map((f) => [f.key, r[f.key] ?? ''])) };
};

export const masterHandlers: Record<string, TrHandler> = { ka10099, ka10100 };
