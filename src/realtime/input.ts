/**
 * Checks of what a caller passes to RealtimeSession, before anything is sent: each failure
 * is a ValidationError naming the field.
 */
import { ValidationError } from '../errors.js';
import { realType, REGISTRABLE } from './catalog.js';

/** REG group number: 1-4 digits (grp_no length 4). */
export function checkGroup(grpNo: string | number): string {
  const grp = String(grpNo).trim();
  if (!/^\d{1,4}$/.test(grp)) {
    throw new ValidationError(`grpNo must be 1 to 4 digits, got ${JSON.stringify(grpNo)}`, { field: 'grpNo' });
  }
  return grp;
}

/** Real-time types REG accepts (compat/realtime.json), without repeats. */
export function checkTypes(types: readonly string[]): string[] {
  if (!Array.isArray(types) || types.length === 0) {
    throw new ValidationError('types must be a non-empty array of real-time types (e.g. ["0B"])', { field: 'types' });
  }
  for (const t of types) {
    if (typeof t !== 'string' || realType(t)?.registrable !== true) {
      throw new ValidationError(`types: unknown real-time type ${JSON.stringify(t)}; known: ${REGISTRABLE.join(', ')}`, {
        field: 'types',
      });
    }
  }
  return [...new Set(types)];
}

/** Codes as Kiwoom spells them (`005930`, `005930_NX`, `001`, `MGD`), without repeats. */
export function checkItems(items: readonly string[]): string[] {
  if (!Array.isArray(items)) throw new ValidationError('items must be an array of codes', { field: 'items' });
  for (const item of items) {
    if (typeof item !== 'string' || item.length > 20 || /\s/.test(item)) {
      throw new ValidationError(`items: ${JSON.stringify(item)} is not a code (e.g. "005930", "005930_NX", "001")`, {
        field: 'items',
      });
    }
  }
  return [...new Set(items)];
}

/** Condition sequence number as CNSRLST lists it. */
export function checkSeq(seq: string | number): string {
  const s = String(seq).trim();
  if (!/^\d{1,4}$/.test(s)) throw new ValidationError(`seq must be a condition number, got ${JSON.stringify(seq)}`, { field: 'seq' });
  return s;
}

/** Item/type groups to want: account-level types take item "", market-wide types may. */
export function expand(items: readonly string[], types: readonly string[], trnm: 'REG' | 'REMOVE'): [string[], string[]][] {
  const account: string[] = [];
  const coded: string[] = [];
  const optional: string[] = [];
  for (const t of types) {
    const kind = realType(t)?.item;
    (kind === 'account' ? account : kind === 'optional' ? optional : coded).push(t);
  }
  const named = items.filter((i) => i !== '');
  if (coded.length > 0 && named.length === 0 && trnm === 'REG') {
    throw new ValidationError(`items: types ${coded.join(', ')} need at least one code`, { field: 'items' });
  }
  const out: [string[], string[]][] = [];
  if (account.length > 0) out.push([[''], account]);
  if (optional.length > 0) out.push([items.length > 0 ? [...items] : [''], optional]);
  if (coded.length > 0) out.push([named, coded]);
  return out;
}
