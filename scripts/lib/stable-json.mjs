/**
 * Deterministic JSON text for generated tables: objects keep the key order the generator
 * built (generators insert keys in a fixed order), containers that fit on one line are
 * written on one line, as are lists of plain values, and everything at `inlineDepth` or deeper is always one line. This
 * keeps the shipped files small and their diffs readable, and lets staleness tests compare
 * the committed text with a fresh in-memory build byte for byte.
 */

const LINE = 110;

/**
 * @param {unknown} value
 * @param {number} [inlineDepth]
 * @returns {string}
 */
export function stableJson(value, inlineDepth = 4) {
  return `${render(value, 0, inlineDepth)}\n`;
}

function entriesOf(value) {
  return Object.entries(value).filter(([, v]) => v !== undefined);
}

function oneLine(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  return `{${entriesOf(value).map(([k, v]) => `${JSON.stringify(k)}: ${oneLine(v)}`).join(', ')}}`;
}

/** Lists of numbers or strings read best on one line however long (FID lists). */
function isFlatArray(value) {
  return Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object');
}

function render(value, depth, inlineDepth) {
  const line = oneLine(value);
  if (value === null || typeof value !== 'object' || depth >= inlineDepth || line.length <= LINE - depth * 2 || isFlatArray(value)) {
    return line;
  }
  const pad = '  '.repeat(depth + 1);
  const end = '  '.repeat(depth);
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => pad + render(v, depth + 1, inlineDepth)).join(',\n')}\n${end}]`;
  }
  const body = entriesOf(value).map(([k, v]) => `${pad}${JSON.stringify(k)}: ${render(v, depth + 1, inlineDepth)}`);
  return `{\n${body.join(',\n')}\n${end}}`;
}
