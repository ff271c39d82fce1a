/**
 * The scripted legacy consumer of `compare`, the demo and the tests (not part of the facade):
 * written the way the seed's `api_server.py` uses the OCX: connect, register real data, buy at
 * market, read chejan, run a condition, page through a chart TR, clean up. It runs unchanged on every backend; its event stream, normalised to what does not
 * depend on timing or on server-assigned numbers, is what `compare` (and the tests) hold equal.
 */
import type { APIServer } from '../facade/api-server.js';
import { EVENT_NAMES, type APIServerEvents } from '../facade/events.js';
import { kstDay } from '../facade/master.js';

/** One event, reduced to what any backend must reproduce. */
export type NormalisedEvent = readonly [event: keyof APIServerEvents, ...details: (string | number | boolean)[]];

/** What the consumer saw. */
export interface ScenarioResult {
  /** The normalised event stream, in order. */
  events: NormalisedEvent[];
  /** Facts the consumer read through the getters. */
  facts: {
    accounts: number;
    serverGubun: string;
    realPrice: string;
    orderNo: string;
    chejanStatuses: string[];
    conditionNames: number;
    chartPages: number;
    chartRows: number;
  };
}

/** Options of {@link runLegacyConsumer}. */
export interface ScenarioOptions {
  /** Stock to trade and watch (default 005930). */
  code?: string;
  /** Wait for any one expected event, ms (default 10 000). */
  timeoutMs?: number;
  /** Chart pages to read at most (default 2). */
  chartPages?: number;
}

const REAL_FIDS = '10;11;12;15;20;27;28;41;51;61;71;290';

/** Reduces an event to its backend-independent part, or undefined to leave it out of the comparison. */
export function normaliseEvent<K extends keyof APIServerEvents>(event: K, args: APIServerEvents[K]): NormalisedEvent | undefined {
  const a = args as unknown[];
  switch (event) {
    case 'OnEventConnect':
    case 'OnReceiveConditionVer':
      return [event, a[0] as number];
    case 'OnReceiveTrData':
      return [event, a[0] as string, a[1] as string, a[2] as string, a[3] as string, a[4] as string];
    case 'OnReceiveMsg':
      return [event, a[0] as string, a[1] as string, a[2] as string];
    case 'OnReceiveChejanData': {
      const f = a[1] as Record<string, string>;
      return a[0] === '0'
        ? [event, '0', f['913'] ?? '', f['9001'] ?? '', f['900'] ?? '', f['905'] ?? '', f['907'] ?? '']
        : [event, a[0] as string, f['9001'] ?? '', f['930'] ?? ''];
    }
    case 'OnReceiveTrCondition':
      return [event, a[0] as string, a[2] as string, a[3] as number, a[4] as number];
    // Real data and real-time condition hits follow the simulated market's clock: left out.
    default:
      return undefined;
  }
}

/** Resolves with the first event matching `pick`, rejects after `timeoutMs`. */
function waitFor<K extends keyof APIServerEvents>(api: APIServer, event: K, pick: (...args: APIServerEvents[K]) => boolean, timeoutMs: number): Promise<APIServerEvents[K]> {
  return new Promise((resolve, reject) => {
    const listener = (...args: APIServerEvents[K]): void => {
      if (!pick(...args)) return;
      clearTimeout(timer);
      api.off(event, listener as never);
      resolve(args);
    };
    const timer = setTimeout(() => {
      api.off(event, listener as never);
      reject(new Error(`legacy consumer: no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    api.on(event, listener as never);
  });
}

/** Runs the consumer on an APIServer after api_init; always ends with cleanup(). */
export async function runLegacyConsumer(api: APIServer, options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const code = options.code ?? '005930';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const events: NormalisedEvent[] = [];
  const recorders = EVENT_NAMES.map((name) => {
    const fn = (...args: unknown[]): void => {
      const n = normaliseEvent(name, args as never);
      if (n !== undefined) events.push(n);
    };
    api.on(name, fn as never);
    return [name, fn] as const;
  });
  const facts: ScenarioResult['facts'] = { accounts: 0, serverGubun: '', realPrice: '', orderNo: '', chejanStatuses: [], conditionNames: 0, chartPages: 0, chartRows: 0 };
  try {
    // ---- login
    if ((await api.CommConnect()) !== 0) throw new Error(`CommConnect failed: ${api.GetLastError()?.message ?? ''}`);
    const accno = api.GetLoginInfo('ACCNO').split(';')[0] ?? '';
    facts.accounts = Number(api.GetLoginInfo('ACCOUNT_CNT'));
    facts.serverGubun = api.GetLoginInfo('GetServerGubun');

    // ---- real-time
    const trade = waitFor(api, 'OnReceiveRealData', (c, type) => c === code && type === '주식체결', timeoutMs);
    await api.SetRealReg('1000', `${code};000660`, REAL_FIDS, '0');
    await api.SetRealReg('1001', '', '215;20;214', '1');
    await trade;
    facts.realPrice = api.GetCommRealData(code, 10);

    // ---- buy at market, read chejan inside the handler
    const statuses: string[] = [];
    const onChejan = (gubun: string): void => {
      if (gubun === '0') statuses.push(api.GetChejanData(913));
    };
    api.on('OnReceiveChejanData', onChejan);
    const orderAnswer = waitFor(api, 'OnReceiveTrData', (_s, rq) => rq === 'buy', timeoutMs);
    const filled = waitFor(api, 'OnReceiveChejanData', (g) => g === '1', timeoutMs);
    const ret = await api.SendOrder('buy', '2000', accno, 1, code, 1, 0, '03', '');
    if (ret !== 0) throw new Error(`SendOrder returned ${ret}: ${api.GetLastError()?.message ?? ''}`);
    const [, , trcode] = await orderAnswer;
    facts.orderNo = api.GetCommData(trcode, 'buy', 0, '주문번호');
    await filled;
    api.off('OnReceiveChejanData', onChejan);
    facts.chejanStatuses = statuses;

    // ---- condition search
    const ver = waitFor(api, 'OnReceiveConditionVer', () => true, timeoutMs);
    await api.GetConditionLoad();
    await ver;
    const names = api.GetConditionNameList().split(';').filter((s) => s !== '').map((s) => s.split('^'));
    facts.conditionNames = names.length;
    const [idx, name] = names[0] ?? ['0', ''];
    const hits = waitFor(api, 'OnReceiveTrCondition', () => true, timeoutMs);
    await api.SendCondition('3000', name ?? '', Number(idx), 1);
    await hits;
    await api.SendConditionStop('3000', name ?? '', Number(idx));

    // ---- daily chart with continuation
    let prevNext = 0;
    for (let page = 0; page < (options.chartPages ?? 2); page++) {
      api.SetInputValue('종목코드', code);
      api.SetInputValue('기준일자', kstDay(Date.now()));
      api.SetInputValue('수정주가구분', '1');
      const answer = waitFor(api, 'OnReceiveTrData', (_s, rq) => rq === 'opt10081_req', timeoutMs);
      const r = await api.CommRqData('opt10081_req', 'opt10081', prevNext, '0101');
      if (r !== 0) throw new Error(`CommRqData returned ${r}: ${api.GetLastError()?.message ?? ''}`);
      const [, , , , next] = await answer;
      facts.chartPages += 1;
      facts.chartRows += api.GetRepeatCnt('opt10081', 'opt10081_req');
      if (next !== '2') break;
      prevNext = 2;
    }
    return { events, facts };
  } finally {
    await api.cleanup();
    for (const [name, fn] of recorders) api.off(name, fn as never);
  }
}
