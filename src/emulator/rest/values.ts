/**
 * Plausible values for documented response keys: the official example's value for that
 * API, else any example's value for that key, else a rule by key suffix or Korean name
 * (compat/emulator/samples.json and value-rules.json).
 */
import type { ApiSpec, FieldSpec } from '../../registry/index.js';
import { loadEmulatorData } from '../data.js';
import { kstDate, kstTime } from '../state/clock.js';

type Rec = Record<string, string>;
interface SamplesFile {
  apis: Record<string, { scalars: Rec; lists: Record<string, Rec[]> }>;
  byKey: Rec;
}
interface ValueRule {
  nameIncludes?: string;
  keySuffix?: string;
  value: string;
}

const samples = loadEmulatorData<SamplesFile>('samples');
const valueRules = loadEmulatorData<{ rules: ValueRule[]; default: string }>('value-rules');

function fallback(field: FieldSpec, nowMs: number): string {
  const rule = valueRules.rules.find(
    (r) => (r.nameIncludes !== undefined && field.name.includes(r.nameIncludes)) || (r.keySuffix !== undefined && field.key.endsWith(r.keySuffix)),
  );
  const v = rule?.value ?? valueRules.default;
  if (v === '$date') return kstDate(nowMs);
  if (v === '$time') return kstTime(nowMs);
  return v;
}

function valueOf(field: FieldSpec, own: Rec | undefined, nowMs: number): string {
  return own?.[field.key] ?? samples.byKey[field.key] ?? fallback(field, nowMs);
}

/**
 * A response carrying exactly the API's documented keys: scalars at the top, each list as an
 * array of records with the list's documented keys.
 */
export function sampleResponse(api: ApiSpec, nowMs: number): Record<string, unknown> {
  const own = samples.apis[api.id];
  const out: Record<string, unknown> = {};
  for (const f of api.response) {
    if (f.list !== undefined) continue;
    if (f.type === 'LIST') {
      const children = api.response.filter((c) => c.list === f.key);
      const rows = own?.lists[f.key]?.length ? (own.lists[f.key] as Rec[]) : [{}];
      out[f.key] = rows.map((row) => Object.fromEntries(children.map((c) => [c.key, valueOf(c, row, nowMs)])));
    } else {
      out[f.key] = valueOf(f, own?.scalars, nowMs);
    }
  }
  return out;
}

/** One list record of the API's documented keys, from its first example record. */
export function sampleRecord(api: ApiSpec, listKey: string, nowMs: number): Rec {
  const row = samples.apis[api.id]?.lists[listKey]?.[0];
  return Object.fromEntries(api.response.filter((c) => c.list === listKey).map((c) => [c.key, valueOf(c, row, nowMs)]));
}
