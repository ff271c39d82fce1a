/**
 * What the session needs to know of each real-time type: whether REG takes it, what its item
 * is (compat/real-types.json), and whether its waiting frames may be coalesced when a consumer
 * falls behind (compat/realtime.json).
 */
import { readFileSync } from 'node:fs';
import { getRealType, REAL_TYPES } from '../compat/real-types.js';

/** How a type is registered. */
export interface RealTypeInfo {
  /** False for `02`, which comes from a real-time condition, not from REG. */
  registrable: boolean;
  /** `account`: item [""] for the token's account; `optional`: market-wide, item may be empty; `required`: a code. */
  item: 'account' | 'optional' | 'required';
}

const policy = JSON.parse(
  readFileSync(new URL('../../compat/realtime.json', import.meta.url), 'utf8'),
) as { coalesce: string[] };

/** The type's registration facts, or undefined for an unknown type. */
export function realType(code: string): RealTypeInfo | undefined {
  const spec = getRealType(code);
  if (!spec) return undefined;
  return {
    registrable: spec.item !== 'condition',
    item: spec.item === 'account' ? 'account' : spec.items.includes('market') ? 'optional' : 'required',
  };
}

/** Types whose waiting frames may be replaced by newer ones (a Set for the hot path). */
export const COALESCIBLE: ReadonlySet<string> = new Set(policy.coalesce);

/** Every type REG accepts, for error messages. */
export const REGISTRABLE: readonly string[] = Object.keys(REAL_TYPES).filter((code) => realType(code)?.registrable);
