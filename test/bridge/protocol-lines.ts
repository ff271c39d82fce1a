/**
 * Reads the bridge's output lines as a reader of protocol 3 does (src/bridge/protocol.ts): a
 * line's records are split on U+001E; a record starting with a digit is a compact quote, given
 * here as `[code, schema, values]`; any other is one JSON object. The ready line is one JSON object.
 */
export type QuoteRecord = [code: string, schema: number, values: string];

/** One record: a compact quote as `[code, schema, values]`, or the JSON message. */
export function readRecord(record: string): unknown {
  if (!/^\d/.test(record)) return JSON.parse(record) as unknown;
  const [schema, code = '', ...values] = record.split('\t');
  return [code, Number(schema), values.join('\t')] satisfies QuoteRecord;
}

/** Every message of one output line, in order. */
export function readLine(line: string): unknown[] {
  return line.startsWith('{"ready"') ? [JSON.parse(line) as unknown] : line.split('\u001e').map(readRecord);
}
