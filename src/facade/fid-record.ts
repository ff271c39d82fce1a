/**
 * Event payloads that read both ways, so that a program need not say which style it is:
 *
 * - OnReceiveRealData's third argument is the FID dictionary the `api_server` sketch reads
 *   (`data['10']`) and also the OCX's sRealData: every method of a string, `String(data)` and
 *   `${data}` answer the TAB-joined values in the real type's OCX FID order, so OCX code's
 *   `sRealData.split('\t')[1]` reads what it read from the control.
 * - OnReceiveChejanData's second argument is the FID dictionary and also the OCX's nItemCnt
 *   (`Number(x)`, arithmetic and comparisons give the FID count); the third is sFIdList.
 *
 * The dictionary is the object's own enumerable keys (so JSON, `Object.entries` and the bridge
 * see only FIDs); the string or number behaviour lives on a shared prototype.
 */
import { REAL_TYPES } from '../compat/real-types.js';
import type { ChejanData, FidValues, RealData } from './events.js';

/** String methods answered from the TAB-joined text. */
const STRING_METHODS = Object.getOwnPropertyNames(String.prototype).filter(
  (name) => name !== 'constructor' && name !== 'length' && typeof (String.prototype as unknown as Record<string, unknown>)[name] === 'function',
);

/** A prototype whose string face joins the record's FIDs in `order`. */
function realProto(order: readonly number[]): object {
  const text = function (this: Record<string, string>): string {
    let out = '';
    for (let i = 0; i < order.length; i++) out += (i === 0 ? '' : '\t') + (this[order[i] as number] ?? '');
    return out;
  };
  const proto: Record<string | symbol, unknown> = {};
  for (const name of STRING_METHODS) {
    const method = (String.prototype as unknown as Record<string, (...a: unknown[]) => unknown>)[name] as (...a: unknown[]) => unknown;
    proto[name] = function (this: Record<string, string>, ...args: unknown[]): unknown {
      return method.apply(text.call(this), args);
    };
  }
  proto['toString'] = text;
  proto['valueOf'] = text;
  proto[Symbol.toPrimitive] = text;
  proto[Symbol.iterator] = function (this: Record<string, string>) {
    return text.call(this)[Symbol.iterator]();
  };
  Object.defineProperty(proto, 'length', { get: function (this: Record<string, string>) { return text.call(this).length; } });
  // Non-enumerable: the dictionary stays the FIDs alone.
  for (const key of Reflect.ownKeys(proto)) Object.defineProperty(proto, key, { enumerable: false });
  return Object.freeze(proto);
}

const REAL_PROTOS = new Map(Object.values(REAL_TYPES).map((t) => [t.code, realProto(t.ocxFids.length > 0 ? t.ocxFids : t.fids)]));

/**
 * The frame's own values, given the string face of their real type (no copy: the hot path).
 * The values object belongs to this event from here on.
 */
export function realData(type: string, values: FidValues): RealData {
  const proto = REAL_PROTOS.get(type);
  if (proto !== undefined && Object.getPrototypeOf(values) !== proto) Object.setPrototypeOf(values, proto);
  return values as RealData;
}

const CHEJAN_PROTO: object = Object.freeze(
  Object.defineProperties(Object.create(Object.prototype) as object, {
    valueOf: { value: function (this: object) { return Object.keys(this).length; } },
    toString: { value: function (this: object) { return String(Object.keys(this).length); } },
    [Symbol.toPrimitive]: { value: function (this: object, hint: string) { const n = Object.keys(this).length; return hint === 'string' ? String(n) : n; } },
  }),
);

/** A chejan FID dictionary that is also the OCX's nItemCnt, and the sFIdList in `order`. */
export function chejanData(fids: FidValues, order: readonly number[]): { data: ChejanData; fidList: string } {
  const data = Object.assign(Object.create(CHEJAN_PROTO) as Record<string, string>, fids);
  const listed = order.map(String).filter((f) => Object.hasOwn(data, f));
  const seen = new Set(listed);
  for (const f of Object.keys(data)) if (!seen.has(f)) listed.push(f);
  return { data: data as unknown as ChejanData, fidList: listed.join(';') };
}
