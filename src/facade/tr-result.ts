/**
 * One TR answer as GetCommData / GetRepeatCnt read it: Korean output names resolved through the
 * TR map onto the REST body (single record, repeated rows, values shared by every row).
 */
import type { TrMapping, TrRecordMap } from '../compat/tr-map.js';

/** A TR answer, readable by Korean output name. */
export class TrResult {
  private readonly rows: readonly Record<string, unknown>[];
  private readonly singleRow: Record<string, unknown>;

  constructor(
    readonly trcode: string,
    readonly rqname: string,
    private readonly mapping: Pick<TrMapping, 'single' | 'multi' | 'rowCountField'>,
    private readonly body: Record<string, unknown>,
  ) {
    this.rows = listOf(body, mapping.multi);
    const single = mapping.single;
    this.singleRow = single?.list ? (listOf(body, single)[0] ?? {}) : body;
  }

  /** The record name OnReceiveTrData reports (the repeated record's when there is one). */
  get recordName(): string {
    return this.mapping.multi?.record ?? this.mapping.single?.record ?? '';
  }

  /** GetRepeatCnt: rows of the repeated record, 0 for single-only TRs. */
  repeatCount(): number {
    return this.rows.length;
  }

  /**
   * GetCommData(..., index, name): the value as a string, "" when the name is not an output of
   * this TR or the row does not exist (the OCX returns blanks too). `known` says which.
   */
  value(index: number, name: string): { value: string; known: boolean } {
    if (!Number.isInteger(index) || index < 0) return { value: '', known: true };
    const item = name.trim();
    const { multi, single, rowCountField } = this.mapping;
    const multiKey = own(multi?.fields, item);
    if (multiKey !== undefined) return { value: text(own(this.rows[index], multiKey)), known: true };
    const sharedKey = own(multi?.shared, item);
    if (sharedKey !== undefined) return { value: text(own(this.body, sharedKey)), known: true };
    if (rowCountField !== undefined && item === rowCountField) return { value: String(this.rows.length), known: true };
    const singleKey = own(single?.fields, item);
    if (singleKey !== undefined) return { value: text(own(this.singleRow, singleKey)), known: true };
    return { value: '', known: false };
  }
}

function listOf(body: Record<string, unknown>, record: TrRecordMap | undefined): Record<string, unknown>[] {
  if (record?.list == null) return [];
  const list = body[record.list];
  return Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
}

/** Own-property lookup: a name such as `constructor` never reaches the prototype. */
function own<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : (JSON.stringify(v) ?? '');
}
