/**
 * The order state machine behind OnReceiveChejanData: every `00` frame and every order found by
 * reconciliation passes through here, keyed by 주문번호 (FID 9203), so that the consumer sees
 * 접수 → 체결… → 확인/취소/거부 once per step whatever the arrival order or source.
 *
 * Rules:
 * - a fill is identified by (9203, 909); a repeat is dropped;
 * - the filled quantity delivered per order only grows: a fill whose cumulative quantity
 *   (900 주문수량 − 902 미체결수량) is already covered (by reconciliation) is dropped;
 * - a fill for an order whose 접수 was never seen is preceded by a synthesised 접수;
 * - while the gate is held (an order request in flight, a reconciliation running) frames wait,
 *   so events keep the OCX order: OnReceiveTrData, OnReceiveMsg, then chejan;
 * - a modify or cancel is delivered as the OCX delivered it: the amendment order's 확인, then an
 *   update of the original order (its 902 미체결수량 reduced by the amended quantity), which
 *   carries FID 819 = "1", the end of the flow order state machines such as koapy's wait for.
 */
import type { FidValues } from './events.js';
import { magnitude } from '../numbers.js';

/** What identifies an order: what its request fixed, its number and when it was received. */
export interface OrderDesc {
  ordNo: string;
  /** The order a modify or cancel amends; '' for a new order. */
  origOrdNo: string;
  /** Plain 6-digit code. */
  code: string;
  /** FID 907: '1' sell, '2' buy. */
  side: '1' | '2';
  orderQty: number;
  price: number;
  /** FID 906 text (`보통`, `시장가`). */
  tradeText: string;
  /** HHMMSS */
  time: string;
}

/** What reconciliation learnt about one order from the REST queries. */
export interface OrderSnapshot extends OrderDesc {
  account: string;
  name: string;
  /** Cumulative filled quantity. */
  filledQty: number;
  /** Average fill price of the filled quantity. */
  fillPrice: number;
  openQty: number;
  /** 접수, 체결, 확인, 취소 or 거부. */
  status: string;
  /** FID 905 text (`+매수`, `-매도`, `매수취소`). */
  kindText: string;
}

/** What a reconciliation found. */
export interface ReconcileOutcome {
  /** Snapshots of orders no order answer claimed (candidates for an order whose answer was lost). */
  unclaimed: OrderSnapshot[];
  /** Plain codes of the stocks whose fills were settled from the snapshots. */
  filledCodes: string[];
}

/** Receives each chejan event; the object is fresh and owned by the receiver. */
export type ChejanSink = (gubun: '0' | '1', fids: FidValues) => void;

interface OrderTrack {
  /** When the book first knew the order (see {@link ChejanBook.serial}). */
  serial: number;
  accepted: boolean;
  /** Cumulative filled quantity delivered so far. */
  filled: number;
  fillNos: Set<string>;
  /** Final statuses (확인/취소/거부) delivered. */
  finals: Set<string>;
  /** The order's last gubun-0 event, for the update a modify or cancel makes to it. */
  last?: Readonly<Record<string, string>>;
}

interface Pending {
  kind: '00' | '04';
  values: FidValues;
}

const FINAL_STATUSES = new Set(['확인', '취소', '거부']);

/** FID 819: "1" on the original order's update that ends a modify or cancel (koapy's is_last). */
const END_OF_AMENDMENT = '819';

/** An order or fill number without its zero padding (904/9203, 909/cntr_no may be padded differently). */
function plainNo(ordNo: string | undefined): string {
  return (ordNo ?? '').trim().replace(/^0+/, '');
}

/** A quantity or price; its sign only says up or down. */
function int(v: string | undefined): number {
  return Math.trunc(magnitude(v));
}

/** The order a `00` frame is about. */
function descOf(values: FidValues): OrderDesc {
  return {
    ordNo: (values['9203'] ?? '').trim(),
    origOrdNo: (values['904'] ?? '').trim().replace(/^0+$/, ''),
    code: (values['9001'] ?? '').trim().replace(/^A/, ''),
    side: (values['907'] ?? '').trim() === '1' ? '1' : '2',
    orderQty: int(values['900']),
    price: int(values['901']),
    tradeText: (values['906'] ?? '').trim(),
    time: (values['908'] ?? '').trim(),
  };
}

/** `A`-prefixed code as the OCX writes FID 9001. */
export function chejanCode(code: string): string {
  const plain = code.trim();
  return plain.startsWith('A') ? plain : `A${plain}`;
}

/** Order state machine and chejan gate. */
export class ChejanBook {
  private readonly orders = new Map<string, OrderTrack>();
  /** The same tracks by order number without padding. */
  private readonly byPlainNo = new Map<string, OrderTrack>();
  /** Order numbers an order answer gave back (ours for sure). */
  private readonly claimed = new Set<string>();
  private holds = 0;
  private readonly queue: Pending[] = [];
  private serials = 0;

  /**
   * Called with each order a `00` frame shows for the first time; true holds the gate with
   * that frame first in line (the caller then releases it once), so that an order of unknown
   * fate is announced before its chejan events.
   */
  onFirstSight: ((order: OrderDesc) => boolean) | undefined;

  /** @param fidsOf0 the gubun-0 FID list, so synthesised events carry every key an OCX consumer reads. */
  constructor(
    private readonly sink: ChejanSink,
    private readonly fidsOf0: readonly number[],
  ) {}

  /** Pause delivery (an order request or a reconciliation is in flight). */
  hold(): void {
    this.holds += 1;
  }

  /** Resume delivery; queued frames are processed in arrival order when the last hold ends. */
  release(): void {
    if (this.holds > 0) this.holds -= 1;
    while (this.holds === 0 && this.queue.length > 0) {
      const next = this.queue.shift();
      if (next !== undefined) this.process(next);
    }
  }

  /** A `00` 주문체결 frame from the WebSocket. */
  onOrderFrame(values: FidValues): void {
    this.submit({ kind: '00', values });
  }

  /** A `04` 잔고 frame from the WebSocket. */
  onBalanceFrame(values: FidValues): void {
    this.submit({ kind: '04', values });
  }

  /** Delivers a rebuilt 잔고 event at once (the reconciliation holds the gate). */
  balance(fids: FidValues): void {
    this.sink('1', { ...fids, '9001': chejanCode(fids['9001'] ?? '') });
  }

  /** Marks an order number as claimed (an order answer gave it back). */
  expect(ordNo: string): void {
    this.claimed.add(ordNo);
    this.track(ordNo);
  }

  /** Orders known to the book so far, as a mark: orders first known after it have higher serials. */
  serial(): number {
    return this.serials;
  }

  /** Whether the book knew the order at `mark` (a {@link serial} taken earlier). */
  knownBefore(ordNo: string, mark: number): boolean {
    const t = this.orders.get(ordNo);
    return t !== undefined && t.serial <= mark;
  }

  /** Whether an order answer (or a settled order) claimed this order number. */
  isClaimed(ordNo: string): boolean {
    return this.claimed.has(ordNo);
  }

  /** Orders that `00` frames waiting behind the gate show for the first time. */
  waitingOrders(): OrderDesc[] {
    return this.queue.filter((p) => p.kind === '00' && !this.orders.has(p.values['9203'] ?? '')).map((p) => descOf(p.values));
  }

  /** Learns orders that exist (the day's orders at login) without delivering anything for them. */
  know(orders: readonly OrderDesc[]): void {
    for (const o of orders) this.track(o.ordNo);
  }

  private submit(p: Pending): void {
    if (this.holds > 0 || this.queue.length > 0) this.queue.push(p);
    else this.process(p);
  }

  private process(p: Pending): void {
    if (p.kind === '00' && this.onFirstSight !== undefined && !this.orders.has(p.values['9203'] ?? '') && this.onFirstSight(descOf(p.values))) {
      this.holds += 1;
      this.queue.unshift(p);
      return;
    }
    if (p.kind === '00') this.applyOrderFrame(p.values);
    else this.sink('1', { ...p.values, '9001': chejanCode(p.values['9001'] ?? '') });
  }

  private track(ordNo: string): OrderTrack {
    let t = this.orders.get(ordNo);
    if (t === undefined) {
      t = { serial: (this.serials += 1), accepted: false, filled: 0, fillNos: new Set(), finals: new Set() };
      this.orders.set(ordNo, t);
      this.byPlainNo.set(plainNo(ordNo), t);
    }
    return t;
  }

  /** Delivers a gubun-0 event and remembers it as its order's latest. */
  private deliver(t: OrderTrack, fids: Record<string, string>): void {
    t.last = fids;
    this.sink('0', fids);
  }

  /**
   * After an amendment's 확인: the original order's update, as the OCX sent it. Its open
   * quantity shrinks by what was cancelled or moved to the modify order; nothing filled, so the
   * per-fill FIDs are blank. Only for an original this book has seen.
   */
  private updateOriginal(amendment: Readonly<Record<string, string>>): void {
    const orig = this.byPlainNo.get(plainNo(amendment['904']));
    const last = orig?.last;
    if (orig === undefined || last === undefined) return;
    this.deliver(orig, {
      ...last,
      '902': String(Math.max(0, int(last['902']) - int(amendment['900']))),
      '908': amendment['908'] ?? last['908'] ?? '',
      '909': '',
      '914': '',
      '915': '',
      [END_OF_AMENDMENT]: '1',
    });
  }

  private applyOrderFrame(values: FidValues): void {
    const ordNo = values['9203'] ?? '';
    const status = (values['913'] ?? '').trim();
    const t = this.track(ordNo);
    const fids: Record<string, string> = { ...values, '9001': chejanCode(values['9001'] ?? '') };
    if (status === '접수') {
      if (t.accepted) return;
      t.accepted = true;
      this.deliver(t, fids);
      return;
    }
    if (status === '체결') {
      // Live writes 909 unpadded ("847463"), REST's cntr_no padded to 7: one fill, one key.
      const fillNo = plainNo(values['909']);
      if (fillNo !== '' && t.fillNos.has(fillNo)) return;
      const cum = int(values['900']) - int(values['902']);
      if (cum <= t.filled) return;
      if (fillNo !== '') t.fillNos.add(fillNo);
      if (!t.accepted) {
        t.accepted = true;
        this.deliver(t, { ...fids, '913': '접수', '902': values['900'] ?? '', '903': '0', '909': '', '910': '', '911': '', '914': '', '915': '' });
      }
      if ((fids['915'] ?? '') === '') fids['915'] = String(cum - t.filled);
      t.filled = cum;
      this.deliver(t, fids);
      return;
    }
    if (FINAL_STATUSES.has(status)) {
      if (t.finals.has(status)) return;
      t.finals.add(status);
      // A modify or cancel order's first event is its 확인: later fills need no synthesised 접수.
      t.accepted = true;
    }
    this.deliver(t, fids);
    if (status === '확인' && plainNo(fids['904']) !== '') this.updateOriginal(fids);
  }

  /**
   * Deliver at once what the REST snapshots show and the consumer has not seen, oldest first;
   * returns the snapshots of orders no order answer has claimed (candidates for an order whose
   * answer was lost). The caller holds the gate while it queried,
   * so frames that arrived meanwhile are processed after this, against the settled quantities.
   */
  reconcile(snapshots: OrderSnapshot[]): ReconcileOutcome {
    const fresh: OrderSnapshot[] = [];
    const filledCodes = new Set<string>();
    const ordered = [...snapshots].sort((a, b) => a.time.localeCompare(b.time) || a.ordNo.localeCompare(b.ordNo));
    // An original in the same batch is reported with its quantities after the amendment already.
    const inBatch = new Set(snapshots.map((s) => plainNo(s.ordNo)));
    for (const s of ordered) {
      if (!this.claimed.has(s.ordNo)) fresh.push(s);
      const t = this.track(s.ordNo);
      // A modify or cancel order is reported by the stream as 확인 only, never 접수.
      const amendment = s.origOrdNo !== '';
      if (!t.accepted) {
        t.accepted = true;
        if (!amendment) this.deliver(t, this.synth(s, '접수', { '902': String(s.orderQty) }));
      }
      if (amendment) this.deliverFinal(t, s, inBatch);
      if (s.filledQty > t.filled) {
        const unit = s.filledQty - t.filled;
        t.filled = s.filledQty;
        filledCodes.add(s.code);
        this.deliver(t, this.synth(s, '체결', {
          '902': String(s.openQty),
          '903': String(s.fillPrice * s.filledQty),
          '910': String(s.fillPrice),
          '911': String(s.filledQty),
          '914': String(s.fillPrice),
          '915': String(unit),
        }));
      }
      if (!amendment) this.deliverFinal(t, s, inBatch);
    }
    return { unclaimed: fresh, filledCodes: [...filledCodes] };
  }

  private deliverFinal(t: OrderTrack, s: OrderSnapshot, inBatch: ReadonlySet<string>): void {
    if (!FINAL_STATUSES.has(s.status) || t.finals.has(s.status)) return;
    t.finals.add(s.status);
    const fids = this.synth(s, s.status, { '902': String(s.openQty) });
    this.deliver(t, fids);
    if (s.status === '확인' && s.origOrdNo !== '' && !inBatch.has(plainNo(s.origOrdNo))) this.updateOriginal(fids);
  }

  /** A gubun-0 event built from a REST snapshot; 909 (체결번호) is empty because REST does not report it. */
  private synth(s: OrderSnapshot, status: string, extra: Record<string, string>): Record<string, string> {
    const fids: Record<string, string> = {};
    for (const fid of this.fidsOf0) fids[String(fid)] = '';
    Object.assign(fids, {
      '9201': s.account,
      '9203': s.ordNo,
      '9001': chejanCode(s.code),
      '912': 'JJ',
      '913': status,
      '302': s.name,
      '900': String(s.orderQty),
      '901': String(s.price),
      '904': s.origOrdNo === '' ? '0000000' : s.origOrdNo,
      '905': s.kindText,
      '906': s.tradeText,
      '907': s.side,
      '908': s.time,
    }, extra);
    return fids;
  }
}
