/**
 * Consumer scenarios for `compare`: the facade's legacy consumer with options from a JSON file
 * (`fixtures/scenarios/*.json`: `{"consumer": "legacy", "options": {...}}`), or a module that
 * exports `run(api)` resolving to `{ events, facts? }`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIServer } from '../facade/index.js';
import { runLegacyConsumer, type NormalisedEvent, type ScenarioOptions } from './legacy-consumer.js';
import { ValidationError } from '../errors.js';

/** What one run of a scenario produced. */
export interface ScenarioRun {
  events: readonly NormalisedEvent[];
  /** Facts the consumer read, compared as well (minus the ones that differ by nature). */
  facts?: Record<string, unknown>;
}

/** A scenario: a name for reports and what to run on a connected-or-not APIServer (after api_init). */
export interface Scenario {
  name: string;
  run(api: APIServer): Promise<ScenarioRun>;
}

/** Facts that differ between any two backends by nature (server-assigned, market-driven). */
export const VOLATILE_FACTS: readonly string[] = ['orderNo', 'realPrice'];

const SCENARIO_DIR = new URL('../../fixtures/scenarios/', import.meta.url);

/** The built-in legacy consumer, with options. */
export function legacyScenario(name: string, options: ScenarioOptions = {}): Scenario {
  return {
    name,
    run: async (api) => {
      const { events, facts } = await runLegacyConsumer(api, options);
      return { events, facts: { ...facts } };
    },
  };
}

/**
 * Loads a scenario by name (`legacy-consumer` → fixtures/scenarios/legacy-consumer.json), by
 * JSON path, or by module path (`.mjs` / `.js` exporting `run(api)`).
 */
export async function loadScenario(spec: string): Promise<Scenario> {
  const byName = new URL(`${spec}.json`, SCENARIO_DIR);
  const path = /[\\/]|\.(json|mjs|js)$/.test(spec) ? resolve(spec) : fileURLToPath(byName);
  if (!existsSync(path)) {
    if (spec === 'legacy-consumer') return legacyScenario(spec);
    throw new ValidationError(`scenario "${spec}" not found (a name in fixtures/scenarios/, a .json file or a module)`, { field: 'scenario' });
  }
  if (path.endsWith('.json')) {
    const file = JSON.parse(readFileSync(path, 'utf8')) as { consumer?: string; options?: ScenarioOptions; name?: string };
    if (file.consumer !== 'legacy') throw new ValidationError(`${path}: "consumer" must be "legacy"`, { field: 'consumer' });
    return legacyScenario(file.name ?? spec, file.options ?? {});
  }
  const mod = (await import(pathToFileURL(path).href)) as { run?: Scenario['run']; name?: string };
  if (typeof mod.run !== 'function') throw new ValidationError(`${path} must export run(api)`, { field: 'scenario' });
  return { name: mod.name ?? spec, run: mod.run };
}
