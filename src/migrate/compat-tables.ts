/** {@link ScanTables} over the shipped compat tables (compat/*.json through src/compat). */
import { getLegacyOnlyTr, getTrMapping, type TrMapping } from '../compat/tr-map.js';
import { realTypesForFids, undeliveredFids, type RealItemKind } from '../compat/real-types.js';
import { CHEJAN } from '../compat/chejan.js';
import { fidName } from '../compat/fids.js';
import { getCreditOrderType, getHoga, getOrderType } from '../compat/orders.js';
import { loadTable } from '../compat/load.js';
import { trInputDefaults } from '../compat/tr-defaults.js';
import { getApi } from '../registry/index.js';
import { checkScreen } from '../facade/real-data.js';
import type { ScanTables, TrRow } from './tables.js';

let cached: ScanTables | undefined;

/** The scanner's lookups over compat/*.json (built once). */
export function compatTables(): ScanTables {
  cached ??= build();
  return cached;
}

function build(): ScanTables {
  const implicit = loadTable<{ implicitInputs: Record<string, string> }>('tr-map.json').implicitInputs;
  const chejanDelivered = new Set(Object.values(CHEJAN.gubun).flatMap((g) => g.restFids));
  return {
    tr: (code) => {
      const m = getTrMapping(code);
      return m === undefined ? undefined : trRow(m, code);
    },
    legacyOnly: (code) => getLegacyOnlyTr(code)?.name,
    implicitInput: (name) => (Object.hasOwn(implicit, name) ? implicit[name] : undefined),
    orderApi: (orderType, credit) => (credit ? getCreditOrderType(orderType) : getOrderType(orderType))?.apiId,
    hoga: (code) => {
      const h = getHoga(code);
      return h === undefined ? undefined : { trdeTp: h.trdeTp, name: h.name, needsPrice: h.needsPrice, mock: h.mock };
    },
    realTypesFor: (fids, codes) => {
      const kinds = new Set(codes === undefined ? ['stock'] : (codes.length === 0 ? [''] : codes).map(itemKind));
      const types = realTypesForFids(fids).filter((t) => t.items.some((k) => kinds.has(k)));
      // A market-wide list names its type by the whole FID list ("215;20;214" → 장시작시간).
      const exact = kinds.has('market') ? types.filter((t) => fids.every((f) => t.fids.includes(f))) : [];
      return (exact.length > 0 ? exact : types).map((t) => ({ code: t.code, name: t.ocxName }));
    },
    undeliveredReal: (fids) => undeliveredFids(fids),
    undeliveredChejan: (fids) => fids.filter((f) => !chejanDelivered.has(f)),
    fidName: (fid) => fidName(fid),
    isScreen: (screen) => checkScreen(screen) === undefined,
  };
}

/** What kind of item a SetRealReg code is; the same reading the facade's real-data module makes. */
function itemKind(code: string): RealItemKind {
  if (code === '') return 'market';
  if (/^\d{3}$/.test(code)) return 'sector';
  if (/^MG[DU]$/.test(code)) return 'gold';
  return 'stock';
}

function trRow(m: TrMapping, code: string): TrRow {
  const outputs = { ...m.single?.shared, ...m.single?.fields, ...m.multi?.shared, ...m.multi?.fields };
  if (m.rowCountField !== undefined) outputs[m.rowCountField] ??= '(row count)';
  const required = new Set((getApi(m.apiId)?.request ?? []).filter((f) => f.required).map((f) => f.key));
  const defaults = Object.fromEntries(Object.entries(trInputDefaults(code)).map(([name, d]) => [name, d.value]));
  return {
    apiId: m.apiId, name: m.name, inputs: m.inputs, outputs, implicitInputs: m.implicitInputs ?? [], unmappedInputs: m.unmapped.inputs, unmappedOutputs: m.unmapped.outputs,
    requiredInputs: Object.entries(m.inputs).filter(([, key]) => required.has(key)).map(([name]) => name),
    inputDefaults: defaults,
  };
}
