/**
 * OnReceiveRealData in the bridge's compact form: `[code, schema, "v\tv\t..."]`, the values of
 * a real type joined by TAB in the OCX's sRealData order, after a schema message that names the
 * real type and its FIDs once: `{"schema": 3, "real": "주식체결", "fids": ["20", "10", ...], "ocx": 38}`
 * (`ocx`: how many leading FIDs make the OCX's sRealData; the rest are what REST adds).
 *
 * Why: the reader parses a short string instead of a 40-key object per quote (several times
 * cheaper in Python), and the string is the OCX's own sRealData argument. A schema starts from
 * the type's OCX FIDs (compat/real-types.json `ocxFids`, so positions match the OCX's), then the
 * FIDs REST adds; a frame carrying a FID outside it gets a new, wider schema. A FID the frame
 * lacks reads "". A value that is not a string or holds a TAB cannot ride in the joined form:
 * that quote goes as a plain event instead.
 */
import { realTypeByOcxName } from '../compat/real-types.js';

interface Schema {
  id: number;
  fids: string[];
  /** How many leading FIDs make the OCX's sRealData (the rest are what REST adds). */
  ocx: number;
}

/** Encodes quotes; one per bridge, since schema numbers are per output stream. */
export class QuoteEncoder {
  readonly #byName = new Map<string, Schema>();
  #nextId = 1;

  /**
   * The compact message for one quote, or undefined when it must go as a plain event.
   * `define` receives a schema message to write first (before this quote) when one is needed.
   */
  encode(code: string, name: string, values: Readonly<Record<string, unknown>>, define: (text: string) => void): string | undefined {
    let schema = this.#byName.get(name) ?? this.#define(name, ...baseFids(name), define);
    let joined = join(schema.fids, values);
    if (joined === undefined) return undefined;
    if (joined.present !== countKeys(values)) {
      const wider = [...schema.fids, ...Object.keys(values).filter((k) => !schema.fids.includes(k))];
      schema = this.#define(name, wider, schema.ocx, define);
      joined = join(schema.fids, values);
      if (joined === undefined) return undefined;
    }
    return `[${JSON.stringify(code)},${schema.id},${JSON.stringify(joined.text)}]`;
  }

  #define(name: string, fids: string[], ocx: number, define: (text: string) => void): Schema {
    const schema = { id: this.#nextId++, fids, ocx };
    this.#byName.set(name, schema);
    define(JSON.stringify({ schema: schema.id, real: name, fids, ocx }));
    return schema;
  }
}

/** The OCX's FIDs of a real type in sRealData order, then the ones REST adds; and how many are the OCX's. */
function baseFids(name: string): [string[], number] {
  const spec = realTypeByOcxName(name);
  if (spec === undefined) return [[], 0];
  const fids = spec.ocxFids.map(String);
  for (const f of spec.fids) if (!spec.ocxFids.includes(f)) fids.push(String(f));
  // A type the OCX never had: its sRealData is REST's own order (as the facade's string face).
  return [fids, spec.ocxFids.length > 0 ? spec.ocxFids.length : fids.length];
}

function join(fids: readonly string[], values: Readonly<Record<string, unknown>>): { text: string; present: number } | undefined {
  const parts = new Array<string>(fids.length);
  let present = 0;
  for (let i = 0; i < fids.length; i++) {
    const v = values[fids[i]!];
    if (v === undefined) {
      parts[i] = '';
      continue;
    }
    if (typeof v !== 'string' || v.includes('\t')) return undefined;
    parts[i] = v;
    present++;
  }
  return { text: parts.join('\t'), present };
}

function countKeys(values: Readonly<Record<string, unknown>>): number {
  let n = 0;
  for (const key in values) if (Object.hasOwn(values, key)) n++;
  return n;
}
