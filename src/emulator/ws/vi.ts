/**
 * VI (변동성완화장치, real type 1h) as the live servers report it: an occasional event, not a
 * push on every tick. Each event is a trigger frame with 1224 (해제시각) "000000" and, when the
 * single-price auction ends, the same frame again with 1224 filled. 9068 says which VI (1
 * static, 2 dynamic, 3 both), in words in 1225 and 1279, and only the bases of the VIs that
 * apply are filled (1236 static, 1237 dynamic; 0 otherwise). A market-wide registration gets
 * each event twice, as the `_AL` (통합) row and the plain (KRX) row.
 */
import type { EmulatorState } from '../types.js';
import { TABLES } from './data.js';
import type { RealFrames } from './frames.js';
import { realFrame } from './protocol.js';
import type { ViEvent } from './sources.js';
import { splitItem } from './subscriptions.js';

/** The part of a session the engine reads and pushes to. */
export interface ViClient {
  readonly subs: { all(): { type: string; item: string }[] };
  send(frame: string, droppable?: boolean): boolean;
}

const TYPE = '1h';

export class ViEngine {
  private readonly timer: NodeJS.Timeout;
  /** Codes in a VI now → their release timer. */
  private readonly active = new Map<string, NodeJS.Timeout>();
  /** VIs per code today (1490). */
  private readonly counts = new Map<string, number>();
  private events = 0;

  /**
   * @param intervalMs time between two VIs (each on another stock)
   * @param durationMs time from a VI's trigger to its release (live: the 2-minute auction)
   */
  constructor(
    private readonly state: EmulatorState,
    private readonly frames: RealFrames,
    private readonly clients: () => Iterable<ViClient>,
    private readonly stats: { realFrames: number; realEntries: number },
    private readonly intervalMs: number,
    private readonly durationMs: number,
  ) {
    this.timer = setInterval(() => this.trigger(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const t of this.active.values()) clearTimeout(t);
    this.active.clear();
  }

  /** Who asked for 1h: the stocks registered by code, and whether anyone registered the market. */
  private interest(): { codes: string[]; market: boolean } {
    const codes = new Set<string>();
    let market = false;
    for (const c of this.clients()) {
      for (const r of c.subs.all()) {
        if (r.type !== TYPE) continue;
        if (r.item === '') market = true;
        else codes.add(splitItem(r.item).code);
      }
    }
    return { codes: [...codes].sort(), market };
  }

  /** Starts a VI on the next stock in turn that is not in one already. */
  private trigger(): void {
    const { codes, market } = this.interest();
    const candidates = market ? [...codes, ...this.state.master.map((s) => s.code)] : codes;
    for (let tries = 0; tries < candidates.length; tries++) {
      const code = candidates[(this.events + tries) % candidates.length]!;
      const quote = this.state.quote(code);
      if (this.active.has(code) || quote === undefined || quote.price <= 0) continue;
      const { vi } = TABLES;
      const kind = vi.kindCycle[this.events % vi.kindCycle.length]!;
      const up = quote.price >= quote.prevClose;
      // The bases the trade broke through: the price is threshold away from each.
      const base = (t: number): number => Math.round(quote.price / (up ? 1 + t : 1 - t));
      const count = (this.counts.get(code) ?? 0) + 1;
      this.counts.set(code, count);
      this.events++;
      const event: ViEvent = {
        code, kind, up, price: quote.price, prevClose: quote.prevClose,
        staticBase: kind === '2' ? 0 : base(vi.staticThreshold),
        dynamicBase: kind === '1' ? 0 : base(vi.dynamicThreshold),
        triggeredAt: this.state.now(), releasedAt: '000000', count,
      };
      this.push(event);
      const release = setTimeout(() => {
        this.active.delete(code);
        this.push({ ...event, releasedAt: this.state.now() });
      }, this.durationMs);
      release.unref();
      this.active.set(code, release);
      return;
    }
  }

  /** One frame per client: the market-wide rows (`_AL`, then plain), then rows of the code as registered. */
  private push(event: ViEvent): void {
    for (const c of this.clients()) {
      const items = new Set<string>();
      for (const r of c.subs.all()) {
        if (r.type !== TYPE) continue;
        if (r.item === '') items.add(`${event.code}_AL`).add(event.code);
        else if (splitItem(r.item).code === event.code) items.add(r.item);
      }
      if (items.size === 0) continue;
      const entries = [...items].map((item) => this.frames.vi(event, item, this.state.now()));
      if (c.send(realFrame(entries.join(',')), true)) {
        this.stats.realFrames++;
        this.stats.realEntries += entries.length;
      }
    }
  }
}
