/**
 * The emulator api_init started for an APIServer (`use_rest: false`), kept off the facade's
 * public face: a program on Kiwoom's servers has no emulator and no fault switches, so only code
 * that imports `kiwoom-compat/emulator` on purpose can reach them.
 */
import type { Emulator } from './types.js';

const attached = new WeakMap<object, Emulator>();

/** Records (or, with undefined, forgets) the in-process emulator of `owner`. */
export function attachEmulator(owner: object, emulator: Emulator | undefined): void {
  if (emulator === undefined) attached.delete(owner);
  else attached.set(owner, emulator);
}

/**
 * The in-process emulator behind an APIServer after `api_init({ use_rest: false })`: its
 * ledgers, stats and fault switches, for tests. Undefined before api_init and on a Kiwoom
 * backend; after cleanup, the stopped emulator (its ledgers stay readable).
 *
 * ```ts
 * import { emulatorOf } from 'kiwoom-compat/emulator';
 * await api.api_init({ sim_no: 1, use_rest: false });
 * emulatorOf(api)?.faults.dropWebSockets();
 * ```
 */
export function emulatorOf(api: object): Emulator | undefined {
  return attached.get(api);
}
