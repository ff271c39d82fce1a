/**
 * REAL frames: builds each type's values from the market (caching stream frames until the code
 * trades again, so a high push rate costs little) and from order, position and condition events.
 */
import type { EmulatorState, OrderEvent, PositionSnapshot } from '../types.js';
import { REAL_TYPES, TABLES } from './data.js';
import type { MarketView } from './market-view.js';
import { realEntry, realFrame } from './protocol.js';
import { compileValues, type FrameInput, type Level, type ValuesBuilder, type ViEvent } from './sources.js';
import { splitItem, type Registration } from './subscriptions.js';

const BUILDERS: Readonly<Record<string, ValuesBuilder>> = Object.fromEntries(
  Object.entries(REAL_TYPES).map(([type, spec]) => [type, compileValues(type, spec.fids)]),
);

const ZERO_LEVEL: Level = {
  price: 0,
  prevClose: 0,
  open: 0,
  high: 0,
  low: 0,
  upperLimit: 0,
  lowerLimit: 0,
  volume: 0,
  value: 0,
  lastQty: 0,
  time: '',
};

interface Cached {
  version: number;
  frame: Buffer | undefined;
}

export class RealFrames {
  private readonly cache = new Map<string, Cached>();

  /** @param krxClosed whether the KRX session has closed (NXT trades on): 0D changes then, as live. */
  constructor(
    private readonly state: EmulatorState,
    private readonly view: MarketView,
    private readonly krxClosed: () => boolean = () => false,
  ) {}

  /** One `data[]` entry's text for a type, from a prepared input. */
  private entry(type: string, item: string, x: FrameInput): string {
    const spec = REAL_TYPES[type];
    const build = BUILDERS[type];
    if (!spec || !build) throw new Error(`no real type ${type}`);
    return realEntry(type, spec.name, item, build(x));
  }

  /** A frame of one entry. */
  private frame(type: string, item: string, x: FrameInput): string {
    return realFrame(this.entry(type, item, x));
  }

  private input(code: string, level: Level, now: string, extra: Partial<FrameInput> = {}): FrameInput {
    const stock = code ? this.state.stock(code) : undefined;
    return {
      code,
      name: stock?.name ?? '',
      account: '',
      level,
      decimals: 0,
      stock,
      flow: code ? this.view.flow(code) : undefined,
      times: code ? this.view.times(code) : undefined,
      bookDelta: code ? this.view.bookDelta(code) : undefined,
      now,
      exchange: TABLES.itemSuffixes[''] ?? '1',
      ...extra,
    };
  }

  /**
   * The next scheduled `data[]` entry of a registration, or undefined when there is nothing to
   * push (an unknown item, one that vanished from the market). `now` is the emulator's HHMMSS.
   */
  stream(reg: Registration, now: string): Buffer | undefined {
    const spec = REAL_TYPES[reg.type];
    if (!spec) return undefined;
    const k = `${reg.type}|${reg.item}`;
    let c = this.cache.get(k);
    if (!c) this.cache.set(k, (c = { version: -1, frame: undefined }));
    let version = -1;
    let x: FrameInput | undefined;
    switch (spec.items) {
      case 'stock': {
        const { code, suffix } = splitItem(reg.item);
        // The mock domain trades KRX only: an NXT or SOR item is acknowledged and stays silent.
        if (suffix && this.state.mode === 'mock') return undefined;
        const q = this.state.quote(code);
        if (!q) return undefined;
        // Live after the KRX close: no 0D for a bare code, and an NXT book's KRX side is 0.
        const krxClosed = reg.type === '0D' && this.krxClosed();
        if (krxClosed && suffix === '') return undefined;
        version = this.view.version(code);
        if (version === c.version && c.frame) return c.frame;
        x = this.input(code, q, now, { exchange: TABLES.itemSuffixes[suffix] ?? '1', krxClosed });
        break;
      }
      case 'index': {
        const idx = TABLES.indices.find((i) => i.code === reg.item);
        if (!idx) return undefined;
        const d = this.view.index(idx, now);
        version = d.version;
        if (version === c.version && c.frame) return c.frame;
        x = this.input('', d.level, now, { decimals: 2, breadth: d.breadth });
        break;
      }
      case 'gold': {
        const g = TABLES.gold.find((i) => i.code === reg.item);
        if (!g) return undefined;
        const d = this.view.goldLevel(g, now);
        version = d.version;
        if (version === c.version && c.frame) return c.frame;
        x = this.input('', d.level, now, { decimals: g.decimals });
        break;
      }
      case 'market':
        x = this.input('', ZERO_LEVEL, now);
        break;
      default:
        return undefined;
    }
    c.version = version;
    c.frame = Buffer.from(this.entry(reg.type, reg.item, x));
    return c.frame;
  }

  /** A 00 주문체결 frame. `filledAmount` is the order's accumulated fill amount (FID 903). */
  order(ev: OrderEvent, filledAmount: number, now: string): string {
    const code = ev.order.code;
    const x = this.input(code, this.state.quote(code) ?? ZERO_LEVEL, now, {
      name: ev.order.name,
      account: ev.account,
      order: ev,
      filledAmount,
    });
    return this.frame('00', code, x);
  }

  /** A 1h VI entry of `event` for `item` (the code, or the code with a suffix). */
  vi(event: ViEvent, item: string, now: string): string {
    return this.entry('1h', item, this.input(event.code, this.state.quote(event.code) ?? ZERO_LEVEL, now, { vi: event }));
  }

  /** A 04 잔고 frame. */
  position(p: PositionSnapshot, now: string): string {
    const q = this.state.quote(p.code);
    const level = q ?? { ...ZERO_LEVEL, price: p.price, prevClose: p.price };
    const x = this.input(p.code, level, now, { name: p.name, account: p.account, position: p });
    return this.frame('04', p.code, x);
  }

  /** A 02 조건검색 frame: `code` entered (I) or left (D) condition `seq`. */
  condition(seq: string, code: string, io: 'I' | 'D', now: string): string {
    return this.frame('02', code, this.input(code, ZERO_LEVEL, now, { condition: { seq, io } }));
  }
}
