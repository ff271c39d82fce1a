/**
 * compat/fids.json: the FID dictionary for every FID a delivered real type or chejan list
 * carries (either side), with the KOA Korean name, a reviewed English gloss where one exists,
 * and the REST name when Kiwoom's REST documents it under another wording.
 */
import { byNumberThenText } from './sources.mjs';

/** Glosses worth shipping: hand-written or pattern-generated; machine glosses are too rough. */
const GLOSS_QUALITY = new Set(['manual', 'pattern']);

export function relevantFids({ ws, ocxFids }) {
  const set = new Set();
  for (const rt of ocxFids.real_types) {
    if (!rt.rest_ws_type && rt.gidc !== '02') continue;
    for (const f of [...rt.fids_nkrealtime, ...(rt.fids_rest_2025 ?? [])]) set.add(f);
  }
  for (const gubun of ['0', '1', '4']) {
    const c = ocxFids.chejan[gubun];
    for (const f of [...c.fids_nkrealtime, ...(c.fids_rest_2025 ?? [])]) set.add(f);
  }
  for (const rt of ws.real_types) for (const f of rt.fids) set.add(Number(f.fid));
  for (const f of ws.fid_dictionary) set.add(Number(f.fid));
  return set;
}

export function buildFids(sources) {
  const { ws, ocxFids } = sources;
  const restNames = new Map(ws.fid_dictionary.map((f) => [f.fid, f.names]));
  const ids = [...relevantFids(sources)].map(String).sort(byNumberThenText);
  const fids = {};
  for (const id of ids) {
    const ocx = ocxFids.fids[id];
    const rest = restNames.get(id) ?? [];
    const name = ocx?.name_ko ?? rest[0] ?? ocx?.alt_names_ko?.[0]?.name ?? null;
    const entry = { name };
    if (ocx && GLOSS_QUALITY.has(ocx.name_en_quality) && ocx.name_en && ocx.name_en !== '(unnamed)') entry.en = ocx.name_en;
    if (rest[0] && rest[0] !== name) entry.rest = rest[0];
    fids[id] = entry;
  }
  return {
    generatedFrom: 'fixtures/ocx/fids.json (KOA names, reviewed glosses) + fixtures/kiwoom-rest/websocket.json fid_dictionary (REST names)',
    fids,
  };
}
