/**
 * Order snapshots from REST, for the chejan state machine to settle what the WebSocket missed:
 * open orders (ka10075) and orders with fills (ka10076), every page, merged by 주문번호.
 * REST reports fills per order (cumulative quantity and average price), not per 체결번호.
 */
import type { Logger } from '../log.js';
import type { ChejanBook, OrderSnapshot, ReconcileOutcome } from './chejan.js';
import type { RestPort } from './ports.js';
import { FACADE } from './tables.js';

type Row = Record<string, unknown>;

function str(row: Row, key: string): string {
  const v = row[key];
  return typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : String(v);
}

function num(row: Row, key: string): number {
  const n = Number.parseInt(str(row, key).replace(/^[+-]/, ''), 10);
  return Number.isFinite(n) ? n : 0;
}

function toSnapshot(row: Row, account: string): OrderSnapshot {
  const kindText = str(row, 'io_tp_nm');
  const orderQty = num(row, 'ord_qty');
  const filledQty = num(row, 'cntr_qty');
  return {
    ordNo: str(row, 'ord_no'),
    origOrdNo: str(row, 'orig_ord_no') === '0000000' ? '' : str(row, 'orig_ord_no'),
    account,
    code: str(row, 'stk_cd').replace(/^A/, ''),
    name: str(row, 'stk_nm'),
    side: kindText.includes('매도') ? '1' : '2',
    orderQty,
    price: num(row, 'ord_pric'),
    filledQty,
    fillPrice: num(row, 'cntr_pric'),
    openQty: row['oso_qty'] === undefined ? orderQty - filledQty : num(row, 'oso_qty'),
    status: str(row, 'ord_stt'),
    kindText,
    tradeText: str(row, 'trde_tp'),
    time: (str(row, 'tm') || str(row, 'ord_tm')).replaceAll(':', ''),
  };
}

async function rows(rest: RestPort, spec: { apiId: string; body: Record<string, string>; list: string }): Promise<Row[]> {
  const { body } = await rest.collect(spec.apiId, spec.body, { maxPages: FACADE.reconcile.maxPages });
  const list = body[spec.list];
  return Array.isArray(list) ? (list as Row[]) : [];
}

/** Every order of today that is open or has fills, one snapshot per 주문번호. */
export async function fetchOrderSnapshots(rest: RestPort, account: string): Promise<OrderSnapshot[]> {
  const { openOrders, fills } = FACADE.reconcile;
  const merged = new Map<string, OrderSnapshot>();
  for (const row of await rows(rest, fills)) merged.set(str(row, 'ord_no'), toSnapshot(row, account));
  // The open-order view is fresher for quantities still working; it wins where both have the order.
  for (const row of await rows(rest, openOrders)) {
    const snap = toSnapshot(row, account);
    const prev = merged.get(snap.ordNo);
    merged.set(snap.ordNo, prev !== undefined && prev.filledQty > snap.filledQty ? { ...snap, filledQty: prev.filledQty, fillPrice: prev.fillPrice } : snap);
  }
  return [...merged.values()].filter((s) => s.ordNo !== '');
}

/** `000000000100` → `100`, `-00070000` → `-70000`: numbers as the WebSocket writes them. */
function unpadded(v: string): string {
  const m = /^([+-]?)0*(\d+)$/.exec(v);
  return m ? `${m[1] ?? ''}${m[2] ?? ''}` : v;
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
    for (const [fid, key] of Object.entries(spec.fids)) fids[fid] = row === undefined ? '' : unpadded(str(row, key));
    fids['9001'] = code;
    if (row === undefined) Object.assign(fids, { '930': '0', '933': '0' });
    return fids;
  });
}

/**
 * Runs reconciliations one at a time: holds the chejan gate while it queries, so frames that
 * arrive meanwhile are judged against the settled quantities, then delivers what was missed:
 * the orders' 주문체결 events, then a 잔고 event per stock whose fills were settled.
 */
export class Reconciler {
  private chain: Promise<unknown> = Promise.resolve();
  private gapHeld = false;

  constructor(
    private readonly rest: RestPort,
    private readonly chejan: ChejanBook,
    private readonly account: () => string,
    private readonly logger: Logger,
  ) {}

  /**
   * The socket dropped: hold chejan delivery until the reconciliation after the reconnect, so
   * that no fill pushed while subscriptions are being restored overtakes the ones missed.
   */
  onDisconnected(): void {
    if (this.gapHeld) return;
    this.gapHeld = true;
    this.chejan.hold();
  }

  /** The socket is back: reconcile, then let the frames that waited through. */
  async onReconnected(): Promise<void> {
    await this.run();
    this.endGap();
  }

  /** Releases a gap hold (the session ended for good, or cleanup). */
  endGap(): void {
    if (!this.gapHeld) return;
    this.gapHeld = false;
    this.chejan.release();
  }

  /** Resolves with the snapshots no order answer claimed (see {@link ChejanBook.reconcile}). */
  run(): Promise<OrderSnapshot[]> {
    const next = this.chain.then(async () => {
      this.chejan.hold();
      try {
        const outcome: ReconcileOutcome = this.chejan.reconcile(await fetchOrderSnapshots(this.rest, this.account()));
        if (outcome.filledCodes.length > 0) {
          for (const fids of await fetchBalances(this.rest, this.account(), outcome.filledCodes)) this.chejan.balance(fids);
        }
        return outcome.unclaimed;
      } catch (err) {
        this.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'order reconciliation failed: query open orders and fills (opt10075/opt10076) to check');
        return [];
      } finally {
        this.chejan.release();
      }
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}
