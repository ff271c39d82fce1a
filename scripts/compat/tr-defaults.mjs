/**
 * compat/tr-defaults.json: for each legacy TR, the inputs Kiwoom REST requires that a program
 * may leave unset, with the value the facade sends in their place and why. Hand rows come from
 * scripts/data/tr-input-defaults.json; a required input whose REST legend has a 전체 (all)
 * value gets that value. Every row names an input the TR maps onto a required REST key.
 */
import { buildTrMap } from './tr-map.mjs';

/** The value of a legend's 전체 entry (`0:전체, 1:매도` → `0`), or undefined. */
function allValue(description) {
  const m = /(?:^|[\s,])([0-9A-Z%]{1,2})\s*:\s*전체(?![가-힣])/.exec(description ?? '');
  return m?.[1];
}

export function buildTrDefaults(sources) {
  const { spec, trInputDefaults } = sources;
  const trs = buildTrMap(sources).trs;
  const out = {};
  for (const [tr, m] of Object.entries(trs)) {
    const fields = new Map(spec.apis[m.apiId].request_fields.map((f) => [f.key, f]));
    const rows = {};
    for (const [name, key] of Object.entries(m.inputs)) {
      const field = fields.get(key);
      if (field?.required !== 'Y') continue;
      const hand = trInputDefaults.byTr[tr]?.[name] ?? trInputDefaults.byName[name];
      const all = allValue(field.description);
      if (hand !== undefined) rows[name] = hand;
      else if (all !== undefined) rows[name] = { value: all, why: `the legend's 전체 (all) value: a blank asked for no filter (${field.description.replace(/\s+/g, ' ').trim()})` };
    }
    if (Object.keys(rows).length > 0) out[tr] = rows;
  }
  for (const [tr, rows] of Object.entries(trInputDefaults.byTr)) {
    for (const name of Object.keys(rows)) {
      if (out[tr]?.[name] === undefined) throw new Error(`tr-defaults: ${tr} ${name} is not an input the TR maps onto a required REST key`);
    }
  }
  return {
    generatedFrom: 'compat/tr-map.json + fixtures/kiwoom-rest/spec.json required inputs + scripts/data/tr-input-defaults.json',
    notes: trInputDefaults.notes,
    trs: out,
  };
}
