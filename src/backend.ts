/**
 * Where `sim_no` and `use_rest` send a program: `use_rest` true goes to Kiwoom (sim_no 0
 * production, 1..3 the mock domain), false with 1..3 to the built-in emulator, false with 0 is
 * refused (there is no OCX here). Shared by the facade and the CLI so that both read the flags
 * the same way.
 */
import { ValidationError } from './errors.js';
import { KIWOOM_HOSTS, domainOf } from './hosts.js';

/** Base URLs that override the defaults (tests, a proxy, an emulator playing the mock domain). */
export interface Endpoints {
  rest?: string;
  ws?: string;
}

export type Backend =
  | { kind: 'kiwoom'; domain: 'production' | 'mock'; restUrl: string; wsUrl: string }
  | { kind: 'emulator'; domain: 'emulator' };


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
  const hosts = KIWOOM_HOSTS[domainOf(simNo)];
  return {
    kind: 'kiwoom',
    domain: simNo === 0 ? 'production' : 'mock',
    restUrl: endpoints.rest ?? hosts.rest,
    wsUrl: endpoints.ws ?? hosts.ws,
  };
}
