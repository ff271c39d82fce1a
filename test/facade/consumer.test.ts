import { describe, expect, test } from 'vitest';
import { runLegacyConsumer } from '../../src/compare/legacy-consumer.js';
import { openBackend } from './helpers.js';

describe('a legacy-style consumer', () => {
  test('runs unchanged on the in-process emulator and on the mock domain, with equal normalised event streams', async () => {
    const [local, mock] = await Promise.all([openBackend('emulator'), openBackend('mock-domain')]);
    try {
      const [a, b] = await Promise.all([runLegacyConsumer(local.api), runLegacyConsumer(mock.api)]);
      expect(a.events).toEqual(b.events);
      for (const r of [a, b]) {
        expect(r.facts.accounts).toBe(1);
        expect(r.facts.serverGubun).toBe('1');
        expect(r.facts.realPrice).toMatch(/^[+-]?\d+$/);
        expect(r.facts.orderNo).toMatch(/^\d{7}$/);
        expect(r.facts.chejanStatuses).toEqual(['접수', '체결']);
        expect(r.facts.conditionNames).toBeGreaterThan(0);
        expect(r.facts.chartPages).toBe(2);
        expect(r.facts.chartRows).toBeGreaterThan(0);
      }
      expect(a.events[0]).toEqual(['OnEventConnect', 0]);
      // The order answer, then the chart's first page announcing a second one.
      expect(a.events.filter((e) => e[0] === 'OnReceiveTrData').map((e) => e[5]).slice(0, 2)).toEqual(['0', '2']);
    } finally {
      await Promise.all([local.close(), mock.close()]);
    }
  }, 30_000);
});
