/**
 * compat/real-types.json: each REST WebSocket real-time type with its OCX real-type name, the
 * OCX event that delivers it, and the FIDs each side carries. REST type codes are the OCX GIDC
 * codes and FID numbers are shared, so one table serves both directions.
 */
import { minus } from './sources.mjs';

/** How a type's REG `item` is filled, read from the websocket.json notes. */
function itemKind(wsType) {
  const note = wsType.item?.note ?? '';
  if (wsType.type === '02') return 'condition';
  if (wsType.item?.account_level) return 'account';
  if (note.startsWith('업종코드')) return 'sector';
  if (note.startsWith('MGD')) return 'gold';
  if (note.includes('empty item')) return 'market';
  return 'stock';
}

export function buildRealTypes({ ws, ocxFids, realTypeOverrides }) {
  const ocxByGidc = new Map();
  for (const rt of ocxFids.real_types) {
    ocxByGidc.set(rt.rest_ws_type ?? rt.gidc, rt);
  }
  const types = {};
  for (const wsType of ws.real_types) {
    const code = wsType.type;
    const ocx = ocxByGidc.get(code);
    const override = realTypeOverrides.types[code] ?? {};
    const fids = wsType.fids.map((f) => Number(f.fid));
    const ocxFidList = ocx?.fids_nkrealtime ?? [];
    const item = itemKind(wsType);
    types[code] = {
      code,
      restName: wsType.name_ko,
      ocxName: override.ocxName ?? ocx?.ocx_real_type_name ?? wsType.name_ko,
      event: override.event ?? ocx?.delivery ?? 'OnReceiveRealData',
      ...(ocx?.chejan_gubun === undefined ? {} : { chejanGubun: ocx.chejan_gubun }),
      item,
      items: override.items ?? [item],
      ...(override.instruments ? { instruments: override.instruments } : {}),
      fids,
      ocxFids: ocxFidList,
      notDelivered: minus(ocxFidList, fids),
      restOnly: minus(fids, ocxFidList),
      ...(override.note ? { note: override.note } : {}),
    };
  }
  return {
    generatedFrom: 'fixtures/kiwoom-rest/websocket.json real_types + fixtures/ocx/fids.json real_types + scripts/data/real-type-overrides.json',
    notes: realTypeOverrides.notes,
    types,
  };
}
