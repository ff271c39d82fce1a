/**
 * The whole OCX surface on APIServer: every method and event of the OCX's type library
 * (compat/ocx-api.json, generated from fixtures/ocx/methods.json and events.json) exists by its
 * OCX name, with the OCX's argument count, and answers with the OCX's return type: at once for
 * the getters (a string, a number, nothing, or rows), a Promise of the code for the calls that
 * reach the server.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OCX_API_EVENTS, OCX_API_METHODS, type ComType } from '../../src/compat/ocx-api.js';
import { APIServer, EVENT_NAMES } from '../../src/facade/index.js';
import { openBackend, type Backend } from './helpers.js';

const proto = APIServer.prototype as unknown as Record<string, unknown>;

/** A harmless argument of each COM type: every call below is refused or reads nothing. */
const SAMPLE: Record<ComType, unknown> = { BSTR: '', long: 0, int: 0, 'BOOL/long': 0, void: undefined, VARIANT: undefined };

function matchesType(value: unknown, type: ComType): boolean {
  switch (type) {
    case 'BSTR':
      return typeof value === 'string';
    case 'long':
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'void':
      return value === undefined;
    case 'VARIANT':
      return Array.isArray(value);
    default:
      return false;
  }
}

describe('the OCX type library against APIServer', () => {
  test('58 methods and 9 events are listed', () => {
    expect(Object.keys(OCX_API_METHODS)).toHaveLength(58);
    expect(Object.keys(OCX_API_EVENTS)).toHaveLength(9);
  });

  test('every method exists by its OCX name with the OCX argument count', () => {
    const missing = Object.keys(OCX_API_METHODS).filter((name) => typeof proto[name] !== 'function');
    expect(missing).toEqual([]);
    const arity = Object.entries(OCX_API_METHODS)
      .filter(([name, m]) => (proto[name] as (...a: unknown[]) => unknown).length !== m.args.length)
      .map(([name, m]) => `${name}: ${(proto[name] as (...a: unknown[]) => unknown).length} arguments, the OCX has ${m.args.length}`);
    expect(arity).toEqual([]);
  });

  test('every event is raised by its OCX name, in the OCX order', () => {
    expect([...EVENT_NAMES]).toEqual(Object.keys(OCX_API_EVENTS));
  });
});

describe('return types, connected to the emulator', () => {
  let b: Backend;
  beforeAll(async () => {
    b = await openBackend('emulator');
    expect(await b.api.CommConnect()).toBe(0);
  });
  afterAll(() => b.close());

  test.each(Object.entries(OCX_API_METHODS).filter(([name]) => name !== 'CommConnect'))('%s answers as the OCX types it', async (name, spec) => {
    const fn = proto[name] as (...a: unknown[]) => unknown;
    const result = fn.apply(b.api, spec.args.map(([, type]) => SAMPLE[type]));
    if (spec.answers === 'at-once') {
      expect(result).not.toBeInstanceOf(Promise);
      expect(matchesType(result, spec.returns)).toBe(true);
    } else {
      expect(result).toBeInstanceOf(Promise);
      expect(matchesType(await result, spec.returns === 'void' ? 'long' : spec.returns)).toBe(true);
    }
  });
});
