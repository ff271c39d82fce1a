/**
 * compat/live.json: the live WebSocket limits and return codes (REG rate, item caps, 6-digit
 * refusal codes) from the fixture copy of LIVE.md's facts. Every figure and code is checked
 * against the LIVE.md row it cites, so that the copy cannot drift from the recordings' summary.
 */

/** LIVE.md's ranked table: row number -> the row's text. */
function rankedRows(liveMd) {
  const rows = new Map();
  for (const line of liveMd.split('\n')) {
    const m = /^\| (\d+) \|(.*)$/.exec(line);
    if (m) rows.set(Number(m[1]), m[2]);
  }
  if (rows.size === 0) throw new Error('live: no ranked rows found in fixtures/kiwoom-rest/LIVE.md');
  return rows;
}

function rowText(rows, row, key) {
  const text = rows.get(row);
  if (text === undefined) throw new Error(`live: ${key} cites LIVE.md row ${row}, which does not exist`);
  return text;
}

export function buildLive({ liveLimits, liveMd }) {
  const rows = rankedRows(liveMd);
  const limits = {};
  for (const l of liveLimits.limits) {
    const text = rowText(rows, l.row, l.key);
    if (!text.includes(l.quote)) throw new Error(`live: ${l.key} quotes "${l.quote}", not in LIVE.md row ${l.row}`);
    if (!/^\d+$/.test(String(l.value))) throw new Error(`live: ${l.key} must be a whole number`);
    limits[l.key] = l.value;
  }
  const codes = {};
  for (const c of liveLimits.codes) {
    const text = rowText(rows, c.row, c.key);
    if (!text.includes(String(c.rc))) throw new Error(`live: ${c.key} rc ${c.rc} is not in LIVE.md row ${c.row}`);
    if (c.exact && !text.includes(c.message)) throw new Error(`live: ${c.key}'s exact message is not the one in LIVE.md row ${c.row}`);
    if (!/^\d{6}$/.test(String(c.rc))) throw new Error(`live: ${c.key} rc ${c.rc} is not a 6-digit code`);
    codes[c.key] = { rc: c.rc, message: c.message, exact: c.exact };
  }
  for (const b of liveLimits.behaviour) rowText(rows, b.row, b.key);
  return {
    generatedFrom: 'fixtures/kiwoom-rest/live-limits.json, checked against fixtures/kiwoom-rest/LIVE.md',
    notes: [
      ...liveLimits.limits.map((l) => `${l.key} (LIVE.md row ${l.row}): ${l.note}`),
      ...liveLimits.codes.map((c) => `${c.key} ${c.rc} (LIVE.md row ${c.row}): ${c.note}`),
      ...liveLimits.behaviour.map((b) => `${b.key} (LIVE.md row ${b.row}): ${b.text}`),
    ],
    websocket: { ...limits, codes },
  };
}
