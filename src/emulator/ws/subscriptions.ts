/**
 * REG / REMOVE: validation of a request against the real-type table (and, in the emulator, the
 * market), and the per-session registry of groups. A request is applied whole or not at all.
 */
import { REAL_TYPES } from './data.js';

/** One registered (type, item) pair; account-level and market-wide items are "". */
export interface Registration {
  type: string;
  item: string;
}

export type RegParse = { ok: true; grp: string; refresh: boolean; pairs: Registration[] } | { ok: false; error: string };

const SUFFIXES = ['_NX', '_AL'];

/** The plain code and exchange suffix of a registered stock item (`005930_NX` → 005930, _NX). */
export function splitItem(item: string): { code: string; suffix: string } {
  const suffix = SUFFIXES.find((s) => item.endsWith(s)) ?? '';
  return { code: suffix ? item.slice(0, -suffix.length) : item, suffix };
}

/** Checks one item of a REG against what the server knows; an account-level item becomes "". */
export type ItemCheck = (type: string, item: string) => { item: string } | { error: string };

/**
 * Items as sent: only account-level items are normalised to "". The emulator takes items so:
 * the live server acknowledges a REG for an unknown code with rc 0 and then sends nothing for
 * it, and so does the emulator (nothing to push, nothing pushed).
 */
export const asSent: ItemCheck = (type, item) => ({ item: REAL_TYPES[type]?.items === 'account' ? '' : item });

/**
 * Parses and validates a REG (or REMOVE) body. The live caps (items per group and per
 * connection) are the server's to check against what the session holds: see
 * {@link Subscriptions.itemsAfter}.
 * @param checkItem what a REG's items are checked against (REMOVE items are taken as sent).
 */
export function parseRegistration(msg: Record<string, unknown>, checkItem: ItemCheck, isRemove: boolean): RegParse {
  const grp = msg['grp_no'];
  if (typeof grp !== 'string' || grp === '' || grp.length > 4) {
    return { ok: false, error: 'grp_no(그룹번호)는 1~4자리 문자열이어야 합니다' };
  }
  const refresh = msg['refresh'] ?? '1';
  if (!isRemove && refresh !== '0' && refresh !== '1') {
    return { ok: false, error: `refresh(기존등록유지여부)는 "0" 또는 "1"이어야 합니다 (refresh=${String(refresh)})` };
  }
  const data = msg['data'];
  if (!Array.isArray(data) || (!isRemove && data.length === 0)) {
    return { ok: false, error: 'data(실시간 등록 리스트)는 [{item:[...], type:[...]}] 형식이어야 합니다' };
  }
  const pairs: Registration[] = [];
  for (const [i, element] of data.entries()) {
    const { item, type } = (element ?? {}) as { item?: unknown; type?: unknown };
    if (!Array.isArray(type) || type.length === 0 || !type.every((t) => typeof t === 'string')) {
      return { ok: false, error: `data[${i}].type(실시간 항목)은 문자열 배열이어야 합니다` };
    }
    const items = item === undefined ? [''] : item;
    if (!Array.isArray(items) || !items.every((t) => typeof t === 'string')) {
      return { ok: false, error: `data[${i}].item(실시간 등록 요소)은 문자열 배열이어야 합니다` };
    }
    for (const t of type as string[]) {
      if (!REAL_TYPES[t] || REAL_TYPES[t].items === 'condition') {
        return { ok: false, error: `등록할 수 없는 실시간 항목입니다 (type=${t})` };
      }
      // 00 and 04 push for the token's account whatever the item: `item: []` names the account too.
      // Any other type with no item would register nothing, and an ack would say it did.
      const its = REAL_TYPES[t].items === 'account' && items.length === 0 ? [''] : (items as string[]);
      if (its.length === 0) return { ok: false, error: `data[${i}].item(실시간 등록 요소)이 비어 있습니다 (type=${t})` };
      for (const it of its) {
        if (isRemove) {
          pairs.push({ type: t, item: REAL_TYPES[t].items === 'account' ? '' : it });
          continue;
        }
        const checked = checkItem(t, it);
        if ('error' in checked) return { ok: false, error: checked.error };
        pairs.push({ type: t, item: checked.item });
      }
    }
  }
  // REMOVE with `data: []` names nothing: refused rather than taken as "the whole group".
  if (pairs.length === 0) return { ok: false, error: 'data(실시간 해지 리스트)가 비어 있습니다' };
  return { ok: true, grp, refresh: refresh === '1', pairs };
}

const key = (r: Registration): string => `${r.type}|${r.item}`;

/** A session's groups: grp_no → registrations. */
export class Subscriptions {
  private readonly groups = new Map<string, Map<string, Registration>>();

  /** REG: adds (refresh) or replaces the group's registrations. */
  register(grp: string, keep: boolean, pairs: readonly Registration[]): void {
    let group = this.groups.get(grp);
    if (!group || !keep) this.groups.set(grp, (group = new Map()));
    for (const p of pairs) group.set(key(p), p);
  }

  /** REMOVE: drops the pairs from the group. */
  remove(grp: string, pairs: readonly Registration[]): void {
    const group = this.groups.get(grp);
    if (!group) return;
    for (const p of pairs) group.delete(key(p));
    if (group.size === 0) this.groups.delete(grp);
  }

  /**
   * Distinct items the group and the whole session would hold after this REG: what the live
   * caps count (item "" holds no slot, types do not matter).
   */
  itemsAfter(grp: string, keep: boolean, pairs: readonly Registration[]): { group: number; connection: number } {
    const group = new Set<string>();
    const connection = new Set<string>();
    for (const [g, regs] of this.groups) {
      if (g === grp && !keep) continue;
      for (const r of regs.values()) {
        if (r.item === '') continue;
        connection.add(r.item);
        if (g === grp) group.add(r.item);
      }
    }
    for (const p of pairs) {
      if (p.item === '') continue;
      group.add(p.item);
      connection.add(p.item);
    }
    return { group: group.size, connection: connection.size };
  }

  /** Whether any group holds this type (for account-level types). */
  hasType(type: string): boolean {
    for (const g of this.groups.values()) for (const r of g.values()) if (r.type === type) return true;
    return false;
  }

  /** grp_no → `type|item` keys, sorted (a read-only snapshot for tests). */
  snapshot(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [grp, group] of this.groups) out[grp] = [...group.keys()].sort();
    return out;
  }

  /** Every distinct registration over all groups. */
  all(): Registration[] {
    const seen = new Map<string, Registration>();
    for (const g of this.groups.values()) for (const [k, r] of g) seen.set(k, r);
    return [...seen.values()];
  }
}
