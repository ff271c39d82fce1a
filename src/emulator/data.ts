/**
 * Loads the emulator's data tables from `compat/emulator/` (shipped with the package).
 */
import { readFileSync } from 'node:fs';

/** Parses `compat/emulator/<name>.json`. */
export function loadEmulatorData<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../compat/emulator/${name}.json`, import.meta.url), 'utf8')) as T;
}
