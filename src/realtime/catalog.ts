/**
 * The real-time types the session knows, read from compat/realtime.json: which need an item,
 * which are account-level, which may be coalesced when a consumer falls behind.
 */
import { readFileSync } from 'node:fs';

/** How a type is registered and buffered. */
export interface RealTypeInfo {
  name: string;
  /** False for `02`, which comes from a real-time condition, not from REG. */
  registrable: boolean;
  /** `account`: item [""] for the token's account; `optional`: market-wide, item may be empty; `required`: a code. */
  item: 'account' | 'optional' | 'required';
  coalesce: boolean;
}

interface CatalogFile {
  types: Record<string, RealTypeInfo>;
}

const file = JSON.parse(
  readFileSync(new URL('../../compat/realtime.json', import.meta.url), 'utf8'),
) as CatalogFile;

const types = new Map(Object.entries(file.types));

/** The type's entry, or undefined for an unknown type. */
export function realType(code: string): RealTypeInfo | undefined {
  return types.get(code);
}

/** Types whose waiting frames may be replaced by newer ones (a Set for the hot path). */
export const COALESCIBLE: ReadonlySet<string> = new Set(
  [...types].filter(([, info]) => info.coalesce).map(([code]) => code),
);

/** Every type REG accepts, for error messages. */
export const REGISTRABLE: readonly string[] = [...types].filter(([, i]) => i.registrable).map(([c]) => c);
