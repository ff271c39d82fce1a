/**
 * The REAL push scheduler: a fixed-period timer that, on each tick, sends as many frames as the
 * configured total rate owes since the last tick, round-robin over every (session, type, item)
 * registration. Each stock registered for a stream type trades once per tick, so prices move
 * with the pushes while frames of an unchanged code are reused.
 */
import type { EmulatorContext } from '../context.js';
import { REAL_TYPES } from './data.js';
import type { RealFrames } from './frames.js';
import type { Session } from './session.js';
import { splitItem, type Registration } from './subscriptions.js';

const TICK_MS = 10;
/** After a pause (stall, busy loop) at most this much time is made up at once. */
const MAX_CATCH_UP_S = 1;

interface Entry {
  session: Session;
  reg: Registration;
  /** Plain code that trades before the push, '' for non-stock items. */
  code: string;
}

export class PushScheduler {
  private entries: Entry[] = [];
  private dirty = true;
  private cursor = 0;
  private owed = 0;
  private last = performance.now();
  private generation = 0;
  private readonly traded = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly frames: RealFrames,
    private readonly sessions: () => Iterable<Session>,
    private rate: number,
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

  /** Registrations or sessions changed: rebuild the round-robin list on the next tick. */
  invalidate(): void {
    this.dirty = true;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private rebuild(): void {
    this.entries = [];
    for (const session of this.sessions()) {
      if (!session.isLoggedIn) continue;
      for (const reg of session.subs.all()) {
        const spec = REAL_TYPES[reg.type];
        const kind = spec?.items;
        if (kind === 'account' || kind === 'condition') continue; // pushed on events
        const code = kind === 'stock' ? splitItem(reg.item).code : '';
        // Live sends a type only for the instruments it applies to: no ETF NAV for 삼성전자.
        const market = code === '' ? undefined : this.ctx.state.stock(code)?.market;
        if (spec?.markets !== undefined && market !== undefined && !spec.markets.includes(market)) continue;
        this.entries.push({ session, reg, code });
      }
    }
    this.cursor = 0;
    this.dirty = false;
  }

  private run(): void {
    const t = performance.now();
    this.owed = Math.min(this.owed + ((t - this.last) / 1000) * this.rate, this.rate * MAX_CATCH_UP_S + 1);
    this.last = t;
    if (this.dirty) this.rebuild();
    const n = Math.floor(this.owed);
    if (n === 0) return;
    this.owed -= n;
    const len = this.entries.length;
    // Frames owed during a stall or with nobody subscribed are lost, as on a real feed.
    if (len === 0 || Date.now() < this.ctx.wsFaults.stallUntil) return;
    const gen = ++this.generation;
    const now = this.ctx.state.now();
    const stats = this.ctx.stats;
    const corked = new Set<Session>();
    for (let i = 0; i < n; i++) {
      const e = this.entries[this.cursor]!;
      this.cursor = this.cursor + 1 === len ? 0 : this.cursor + 1;
      if (e.session.congested) continue;
      if (!corked.has(e.session)) {
        corked.add(e.session);
        e.session.cork();
      }
      if (e.code && this.traded.get(e.code) !== gen) {
        this.traded.set(e.code, gen);
        if (this.ctx.state.quote(e.code)) this.ctx.state.tick(e.code);
      }
      const frame = this.frames.stream(e.reg, now);
      if (frame && e.session.send(frame, true)) stats.realFrames++;
    }
    for (const s of corked) s.uncork();
  }
}
