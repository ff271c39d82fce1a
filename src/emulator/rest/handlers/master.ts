/**
 * Stock master TRs: ka10099 종목정보 리스트 (paged) and ka10100 종목정보 조회.
 */
import type { StockInfo } from '../../types.js';
import { hashString } from '../../state/prng.js';
import { page, stockOf, str, type TrHandler } from './common.js';

/** ka10099 rows per page. */
const PAGE = 100;

/** What ka10099's mrkt_tp selects, and how a master row names its market. */
const MARKETS: Record<string, { codes: string[]; name: string }> = {
  '0': { codes: ['0'], name: '거래소' },
  '10': { codes: ['10'], name: '코스닥' },
  '8': { codes: ['8'], name: 'ETF' },
};

function masterRow(s: StockInfo): Record<string, string> {
  const h = hashString(s.code);
  const year = 1975 + (h % 49);
  const cap = s.prevClose * s.listed;
  return {
    code: s.code,
    name: s.name,
    listCount: String(s.listed).padStart(16, '0'),
    auditInfo: '정상',
    regDay: `${year}${String(1 + (h % 12)).padStart(2, '0')}${String(1 + (h % 28)).padStart(2, '0')}`,
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
  const { rows, nextKey } = page(ctx, listed, PAGE);
  const keys = ctx.api.response.filter((f) => f.list === 'list').map((f) => f.key);
  const records = rows.map((s) => {
    const r = masterRow(s);
    return Object.fromEntries(keys.map((k) => [k, r[k] ?? '']));
  });
  return { fields: { list: records }, ...(nextKey !== undefined ? { nextKey } : {}) };
};

const ka10100: TrHandler = (ctx) => {
  const { stock } = stockOf(ctx);
  const r = masterRow(stock);
  return { fields: Object.fromEntries(ctx.api.response.map((f) => [f.key, r[f.key] ?? ''])) };
};

export const masterHandlers: Record<string, TrHandler> = { ka10099, ka10100 };
