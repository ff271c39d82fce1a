/**
 * KRX price rules: tick size by price band (2023 table), ±30% daily limits, and the
 * way Kiwoom prints a price against the previous close.
 */
import { loadEmulatorData } from '../data.js';

interface TickBand {
  below: number | null;
  tick: number;
}
interface PricingRules {
  tickBands: TickBand[];
  priceLimitRate: number;
  etfTick: number;
}

const rules = loadEmulatorData<PricingRules>('rules');

/** Tick size for a price; ETFs (market '8') use one tick for every band. */
export function tickSize(price: number, market = '0'): number {
  if (market === '8') return rules.etfTick;
  for (const band of rules.tickBands) if (band.below === null || price < band.below) return band.tick;
  return 1000;
}

/** True when `price` sits on the tick grid of its band. */
export function onTick(price: number, market = '0'): boolean {
  return price > 0 && price % tickSize(price, market) === 0;
}

/** Rounds down to the tick grid. */
export function floorToTick(price: number, market = '0'): number {
  const t = tickSize(price, market);
  return Math.max(t, Math.floor(price / t) * t);
}

/** Rounds up to the tick grid. */
export function ceilToTick(price: number, market = '0'): number {
  const t = tickSize(price, market);
  return Math.ceil(price / t) * t;
}

/** Upper and lower daily limits for a previous close. */
export function priceLimits(prevClose: number, market = '0'): { upper: number; lower: number } {
  return {
    upper: floorToTick(prevClose * (1 + rules.priceLimitRate), market),
    lower: ceilToTick(prevClose * (1 - rules.priceLimitRate), market),
  };
}

/** The next price `steps` ticks away (negative: down), each step using its own band's tick. */
export function stepTicks(price: number, steps: number, market = '0'): number {
  let p = price;
  for (let i = 0; i < Math.abs(steps); i++) {
    p = steps > 0 ? p + tickSize(p, market) : p - tickSize(p - 1, market);
  }
  return p;
}

/** `+74100`, `-78800` or `71000`: Kiwoom's sign against the previous close. */
export function signed(value: number, base: number): string {
  if (value > base) return `+${value}`;
  if (value < base) return `-${value}`;
  return String(value);
}

/** A signed difference: `+600`, `-600`, `0`. */
export function signedDiff(diff: number): string {
  return diff > 0 ? `+${diff}` : String(diff);
}

/** A signed rate with two decimals: `+0.16`, `-1.20`, `0.00`. */
export function signedRate(value: number, base: number): string {
  const r = base === 0 ? 0 : ((value - base) / base) * 100;
  const s = Math.abs(r).toFixed(2);
  return r > 0.004 ? `+${s}` : r < -0.004 ? `-${s}` : '0.00';
}

/** Kiwoom's 전일대비기호: 1 상한, 2 상승, 3 보합, 4 하한, 5 하락. */
export function changeSign(price: number, prevClose: number, upper: number, lower: number): string {
  if (price >= upper) return '1';
  if (price <= lower) return '4';
  if (price > prevClose) return '2';
  if (price < prevClose) return '5';
  return '3';
}

/** Zero-padded unsigned or `-`-signed number, as the account TRs print them. */
export function padded(value: number, width: number): string {
  const v = Math.round(value);
  return v < 0 ? `-${String(-v).padStart(width - 1, '0')}` : String(v).padStart(width, '0');
}
