/**
 * compat/orders.json: SendOrder / SendOrderCredit arguments -> REST order api-ids and fields.
 * nOrderType and sCreditGb rows come from scripts/data/order-rules.json; sHogaGb rows come
 * from the OCX code table and are checked against the trde_tp codes kt10000 documents.
 */

/** `0:보통 , 3:시장가 , ...` (kt10000 trde_tp description) -> { '0': '보통', ... }. */
export function documentedTradeTypes(spec) {
  const field = spec.apis.kt10000.request_fields.find((f) => f.key === 'trde_tp');
  const out = {};
  for (const part of field.description.split(',')) {
    const m = /^\s*(\d+)\s*:\s*(.+?)\s*$/.exec(part);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

function withNames(rows, names) {
  const out = {};
  for (const [n, row] of Object.entries(rows)) out[n] = { name: names[n].split(' ')[0], ...row };
  return out;
}

export function buildOrders({ spec, codes, orderRules }) {
  const documented = documentedTradeTypes(spec);
  const hoga = {};
  for (const [code, row] of Object.entries(codes.send_order_sHogaGb)) {
    if (!/^\d{2}$/.test(code)) continue;
    const trdeTp = String(Number(code));
    if (!Object.hasOwn(documented, trdeTp)) throw new Error(`orders: sHogaGb ${code} has no documented trde_tp ${trdeTp}`);
    hoga[code] = {
      name: row.ko,
      en: row.en,
      trdeTp,
      needsPrice: row.price === 'required',
      mock: orderRules.mockHoga.includes(code),
    };
  }
  const mapped = new Set(Object.values(hoga).map((h) => h.trdeTp));
  const restOnlyTradeTypes = Object.fromEntries(Object.entries(documented).filter(([c]) => !mapped.has(c)));
  const nOrderNames = codes.send_order_nOrderType;
  return {
    generatedFrom: 'scripts/data/order-rules.json + fixtures/ocx/codes.json send_order_* + fixtures/kiwoom-rest/spec.json kt10000 trde_tp',
    notes: orderRules.notes,
    orderTypes: withNames(orderRules.orderTypes, nOrderNames),
    creditOrderTypes: withNames(orderRules.creditOrderTypes, nOrderNames),
    unsupportedOrderTypes: Object.fromEntries(
      Object.entries(nOrderNames).filter(([n]) => !Object.hasOwn(orderRules.orderTypes, n)),
    ),
    creditGb: orderRules.creditGb,
    requestKeys: orderRules.requestKeys,
    hoga,
    tradeTypes: documented,
    restOnlyTradeTypes,
    tickSizes: orderRules.tickSizes,
  };
}
