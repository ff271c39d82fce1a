/**
 * The WebSocket side's data tables (compat/emulator/*.json), read once at import.
 */
import { readFileSync } from 'node:fs';

/** How a real type's `item` is interpreted. */
export type ItemKind = 'stock' | 'account' | 'index' | 'gold' | 'market' | 'marketOrStock' | 'condition';

export interface RealTypeSpec {
  name: string;
  items: ItemKind;
  /** Legacy market codes of the stocks it is pushed for (`0G`: ETFs); absent for every market. */
  markets?: string[];
  /** [fid, value source] in documented order. */
  fids: [string, string][];
}

export interface IndexSpec {
  code: string;
  name: string;
  markets: string[];
  base: number;
}

export interface GoldSpec {
  code: string;
  name: string;
  base: number;
  decimals: number;
}

export interface WsTables {
  indices: IndexSpec[];
  gold: GoldSpec[];
  /** Trading members (0F); a foreign one is coloured in 271-285 and counted in 261-268. */
  brokers: { code: string; name: string; foreign?: boolean }[];
  /** 0B 1497 / 1498: CFD margin and maintenance margin as fractions of the price. */
  cfd: { margin: number; maintenance: number };
  marketPhases: { at: string; code: string }[];
  marketOpen: string;
  orderActions: Record<string, 'new' | 'modify' | 'cancel'>;
  orderLabels: Record<'new' | 'modify' | 'cancel', Record<'buy' | 'sell', string>>;
  tradeTypes: Record<string, string>;
  exchanges: Record<string, { code: string; name: string; sor: string }>;
  itemSuffixes: Record<string, string>;
  sides: Record<'buy' | 'sell', string>;
  fees: { commissionRate: number; sellTaxRate: number };
  /** The VI lifecycle of 1h: names of 9068's kinds, the order kinds come in, the thresholds. */
  vi: { types: Record<'1' | '2' | '3', string>; kindCycle: ('1' | '2' | '3')[]; staticThreshold: number; dynamicThreshold: number };
  /** 1h FID 9008 by legacy market code. */
  viMarkets: Record<string, string>;
  /** Prefix of condition-search codes by legacy market (A 주식, J ELW, Q ETN). */
  conditionCodePrefixes: Record<string, string>;
}

export interface Predicate {
  field: ConditionField;
  min?: number;
  max?: number;
  equals?: string;
}

export type ConditionField = 'price' | 'changeRate' | 'volume' | 'value' | 'market';

export interface ConditionSpec {
  seq: string;
  name: string;
  rule: { all?: Predicate[]; top?: { field: ConditionField; n: number } };
}

function load<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../../../compat/emulator/${file}`, import.meta.url), 'utf8')) as T;
}

export const REAL_TYPES: Readonly<Record<string, RealTypeSpec>> = load<{ types: Record<string, RealTypeSpec> }>(
  'real-types.json',
).types;

export const TABLES: Readonly<WsTables> = load<WsTables>('ws-tables.json');

const conditionsFile = load<{ pageSize: number; conditions: ConditionSpec[] }>('conditions.json');
export const CONDITIONS: readonly ConditionSpec[] = conditionsFile.conditions;
/** Rows per one-shot condition-search page. */
export const CONDITION_PAGE_SIZE: number = conditionsFile.pageSize;
