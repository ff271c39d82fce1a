/**
 * Condition-search bookkeeping on the WebSocket: which real-time conditions are wanted and
 * which the server runs on this socket (desired vs acknowledged, as for REG), the codes each
 * currently holds, the 10-per-login cap and the optional legacy once-a-minute rule.
 */
import { ValidationError } from '../errors.js';
import type { ConditionEvent, ConditionInfo, RealEvent } from './types.js';

/** FIDs of a type `02` push. */
const FID = { seq: '841', code: '9001', kind: '843', time: '20' } as const;

/** Kiwoom prefixes KRX codes with `A` in condition results; the OCX-facing API uses plain codes. */
export function plainCode(code: string): string {
  const trimmed = code.trim();
  return trimmed.length === 7 && trimmed.startsWith('A') ? trimmed.slice(1) : trimmed;
}

/** CNSRLST `data`: a list of `[seq, name]` pairs (the field table's `{seq, name}` objects are accepted too). */
export function parseConditionList(data: unknown): ConditionInfo[] {
  if (!Array.isArray(data)) return [];
  const out: ConditionInfo[] = [];
  for (const row of data) {
    if (Array.isArray(row) && row.length >= 2) out.push({ seq: String(row[0]).trim(), name: String(row[1]) });
    else if (row !== null && typeof row === 'object' && 'seq' in row) {
      const r = row as { seq: unknown; name?: unknown };
      out.push({ seq: String(r.seq).trim(), name: String(r.name ?? '') });
    }
  }
  return out;
}

/** Codes of a CNSRREQ reply: `jmcode` rows (real-time) or FID `9001` rows (one-shot). */
export function codesOf(data: unknown): string[] {
  if (!Array.isArray(data)) return [];
  const out: string[] = [];
  for (const row of data) {
    if (row === null || typeof row !== 'object') continue;
    const r = row as Record<string, unknown>;
    const code = r['jmcode'] ?? r[FID.code];
    if (typeof code === 'string' && code.trim() !== '') out.push(plainCode(code));
  }
  return out;
}

/** The `condition` event of a type `02` push, or undefined when it lacks a seq or an I/D kind. */
export function conditionEventOf(entry: RealEvent): ConditionEvent | undefined {
  const v = entry.values;
  const seq = v[FID.seq];
  const kind = v[FID.kind];
  if (typeof seq !== 'string' || (kind !== 'I' && kind !== 'D')) return undefined;
  const code = v[FID.code] ?? entry.item;
  return { seq: seq.trim(), code: plainCode(String(code)), kind, time: v[FID.time] ?? '', restored: false };
}

export class ConditionBook {
  /** Real-time conditions wanted, with the codes each held at last sight. */
  readonly #wanted = new Map<string, Set<string>>();
  /** Real-time conditions the server runs on the current socket. */
  readonly #running = new Set<string>();
  /** Whether CNSRLST was sent on the current socket (the server wants it before real-time CNSRREQ). */
  listed = false;
  readonly #lastSearch = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Want `seq` in real time; refused before sending when the cap is reached. */
  want(seq: string): void {
    if (this.#wanted.has(seq)) return;
    if (this.#wanted.size >= this.max) {
      throw new ValidationError(
        `At most ${this.max} real-time conditions per login: stop one (stopSearch) before starting condition ${seq}`,
        { apiId: 'ka10173', field: 'seq' },
      );
    }
    this.#wanted.set(seq, new Set());
  }

  unwant(seq: string): void {
    this.#wanted.delete(seq);
  }

  isWanted(seq: string): boolean {
    return this.#wanted.has(seq);
  }

  wanted(): string[] {
    return [...this.#wanted.keys()];
  }

  running(seq: string, on: boolean): void {
    if (on) this.#running.add(seq);
    else this.#running.delete(seq);
  }

  isRunning(seq: string): boolean {
    return this.#running.has(seq);
  }

  /** A new socket runs nothing and has not listed. */
  resetSocket(): void {
    this.#running.clear();
    this.listed = false;
  }

  /** Keep a condition's code set current from its pushes. */
  track(event: ConditionEvent): void {
    const codes = this.#wanted.get(event.seq);
    if (!codes) return;
    if (event.kind === 'I') codes.add(event.code);
    else codes.delete(event.code);
  }

  /**
   * Replace a condition's codes with a fresh initial list. Returns the entries and exits that
   * happened unseen (empty on the first search, when there is nothing to compare with).
   */
  reset(seq: string, codes: readonly string[], compare: boolean): ConditionEvent[] {
    const before = this.#wanted.get(seq);
    if (!before) return [];
    const after = new Set(codes);
    const events: ConditionEvent[] = [];
    if (compare) {
      for (const code of after) if (!before.has(code)) events.push({ seq, code, kind: 'I', time: '', restored: true });
      for (const code of before) if (!after.has(code)) events.push({ seq, code, kind: 'D', time: '', restored: true });
    }
    this.#wanted.set(seq, after);
    return events;
  }

  /** Milliseconds to wait before searching `seq` again under the once-a-window rule (0: go). Records the search. */
  claimSlot(seq: string, now: number): number {
    if (this.windowMs <= 0) return 0;
    const last = this.#lastSearch.get(seq);
    const at = last === undefined ? now : Math.max(now, last + this.windowMs);
    this.#lastSearch.set(seq, at);
    return at - now;
  }
}
