/**
 * One TR answer as GetCommData / GetRepeatCnt read it: Korean output names resolved through the
 * TR map onto the REST body (single record, repeated rows, values shared by every row).
 */
import type { TrMapping, TrRecordMap } from '../compat/tr-map.js';

/**
 * A TR answer as data, for readers that answer the TR getters themselves (the bridge ships it
 * with OnReceiveTrData): what GetCommData, GetRepeatCnt, GetDataCount, GetOutputValue and
 * GetCommDataEx read.
 */
export interface TrSnapshot {
  /** Names whose GetCommData value does not depend on the row. */
  single: Record<string, string>;
  /** The repeated record's names; `rows[i][j]` is GetCommData(tr, rq, i, fields[j]). */
  fields: string[];
  rows: string[][];
  /** The records, each with its outputs in the OCX's order. */
  records: { single?: { record: string; outputs: string[] }; multi?: { record: string; outputs: string[] } };
}

/** A TR answer, readable by Korean output name. */
export class TrResult {
  private readonly rows: readonly Record<string, unknown>[];
  private readonly singleRow: Record<string, unknown>;

  constructor(
    readonly trcode: string,
    readonly rqname: string,
    readonly mapping: Pick<TrMapping, 'single' | 'multi' | 'rowCountField'>,
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

  /** The record a legacy record name names: the single one when it says so, else the repeated one. */
  private recordOf(recordName: string): TrRecordMap | undefined {
    const { single, multi } = this.mapping;
    if (single !== undefined && recordName.trim() === single.record) return single;
    return multi ?? single;
  }

  /** GetDataCount(record): rows of the repeated record; 1 for the single record. */
  dataCount(recordName: string): number {
    const record = this.recordOf(recordName);
    return record !== undefined && record === this.mapping.single ? 1 : this.rows.length;
  }

  /** GetOutputValue(record, row, item): the value of the record's `item`-th output (OCX order). */
  outputValue(recordName: string, row: number, item: number): string {
    const record = this.recordOf(recordName);
    const name = Number.isInteger(item) && item >= 0 ? record?.outputs?.[item] : undefined;
    if (name === undefined) return '';
    return this.value(record === this.mapping.single ? 0 : row, name).value;
  }

  /**
   * GetCommDataEx: the repeated record as rows × outputs in the OCX's column order ("" where
   * REST has no value); a single-only TR gives its one row.
   */
  table(): string[][] {
    const { single, multi } = this.mapping;
    const record = multi ?? single;
    const names = record?.outputs ?? Object.keys(record?.fields ?? {});
    const rows = multi !== undefined ? this.rows.length : 1;
    return Array.from({ length: rows }, (_, i) => names.map((n) => this.value(i, n).value));
  }

  /** Everything the TR getters read of this answer (see {@link TrSnapshot}). */
  snapshot(): TrSnapshot {
    const { multi, single, rowCountField } = this.mapping;
    const fields = Object.keys(multi?.fields ?? {});
    const repeated = new Set(fields);
    const out: TrSnapshot = { single: {}, fields, rows: this.rows.map((_, i) => fields.map((f) => this.value(i, f).value)), records: {} };
    const singleNames = [...Object.keys(multi?.shared ?? {}), ...(rowCountField === undefined ? [] : [rowCountField]), ...Object.keys(single?.fields ?? {})];
    for (const name of singleNames) if (!repeated.has(name) && !Object.hasOwn(out.single, name)) out.single[name] = this.value(0, name).value;
    const outputsOf = (r: TrRecordMap): { record: string; outputs: string[] } => ({ record: r.record, outputs: r.outputs ?? Object.keys(r.fields ?? {}) });
    if (single !== undefined) out.records.single = outputsOf(single);
    if (multi !== undefined) out.records.multi = outputsOf(multi);
    return out;
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
    if (multiKey !== undefined) {
      // A repeated record declared with 0 rows (opt10002, opt10004) is one top-level row the OCX read at index 0.
      const row = multi?.list === null ? (index === 0 ? this.body : undefined) : this.rows[index];
      return { value: text(own(row, multiKey)), known: true };
    }
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
