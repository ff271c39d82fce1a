/**
 * Order snapshots from REST, for the chejan state machine to settle what the WebSocket missed:
 * today's order history (kt00007: every order, cancels and modifies included) and the open
 * orders (ka10075), every page, merged by 주문번호. REST reports fills per order (cumulative
 * quantity and average price), not per 체결번호.
 */
import type { Logger } from '../log.js';
import type { ChejanBook, OrderSnapshot, ReconcileOutcome } from './chejan.js';
import type { RestPort } from './ports.js';
import { FACADE } from './tables.js';
import { magnitude, plainNumber } from '../numbers.js';

type Row = Record<string, unknown>;

function str(row: Row, key: string): string {
  const v = row[key];
  return typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : String(v);
}

/** A quantity or price; its sign only says up or down. */
function num(row: Row, key: string): number {
  return Math.trunc(magnitude(str(row, key)));
}

/** An open-order row (ka10075): statuses and texts as the chejan stream writes them. */
function fromOpenOrder(row: Row, account: string): OrderSnapshot {
  const kindText = str(row, 'io_tp_nm');
  const orderQty = num(row, 'ord_qty');
  return {
    ordNo: str(row, 'ord_no'),
    origOrdNo: str(row, 'orig_ord_no').replace(/^0+$/, ''),
    account,
    code: str(row, 'stk_cd').replace(/^A/, ''),
    name: str(row, 'stk_nm'),
    side: kindText.includes('매도') ? '1' : '2',
    orderQty,
    price: num(row, 'ord_pric'),
    filledQty: num(row, 'cntr_qty'),
    fillPrice: num(row, 'cntr_pric'),
    openQty: num(row, 'oso_qty'),
    status: str(row, 'ord_stt'),
    kindText,
    tradeText: str(row, 'trde_tp'),
    time: str(row, 'tm').replaceAll(':', ''),
  };
}

/**
 * An order-history row (kt00007). A modify or cancel order (정정/취소 in `mdfy_cncl`) is
 * confirmed (확인), as the stream reports it; other orders are 접수 or 체결 by their fills.
 */
function fromHistory(row: Row, account: string): OrderSnapshot {
  const sell = str(row, 'io_tp_nm').includes('매도');
  const amend = str(row, 'mdfy_cncl');
  const filledQty = num(row, 'cntr_qty');
  const status = str(row, 'acpt_tp') === '거부' ? '거부' : amend !== '' ? '확인' : filledQty > 0 ? '체결' : '접수';
  const kindText = amend === '취소' ? `${sell ? '매도' : '매수'}취소` : `${sell ? '-매도' : '+매수'}${amend}`;
  return {
    ordNo: str(row, 'ord_no'),
    origOrdNo: (str(row, 'ori_ord') || str(row, 'orig_ord_no')).replace(/^0+$/, ''),
    account,
    code: str(row, 'stk_cd').replace(/^A/, ''),
    name: str(row, 'stk_nm'),
    side: sell ? '1' : '2',
    orderQty: num(row, 'ord_qty'),
    price: num(row, 'ord_uv'),
    filledQty,
    fillPrice: num(row, 'cntr_uv'),
    openQty: num(row, 'ord_remnq'),
    status,
    kindText,
    tradeText: str(row, 'trde_tp'),
    time: str(row, 'ord_tm').replaceAll(':', ''),
  };
}

async function rows(rest: RestPort, spec: { apiId: string; body: Record<string, string>; list: string }): Promise<Row[]> {
  const { body } = await rest.collect(spec.apiId, spec.body, { maxPages: FACADE.reconcile.maxPages });
  const list = body[spec.list];
  return Array.isArray(list) ? (list as Row[]) : [];
}

/** Every order of today, one snapshot per 주문번호, cancels and modifies included. */
export async function fetchOrderSnapshots(rest: RestPort, account: string): Promise<OrderSnapshot[]> {
  const { openOrders, history } = FACADE.reconcile;
  const merged = new Map<string, OrderSnapshot>();
  for (const row of await rows(rest, history)) merged.set(str(row, 'ord_no'), fromHistory(row, account));
  // Asked second, the open-order view is the fresher for orders still working.
  for (const row of await rows(rest, openOrders)) {
    const snap = fromOpenOrder(row, account);
    const prev = merged.get(snap.ordNo);
    if (prev === undefined) merged.set(snap.ordNo, snap);
    else if (snap.filledQty >= prev.filledQty) merged.set(snap.ordNo, { ...prev, filledQty: snap.filledQty, fillPrice: snap.fillPrice, openQty: snap.openQty });
  }
  return [...merged.values()].filter((s) => s.ordNo !== '');
}

/**
 * 잔고 (gubun 1) events for these stocks, rebuilt from kt00018: the balance frames lost in a gap.
 * A stock no longer held gets 보유수량 0.
 */
export async function fetchBalances(rest: RestPort, account: string, codes: readonly string[]): Promise<Record<string, string>[]> {
  const spec = FACADE.reconcile.balances;
  const byCode = new Map<string, Row>();
  for (const row of await rows(rest, spec)) byCode.set(str(row, 'stk_cd').replace(/^A/, ''), row);
  return codes.map((code) => {
    const row = byCode.get(code);
    const fids: Record<string, string> = { '9201': account };
    for (const [fid, key] of Object.entries(spec.fids)) fids[fid] = row === undefined ? '' : plainNumber(str(row, key));
    fids['9001'] = code;
    if (row === undefined) Object.assign(fids, { '930': '0', '933': '0' });
    return fids;
  });
}

/** Options of {@link Reconciler}. */
export interface ReconcilerOptions {
  /**
   * At most one reconciliation after a WebSocket gap per this many ms (default 10 000). Each
   * costs at least two queries (kt00007, ka10075) and more pages on a busy day; on the mock
   * domain's 1 query/s one per 10 s leaves most of the budget to the program, and a server that
   * drops every session right after LOGIN costs one per interval, not one per reconnect.
   */
  gapIntervalMs?: number;
}

const DEFAULT_GAP_INTERVAL_MS = 10_000;

/**
 * Runs reconciliations one at a time: holds the chejan gate while it queries, so frames that
 * arrive meanwhile are judged against the settled quantities, then delivers what was missed:
 * the orders' 주문체결 events, then a 잔고 event per stock whose fills were settled.
 *
 * Reconciliations after gaps are coalesced: at most one in flight and one per `gapIntervalMs`.
 * A reconnect that comes sooner leaves one more due when both allow, and chejan delivery stays
 * held until it has run, so no frame overtakes a fill missed in the later gap.
 */
export class Reconciler {
  private chain: Promise<unknown> = Promise.resolve();
  private gapHeld = false;
  private readonly gapIntervalMs: number;
  /** A reconnect came that no gap reconciliation started since covers. */
  private gapDue = false;
  private gapRunning = false;
  private gapTimer: NodeJS.Timeout | undefined;
  private lastGapStart = Number.NEGATIVE_INFINITY;
  private disconnected = false;
  /** Resolvers of onReconnected() calls, settled when a reconciliation that covers them ends. */
  private gapWaiters: (() => void)[] = [];
  /** Reconciliations run after gaps. */
  gapRuns = 0;

  constructor(
    private readonly rest: RestPort,
    private readonly chejan: ChejanBook,
    private readonly account: () => string,
    private readonly logger: Logger,
    options: ReconcilerOptions = {},
  ) {
    this.gapIntervalMs = options.gapIntervalMs ?? DEFAULT_GAP_INTERVAL_MS;
  }

  /**
   * The socket dropped: hold chejan delivery until the reconciliation after the reconnect, so
   * that no fill pushed while subscriptions are being restored overtakes the ones missed.
   */
  onDisconnected(): void {
    this.disconnected = true;
    if (this.gapHeld) return;
    this.gapHeld = true;
    this.chejan.hold();
  }

  /**
   * The socket is back: reconcile (now, or when the interval allows), then let the frames that
   * waited through. Resolves when a reconciliation that started after this reconnect has ended.
   */
  onReconnected(): Promise<void> {
    this.disconnected = false;
    this.gapDue = true;
    const covered = new Promise<void>((resolve) => this.gapWaiters.push(resolve));
    this.startGapRun();
    return covered;
  }

  /** Releases a gap hold and drops a reconciliation still due (the session ended for good, or cleanup). */
  endGap(): void {
    clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
    this.gapDue = false;
    for (const resolve of this.gapWaiters.splice(0)) resolve();
    this.releaseGap();
  }

  private releaseGap(): void {
    if (!this.gapHeld) return;
    this.gapHeld = false;
    this.chejan.release();
  }

  private startGapRun(): void {
    if (this.gapRunning || this.gapTimer !== undefined || !this.gapDue) return;
    const wait = this.lastGapStart + this.gapIntervalMs - Date.now();
    if (wait > 0) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = undefined;
        this.startGapRun();
      }, wait);
      // The socket keeps a live program running; a timer left at cleanup must not.
      this.gapTimer.unref();
      return;
    }
    void this.runGap();
  }

  private async runGap(): Promise<void> {
    this.gapDue = false;
    this.gapRunning = true;
    this.lastGapStart = Date.now();
    this.gapRuns++;
    const waiters = this.gapWaiters.splice(0);
    try {
      await this.run();
    } finally {
      this.gapRunning = false;
      for (const resolve of waiters) resolve();
      // Still held while another reconciliation is due or the socket is down again.
      if (this.gapDue) this.startGapRun();
      else if (!this.disconnected) this.releaseGap();
    }
  }

  /**
   * One reconciliation, after any running one. `decide` sees the orders found before their
   * chejan events are delivered (an order of unknown fate is announced first). Resolves false
   * when the queries failed.
   */
  run(decide?: (orders: readonly OrderSnapshot[]) => void): Promise<boolean> {
    const next = this.chain.then(async () => {
      this.chejan.hold();
      try {
        const snapshots = await fetchOrderSnapshots(this.rest, this.account());
        decide?.(snapshots);
        const outcome: ReconcileOutcome = this.chejan.reconcile(snapshots);
        if (outcome.filledCodes.length > 0) {
          for (const fids of await fetchBalances(this.rest, this.account(), outcome.filledCodes)) this.chejan.balance(fids);
        }
        return true;
      } catch (err) {
        this.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'order reconciliation failed: query open orders and fills (opt10075/opt10076) to check');
        return false;
      } finally {
        this.chejan.release();
      }
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Teaches the book every order of the day (placed before this login, by any program) without
   * delivering events for them, so an order of unknown fate is never confused with one of them.
   * Resolves false when the queries failed.
   */
  async baseline(): Promise<boolean> {
    try {
      this.chejan.know(await fetchOrderSnapshots(this.rest, this.account()));
      return true;
    } catch (err) {
      this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'the day\'s orders could not be read at login: an order of unknown fate is then judged by its time alone');
      return false;
    }
  }
}
