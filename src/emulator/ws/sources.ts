/**
 * Value sources of REAL FIDs. compat/emulator/real-types.json names a source for every FID of
 * every type; this table says how each source reads the simulated market. A source that has
 * nothing to read gives "0" (or "" for texts), never a made-up field.
 */
import type { OrderEvent, PositionSnapshot, Quote, StockInfo } from '../types.js';
import { TABLES } from './data.js';
import { plain, rate, remaining, signCode, signed, vsBase } from './format.js';

type BookSide = 'askPrices' | 'askQtys' | 'bidPrices' | 'bidQtys';

/** Anything priced like a quote: a stock, an index (no order book), gold. */
export type Level = Omit<Quote, 'code' | BookSide> & { readonly [K in BookSide]?: readonly number[] };

/** Buy/sell flow of one code since the emulator started, from the state's 'trade' events. */
export interface Flow {
  buyQty: number;
  sellQty: number;
  buyCount: number;
  sellCount: number;
}

/** How each level of a book changed with the code's last trade, best first (0D 81-100). */
export interface BookDelta {
  ask: readonly number[];
  bid: readonly number[];
}

/** Advancers and decliners of an index's members (0U). */
export interface Breadth {
  up: number;
  upper: number;
  flat: number;
  down: number;
  lower: number;
  members: number;
  traded: number;
}

/** Everything a frame's values can be read from. */
export interface FrameInput {
  /** Plain code (no exchange suffix); '' for market-wide items. */
  code: string;
  name: string;
  account: string;
  level: Level;
  decimals: number;
  stock: StockInfo | undefined;
  flow: Flow | undefined;
  /** The KRX session has closed (marketHours 'krx' only): the KRX side of an NXT book (0D 6044-6065) is 0, as live. */
  krxClosed?: boolean;
  /** How the book changed with the code's last trade (0D 81-100, 122, 126). */
  bookDelta?: BookDelta | undefined;
  /** When the code's open and its low were printed (HHMMSS), for 0B. */
  times?: { open: string; low: string } | undefined;
  now: string;
  /** FID 9081 / 337 거래소구분 of the registered item. */
  exchange: string;
  breadth?: Breadth;
  order?: OrderEvent;
  /** Accumulated fill amount of `order` (FID 903). */
  filledAmount?: number;
  position?: PositionSnapshot;
  condition?: { seq: string; io: 'I' | 'D' };
  vi?: ViEvent;
}

/** One VI (1h) from its trigger to its release, as {@link ViEngine} runs it. */
export interface ViEvent {
  code: string;
  /** 9068: 1 정적, 2 동적, 3 both. */
  kind: '1' | '2' | '3';
  up: boolean;
  /** 1221: the trade that triggered it. */
  price: number;
  prevClose: number;
  /** 1236 / 1237: the static and dynamic bases, 0 for the type that does not apply. */
  staticBase: number;
  dynamicBase: number;
  /** 1223 HHMMSS. */
  triggeredAt: string;
  /** 1224: "000000" until the release frame. */
  releasedAt: string;
  /** 1490: the stock's VIs today, this one included. */
  count: number;
}

type Source = (x: FrameInput, n: number) => string;

const ZERO_FLOW: Flow = { buyQty: 0, sellQty: 0, buyCount: 0, sellCount: 0 };
const BROKER_SHARES = [0.21, 0.16, 0.11, 0.07, 0.04];

function sum(xs: readonly number[] | undefined): number {
  let s = 0;
  for (const v of xs ?? []) s += v;
  return s;
}

function hash(code: string): number {
  let h = 5381;
  for (let i = 0; i < code.length; i++) h = ((h << 5) + h + code.charCodeAt(i)) >>> 0;
  return h;
}

/** Yesterday's volume, a fixed fraction of the listed shares (the state keeps no history). */
function prevVolume(x: FrameInput): number {
  return Math.max(1, Math.round((x.stock?.listed ?? 1_000_000) * (0.002 + (hash(x.code) % 50) / 10_000)));
}

const px = (x: FrameInput, v: number): string => vsBase(v, x.level.prevClose, x.decimals);
const flow = (x: FrameInput): Flow => x.flow ?? ZERO_FLOW;
const ratio = (a: number, b: number): string => plain(b === 0 ? 0 : (a / b) * 100, 2);
const nav = (x: FrameInput): number => x.level.price * (1 + ((hash(x.code) % 21) - 10) / 10_000);
const broker = (x: FrameInput, n: number, side: 'sell' | 'buy') =>
  TABLES.brokers[(hash(x.code) + n + (side === 'buy' ? 3 : 0)) % TABLES.brokers.length];
const brokerQty = (x: FrameInput, n: number, side: 'sell' | 'buy'): number =>
  Math.round((side === 'sell' ? flow(x).sellQty : flow(x).buyQty) * (BROKER_SHARES[n - 1] ?? 0));
/** What member n traded on one side with the last trade (a share of it). */
const brokerDiff = (x: FrameInput, n: number, side: 'sell' | 'buy'): number => {
  const q = side === 'sell' ? -x.level.lastQty : x.level.lastQty;
  return q > 0 ? Math.round(q * (BROKER_SHARES[n - 1] ?? 0)) : 0;
};
/** 외국계 추정합 (261-268): the foreign members among the five shown. */
const foreign = (x: FrameInput, side: 'sell' | 'buy', of: (x: FrameInput, n: number, side: 'sell' | 'buy') => number): number => {
  let total = 0;
  for (let n = 1; n <= BROKER_SHARES.length; n++) if (broker(x, n, side)?.foreign === true) total += of(x, n, side);
  return total;
};
const pgmQty = (x: FrameInput, side: 'sell' | 'buy'): number =>
  Math.round((side === 'sell' ? flow(x).sellQty : flow(x).buyQty) * 0.12);
const phaseAt = (now: string): string => {
  let code = TABLES.marketPhases[0]?.code ?? '';
  for (const p of TABLES.marketPhases) if (p.at <= now) code = p.code;
  return code;
};
const fill = (x: FrameInput) => x.order?.fill;
const fillAmount = (x: FrameInput): number => (fill(x)?.price ?? 0) * (fill(x)?.qty ?? 0);
const orderAction = (x: FrameInput) => TABLES.orderActions[x.order?.order.apiId ?? ''] ?? 'new';
const exchangeOf = (x: FrameInput) => TABLES.exchanges[x.order?.order.exchange ?? 'KRX'];
const NO_VI: ViEvent = { code: '', kind: '2', up: true, price: 0, prevClose: 0, staticBase: 0, dynamicBase: 0, triggeredAt: '000000', releasedAt: '000000', count: 0 };
const vi = (x: FrameInput): ViEvent => x.vi ?? NO_VI;
const viGap = (price: number, base: number): string => (base === 0 ? '0.00' : rate(price, base));

const askQty: Source = (x, n) => plain(x.level.askQtys?.[n - 1] ?? 0);
const bidQty: Source = (x, n) => plain(x.level.bidQtys?.[n - 1] ?? 0);
const askTotal: Source = (x) => plain(sum(x.level.askQtys));
const bidTotal: Source = (x) => plain(sum(x.level.bidQtys));
/** 0D 6044-6065, the KRX side of the book: all 0 once the KRX has closed (live, NXT after-market). */
const krxSide = (source: Source): Source => (x, n) => (x.krxClosed === true ? '0' : source(x, n));

/** Every source named in real-types.json. */
export const SOURCES: Readonly<Record<string, Source>> = {
  // quote-like levels
  time: (x) => x.level.time || x.now,
  now: (x) => x.now,
  price: (x) => px(x, x.level.price),
  change: (x) => signed(x.level.price - x.level.prevClose, x.decimals),
  rate: (x) => rate(x.level.price, x.level.prevClose),
  sign: (x) => signCode(x.level.price, x.level.prevClose, x.level.upperLimit, x.level.lowerLimit),
  open: (x) => px(x, x.level.open),
  high: (x) => px(x, x.level.high),
  low: (x) => px(x, x.level.low),
  upper: (x) => px(x, x.level.upperLimit),
  lower: (x) => px(x, x.level.lowerLimit),
  base: (x) => plain(x.level.prevClose, x.decimals),
  lastQty: (x) => signed(x.level.lastQty),
  volume: (x) => plain(x.level.volume),
  valueM: (x) => plain(x.level.value / 1_000_000),
  volDiff: (x) => signed(x.level.volume - prevVolume(x)),
  valueDiff: (x) => signed(x.level.value - prevVolume(x) * x.level.prevClose),
  volRatio: (x) => {
    const prev = prevVolume(x);
    const text = ratio(x.level.volume, prev);
    return x.level.volume === prev || Number(text) === 0 ? text : (x.level.volume > prev ? '+' : '-') + text;
  },
  turnover: (x) => ratio(x.level.volume, x.stock?.listed ?? 0),
  mcap: (x) => plain((x.level.price * (x.stock?.listed ?? 0)) / 100_000_000),
  avgPrice: (x) => plain(x.level.volume === 0 ? 0 : x.level.value / x.level.volume),
  // 1313 as live: thousands of won, signed by the trade's side (-4897 = 19 × 257,750 / 1000).
  tradeValue: (x) => signed(Math.round((x.level.lastQty * x.level.price) / 1_000)),
  exchange: (x) => x.exchange,
  // 9081 as live: the venue's name, not its code.
  venue: (x) => Object.values(TABLES.exchanges).find((e) => e.code === x.exchange)?.name ?? 'KRX',
  // order book
  'ask': (x, n) => px(x, x.level.askPrices?.[n - 1] ?? 0),
  'bid': (x, n) => px(x, x.level.bidPrices?.[n - 1] ?? 0),
  askQty,
  bidQty,
  askTotal,
  bidTotal,
  // 0D 81-100 as live: each level's change with the last trade, signed; 122 / 126 their sums.
  askDelta: (x, n) => signed(x.bookDelta?.ask[n - 1] ?? 0),
  bidDelta: (x, n) => signed(x.bookDelta?.bid[n - 1] ?? 0),
  askDeltaTotal: (x) => signed(sum(x.bookDelta?.ask)),
  bidDeltaTotal: (x) => signed(sum(x.bookDelta?.bid)),
  krxAskQty: krxSide(askQty),
  krxBidQty: krxSide(bidQty),
  krxAskTotal: krxSide(askTotal),
  krxBidTotal: krxSide(bidTotal),
  netBid: (x) => signed(sum(x.level.bidQtys) - sum(x.level.askQtys)),
  netAsk: (x) => signed(sum(x.level.askQtys) - sum(x.level.bidQtys)),
  bidRatio: (x) => ratio(sum(x.level.bidQtys), sum(x.level.askQtys)),
  askRatio: (x) => ratio(sum(x.level.askQtys), sum(x.level.bidQtys)),
  expPrice: (x) => plain(x.level.price, x.decimals),
  expQty: (x) => plain(Math.abs(x.level.lastQty)),
  otAskTotal: (x) => plain(sum(x.level.askQtys) / 100),
  otBidTotal: (x) => plain(sum(x.level.bidQtys) / 100),
  otAskDiff: (x) => signed(Math.round(x.level.lastQty / 10)),
  otBidDiff: (x) => signed(-Math.round(x.level.lastQty / 10)),
  // trade flow
  buyQty: (x) => plain(flow(x).buyQty),
  sellQty: (x) => plain(flow(x).sellQty),
  buyCount: (x) => plain(flow(x).buyCount),
  sellCount: (x) => plain(flow(x).sellCount),
  buyRatio: (x) => ratio(flow(x).buyQty, flow(x).buyQty + flow(x).sellQty),
  // 1032 as live: the buy ratio with the last trade's side as its sign ("-47.26").
  signedBuyRatio: (x) => (x.level.lastQty < 0 ? '-' : '+') + ratio(flow(x).buyQty, flow(x).buyQty + flow(x).sellQty),
  strength: (x) => (flow(x).sellQty === 0 ? '100.00' : ratio(flow(x).buyQty, flow(x).sellQty)),
  netBuyQty: (x) => signed(flow(x).buyQty - flow(x).sellQty),
  // 1315 / 1316 as live: signed ("-19", "+1"), and " 0" with a leading space on the other side.
  lastBuyQty: (x) => (x.level.lastQty > 0 ? signed(x.level.lastQty) : ' 0'),
  lastSellQty: (x) => (x.level.lastQty < 0 ? signed(x.level.lastQty) : ' 0'),
  // 10010 in 00 as live: the current price with a leading space (" 269000").
  spacedPrice: (x) => ` ${plain(x.level.price, x.decimals)}`,
  // 0B 1890 시가시간 / 1892 저가시간 as live (HHMMSS), 1497 / 1498 CFD margins (see ws-tables.json cfd).
  openTime: (x) => x.times?.open ?? '',
  lowTime: (x) => x.times?.low ?? '',
  cfdMargin: (x) => plain(x.level.price * TABLES.cfd.margin),
  cfdMaintenance: (x) => plain(x.level.price * TABLES.cfd.maintenance),
  // trading members (0F)
  sellBroker: (x, n) => broker(x, n, 'sell')?.name ?? '',
  buyBroker: (x, n) => broker(x, n, 'buy')?.name ?? '',
  sellBrokerCode: (x, n) => broker(x, n, 'sell')?.code ?? '',
  buyBrokerCode: (x, n) => broker(x, n, 'buy')?.code ?? '',
  sellBrokerQty: (x, n) => plain(brokerQty(x, n, 'sell')),
  buyBrokerQty: (x, n) => plain(brokerQty(x, n, 'buy')),
  sellBrokerDiff: (x, n) => signed(brokerDiff(x, n, 'sell')),
  buyBrokerDiff: (x, n) => signed(brokerDiff(x, n, 'buy')),
  // 271-285 as live: "!!!!" for a domestic member; a foreign one "DHDB" selling, "DGDB" buying.
  sellBrokerColour: (x, n) => (broker(x, n, 'sell')?.foreign === true ? 'DHDB' : '!!!!'),
  buyBrokerColour: (x, n) => (broker(x, n, 'buy')?.foreign === true ? 'DGDB' : '!!!!'),
  // 261-268 as live: sums unsigned, their changes and the net signed (267 = 263 - 261, 268 = 264 - 262).
  foreignSell: (x) => plain(foreign(x, 'sell', brokerQty)),
  foreignBuy: (x) => plain(foreign(x, 'buy', brokerQty)),
  foreignSellDiff: (x) => signed(foreign(x, 'sell', brokerDiff)),
  foreignBuyDiff: (x) => signed(foreign(x, 'buy', brokerDiff)),
  foreignNet: (x) => signed(foreign(x, 'buy', brokerQty) - foreign(x, 'sell', brokerQty)),
  foreignNetDiff: (x) => signed(foreign(x, 'buy', brokerDiff) - foreign(x, 'sell', brokerDiff)),
  // ETF NAV (0G)
  nav: (x) => vsBase(nav(x), x.level.prevClose, 2),
  navChange: (x) => signed(nav(x) - x.level.prevClose, 2),
  navRate: (x) => rate(nav(x), x.level.prevClose),
  trackErr: (x) => plain(0.1 + (hash(x.code) % 90) / 100, 2),
  navIndexGap: (x) => signed(((hash(x.code) % 200) - 100) / 100, 2),
  navEtfGap: (x) => signed(((x.level.price - nav(x)) / nav(x)) * 100, 2),
  // ELW (0m, 0u)
  elwTheo: (x) => plain(x.level.price * 1.02),
  elwIv: (x) => plain(18 + (hash(x.code) % 1500) / 100, 2),
  elwLpIv: (x) => plain(19 + (hash(x.code) % 1500) / 100, 2),
  elwDelta: (x) => plain(0.3 + (hash(x.code) % 40) / 100, 6),
  elwGamma: (x) => plain((hash(x.code) % 100) / 100_000, 6),
  elwTheta: (x) => signed(-(hash(x.code) % 500) / 100, 6),
  elwVega: (x) => plain((hash(x.code) % 300) / 100, 6),
  elwRho: (x) => plain((hash(x.code) % 200) / 100, 6),
  elwParity: (x) => plain(60 + (hash(x.code) % 8000) / 100, 2),
  elwPremium: (x) => plain((hash(x.code) % 3000) / 100, 2),
  elwGearing: (x) => plain(x.level.price === 0 ? 0 : 1_000_000 / x.level.price, 2),
  elwBreakeven: (x) => signed((hash(x.code) % 6000) / 100, 2),
  elwCapital: (x) => signed((hash(x.code) % 6100) / 100, 2),
  // program trading (0w), amounts in 백만원
  pgmSellQty: (x) => plain(pgmQty(x, 'sell')),
  pgmBuyQty: (x) => plain(pgmQty(x, 'buy')),
  pgmSellAmount: (x) => plain((pgmQty(x, 'sell') * x.level.price) / 1_000_000),
  pgmBuyAmount: (x) => plain((pgmQty(x, 'buy') * x.level.price) / 1_000_000),
  pgmNetQty: (x) => signed(pgmQty(x, 'buy') - pgmQty(x, 'sell')),
  pgmNetAmount: (x) => signed(((pgmQty(x, 'buy') - pgmQty(x, 'sell')) * x.level.price) / 1_000_000),
  pgmNetQtyDiff: (x) => signed(Math.round(x.level.lastQty * 0.12)),
  pgmNetAmountDiff: (x) => signed((Math.round(x.level.lastQty * 0.12) * x.level.price) / 1_000_000),
  // 업종 breadth (0U)
  upCount: (x) => plain(x.breadth?.up ?? 0),
  upperCount: (x) => plain(x.breadth?.upper ?? 0),
  flatCount: (x) => plain(x.breadth?.flat ?? 0),
  downCount: (x) => plain(x.breadth?.down ?? 0),
  lowerCount: (x) => plain(x.breadth?.lower ?? 0),
  tradedCount: (x) => plain(x.breadth?.traded ?? 0),
  tradedRatio: (x) => ratio(x.breadth?.traded ?? 0, x.breadth?.members ?? 0),
  // market phase (0s)
  phase: (x) => phaseAt(x.now),
  phaseRemain: (x) => (phaseAt(x.now) === '0' ? remaining(x.now, TABLES.marketOpen) : '000000'),
  code: (x) => x.code,
  name: (x) => x.name,
  // VI (1h): one event from its trigger to its release (ViEngine)
  viKind: (x) => vi(x).kind,
  viMarket: (x) => TABLES.viMarkets[x.stock?.market ?? '0'] ?? '101',
  viPrice: (x) => plain(vi(x).price),
  viTime: (x) => vi(x).triggeredAt,
  viRelease: (x) => vi(x).releasedAt,
  viType: (x) => TABLES.vi.types[vi(x).kind],
  viStaticBase: (x) => plain(vi(x).staticBase),
  viDynamicBase: (x) => plain(vi(x).dynamicBase),
  viStaticGap: (x) => viGap(vi(x).price, vi(x).staticBase),
  viDynamicGap: (x) => viGap(vi(x).price, vi(x).dynamicBase),
  viChange: (x) => rate(vi(x).price, vi(x).prevClose),
  viCount: (x) => plain(vi(x).count),
  viDir: (x) => (vi(x).up ? '1' : '2'),
  viExtra: (x) => (vi(x).up ? '+' : '-') + TABLES.vi.types[vi(x).kind],
  // 주문체결 (00)
  account: (x) => x.account,
  ordNo: (x) => x.order?.order.ordNo ?? '',
  status: (x) => x.order?.order.status ?? '',
  ordQty: (x) => plain(x.order?.order.qty ?? 0),
  ordPrice: (x) => plain(x.order?.order.price ?? 0),
  openQty: (x) => plain(x.order?.order.openQty ?? 0),
  cumAmount: (x) => plain(x.filledAmount ?? 0),
  origOrdNo: (x) => x.order?.order.origOrdNo || '0000000',
  ordLabel: (x) => TABLES.orderLabels[orderAction(x)][x.order?.order.side ?? 'buy'],
  tradeLabel: (x) => TABLES.tradeTypes[x.order?.order.trdeTp ?? ''] ?? '',
  side: (x) => TABLES.sides[x.order?.order.side ?? 'buy'],
  ordTime: (x) => fill(x)?.time ?? x.order?.order.time ?? x.now,
  fillNo: (x) => fill(x)?.fillNo ?? '',
  fillPrice: (x) => (fill(x) ? plain(fill(x)?.price ?? 0) : ''),
  fillQty: (x) => (fill(x) ? plain(fill(x)?.qty ?? 0) : ''),
  fee: (x) => plain(fillAmount(x) * TABLES.fees.commissionRate),
  tax: (x) => plain(x.order?.order.side === 'sell' ? fillAmount(x) * TABLES.fees.sellTaxRate : 0),
  reason: (x) => x.order?.reason ?? '0',
  exCode: (x) => exchangeOf(x)?.code ?? '1',
  exName: (x) => exchangeOf(x)?.name ?? 'KRX',
  sor: (x) => exchangeOf(x)?.sor ?? 'N',
  // 잔고 (04)
  posQty: (x) => plain(x.position?.qty ?? 0),
  posAvg: (x) => plain(x.position?.avgPrice ?? 0),
  posBuyAmount: (x) => plain(x.position?.buyAmount ?? 0),
  posOrderable: (x) => plain(x.position?.orderableQty ?? 0),
  posPnlRate: (x) => rate(x.position?.price ?? 0, x.position?.avgPrice ?? 0),
  // 조건검색 (02)
  condSeq: (x) => x.condition?.seq ?? '',
  condIo: (x) => x.condition?.io ?? '',
};

/** JSON string literal; most values are plain digits, which need no escaping pass. */
function quote(v: string): string {
  for (let i = 0; i < v.length; i++) {
    const ch = v.charCodeAt(i);
    if (ch < 0x20 || ch === 0x22 || ch === 0x5c) return JSON.stringify(v);
  }
  return '"' + v + '"';
}

/** Builds the `values` object of one type as JSON text. */
export type ValuesBuilder = (x: FrameInput) => string;

/**
 * Compiles a type's FID list once: literal values are serialised ahead of time, the rest are
 * looked up in {@link SOURCES} here, so a frame costs one pass over its FIDs.
 * @throws Error naming the FID when real-types.json names a source that does not exist.
 */
export function compileValues(type: string, fids: readonly (readonly [string, string])[]): ValuesBuilder {
  const keys: string[] = [];
  const fns: (Source | undefined)[] = [];
  const args: number[] = [];
  fids.forEach(([fid, source], i) => {
    const key = (i === 0 ? '{' : ',') + JSON.stringify(fid) + ':';
    if (source.startsWith('=')) {
      keys.push(key + JSON.stringify(source.slice(1)));
      fns.push(undefined);
      args.push(0);
      return;
    }
    const [name = '', arg = '0'] = source.split(':');
    const fn = SOURCES[name];
    if (!fn) throw new Error(`real type ${type}: FID ${fid} names unknown source "${source}"`);
    keys.push(key);
    fns.push(fn);
    args.push(Number(arg));
  });
  const n = keys.length;
  return (x) => {
    let s = '';
    for (let i = 0; i < n; i++) {
      const fn = fns[i];
      s += fn ? keys[i]! + quote(fn(x, args[i]!)) : keys[i]!;
    }
    return n === 0 ? '{}' : s + '}';
  };
}
