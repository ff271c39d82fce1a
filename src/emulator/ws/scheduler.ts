/**
 * The REAL push scheduler: a fixed-period timer that, on each tick, produces as many entries as
 * the configured total rate owes since the last tick, round-robin over every (session, type,
 * item) registration. Each stock registered for a stream type trades once per tick, so prices
 * move with the pushes while entries of an unchanged code are reused.
 *
 * Entries leave in frames of 1 to 3 (`data[]`), as the live servers send them:
 * a session's entries wait until its next frame is full or the oldest has waited
 * {@link BATCH_HOLD_MS}, so a client that reads only `data[0]` loses ticks here as it would live.
 */
import type { EmulatorContext } from '../context.js';
import { REAL_TYPES } from './data.js';
import type { RealFrames } from './frames.js';
import type { Session } from './session.js';
import { splitItem, type Registration } from './subscriptions.js';

const TICK_MS = 10;
/** Entries per frame, cycled per session: mostly 2, some 1 and 3, as recorded live. */
const BATCH_SIZES = [2, 1, 2, 3, 2, 1] as const;
/** Longest an entry waits for the rest of its frame. */
const BATCH_HOLD_MS = 50;
const FRAME_HEAD = Buffer.from('{"trnm":"REAL","data":[');
const FRAME_TAIL = Buffer.from(']}');
const COMMA = Buffer.from(',');

/** A session's entries waiting for their frame. */
interface Batch {
  entries: Buffer[];
  /** When the oldest waiting entry was produced (performance.now()). */
  since: number;
  /** How many frames this session was sent: picks the next frame's size. */
  frames: number;
}
/** After a pause (stall, busy loop) at most this much time is made up at once. */
const MAX_CATCH_UP_S = 1;

interface Entry {
  session: Session;
  reg: Registration;
  /** Plain code that trades before the push, '' for non-stock items. */
  code: string;
  /** For a throttled type (0D): when this registration may push again (performance.now()). */
  throttle?: { next: number } | undefined;
}

/** Types the live servers throttle per item: 0D at about 3.6 entries a second. */
const THROTTLED = new Set(['0D']);

export class PushScheduler {
  private entries: Entry[] = [];
  private dirty = true;
  private cursor = 0;
  private owed = 0;
  private last = performance.now();
  private generation = 0;
  private readonly traded = new Map<string, number>();
  private readonly batches = new Map<Session, Batch>();
  /** When each session's throttled registrations may push again, kept across rebuilds. */
  private readonly throttles = new WeakMap<Session, Map<string, { next: number }>>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly frames: RealFrames,
    private readonly sessions: () => Iterable<Session>,
    private rate: number,
    private readonly throttledPerSecond = Number.POSITIVE_INFINITY,
  ) {
    this.timer = setInterval(() => this.run(), TICK_MS);
    this.timer.unref();
  }

  setRate(framesPerSecond: number): void {
    if (!Number.isFinite(framesPerSecond) || framesPerSecond < 0) {
      throw new RangeError(`REAL push rate must be a non-negative number of frames per second, got ${framesPerSecond}`);
    }
    this.rate = framesPerSecond;
  }

  /**
   * Registrations or sessions changed: rebuild the round-robin list on the next tick. Entries
   * already produced leave now, ahead of the REG/REMOVE answer that follows.
   */
  invalidate(): void {
    this.dirty = true;
    this.flush(performance.now(), true);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private rebuild(): void {
    this.entries = [];
    for (const session of this.batches.keys()) if (!session.isLoggedIn || session.ws.readyState !== session.ws.OPEN) this.batches.delete(session);
    for (const session of this.sessions()) {
      if (!session.isLoggedIn) continue;
      for (const reg of session.subs.all()) {
        const spec = REAL_TYPES[reg.type];
        const kind = spec?.items;
        if (kind === 'account' || kind === 'condition' || kind === 'marketOrStock') continue; // pushed on events
        const code = kind === 'stock' ? splitItem(reg.item).code : '';
        // Live sends a type only for the instruments it applies to: no ETF NAV for 삼성전자.
        const market = code === '' ? undefined : this.ctx.state.stock(code)?.market;
        if (spec?.markets !== undefined && market !== undefined && !spec.markets.includes(market)) continue;
        this.entries.push({ session, reg, code, throttle: THROTTLED.has(reg.type) ? this.throttleOf(session, reg) : undefined });
      }
    }
    this.cursor = 0;
    this.dirty = false;
  }

  private throttleOf(session: Session, reg: Registration): { next: number } {
    let bySession = this.throttles.get(session);
    if (!bySession) this.throttles.set(session, (bySession = new Map()));
    const key = `${reg.type}|${reg.item}`;
    let t = bySession.get(key);
    if (!t) bySession.set(key, (t = { next: 0 }));
    return t;
  }

  private run(): void {
    const t = performance.now();
    const since = this.last;
    this.owed = Math.min(this.owed + ((t - since) / 1000) * this.rate, this.rate * MAX_CATCH_UP_S + 1);
    this.last = t;
    if (this.dirty) this.rebuild();
    const n = Math.floor(this.owed);
    this.owed -= n;
    const len = this.entries.length;
    // Entries owed during a stall or with nobody subscribed are lost, as on a real feed.
    if (Date.now() < this.ctx.wsFaults.stallUntil) {
      this.batches.clear();
      return;
    }
    if (n > 0 && len > 0) {
      const gen = ++this.generation;
      const now = this.ctx.state.now();
      for (let i = 0; i < n; i++) {
        const e = this.entries[this.cursor]!;
        this.cursor = this.cursor + 1 === len ? 0 : this.cursor + 1;
        if (e.session.congested) continue;
        if (e.throttle !== undefined && !this.mayPush(e.throttle, since, t)) continue;
        if (e.code && this.traded.get(e.code) !== gen) {
          this.traded.set(e.code, gen);
          if (this.ctx.state.quote(e.code)) this.ctx.state.tick(e.code);
        }
        const entry = this.frames.stream(e.reg, now);
        if (entry) this.add(e.session, entry, t);
      }
    }
    this.flush(t);
  }

  /**
   * Whether a throttled registration may push in the tick from `since` to `t`, and if so books it.
   * An interval longer than the tick spaces pushes from the tick they left in (a tick late at
   * worst, never early); a shorter one (a benchmark's high `orderBookPerSecond`) lets several
   * leave in one tick, spaced by the interval from the previous tick, so the option's rate holds
   * above 100 a second too. The branch is the nominal tick's, not the measured one: after a stall
   * the default 3.6 a second would otherwise send the same snapshot several times in one tick.
   */
  private mayPush(throttle: { next: number }, since: number, t: number): boolean {
    if (t < throttle.next) return false;
    const interval = 1000 / this.throttledPerSecond;
    throttle.next = interval >= TICK_MS ? t + interval : Math.max(throttle.next, since) + interval;
    return true;
  }

  private add(session: Session, entry: Buffer, t: number): void {
    let b = this.batches.get(session);
    if (!b) this.batches.set(session, (b = { entries: [], since: t, frames: 0 }));
    if (b.entries.length === 0) b.since = t;
    b.entries.push(entry);
  }

  /** Sends every full frame, and what waited past the hold (everything with `force`), one write per session. */
  private flush(t: number, force = false): void {
    const stats = this.ctx.stats;
    for (const [session, b] of this.batches) {
      if (b.entries.length === 0) continue;
      session.cork();
      let i = 0;
      for (;;) {
        const size = BATCH_SIZES[b.frames % BATCH_SIZES.length]!;
        const left = b.entries.length - i;
        if (left === 0 || (left < size && t - b.since < BATCH_HOLD_MS && !force)) break;
        const take = Math.min(size, left);
        const parts: Buffer[] = [FRAME_HEAD, b.entries[i]!];
        for (let k = 1; k < take; k++) parts.push(COMMA, b.entries[i + k]!);
        parts.push(FRAME_TAIL);
        i += take;
        b.frames++;
        if (session.send(Buffer.concat(parts), true)) {
          stats.realFrames++;
          stats.realEntries += take;
        }
      }
      session.uncork();
      b.entries.splice(0, i);
      if (b.entries.length > 0 && i > 0) b.since = t;
    }
  }
}
