import { describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  HttpError,
  KiwoomError,
  NetworkError,
  OrderUnknownError,
  QueueFullError,
  RateLimitError,
  SessionError,
  TimeoutError,
  ValidationError,
} from '../../src/errors.js';
import type { ErrorCategory } from '../../src/errors.js';
import {
  OP_ERRORS,
  getOpError,
  opErrorFor,
  opErrorForCategory,
  opErrorMessage,
} from '../../src/compat/op-errors.js';
import type { OcxContext } from '../../src/compat/op-errors.js';

const contexts: OcxContext[] = ['login', 'query', 'order', 'realtime', 'condition'];
const categories: ErrorCategory[] = ['auth', 'rate-limit', 'input', 'not-supported-in-mock', 'order-reject', 'no-data', 'server', 'unknown'];

const apiError = (code: number, category: ErrorCategory) =>
  new RateLimitError('x', { code, returnCode: 5, category, kiwoomMessage: 'x' });

describe('OCX return codes', () => {
  it('has the OP_ERR table with names and messages', () => {
    expect(getOpError(-200)).toMatchObject({ name: 'OP_ERR_SISE_OVERFLOW', message: '시세조회 과부하' });
    expect(getOpError(-308)?.name).toBe('OP_ERR_ORD_OVERFLOW');
    expect(getOpError(0)?.name).toBe('OP_ERR_NONE');
    expect(opErrorMessage(-101)).toBe('서버접속 실패');
    expect(opErrorMessage(-9999)).toBe('');
  });

  it('maps every category in every context to a documented negative code', () => {
    for (const category of categories) {
      for (const context of contexts) {
        const code = opErrorForCategory(category, context);
        expect(code, `${category}/${context}`).toBeLessThan(0);
        expect(Object.hasOwn(OP_ERRORS, String(code))).toBe(true);
      }
    }
  });

  it('turns rate limits into -200 for queries and -308 for orders', () => {
    expect(opErrorFor(apiError(1700, 'rate-limit'), 'query')).toBe(-200);
    expect(opErrorFor(apiError(1700, 'rate-limit'), 'order')).toBe(-308);
    expect(opErrorFor(apiError(1700, 'rate-limit'), 'condition')).toBe(-13);
  });

  it('turns auth failures into login failures and input errors into request/order input codes', () => {
    const auth = new ApiError('x', { code: 8005, returnCode: 3, category: 'auth', kiwoomMessage: 'x' });
    expect(opErrorFor(auth, 'login')).toBe(-100);
    const input = new ApiError('x', { code: 1511, returnCode: 2, category: 'input', kiwoomMessage: 'x' });
    expect(opErrorFor(input, 'query')).toBe(-202);
    expect(opErrorFor(input, 'order')).toBe(-300);
  });

  it('lets a specific Kiwoom code refine its category', () => {
    const batch = new ApiError('x', { code: 1634, returnCode: 5, category: 'input', kiwoomMessage: 'x' });
    expect(opErrorFor(batch, 'query')).toBe(-204);
    const tick = new ApiError('x', { code: 4003, returnCode: 20, category: 'order-reject', kiwoomMessage: 'x' });
    expect(opErrorFor(tick, 'order')).toBe(-300);
    const unknownApi = new ApiError('x', { code: 1505, returnCode: 2, category: 'input', kiwoomMessage: 'x' });
    expect(opErrorFor(unknownApi, 'query')).toBe(-201);
  });

  it('maps errors that never got a Kiwoom answer by class, nearest class first', () => {
    expect(opErrorFor(new ValidationError('bad', { field: 'ord_qty' }), 'order')).toBe(-300);
    expect(opErrorFor(new NetworkError('down'), 'login')).toBe(-101);
    expect(opErrorFor(new OrderUnknownError('?', { phase: 'headers' }), 'order')).toBe(-307);
    expect(opErrorFor(new HttpError('waf', { status: 400 }), 'query')).toBe(-205);
    expect(opErrorFor(new KiwoomError('other'), 'query')).toBe(-10);
    expect(opErrorFor(new Error('plain'), 'order')).toBe(-10);
    // A rejection can carry anything: a thrown string, undefined or null is OP_ERR_FAIL, not a crash.
    expect(['text', undefined, null, 42].map((thrown) => opErrorFor(thrown, 'query'))).toEqual([-10, -10, -10, -10]);
  });

  it('a timeout is its own class, not its parent NetworkError: -205 for a query, not -106', () => {
    const timeout = new TimeoutError('slow', { phase: 'headers' });
    expect(contexts.map((c) => opErrorFor(timeout, c))).toEqual([-101, -205, -307, -205, -205]);
    expect(contexts.map((c) => opErrorFor(new NetworkError('down'), c))).toEqual([-101, -106, -307, -106, -106]);
    // OrderUnknownError is a TimeoutError: its nearest mapped class decides.
    expect(opErrorFor(new OrderUnknownError('?', { phase: 'body' }), 'query')).toBe(-205);
    expect(opErrorFor(new QueueFullError('full'), 'condition')).toBe(-13);
    expect(opErrorFor(new SessionError('closed', { code: 'closed' }), 'order')).toBe(-106);
  });

  it('maps by class identity: a renamed class (as minifiers do) and a subclass keep their row; a look-alike name does not', () => {
    const timeout = new TimeoutError('slow', { phase: 'headers' });
    const original = Object.getOwnPropertyDescriptor(TimeoutError, 'name')!;
    Object.defineProperty(TimeoutError, 'name', { value: 't', configurable: true });
    try {
      expect(opErrorFor(timeout, 'query')).toBe(-205);
    } finally {
      Object.defineProperty(TimeoutError, 'name', original);
    }
    class GatewayTimeout extends TimeoutError {}
    expect(opErrorFor(new GatewayTimeout('gw', { phase: 'headers' }), 'query')).toBe(-205);
    // Named like a mapped class, but not one: the unknown row.
    const Impostor = { TimeoutError: class TimeoutError extends KiwoomError {} }.TimeoutError;
    expect(opErrorFor(new Impostor('x'), 'query')).toBe(-10);
  });
});

describe('OCX return codes: the table read at load', () => {
  it('a table that maps an error class the library does not have is refused at load, naming the class', async () => {
    vi.resetModules();
    vi.doMock('../../src/compat/load.js', async (importOriginal) => {
      const real = await importOriginal<typeof import('../../src/compat/load.js')>();
      return {
        ...real,
        loadTable: <T>(name: string): T => {
          const table = real.loadTable<{ errorClasses: Record<string, unknown> }>(name);
          return { ...table, errorClasses: { ...table.errorClasses, RenamedError: { login: -1, query: -1, order: -1, realtime: -1, condition: -1 } } } as T;
        },
      };
    });
    try {
      await expect(import('../../src/compat/op-errors.js')).rejects.toThrow('compat/op-errors.json maps error class RenamedError, which the library does not have');
    } finally {
      vi.doUnmock('../../src/compat/load.js');
      vi.resetModules();
    }
  });
});
