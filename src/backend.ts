/**
 * Where `sim_no` and `use_rest` send a program, as DESIGN.md's table has it. Shared by the
 * facade and the CLI so that both read the flags the same way.
 */
import { ValidationError } from './errors.js';

/** Base URLs that override the defaults (tests, a proxy, an emulator playing the mock domain). */
export interface Endpoints {
  rest?: string;
  ws?: string;
}

export type Backend =
  | { kind: 'kiwoom'; domain: 'production' | 'mock'; restUrl: string; wsUrl: string }
  | { kind: 'emulator'; domain: 'emulator' };

const HOSTS = {
  production: { restUrl: 'https://api.kiwoom.com', wsUrl: 'wss://api.kiwoom.com:10000' },
  mock: { restUrl: 'https://mockapi.kiwoom.com', wsUrl: 'wss://mockapi.kiwoom.com:10000' },
} as const;

/**
 * Resolves the backend for a `sim_no` / `use_rest` pair.
 * @throws ValidationError for a sim_no outside 0..3, and for `use_rest: false` with sim_no 0
 * (that was the OCX's production login, which cannot exist on this platform).
 */
export function resolveBackend(simNo: number, useRest: boolean, endpoints: Endpoints = {}): Backend {
  if (!Number.isInteger(simNo) || simNo < 0 || simNo > 3) {
    throw new ValidationError(`sim_no must be 0 (production) or 1..3 (paper trading), got ${String(simNo)}`, { field: 'sim_no' });
  }
  if (!useRest) {
    if (simNo === 0) {
      throw new ValidationError(
        'sim_no 0 with use_rest false asks for the OpenAPI+ OCX, which does not exist on this platform: set use_rest true to trade through Kiwoom REST, or use sim_no 1..3 for the built-in emulator',
        { field: 'use_rest' },
      );
    }
    return { kind: 'emulator', domain: 'emulator' };
  }
  const domain = simNo === 0 ? 'production' : 'mock';
  return {
    kind: 'kiwoom',
    domain,
    restUrl: endpoints.rest ?? HOSTS[domain].restUrl,
    wsUrl: endpoints.ws ?? HOSTS[domain].wsUrl,
  };
}
