/**
 * SetInputValue + CommRqData → one REST call; the answer becomes the current {@link TrResult}
 * for GetCommData / GetRepeatCnt inside OnReceiveTrData. Continuation (prevNext 2) reuses the
 * next-key of the last answer on the same screen and TR.
 *
 * Answers are delivered in call order: a program that fires several CommRqData at once (the
 * OCX would have refused the sixth in a second with -200; here they queue under the rate
 * limiter) gets its OnReceiveTrData in the order it asked. What the OCX let a handler read stays
 * readable afterwards too, within a bound: the last answers per TR code and rqname.
 */
import { trInputDefaults } from '../compat/tr-defaults.js';
import { getLegacyOnlyTr, getTrMapping, trCodesForApi, type TrMapping } from '../compat/tr-map.js';
import { allApis, getApi } from '../registry/index.js';
import type { APIServerEvents } from './events.js';
import { kstDay } from './master.js';
import type { RestPort } from './ports.js';
import { checkScreen } from './real-data.js';
import { failed, isRefusal, refuse, type Refusal } from './refusal.js';
import { FACADE } from './tables.js';
import { TrResult, type TrSnapshot } from './tr-result.js';

type Emit = <K extends 'OnReceiveTrData' | 'OnReceiveMsg'>(event: K, ...args: APIServerEvents[K]) => void;

/** Why a TR cannot be requested, naming the REST api-id to use where one exists. */
function unmappedTr(trcode: string): Refusal {
  const legacyOnly = getLegacyOnlyTr(trcode);
  if (legacyOnly !== undefined) {
    return refuse('OP_ERR_RQ_STRUCT_FAIL', `TR ${trcode} (${legacyOnly.name}) has no Kiwoom REST equivalent`);
  }
  const rest = getApi(trcode);
  if (rest !== undefined) {
    const legacy = trCodesForApi(rest.id);
    return refuse('OP_ERR_RQ_STRUCT_FAIL', `${trcode} is a Kiwoom REST api-id (${rest.name}), not a legacy TR code: ${legacy.length > 0 ? `use CommRqData with ${legacy.join(' or ')}, or ` : ''}call KiwoomRest.call('${rest.id}', ...)`);
  }
  const upper = trcode.toUpperCase();
  const api = allApis().find((a) => a.legacy.includes(upper));
  if (api !== undefined) {
    return refuse('OP_ERR_RQ_STRUCT_FAIL', `TR ${trcode} is not mapped for CommRqData; Kiwoom REST answers it as api-id ${api.id} (${api.name}): call it with KiwoomRest.call('${api.id}', ...)`);
  }
  return refuse('OP_ERR_RQ_STRUCT_FAIL', `TR ${trcode} is unknown: it is neither a legacy TR with a REST twin nor a documented api-id`);
}

/** Answers kept readable after their event, by `trcode|rqname`, oldest dropped first. */
export const KEPT_ANSWERS = 64;

/** TR queries of one APIServer. */
export class TrQueries {
  private inputs = new Map<string, string>();
  private readonly continuation = new Map<string, string>();
  /** Recent answers by `trcode|rqname` (insertion order = age), at most {@link KEPT_ANSWERS}. */
  private readonly results = new Map<string, TrResult>();
  /** The latest answer per TR code, for reads that name the record or "" instead of the rqname. */
  private readonly latest = new Map<string, TrResult>();
  /** The answer whose OnReceiveTrData is being raised. */
  private current: TrResult | undefined;
  /** Settles when every earlier request has delivered its events. */
  private tail: Promise<void> = Promise.resolve();
  private readonly warned = new Set<string>();

  constructor(
    private readonly rest: RestPort,
    private readonly emit: Emit,
    private readonly warn: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** SetInputValue(name, value): kept until the next CommRqData. */
  setInput(name: string, value: string): void {
    // A JS caller can pass anything; the OCX took two BSTRs, so anything else is named and ignored.
    if (typeof name !== 'string' || typeof value !== 'string') {
      this.warnOnce('in|types', `SetInputValue takes two strings (name, value), got ${typeof name} and ${typeof value}; ignored`);
      return;
    }
    this.inputs.set(name.trim(), value);
  }

  /** CommRqData(rqname, trcode, prevNext, screen). Resolves after OnReceiveTrData and OnReceiveMsg. */
  async request(rqname: string, trcode: string, prevNext: number, screen: string): Promise<Refusal | undefined> {
    const inputs = this.inputs;
    // The OCX wants inputs re-set before every request, continuation included.
    this.inputs = new Map();
    const mapping = typeof trcode === 'string' ? getTrMapping(trcode) : undefined;
    if (mapping === undefined) return unmappedTr(String(trcode));
    const bad = checkScreen(screen) ?? (prevNext !== 0 && prevNext !== 2 ? refuse('OP_ERR_INPUT', `prevNext must be 0 (first page) or 2 (next page), got ${String(prevNext)}`) : undefined);
    if (bad !== undefined) return bad;
    const built = this.buildBody(trcode, mapping, inputs);
    if (isRefusal(built)) return built;
    const contKey = `${screen}|${trcode.toLowerCase()}`;
    const nextKey = this.continuation.get(contKey);
    if (prevNext === 2 && nextKey === undefined) {
      return refuse('OP_ERR_INPUT', `CommRqData(prevNext 2) for ${trcode} on screen ${screen}: no previous page said there was more (OnReceiveTrData prevNext "2")`);
    }
    return this.inOrder(async () => this.rest.call(mapping.apiId, built, prevNext === 2 && nextKey !== undefined ? { contYn: 'Y', nextKey } : {}), (answer) => {
      if (answer.contYn === 'Y') this.continuation.set(contKey, answer.nextKey);
      else this.continuation.delete(contKey);
      const result = new TrResult(trcode, rqname, mapping, answer.body);
      this.deliver(screen, result, answer.contYn === 'Y' ? '2' : '0', String(answer.body['return_msg'] ?? '').trim());
    }, (refusal) => this.emit('OnReceiveMsg', screen, rqname, trcode, refusal.message));
  }

  /**
   * Sends at once (the rate limiter queues), but raises the events only after every earlier
   * request raised its own, so that answers come back in call order. A refusal is said on
   * OnReceiveMsg in its place, once: it comes back marked `reported`.
   */
  private async inOrder<T>(send: () => Promise<T>, deliver: (answer: T) => void, refused: (r: Refusal) => void): Promise<Refusal | undefined> {
    const before = this.tail;
    let done!: () => void;
    this.tail = new Promise<void>((resolve) => (done = resolve));
    const sent = send().then(
      (answer) => ({ answer }),
      (err: unknown) => ({ refusal: failed(err, 'query') }),
    );
    try {
      const [outcome] = await Promise.all([sent, before]);
      if ('refusal' in outcome) {
        refused(outcome.refusal);
        return { ...outcome.refusal, reported: true };
      }
      deliver(outcome.answer);
      return undefined;
    } finally {
      done();
    }
  }

  /**
   * CommKwRqData(codes, next, count, typeFlag, rqname, screen): the OPTKWFID snapshot of up to
   * 100 codes, as ka10095 with `|`-joined codes. OnReceiveTrData names the TR `OPTKWFID`.
   */
  async kwRequest(codeList: string, next: number, count: number, typeFlag: number, rqname: string, screen: string): Promise<Refusal | undefined> {
    if (typeFlag === 3) return refuse('OP_ERR_RQ_STRUCT_FAIL', 'CommKwRqData nTypeFlag 3 (futures/options, OPTFOFID): Kiwoom REST has no futures/options quotes');
    if (typeFlag !== 0) return refuse('OP_ERR_INPUT', `CommKwRqData nTypeFlag must be 0 (stocks) or 3 (futures/options), got ${String(typeFlag)}`);
    if (next !== 0) return refuse('OP_ERR_INPUT', `CommKwRqData bNext must be 0: the OCX did not support continuation, got ${String(next)}`);
    const codes = codeList.split(';').map((c) => c.trim()).filter((c) => c !== '');
    if (codes.length === 0) return refuse('OP_ERR_INPUT', 'CommKwRqData sArrCode is empty: give codes joined by ";"');
    if (codes.length > 100) return refuse('OP_ERR_OVER_MAX_DATA', `CommKwRqData takes at most 100 codes, got ${codes.length}`);
    // The OCX trusted nCodeCount for the buffer size; a count that disagrees with the list is
    // most often a stale variable, and the list is what the program means.
    if (count !== codes.length) this.warnOnce(`kw|count`, `CommKwRqData: nCodeCount ${String(count)} differs from the ${codes.length} codes in sArrCode; the codes are used`);
    this.inputs = new Map([['종목코드', codes.join('|')]]);
    return this.request(rqname, 'OPTKWFID', 0, screen);
  }

  /**
   * Makes a result current and raises OnReceiveTrData then OnReceiveMsg (the order answer uses
   * this too, with a one-field result holding 주문번호).
   */
  deliver(screen: string, result: TrResult, prevNext: string, msg: string): void {
    this.keep(result);
    this.current = result;
    try {
      this.emit('OnReceiveTrData', screen, result.rqname, result.trcode, result.recordName, prevNext, 0, '', '', '');
    } finally {
      this.current = undefined;
    }
    this.emit('OnReceiveMsg', screen, result.rqname, result.trcode, msg);
  }

  private keep(result: TrResult): void {
    const code = result.trcode.toLowerCase();
    const key = `${code}|${result.rqname}`;
    this.results.delete(key);
    this.results.set(key, result);
    if (this.results.size > KEPT_ANSWERS) {
      const oldest = this.results.keys().next().value;
      if (oldest !== undefined) this.results.delete(oldest);
    }
    this.latest.set(code, result);
  }

  /** GetCommData(trcode, rqname, index, item). */
  data(trcode: string, rqname: string, index: number, item: string): string {
    const result = this.resultFor(trcode, rqname);
    if (result === undefined) return '';
    const { value, known } = result.value(index, item);
    if (!known) this.warnOnce(`${result.trcode}|${item}`, `GetCommData: "${item.trim()}" is not an output of ${result.trcode} that Kiwoom REST delivers; returning ""`);
    return value;
  }

  /** GetRepeatCnt(trcode, rqname). */
  repeatCount(trcode: string, rqname: string): number {
    return this.resultFor(trcode, rqname)?.repeatCount() ?? 0;
  }

  /** GetCommDataEx(trcode, record): the repeated record as rows × outputs, [] when there is no answer. */
  table(trcode: string, rqname: string): string[][] {
    return this.resultFor(trcode, rqname)?.table() ?? [];
  }

  /** What the TR getters read of the answer GetCommData(trcode, rqname, ...) reads (undefined when none). */
  snapshot(trcode: string, rqname: string): TrSnapshot | undefined {
    return this.resultFor(trcode, rqname)?.snapshot();
  }

  /** GetDataCount(record): rows of that record in the answer being handled (or the latest one). */
  dataCount(recordName: string): number {
    return this.recordHolder(recordName)?.dataCount(recordName) ?? 0;
  }

  /** GetOutputValue(record, row, item): by output index, in the answer being handled (or the latest one). */
  outputValue(recordName: string, row: number, item: number): string {
    return this.recordHolder(recordName)?.outputValue(recordName, row, item) ?? '';
  }

  /** The answer GetDataCount / GetOutputValue read: they name a record, not a TR. */
  private recordHolder(recordName: string): TrResult | undefined {
    if (this.current !== undefined) return this.current;
    const name = recordName.trim();
    return [...this.latest.values()].reverse().find((r) => r.mapping.multi?.record === name || r.mapping.single?.record === name);
  }

  /**
   * The result being read: the current event's when it is for this TR (consumers pass rqname,
   * the record name or "" as the second argument, so the event, not the argument, decides);
   * outside the event, the kept answer of that TR and rqname, else that TR's latest. Never an
   * answer of another TR: a name two TRs share would read the wrong value.
   */
  private resultFor(trcode: string, rqname: string): TrResult | undefined {
    if (typeof trcode !== 'string') return undefined;
    const code = trcode.trim().toLowerCase();
    if (this.current !== undefined && this.current.trcode.toLowerCase() === code) return this.current;
    return this.results.get(`${code}|${rqname}`) ?? this.latest.get(code);
  }

  private buildBody(trcode: string, mapping: TrMapping, inputs: Map<string, string>): Record<string, string> | Refusal {
    const body: Record<string, string> = {};
    const defaults = trInputDefaults(trcode);
    for (const [name, key] of Object.entries(mapping.inputs)) {
      let value = (inputs.get(name) ?? '').trim();
      const fallback = Object.hasOwn(defaults, name) ? defaults[name] : undefined;
      if (value === '' && fallback !== undefined) {
        // Kiwoom REST requires what the OCX let a program leave blank (compat/tr-defaults.json).
        value = fallback.value === '{today}' ? kstDay(this.now()) : fallback.value;
        this.warnOnce(`${trcode}|default|${name}`, `${trcode}: input "${name}" was not set; sending ${value} (${fallback.why})`);
      }
      body[key] = value;
    }
    for (const key of Object.keys(mapping.restOnlyInputs ?? {})) body[key] = Object.hasOwn(FACADE.requestDefaults, key) ? (FACADE.requestDefaults[key] ?? '') : '';
    const implicit = new Set(mapping.implicitInputs ?? []);
    for (const name of inputs.keys()) {
      if (!Object.hasOwn(mapping.inputs, name) && !implicit.has(name)) {
        this.warnOnce(`${trcode}|in|${name}`, `SetInputValue: "${name}" is not an input of ${trcode} that Kiwoom REST takes; ignored`);
      }
    }
    const spec = getApi(mapping.apiId);
    const keyToName = new Map(Object.entries(mapping.inputs).map(([n, k]) => [k, n]));
    for (const field of spec?.request ?? []) {
      if (field.required && (body[field.key] ?? '') === '' && keyToName.has(field.key)) {
        return refuse('OP_ERR_RQ_STRING_FAIL', `${trcode}: input "${keyToName.get(field.key) ?? field.key}" is required (SetInputValue before CommRqData)`);
      }
    }
    return body;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warn(message);
  }
}
