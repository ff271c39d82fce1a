/**
 * A real type the OCX never had (no `ocxFids` in compat/real-types.json; none today, so the table
 * is replaced here): its sRealData is REST's own order, so the whole record is the OCX's part.
 */
import { expect, test, vi } from 'vitest';
import type { RealTypeSpec } from '../../src/compat/real-types.js';

vi.mock('../../src/compat/real-types.js', () => ({
  realTypeByOcxName: (name: string): Partial<RealTypeSpec> | undefined => (name === '새실시간' ? { code: '0Z', ocxName: name, fids: [20, 10], ocxFids: [] } : undefined),
}));

const { QuoteEncoder } = await import('../../src/bridge/quotes.js');

test('a type without OCX FIDs: the schema is REST\'s FIDs in REST order, all of them the OCX\'s sRealData (`ocx` counts them all)', () => {
  const schemas: unknown[] = [];
  const record = new QuoteEncoder().encode('005930', '새실시간', { '10': '+70000', '20': '093000' }, (s) => schemas.push(JSON.parse(s)));
  expect(schemas).toEqual([{ schema: 1, real: '새실시간', fids: ['20', '10'], ocx: 2 }]);
  expect(record).toBe('1\t005930\t093000\t+70000');
});
