/**
 * The WebSocket half of the gateway: the {@link SessionService} behind every client's
 * session. Registrations are reference-counted in a {@link SubscriptionUnion}: the one
 * upstream `RealtimeSession` registers the union, each client receives REAL entries only for
 * the pairs it registered, and a client's REMOVE or disconnect lets go of its share only. The
 * union is held under the live caps (compat/live.json), and a client's request that would pass
 * them is refused to that client with Kiwoom's own code. Real-time conditions are shared the
 * same way within the 10 a login may run: a condition runs upstream while any client holds it.
 */
import type { Logger } from 'pino';
import { ApiError } from '../errors.js';
import type { LiveCode, LiveWsLimits } from '../compat/live.js';
import { reply } from '../emulator/ws/protocol.js';
import { SlidingWindow } from '../emulator/rest/ratelimit.js';
import type { Message, Session, SessionService } from '../emulator/ws/session.js';
import { asSent, parseRegistration } from '../emulator/ws/subscriptions.js';
import { realType } from '../realtime/catalog.js';
import type { ConditionEvent, RealEvent, RealtimeSession } from '../realtime/index.js';
import { pairKey, SubscriptionUnion, type Pair, type Placed } from './union.js';

/** Options of {@link RealtimeRelay}. */
export interface RealtimeRelayOptions {
  rt: RealtimeSession;
  caps: LiveWsLimits;
  /** Real-time conditions one login may run (10). */
  maxRealtimeConditions: number;
  /**
   * How long the pairs of a client that went away without REMOVE stay registered upstream
   * (ms): a program that reconnects within it takes them back without an upstream REMOVE and
   * REG. 0 lets go at once.
   */
  releaseGraceMs: number;
  logger: Logger;
}

/** A client session's real-time figures. */
export interface SessionRealStats {
  /** REAL frames sent. */
  framesOut: number;
  /** REAL frames skipped because the client was not reading (its send buffer past the high-water mark). */
  dropped: number;
}

/** A refusal with a 6-digit live code. */
function coded(trnm: string, code: LiveCode, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ trnm, ...extra, return_code: code.rc, return_msg: code.message.replace('%s', trnm) });
}

/** The upstream's refusal passed on as it came (code and text), anything else as a plain refusal. */
function refusal(trnm: string, err: unknown, extra: Record<string, unknown> = {}): string {
  if (err instanceof ApiError) return JSON.stringify({ trnm, ...extra, return_code: err.returnCode, return_msg: err.kiwoomMessage });
  return reply(trnm, err instanceof Error ? err.message : String(err), extra);
}

/** Kiwoom's condition codes carry `A` before a 6-digit code; the library hands out plain codes. */
const jmcode = (code: string): string => (code.length === 6 ? `A${code}` : code);

/** How each real type's entries find their holders: by item, by "" (account), or both (market-wide types). */
const ROUTE = new Map<string, 'account' | 'optional' | 'required'>();
function routeOf(type: string): 'account' | 'optional' | 'required' {
  let r = ROUTE.get(type);
  if (r === undefined) ROUTE.set(type, (r = realType(type)?.item ?? 'required'));
  return r;
}

const pairsOf = (session: Session): Pair[] => session.subs.all();

/**
 * The holder of what a departed client held, for the grace period: the union keeps those
 * pairs upstream while it lasts, and no frame is delivered to it.
 */
class Lingering {
  timer: NodeJS.Timeout | undefined;
  constructor(readonly pairs: readonly Pair[]) {}
}

/** Upstream calls for a set of pairs: per group, items that want the same types together. */
function blocks(pairs: readonly Placed[]): { grp: string; items: string[]; types: string[] }[] {
  const byGroup = new Map<string, Map<string, Set<string>>>();
  for (const p of pairs) {
    let items = byGroup.get(p.grp);
    if (!items) byGroup.set(p.grp, (items = new Map()));
    let types = items.get(p.item);
    if (!types) items.set(p.item, (types = new Set()));
    types.add(p.type);
  }
  const out: { grp: string; items: string[]; types: string[] }[] = [];
  for (const [grp, items] of byGroup) {
    const byTypes = new Map<string, { items: string[]; types: string[] }>();
    for (const [item, types] of items) {
      const sorted = [...types].sort();
      const k = sorted.join(',');
      let b = byTypes.get(k);
      if (!b) byTypes.set(k, (b = { items: [], types: sorted }));
      b.items.push(item);
    }
    for (const b of byTypes.values()) out.push({ grp, ...b });
  }
  return out;
}

export class RealtimeRelay implements SessionService {
  readonly union: SubscriptionUnion<Session | Lingering>;
  /** Holds of departed clients still in their grace period. */
  private readonly lingering = new Set<Lingering>();
  private readonly regRate = new WeakMap<Session, SlidingWindow>();
  /** Upstream REGs not yet acknowledged, by pair key: a second holder waits for the first's answer. */
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly realStats = new WeakMap<Session, SessionRealStats>();
  /** seq → sessions holding the real-time condition. */
  private readonly condHolders = new Map<string, Set<Session>>();
  /** seq → plain codes the condition holds now. */
  private readonly condCodes = new Map<string, Set<string>>();
  /** seq → the upstream start in progress. */
  private readonly condStarting = new Map<string, Promise<string[]>>();
  /** REAL entries no client held (the upstream's registration outlived the last holder for a moment). */
  unrouted = 0;
  private closed = false;

  constructor(private readonly o: RealtimeRelayOptions) {
    this.union = new SubscriptionUnion(o.caps);
    o.rt.on('real', (entry) => this.fanOut(entry));
    o.rt.on('condition', (event, entry) => this.onCondition(event, entry));
  }

  // ------------------------------------------------------------------ REG / REMOVE

  registration(session: Session, msg: Message, isRemove: boolean): string | Promise<string> {
    const trnm = isRemove ? 'REMOVE' : 'REG';
    const caps = this.o.caps;
    if (!this.underRate(session)) return coded(trnm, caps.codes.regRate);
    const parsed = parseRegistration(msg, asSent, isRemove);
    if (!parsed.ok) return reply(trnm, parsed.error);
    const before = new Map(pairsOf(session).map((p) => [pairKey(p.type, p.item), p]));
    const groupBefore = session.subs.snapshot()[parsed.grp];
    const restore = (): void => {
      if (groupBefore !== undefined) session.subs.register(parsed.grp, false, groupBefore.map(pairOfKey));
      else session.subs.remove(parsed.grp, (session.subs.snapshot()[parsed.grp] ?? []).map(pairOfKey));
    };
    if (isRemove) session.subs.remove(parsed.grp, parsed.pairs);
    else session.subs.register(parsed.grp, parsed.refresh, parsed.pairs);
    const after = new Map(pairsOf(session).map((p) => [pairKey(p.type, p.item), p]));
    const added = [...after].filter(([k]) => !before.has(k)).map(([, p]) => p);
    const removed = [...before].filter(([k]) => !after.has(k)).map(([, p]) => p);
    if (!isRemove) {
      const groupItems = new Set((session.subs.snapshot()[parsed.grp] ?? []).map((k) => pairOfKey(k).item).filter((i) => i !== ''));
      // Slots held for departed clients give way to a client that is here.
      if (!this.union.fits(added)) for (const hold of [...this.lingering]) this.endLinger(hold);
      const refused = groupItems.size > caps.itemsPerGroup ? caps.codes.groupCap : !this.union.fits(added) ? caps.codes.connectionCap : undefined;
      if (refused !== undefined) {
        restore();
        return coded(trnm, refused);
      }
    }
    this.removeUpstream(this.union.release(session, removed));
    const waits = added.map((p) => this.inflight.get(pairKey(p.type, p.item))).filter((w): w is Promise<void> => w !== undefined);
    const fresh = this.union.acquire(session, added);
    if (fresh.length === 0 && waits.length === 0) return reply(trnm, undefined);
    const own = this.registerUpstream(fresh);
    if (this.o.rt.state !== 'open') {
      // In an upstream gap the wish is recorded and restored on reconnect: the client is not
      // kept waiting for the gap to end.
      own.catch(() => undefined);
      return reply(trnm, undefined);
    }
    return Promise.all([own, ...waits]).then(
      () => reply(trnm, undefined),
      (err: unknown) => {
        restore();
        this.removeUpstream(this.union.release(session, added));
        return refusal(trnm, err);
      },
    );
  }

  private underRate(session: Session): boolean {
    let w = this.regRate.get(session);
    if (!w) this.regRate.set(session, (w = new SlidingWindow(Date.now)));
    return w.take('', this.o.caps.regPerSecond);
  }

  private registerUpstream(fresh: readonly Placed[]): Promise<void> {
    const calls = blocks(fresh).map((b) => this.o.rt.register(b.grp, b.items, b.types, true));
    const done = Promise.all(calls).then(() => undefined);
    const keys = fresh.map((p) => pairKey(p.type, p.item));
    for (const k of keys) this.inflight.set(k, done);
    const clear = (): void => {
      for (const k of keys) if (this.inflight.get(k) === done) this.inflight.delete(k);
    };
    done.then(clear, clear);
    return done;
  }

  private removeUpstream(gone: readonly Placed[]): void {
    for (const b of blocks(gone)) {
      this.o.rt.remove(b.grp, b.items, b.types).catch((err: unknown) => {
        this.o.logger.warn({ grp: b.grp, err: err instanceof Error ? err.message : String(err) }, 'upstream REMOVE failed');
      });
    }
  }

  // ------------------------------------------------------------------ fan-out

  private fanOut(entry: RealEvent): void {
    const route = routeOf(entry.type);
    const byItem = route === 'account' ? undefined : this.union.holders(pairKey(entry.type, entry.item));
    const byAll = route === 'required' ? undefined : this.union.holders(pairKey(entry.type, ''));
    if (byItem === undefined && byAll === undefined) {
      this.unrouted++;
      return;
    }
    const frame = Buffer.from(`{"trnm":"REAL","data":[${JSON.stringify(entry)}]}`);
    if (byItem) for (const s of byItem) if (!(s instanceof Lingering)) this.push(s, frame);
    if (byAll) for (const s of byAll) if (!(s instanceof Lingering) && byItem?.has(s) !== true) this.push(s, frame);
  }

  private push(session: Session, frame: Buffer): void {
    let st = this.realStats.get(session);
    if (!st) this.realStats.set(session, (st = { framesOut: 0, dropped: 0 }));
    if (session.congested) {
      st.dropped++;
      return;
    }
    this.cork(session);
    if (session.send(frame, true)) st.framesOut++;
  }

  /**
   * Holds a client's writes until the end of this turn of the event loop: the entries of a burst
   * of upstream frames then leave in one write per client instead of a system call each.
   */
  private cork(session: Session): void {
    if (this.corked.has(session)) return;
    session.cork();
    this.corked.add(session);
    if (this.corked.size === 1) setImmediate(this.uncorkAll);
  }

  private readonly corked = new Set<Session>();
  private readonly uncorkAll = (): void => {
    for (const s of this.corked) s.uncork();
    this.corked.clear();
  };

  /** A session's REAL figures. */
  statsOf(session: Session): SessionRealStats {
    return { ...(this.realStats.get(session) ?? { framesOut: 0, dropped: 0 }) };
  }

  // ------------------------------------------------------------------ conditions

  async conditionList(): Promise<string> {
    try {
      const list = await this.o.rt.conditions();
      return JSON.stringify({ trnm: 'CNSRLST', return_code: 0, return_msg: '', data: list.map((c) => [c.seq, c.name]) });
    } catch (err) {
      return refusal('CNSRLST', err);
    }
  }

  conditionRequest(session: Session, msg: Message): string | Promise<string> {
    const seq = typeof msg['seq'] === 'string' ? msg['seq'].trim() : '';
    const fail = (error: string): string => reply('CNSRREQ', error, { seq });
    if (seq === '') return fail('seq(조건검색식 일련번호)가 없습니다');
    if (msg['stex_tp'] !== 'K') return fail(`stex_tp(거래소구분)는 K만 지원합니다 (stex_tp=${String(msg['stex_tp'])})`);
    const type = msg['search_type'];
    if (type === '0') return this.searchPage(seq, msg);
    if (type !== '1') return fail(`search_type(조회타입)는 "0" 또는 "1"이어야 합니다 (search_type=${String(type)})`);
    if (!session.listedConditions) return fail('조건검색 목록조회(CNSRLST)를 먼저 요청해야 합니다');
    return this.holdCondition(session, seq);
  }

  private async searchPage(seq: string, msg: Message): Promise<string> {
    try {
      const page = await this.o.rt.searchPage(seq, { contYn: msg['cont_yn'] === 'Y' ? 'Y' : 'N', nextKey: String(msg['next_key'] ?? '') });
      return JSON.stringify(page);
    } catch (err) {
      return refusal('CNSRREQ', err, { seq });
    }
  }

  private async holdCondition(session: Session, seq: string): Promise<string> {
    let holders = this.condHolders.get(seq);
    if (!holders) {
      if (this.condHolders.size >= this.o.maxRealtimeConditions) {
        return reply('CNSRREQ', `실시간 조건검색은 로그인 1개당 최대 ${this.o.maxRealtimeConditions}건까지 가능합니다`, { seq });
      }
      this.condHolders.set(seq, (holders = new Set()));
      const start = this.o.rt.search(seq, { realtime: true });
      this.condStarting.set(seq, start);
      start.then(
        (codes) => this.condCodes.set(seq, new Set(codes)),
        () => this.condHolders.delete(seq),
      ).finally(() => this.condStarting.delete(seq));
    }
    holders.add(session);
    session.realtime.set(seq, new Set());
    try {
      await this.condStarting.get(seq);
    } catch (err) {
      session.realtime.delete(seq);
      return refusal('CNSRREQ', err, { seq });
    }
    const codes = [...(this.condCodes.get(seq) ?? [])];
    return JSON.stringify({ trnm: 'CNSRREQ', seq, return_code: 0, return_msg: '', data: codes.map((c) => ({ jmcode: jmcode(c) })) });
  }

  conditionClear(session: Session, msg: Message): string {
    const seq = typeof msg['seq'] === 'string' ? msg['seq'].trim() : '';
    if (seq === '') return reply('CNSRCLR', 'seq(조건검색식 일련번호)가 없습니다', { seq: '' });
    this.releaseCondition(session, seq);
    return reply('CNSRCLR', undefined, { seq });
  }

  private releaseCondition(session: Session, seq: string): void {
    session.realtime.delete(seq);
    const holders = this.condHolders.get(seq);
    if (!holders?.delete(session) || holders.size > 0) return;
    this.condHolders.delete(seq);
    this.condCodes.delete(seq);
    this.o.rt.stopSearch(seq).catch((err: unknown) => {
      this.o.logger.warn({ seq, err: err instanceof Error ? err.message : String(err) }, 'upstream CNSRCLR failed');
    });
  }

  private onCondition(event: ConditionEvent, entry: RealEvent | undefined): void {
    const codes = this.condCodes.get(event.seq);
    if (event.kind === 'I') codes?.add(event.code);
    else codes?.delete(event.code);
    const holders = this.condHolders.get(event.seq);
    if (!holders || holders.size === 0) return;
    // A difference found after an upstream reconnect has no push of its own: it is sent as one.
    const e = entry ?? {
      type: '02',
      name: '조건검색',
      item: event.code,
      values: { '841': event.seq, '9001': jmcode(event.code), '843': event.kind, '20': event.time },
    };
    const frame = Buffer.from(`{"trnm":"REAL","data":[${JSON.stringify(e)}]}`);
    for (const s of holders) this.push(s, frame);
  }

  /** Conditions running upstream and who holds them. */
  conditions(): Record<string, number> {
    return Object.fromEntries([...this.condHolders].map(([seq, h]) => [seq, h.size]));
  }

  // ------------------------------------------------------------------ sessions

  /**
   * A client session ended (REMOVE-less disconnect, crash, revocation): it lets go of everything
   * it held. Its pairs stay upstream for the grace period, so a reconnect is not seen upstream.
   */
  forget(session: Session): void {
    const pairs = pairsOf(session);
    if (this.o.releaseGraceMs > 0 && pairs.length > 0 && !this.closed) {
      const hold = new Lingering(pairs);
      this.union.acquire(hold, pairs);
      this.lingering.add(hold);
      hold.timer = setTimeout(() => this.endLinger(hold), this.o.releaseGraceMs);
      hold.timer.unref();
    }
    this.removeUpstream(this.union.release(session, pairs));
    for (const seq of [...session.realtime.keys()]) this.releaseCondition(session, seq);
  }

  private endLinger(hold: Lingering): void {
    clearTimeout(hold.timer);
    if (!this.lingering.delete(hold)) return;
    this.removeUpstream(this.union.release(hold, hold.pairs));
  }

  /** Pairs held upstream for departed clients in their grace period. */
  get lingeringPairs(): number {
    let n = 0;
    for (const hold of this.lingering) n += hold.pairs.length;
    return n;
  }

  /** The gateway is closing: no grace periods any more (the upstream session goes too). */
  close(): void {
    this.closed = true;
    for (const hold of this.lingering) clearTimeout(hold.timer);
    this.lingering.clear();
  }
}

function pairOfKey(key: string): Pair {
  const i = key.indexOf('|');
  return { type: key.slice(0, i), item: key.slice(i + 1) };
}
